import path from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import type { Trx } from '../../storage/index.js';
import type { Db, OpenedDb } from '../../storage/index.js';
import { JOURNAL_SQLITE } from '../../storage/journal-statements.js';
import { privateFile } from '../../storage/private-files.js';
import { ValidationError, type Issue } from '../../shared/errors.js';
import { JournalEntries, type Appended, type AppendOutcome, type AppendRequest, type MappingPlan } from './entries.js';
import { SettledStates, type SettledChange, type SettledEntry } from './settled-states.js';
import { nextTurn } from '../../shared/turn.js';
import type { RowSummary } from '../../signals/pending-rows.js';

export interface JournalRow {
  seq: number;
  signals: string; // JSON array of JournalSignal
}

/** Where the intake journal lives; one implementation per storage. */
export interface JournalStore {
  /** The highest sequence number stored (0 when empty). */
  lastSeq(): Promise<number>;
  /** Other processes append too (PostgreSQL, cluster mode): rows this process did not write may come between its own. */
  readonly shared?: boolean;
  /** Gets ready for appends ahead of the first (the file journal starts its threads), so that it waits for nothing. */
  ready(): Promise<void>;
  /**
   * Reads and appends one request's signals durably (requests arriving together share one commit), leaving
   * out exact repeats of settled states; resolves once they are on disk. Rows are written in call order.
   * Rejects with the ValidationError of a body its format refuses.
   */
  append(request: AppendRequest, receivedAt: number): Promise<AppendOutcome>;
  /** The engine has settled these entries on open incidents. */
  settled(entries: SettledEntry[]): void;
  /** An incident closed: no stored state counts as settled any more. */
  forget(): void;
  /** Rows after `seq`, in order; `trx` is the engine's transaction (the main database's own connection). */
  after(seq: number, limit: number, trx: Trx): Promise<JournalRow[]>;
  /** These rows (a few, for the processing lane), in order. */
  at(seqs: readonly number[], trx: Trx): Promise<JournalRow[]>;
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
 * The journal as a table of the main database (PostgreSQL, and SQLite in memory), prepared on the main
 * thread. Group commit: the requests that arrive while a write is in flight are written together in the
 * next transaction.
 */
export class TableJournal implements JournalStore {
  private insert: SQLite.Statement | undefined;
  private queue: Queued[] = [];
  private writing: Promise<void> | null = null;
  private readonly entries: JournalEntries;
  readonly shared: boolean;

  /** `lock`: serialises appends with other processes' (src/storage/cluster.ts `lockJournal`), so rows commit in sequence order. */
  constructor(
    private readonly db: Db,
    private readonly withSqlite: OpenedDb['withSqlite'] | undefined,
    plan: MappingPlan,
    private readonly lock?: (trx: Trx) => Promise<void>,
  ) {
    this.entries = new JournalEntries(plan);
    this.shared = withSqlite === undefined;
  }

  async lastSeq(): Promise<number> {
    const row = await this.db
      .selectFrom('signal_batches')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  async ready(): Promise<void> {}

  async append(request: AppendRequest, receivedAt: number): Promise<AppendOutcome> {
    const prepared = this.entries.prepare(request, receivedAt);
    const { entries, accepted } = prepared;
    const written = { accepted, written: entries.length, repeats: accepted - entries.length, entries };
    if (entries.length === 0) return { seq: 0, ...written };
    const seq = await new Promise<number>((resolve, reject) => {
      this.queue.push({ receivedAt, count: entries.length, signals: JSON.stringify(entries), resolve, reject });
      this.writing ??= nextTurn().then(() => this.flush());
    });
    return { seq, ...written };
  }

  settled(entries: SettledEntry[]): void {
    this.entries.settled(entries);
  }

  forget(): void {
    this.entries.forget();
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
        const insert = (this.insert ??= sqlite.prepare(JOURNAL_SQLITE.insert));
        return sqlite.transaction(() => batch.map((q) => Number(insert.run(q.receivedAt, q.count, q.signals).lastInsertRowid)))();
      });
    }
    return this.db.transaction().execute(async (trx) => {
      await this.lock?.(trx);
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

  async at(seqs: readonly number[], trx: Trx): Promise<JournalRow[]> {
    if (seqs.length === 0) return [];
    const rows = await trx
      .selectFrom('signal_batches')
      .select(['seq', 'signals'])
      .where('seq', 'in', [...seqs])
      .orderBy('seq')
      .execute();
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

/** What the main thread sends the reader thread: an append, or news of what the engine settled (in order with the appends). */
export type ReaderMessage = { id: number; receivedAt: number; request: AppendRequest } | { settled: SettledEntry[] } | { forget: number };

/**
 * Changes of the reader thread's settled states, on their way to the main thread's copy; `forgotten`: how
 * many times the reader had been told to forget then (older changes are of states the main thread has dropped).
 */
interface SettledNews {
  changes?: SettledChange[];
  forgotten: number;
}

/** A row the reader thread hands to the writer thread, with the settled-state changes made up to it. */
export interface JournalRowMessage extends SettledNews {
  id: number;
  receivedAt: number;
  count: number;
  json: string;
  accepted: number;
  /** What the processing lane needs to know of the row; the writer hands it back with the answer. */
  summary: RowSummary;
}

export type WriterMessage = JournalRowMessage | SettledNews;

/** A journal thread's answer to one append, or news of settled states passed on by the writer. */
export type ThreadReply =
  | ({ id: number; appended: Omit<Appended, 'entries'> } & Partial<SettledNews>)
  | { id: number; refused: { code: string; message: string; issues: Issue[] } }
  | ({ id: number; error: string } & Partial<SettledNews>)
  | SettledNews;

/** An append in flight to the journal's threads. */
interface Waiting {
  resolve: (outcome: AppendOutcome) => void;
  reject: (err: Error) => void;
}

/** How long closing waits for the writes in flight. */
const CLOSE_WAIT_MS = 10_000;

/**
 * The journal in its own SQLite file, kept by two worker threads: the reader (reader-thread.ts) reads the
 * senders' bodies (JSON, format, mapping, repeats) and the writer (writer-thread.ts) writes and
 * fsyncs, so that the main thread only answers HTTP: better-sqlite3 is synchronous, and parsing and
 * fsyncing megabytes of alerts there would stall every request meanwhile. Its own file keeps the writes from
 * contending for the main database's write lock. The main thread reads it (after a restart) read-only.
 */
export class FileJournal implements JournalStore {
  private threads: { reader: Worker; writer: Worker } | null = null;
  private started: Promise<void> | null = null;
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;
  private reader: SQLite.Database | null = null;
  private readAfter: SQLite.Statement | null = null;
  private readAt: SQLite.Statement | null = null;
  /**
   * The reader thread's settled states, followed here from the changes it reports (through the writer, in
   * order with the writes' answers): signals posted through the API that only repeat settled states are
   * answered at once, without a round trip to the threads, when nothing is in flight (so that nothing written
   * meanwhile can have superseded them). Only changes of settled states cross over, not every write: in a
   * storm of new alerts, following each write here cost this thread more than anything else it did.
   */
  private readonly mirror = new SettledStates();
  /** Times told to forget (or threads lost): the reader's changes made before it heard of the last are stale. */
  private forgotten = 0;

  constructor(
    readonly file: string,
    private readonly plan: MappingPlan,
  ) {
    privateFile(file); // 0600, like the database beside it
  }

  /** Starts the threads (a thread that died is replaced by the next append). */
  ready(): Promise<void> {
    if (this.started) return this.started;
    const entry = new URL('./thread-entry.js', import.meta.url);
    const { port1, port2 } = new MessageChannel();
    const plan: MappingPlan = { systems: this.plan.systems };
    const reader = new Worker(entry, { workerData: { module: new URL('./reader-thread.ts', import.meta.url).href, plan, writer: port1, forgotten: this.forgotten }, transferList: [port1] });
    const writer = new Worker(entry, {
      workerData: { module: new URL('./writer-thread.ts', import.meta.url).href, file: this.file, schema: JOURNAL_SQLITE.create, insert: JOURNAL_SQLITE.insert, reader: port2 },
      transferList: [port2],
    });
    const threads = { reader, writer };
    this.threads = threads;
    const started = (w: Worker) =>
      new Promise<void>((resolve, reject) => {
        w.once('message', (m: { error?: string }) => (m.error ? reject(new Error(m.error)) : resolve()));
        w.once('error', reject);
      });
    this.started = Promise.all([started(reader), started(writer)]).then(() => undefined);
    const fail = (err: Error) => {
      if (this.threads !== threads) return;
      this.threads = null;
      this.started = null; // the next append starts new threads
      this.dropSettled(); // a write may have landed without its answer
      void reader.terminate();
      void writer.terminate();
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
    };
    for (const w of [reader, writer]) {
      w.on('message', (m: { replies?: ThreadReply[] }) => {
        if (this.threads === threads) this.answer(m.replies ?? []);
      });
      w.on('error', fail);
      w.on('exit', (code) => fail(new Error(`journal thread exited (${code})`)));
    }
    this.started.catch(fail);
    return this.started;
  }

  private answer(replies: ThreadReply[]): void {
    for (const r of replies) {
      if ('forgotten' in r && r.changes && r.forgotten === this.forgotten) this.mirror.apply(r.changes);
      if (!('id' in r)) continue;
      const w = this.waiting.get(r.id);
      if (!w) continue;
      this.waiting.delete(r.id);
      if ('appended' in r) w.resolve(r.appended);
      else if ('refused' in r) w.reject(new ValidationError(r.refused.message, r.refused.issues, r.refused.code));
      else w.reject(new Error(r.error));
    }
  }

  /** A read-only view of the file; the file and its table are made here first if need be. */
  private read(): SQLite.Database {
    if (!this.reader) {
      const init = new SQLite(this.file);
      init.pragma('journal_mode = WAL');
      init.exec(JOURNAL_SQLITE.create);
      init.close();
      this.reader = new SQLite(this.file, { readonly: true });
    }
    return this.reader;
  }

  async lastSeq(): Promise<number> {
    const row = this.read().prepare(JOURNAL_SQLITE.lastSeq).get() as { seq: number };
    return Number(row.seq);
  }

  async append(request: AppendRequest, receivedAt: number): Promise<AppendOutcome> {
    // nothing in flight that could supersede a settled state: API signals that only repeat them are answered here
    if (this.waiting.size === 0 && 'signals' in request && this.mirror.allRepeat(request.signals, receivedAt)) {
      const repeats = request.signals.length;
      return { seq: 0, accepted: repeats, written: 0, repeats };
    }
    await this.ready();
    const id = this.nextId++;
    return new Promise<AppendOutcome>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.send({ id, receivedAt, request });
    });
  }

  settled(entries: SettledEntry[]): void {
    // the reader's answer to it comes as changes of settled states
    if (this.threads) this.send({ settled: entries }); // without threads, nothing was written by them to settle
  }

  forget(): void {
    this.dropSettled();
    if (this.threads) this.send({ forget: this.forgotten });
  }

  /** No state counts as settled here until the reader reports it anew (after it has heard of this). */
  private dropSettled(): void {
    this.forgotten++;
    this.mirror.clear();
  }

  private outgoing: ReaderMessage[] = [];

  /** The messages of one turn of the main thread go as one. */
  private send(message: ReaderMessage): void {
    this.outgoing.push(message);
    if (this.outgoing.length === 1) setImmediate(() => this.post());
  }

  private post(): void {
    const batch = this.outgoing;
    this.outgoing = [];
    if (!this.threads) {
      for (const m of batch) {
        if (!('id' in m)) continue;
        this.waiting.get(m.id)?.reject(new Error('journal writer stopped'));
        this.waiting.delete(m.id);
      }
      return;
    }
    this.threads.reader.postMessage(batch);
  }

  async after(seq: number, limit: number): Promise<JournalRow[]> {
    this.readAfter ??= this.read().prepare(JOURNAL_SQLITE.after);
    const rows = this.readAfter.all(seq, limit) as JournalRow[];
    return rows.map((r) => ({ seq: Number(r.seq), signals: r.signals }));
  }

  async at(seqs: readonly number[]): Promise<JournalRow[]> {
    this.readAt ??= this.read().prepare(JOURNAL_SQLITE.at);
    const rows: JournalRow[] = [];
    for (const seq of [...seqs].sort((a, b) => a - b)) {
      const row = this.readAt.get(seq) as JournalRow | undefined;
      if (row) rows.push({ seq: Number(row.seq), signals: row.signals });
    }
    return rows;
  }

  async close(): Promise<void> {
    const threads = this.threads;
    if (threads) {
      this.post();
      const deadline = Date.now() + CLOSE_WAIT_MS;
      while (this.waiting.size && this.threads === threads && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5)); // let the last writes land
      this.threads = null;
      this.started = null;
      await Promise.all([threads.reader.terminate(), threads.writer.terminate()]);
      for (const w of this.waiting.values()) w.reject(new Error('journal closed'));
      this.waiting.clear();
    }
    this.reader?.close();
    this.reader = null;
    this.readAfter = null;
    this.readAt = null;
  }
}
