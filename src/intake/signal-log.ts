import type { Trx } from '../incidents/engine.js';
import type { Clock } from '../shared/clock.js';
import { UnavailableError } from '../shared/errors.js';
import type { NormalisedSignal } from './types.js';
import { journalSignal, type JournalSignal } from './journal.js';
import type { JournalStore } from './journal-store.js';

export interface CommittedBatch {
  seq: number;
  entries: JournalSignal[];
}

/** Signals kept in memory for the engine, committed but not yet admitted; beyond this it reads the store. */
const MAX_BUFFERED = 100_000;
const STORE_ROWS_PER_READ = 200;

/**
 * The intake journal: appends each request's signals durably, as one row (the store commits the requests
 * that arrive together in one transaction, one fsync). `append` resolves only after the commit.
 * The engine then admits the journal in order (admission.ts); what this process wrote is handed to it from
 * memory, so that the hot path never reads back what it has just written. After a restart, or when the engine
 * falls far behind, it reads the store instead.
 */
export class SignalLog {
  private lastSeq = 0;
  private buffering = false;
  private buffer: CommittedBatch[] = [];
  private buffered = 0;
  private bufferBase = 0;

  constructor(
    private readonly store: JournalStore,
    private readonly clock: Clock,
    private readonly afterCommit: () => void,
    private readonly maxBuffered = MAX_BUFFERED,
  ) {}

  /** Learns where the journal ends; returns that sequence number. */
  async open(): Promise<number> {
    this.lastSeq = Math.max(this.lastSeq, await this.store.lastSeq());
    return this.lastSeq;
  }

  /** performance.now() of the last append: is intake busy right now? */
  lastAppendAt = -Infinity;

  /** Resolves with the ids the signals keep in the signal list, once they are durably stored. */
  async append(signals: NormalisedSignal[]): Promise<string[]> {
    this.lastAppendAt = performance.now();
    const receivedAt = this.clock.now();
    const entries = signals.map((s) => journalSignal(s, receivedAt));
    if (entries.length === 0) return [];
    let seq: number;
    try {
      seq = await this.store.append(receivedAt, entries.length, JSON.stringify(entries));
    } catch (err) {
      throw new UnavailableError(`signal store unavailable: ${(err as Error).message}`);
    }
    this.committed(seq, entries);
    this.afterCommit();
    return entries.map((e) => e.id);
  }

  /** Journal batches after `cursor`, oldest first, about `maxSignals` signals (at least one batch). */
  async after(cursor: number, maxSignals: number, trx: Trx): Promise<CommittedBatch[]> {
    while (this.buffer.length && this.buffer[0]!.seq <= cursor) this.buffered -= this.buffer.shift()!.entries.length;
    if (!this.buffering && cursor >= this.lastSeq) {
      this.buffering = true; // caught up: from now on memory holds every batch after the cursor
      this.bufferBase = cursor;
    }
    const batches = this.buffering && cursor >= this.bufferBase
      ? this.buffer
      : (await this.store.after(cursor, STORE_ROWS_PER_READ, trx)).map((r) => ({ seq: r.seq, entries: JSON.parse(r.signals) as JournalSignal[] }));
    let n = 0;
    let take = 0;
    while (take < batches.length && (take === 0 || n + batches[take]!.entries.length <= maxSignals)) n += batches[take++]!.entries.length;
    return batches.slice(0, take);
  }

  /** Every signal in the journal store, oldest first (audits, tests). */
  async all(trx: Trx): Promise<JournalSignal[]> {
    const out: JournalSignal[] = [];
    for (let seq = 0; ;) {
      const rows = await this.store.after(seq, 500, trx);
      if (rows.length === 0) return out;
      for (const r of rows) out.push(...(JSON.parse(r.signals) as JournalSignal[]));
      seq = rows.at(-1)!.seq;
    }
  }

  private committed(seq: number, entries: JournalSignal[]): void {
    this.lastSeq = Math.max(this.lastSeq, seq);
    if (!this.buffering) return;
    if (this.buffered + entries.length > this.maxBuffered) {
      this.buffering = false; // the engine is far behind: it reads the store until it catches up
      this.buffer = [];
      this.buffered = 0;
      return;
    }
    this.buffer.push({ seq, entries });
    if (this.buffer.length > 1 && this.buffer.at(-2)!.seq > seq) this.buffer.sort((a, b) => a.seq - b.seq);
    this.buffered += entries.length;
  }

  /** Waits for the writes in flight, then closes the store. */
  close(): Promise<void> {
    return this.store.close();
  }
}
