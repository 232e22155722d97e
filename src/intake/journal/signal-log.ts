import type { Db, Trx } from '../../storage/index.js';
import type { Clock } from '../../shared/clock.js';
import { AppError, UnavailableError } from '../../shared/errors.js';
import type { IntakeKind } from '../format.js';
import type { CommittedBatch, JournalSignal } from '../../signals/journal-signal.js';
import type { JournalStore } from './store.js';
import type { AppendOutcome, AppendRequest } from './entries.js';
import { settledEntry } from './settled-states.js';
import type { Source } from '../sources.js';
import type { NormalisedSignal } from '../../signals/types.js';
import { PendingRows, summariseRow, type RowSummary } from '../../signals/pending-rows.js';

/** Signals kept in memory for the engine, committed but not yet admitted; beyond this it reads the store. */
const MAX_BUFFERED = 100_000;
const STORE_ROWS_PER_READ = 200;

/** A committed row kept for the engine (its entries), or read from the store (parsed when the engine takes it). */
interface Buffered {
  seq: number;
  count: number;
  json?: string;
  entries?: JournalSignal[];
}

/**
 * The intake journal: appends each request's signals durably, as one row (the store commits the requests
 * that arrive together in one transaction, one fsync). An append resolves only after the commit.
 * The engine then admits the journal in order (admission.ts). What this process wrote to a table journal is
 * handed to it from memory, so that the hot path never reads back what it has just written; the file
 * journal's rows are read back from the file (sending them from its threads would cost this thread more
 * during a storm than reading them), as is everything after a restart or when the engine falls far behind.
 *
 * A signal that repeats exactly the state of its alert that the engine has settled on an open incident (a
 * sender's re-send: same status, colour, times, labels…) is already stored and is not written again. A repeat
 * of a signal that was recorded during maintenance, damped or left unmapped may mean something else later, so
 * it is written and processed again.
 */
export class SignalLog {
  private lastSeq = 0;
  private buffering = false;
  private buffer: Buffered[] = [];
  private buffered = 0;
  private bufferBase = 0;
  /** What the processing lane knows of the rows not yet admitted (src/incidents/lane.ts). */
  readonly pending = new PendingRows();

  constructor(
    private readonly store: JournalStore,
    private readonly clock: Clock,
    private readonly afterCommit: () => void,
    private readonly maxBuffered = MAX_BUFFERED,
  ) {}

  /** The sequence number of the last row written. */
  get end(): number {
    return this.lastSeq;
  }

  /** Learns where the journal ends; returns that sequence number. */
  async open(): Promise<number> {
    this.lastSeq = Math.max(this.lastSeq, await this.store.lastSeq());
    this.pending.startAfter(this.lastSeq); // rows written before are not known to the lane
    return this.lastSeq;
  }

  /** Gets the store ready for appends (its threads started), so that the first alert after a start waits for nothing. */
  ready(): Promise<void> {
    return this.store.ready();
  }

  /** performance.now() of the last append: is intake busy right now? */
  lastAppendAt = -Infinity;

  /** Stores signals read on this thread; resolves once they are durably stored. */
  async append(signals: NormalisedSignal[]): Promise<{ written: number; repeats: number }> {
    const outcome = await this.write({ signals });
    return { written: outcome.written, repeats: outcome.repeats };
  }

  /**
   * Stores a sender's body as `kind` for `source`, read by the store (on the file journal, off this thread).
   * Rejects with a ValidationError naming the field for a body its format refuses. Acknowledgements in it
   * are journalled like any signal (intake/acknowledgements.ts).
   */
  async appendBody(kind: IntakeKind, source: Source, body: string): Promise<{ accepted: number }> {
    const outcome = await this.write({ kind, source, body });
    return { accepted: outcome.accepted };
  }

  private async write(request: AppendRequest): Promise<AppendOutcome> {
    this.lastAppendAt = performance.now();
    let outcome: AppendOutcome;
    try {
      outcome = await this.store.append(request, this.clock.now());
    } catch (err) {
      if (err instanceof AppError) throw err;
      this.pending.lost(); // the row may have been written all the same
      throw new UnavailableError(`signal store unavailable: ${(err as Error).message}`);
    }
    if (outcome.written > 0) {
      const summary = outcome.summary ?? (outcome.entries && summariseRow(outcome.entries));
      this.committed({ seq: outcome.seq, count: outcome.written, entries: outcome.entries }, summary);
      this.afterCommit();
    }
    return outcome;
  }

  /** These stored states now stand on open incidents (the engine, after processing them). */
  settled(entries: JournalSignal[]): void {
    this.store.settled(entries.map(settledEntry));
  }

  /** From now on, every signal is written again until its state is settled anew (an incident was closed). */
  forgetStates(): void {
    this.store.forget();
  }

  /** Journal batches after `cursor`, oldest first, about `maxSignals` signals (at least one batch). */
  async after(cursor: number, maxSignals: number, trx: Trx): Promise<CommittedBatch[]> {
    let admitted = 0;
    while (admitted < this.buffer.length && this.buffer[admitted]!.seq <= cursor) this.buffered -= this.buffer[admitted++]!.count;
    if (admitted) this.buffer = this.buffer.slice(admitted);
    if (!this.buffering && cursor >= this.lastSeq) {
      this.buffering = true; // caught up: from now on memory holds every batch after the cursor
      this.bufferBase = cursor;
    }
    const batches = this.buffering && cursor >= this.bufferBase ? this.buffer : await this.fromStore(cursor, trx);
    let n = 0;
    const taken: CommittedBatch[] = [];
    for (const b of batches) {
      const entries = (b.entries ??= JSON.parse(b.json!) as JournalSignal[]);
      if (taken.length > 0 && n + entries.length > maxSignals) break;
      taken.push({ seq: b.seq, entries });
      n += entries.length;
    }
    return taken;
  }

  /**
   * Rows read from the store after `readAheadFrom` and not yet admitted: a round admits fewer than it reads.
   * Only a full read is kept (a shorter one reached the end of the store, which may have grown since).
   */
  private readAhead: Buffered[] = [];
  private readAheadFrom = 0;

  private async fromStore(cursor: number, trx: Trx): Promise<Buffered[]> {
    const first = this.readAhead.length === STORE_ROWS_PER_READ ? this.readAhead.findIndex((b) => b.seq > cursor) : -1;
    if (this.readAheadFrom <= cursor && first >= 0) return this.readAhead.slice(first);
    this.readAhead = (await this.store.after(cursor, STORE_ROWS_PER_READ, trx)).map((r) => ({ seq: r.seq, count: 0, json: r.signals }));
    this.readAheadFrom = cursor;
    return this.readAhead;
  }

  /** These rows (the few the processing lane takes ahead of the cursor), in order. */
  async rows(seqs: readonly number[], trx: Trx): Promise<CommittedBatch[]> {
    const wanted = new Set(seqs);
    const kept = this.buffering ? this.buffer.filter((b) => wanted.has(b.seq) && b.entries) : [];
    const rows = kept.length === wanted.size ? kept : (await this.store.at(seqs, trx)).map((r) => ({ seq: r.seq, count: 0, entries: JSON.parse(r.signals) as JournalSignal[] }));
    return rows.map((b) => ({ seq: b.seq, entries: b.entries! }));
  }

  /** Every signal in the journal store, oldest first (audits, tests). */
  async all(trx: Trx): Promise<JournalSignal[]> {
    const out: JournalSignal[] = [];
    for (let seq = 0; ; ) {
      const rows = await this.store.after(seq, 500, trx);
      if (rows.length === 0) return out;
      for (const r of rows) out.push(...(JSON.parse(r.signals) as JournalSignal[]));
      seq = rows.at(-1)!.seq;
    }
  }

  private committed(row: Buffered, summary: RowSummary | undefined): void {
    // another process appended in between (a shared store): memory no longer holds every row after the cursor
    const foreign = this.store.shared === true && row.seq !== this.lastSeq + 1;
    this.lastSeq = Math.max(this.lastSeq, row.seq);
    this.pending.add(row.seq, row.count, foreign ? undefined : summary);
    if (!this.buffering) return;
    if (foreign || this.buffered + row.count > this.maxBuffered || row.entries === undefined) {
      // the engine is far behind, or the store keeps its rows to itself: it reads the store until it catches up
      this.buffering = false;
      this.buffer = [];
      this.buffered = 0;
      return;
    }
    this.buffer.push(row);
    if (this.buffer.length > 1 && this.buffer.at(-2)!.seq > row.seq) this.buffer.sort((a, b) => a.seq - b.seq);
    this.buffered += row.count;
  }

  /** Waits for the writes in flight, then closes the store. */
  close(): Promise<void> {
    return this.store.close();
  }
}

/** Every signal in the journal, oldest first (tests, audits). */
export function readJournal(p: { db: Db; signals: SignalLog }): Promise<JournalSignal[]> {
  return p.db.transaction().execute((trx) => p.signals.all(trx));
}
