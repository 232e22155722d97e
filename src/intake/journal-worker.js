// The intake journal's writer thread (journal-store.ts, FileJournal). Group commit: whatever requests
// queued up while the last fsync ran are written in one transaction, one fsync for all of them.
// Plain JavaScript, so that it starts the same under tsx and under plain node.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

try {
  const db = new SQLite(workerData.file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL'); // a 2xx promises the alert survives power loss
  db.pragma('busy_timeout = 5000');
  db.exec(workerData.schema);
  const insert = db.prepare('insert into signal_batches (received_at, count, signals) values (?, ?, ?)');
  const writeAll = db.transaction((batch) => batch.map((m) => Number(insert.run(m.receivedAt, m.count, m.signals).lastInsertRowid)));
  parentPort.postMessage({ ready: true });
  parentPort.on('message', (first) => {
    const batch = [...first]; // each message: the requests of one turn of the main thread
    for (let next = receiveMessageOnPort(parentPort); next; next = receiveMessageOnPort(parentPort)) batch.push(...next.message);
    try {
      const seqs = writeAll(batch);
      parentPort.postMessage({ replies: batch.map((m, i) => ({ id: m.id, seq: seqs[i] })) });
    } catch (err) {
      parentPort.postMessage({ replies: batch.map((m) => ({ id: m.id, error: err.message })) });
    }
  });
} catch (err) {
  parentPort.postMessage({ error: err.message });
}
