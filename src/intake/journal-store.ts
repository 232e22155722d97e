import path from 'node:path';
import { Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import type { Trx } from '../incidents/engine.js';
import type { Db, OpenedDb } from '../storage/index.js';

export interface JournalRow {
  seq: number;
  signals: string; // JSON array of JournalSignal
}

/** Where the intake journal lives; one implementation per storage. */
export interface JournalStore {
  /** The highest sequence number stored (0 when empty). */
  lastSeq(): Promise<number>;
  /**
   * Appends one request's signals durably (requests arriving together share one commit); resolves with the
   * row's sequence number once it is on disk. Resolutions come in sequence order.
   */
  append(receivedAt: number, count: number, signals: string): Promise<number>;
  /** Rows after `seq`, in order; `trx` is the engine's transaction (the main database's own connection). */
  after(seq: number, limit: number, trx: Trx): Promise<JournalRow[]>;
  close(): Promise<void>;
}

interface Queued {
  receivedAt: number;
  count: number;
  signals: string;
  resolve: (seq: number) => void;
  reject: (err: unknown) => void;
}

/**
 * The journal as a table of the main database (PostgreSQL, and SQLite in memory). Group commit: the
 * requests that arrive while a write is in flight are written together in the next transaction.
 */
export class TableJournal implements JournalStore {
  private insert: SQLite.Statement | undefined;
  private queue: Queued[] = [];
  private writing: Promise<void> | null = null;

  constructor(private readonly db: Db, private readonly withSqlite?: OpenedDb['withSqlite']) {}

  async lastSeq(): Promise<number> {
    const row = await this.db.selectFrom('signal_batches').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  append(receivedAt: number, count: number, signals: string): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ receivedAt, count, signals, resolve, reject });
      this.writing ??= new Promise<void>((r) => setImmediate(r)).then(() => this.flush());
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue;
      this.queue = [];
      try {
        const seqs = await this.write(batch);
        batch.forEach((q, i) => q.resolve(seqs[i]!));
      } catch (err) {
        for (const q of batch) q.reject(err);
      }
    }
    this.writing = null;
  }

  private async write(batch: Queued[]): Promise<number[]> {
    if (this.withSqlite) {
      return this.withSqlite((sqlite) => {
        const insert = (this.insert ??= sqlite.prepare('insert into signal_batches (received_at, count, signals) values (?, ?, ?)'));
        return sqlite.transaction(() => batch.map((q) => Number(insert.run(q.receivedAt, q.count, q.signals).lastInsertRowid)))();
      });
    }
    return this.db.transaction().execute(async (trx) => {
      const seqs: number[] = [];
      for (const q of batch) {
        const row = await trx.insertInto('signal_batches').values({ received_at: q.receivedAt, count: q.count, signals: q.signals }).returning('seq').executeTakeFirstOrThrow();
        seqs.push(Number(row.seq));
      }
      return seqs;
    });
  }

  async after(seq: number, limit: number, trx: Trx): Promise<JournalRow[]> {
    const rows = await trx.selectFrom('signal_batches').select(['seq', 'signals']).where('seq', '>', seq).orderBy('seq').limit(limit).execute();
    return rows.map((r) => ({ seq: Number(r.seq), signals: r.signals }));
  }

  async close(): Promise<void> {
    while (this.writing) await this.writing;
  }
}

/** File name of the journal beside a SQLite database file: lifeline.sqlite → lifeline.intake.sqlite. */
export function journalFileFor(dbFile: string): string {
  const ext = path.extname(dbFile);
  return path.join(path.dirname(dbFile), `${path.basename(dbFile, ext)}.intake${ext || '.sqlite'}`);
}

type Reply = { id: number; seq?: number; error?: string };

const JOURNAL_SCHEMA = 'create table if not exists signal_batches (seq integer primary key, received_at bigint not null, count integer not null, signals text not null)';

/**
 * The journal in its own SQLite file, written by a worker thread. better-sqlite3 is synchronous: writing
 * and fsyncing megabytes of alerts on the main thread would stall every request meanwhile, so the worker
 * does it while the main thread goes on parsing the next ones. Its own file keeps the worker's writes from
 * contending for the main database's write lock. The main thread reads it (after a restart) read-only.
 */
export class FileJournal implements JournalStore {
  private worker: Worker | null = null;
  private ready: Promise<void> | null = null;
  private readonly waiting = new Map<number, { resolve: (seq: number) => void; reject: (err: Error) => void }>();
  private nextId = 1;
  private reader: SQLite.Database | null = null;
  private readAfter: SQLite.Statement | null = null;

  constructor(readonly file: string) {}

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const worker = new Worker(new URL('./journal-worker.js', import.meta.url), { workerData: { file: this.file, schema: JOURNAL_SCHEMA } });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.once('message', (m: { error?: string }) => (m.error ? reject(new Error(m.error)) : resolve()));
      worker.once('error', reject);
    });
    worker.on('message', (m: { replies?: Reply[] }) => {
      for (const r of m.replies ?? []) {
        const w = this.waiting.get(r.id);
        if (!w) continue;
        this.waiting.delete(r.id);
        if (r.error !== undefined) w.reject(new Error(r.error));
        else w.resolve(r.seq!);
      }
    });
    const fail = (err: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.ready = null; // the next append starts a new worker
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`journal writer exited (${code})`)));
    this.ready.catch(() => undefined);
    return this.ready;
  }

  /** A read-only view of the file; the file and its table are made here first if need be. */
  private read(): SQLite.Database {
    if (!this.reader) {
      const init = new SQLite(this.file);
      init.pragma('journal_mode = WAL');
      init.exec(JOURNAL_SCHEMA);
      init.close();
      this.reader = new SQLite(this.file, { readonly: true });
    }
    return this.reader;
  }

  async lastSeq(): Promise<number> {
    const row = this.read().prepare('select coalesce(max(seq), 0) as seq from signal_batches').get() as { seq: number };
    return Number(row.seq);
  }

  async append(receivedAt: number, count: number, signals: string): Promise<number> {
    await this.start();
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.outgoing.push({ id, receivedAt, count, signals });
      if (this.outgoing.length === 1) setImmediate(() => this.post()); // the requests of one turn go as one message
    });
  }

  private outgoing: { id: number; receivedAt: number; count: number; signals: string }[] = [];

  private post(): void {
    const batch = this.outgoing;
    this.outgoing = [];
    if (!this.worker) {
      for (const m of batch) this.waiting.get(m.id)?.reject(new Error('journal writer stopped'));
      for (const m of batch) this.waiting.delete(m.id);
      return;
    }
    this.worker.postMessage(batch);
  }

  async after(seq: number, limit: number): Promise<JournalRow[]> {
    this.readAfter ??= this.read().prepare('select seq, signals from signal_batches where seq > ? order by seq limit ?');
    const rows = this.readAfter.all(seq, limit) as JournalRow[];
    return rows.map((r) => ({ seq: Number(r.seq), signals: r.signals }));
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.ready = null;
    if (worker) {
      while (this.waiting.size) await new Promise((r) => setTimeout(r, 5)); // let the last writes land
      await worker.terminate();
    }
    this.reader?.close();
    this.reader = null;
    this.readAfter = null;
  }
}
