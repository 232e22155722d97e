// The intake journal's writer thread (FileJournal in store.ts; its statements come from storage/journal-statements.ts). Group commit: whatever rows the
// reader thread handed over while the last fsync ran are written in one transaction, one fsync for all.
// The reader's changes of settled states pass through to the main thread in order with the answers.
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import type { JournalRowMessage, ThreadReply, WriterMessage } from './store.js';

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
  reader.on('message', (first: WriterMessage[]) => {
    const messages = [...first];
    for (let next = receiveMessageOnPort(reader); next; next = receiveMessageOnPort(reader)) messages.push(...(next.message as WriterMessage[]));
    const rows = messages.filter((m): m is JournalRowMessage => 'id' in m);
    let seqs: number[] = [];
    let failure: string | undefined;
    try {
      if (rows.length) seqs = writeAll(rows); // news of settled states alone needs no transaction
    } catch (err) {
      failure = (err as Error).message;
    }
    let row = 0;
    const replies: ThreadReply[] = messages.map((m) => {
      const { changes, forgotten } = m;
      if (!('id' in m)) return { changes, forgotten };
      if (failure !== undefined) return { id: m.id, error: failure, changes, forgotten };
      return { id: m.id, appended: { seq: seqs[row++]!, accepted: m.accepted, written: m.count, repeats: m.accepted - m.count, summary: m.summary }, changes, forgotten };
    });
    main.postMessage({ replies });
  });
} catch (err) {
  main.postMessage({ error: (err as Error).message });
}
