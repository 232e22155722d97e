// The intake journal's writer thread (FileJournal in journal-store.ts). Group commit: whatever rows the
// reader thread handed over while the last fsync ran are written in one transaction, one fsync for all.
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import type { JournalRowMessage, ThreadReply } from './journal-store.js';

const main = parentPort!;
const { file, schema, insert: insertSql, reader } = workerData as { file: string; schema: string; insert: string; reader: MessagePort };

try {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL'); // a 2xx promises the alert survives power loss
  db.pragma('busy_timeout = 5000');
  db.exec(schema);
  const insert = db.prepare(insertSql);
  const writeAll = db.transaction((rows: JournalRowMessage[]) => rows.map((r) => Number(insert.run(r.receivedAt, r.count, r.json).lastInsertRowid)));

  main.postMessage({ ready: true });
  reader.on('message', (first: JournalRowMessage[]) => {
    const rows = [...first];
    for (let next = receiveMessageOnPort(reader); next; next = receiveMessageOnPort(reader)) rows.push(...(next.message as JournalRowMessage[]));
    let replies: ThreadReply[];
    try {
      const seqs = writeAll(rows);
      replies = rows.map((r, i) => ({ id: r.id, appended: { seq: seqs[i]!, accepted: r.accepted, written: r.count, repeats: r.accepted - r.count }, wrote: r.wrote }));
    } catch (err) {
      replies = rows.map((r) => ({ id: r.id, error: (err as Error).message }));
    }
    main.postMessage({ replies });
  });
} catch (err) {
  main.postMessage({ error: (err as Error).message });
}
