import type { Trx } from '../incidents/engine.js';
import type { Clock } from '../shared/clock.js';
import { UnavailableError } from '../shared/errors.js';
import type { NormalisedSignal } from './types.js';
import { alertKey, journalSignal, type JournalSignal } from './journal.js';
import { identityOf } from './normalise.js';
import type { JournalStore } from './journal-store.js';

export interface CommittedBatch {
  seq: number;
  entries: JournalSignal[];
}

/** Signals kept in memory for the engine, committed but not yet admitted; beyond this it reads the store. */
const MAX_BUFFERED = 100_000;
const STORE_ROWS_PER_READ = 200;
const MAX_REMEMBERED = 200_000;
const UNTIMED_REPEAT_MS = 60_000;

/** Does the signal say exactly what the stored entry says (its id and arrival time aside)? */
function sameState(a: JournalSignal, s: NormalisedSignal, receivedAt: number): boolean {
  const labels = s.labels ?? {};
  if (a.status !== s.status || a.severity !== s.severity || a.summary !== (s.summary ?? '') || a.system !== (s.system ?? null)
    || a.component !== (s.component ?? '') || a.host !== (s.host ?? null) || a.metric_name !== (s.metric?.name ?? null)
    || a.metric_value !== (s.metric?.value ?? null)) return false;
  // a signal without its own time is seen at arrival: written again once a minute, to keep the alert's last-seen time
  if (s.at ? a.at !== Date.parse(s.at) : receivedAt - a.at >= UNTIMED_REPEAT_MS) return false;
  const keys = Object.keys(a.labels);
  if (keys.length !== Object.keys(labels).length) return false;
  for (const k of keys) if (a.labels[k] !== labels[k]) return false;
  return true;
}

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

  /** The sequence number of the last row written. */
  get end(): number {
    return this.lastSeq;
  }

  /** Learns where the journal ends; returns that sequence number. */
  async open(): Promise<number> {
    this.lastSeq = Math.max(this.lastSeq, await this.store.lastSeq());
    return this.lastSeq;
  }

  /** performance.now() of the last append: is intake busy right now? */
  lastAppendAt = -Infinity;

  /**
   * Resolves once the signals are durably stored. A signal that repeats exactly the stored state of its alert
   * on an open incident (a sender's re-send: same status, colour, times, labels…) is already stored and is
   * not written again; everything else is. Returns how many were written.
   */
  async append(signals: NormalisedSignal[]): Promise<{ written: number; repeats: number }> {
    this.lastAppendAt = performance.now();
    const receivedAt = this.clock.now();
    const entries: JournalSignal[] = [];
    for (const s of signals) {
      const settled = this.stored.size ? this.stored.get(alertKey(s.source, identityOf(s))) : undefined;
      if (settled && sameState(settled, s, receivedAt)) continue;
      entries.push(journalSignal(s, receivedAt));
    }
    const repeats = signals.length - entries.length;
    if (entries.length === 0) return { written: 0, repeats };
    let seq: number;
    try {
      seq = await this.store.append(receivedAt, entries.length, JSON.stringify(entries));
    } catch (err) {
      throw new UnavailableError(`signal store unavailable: ${(err as Error).message}`);
    }
    this.committed(seq, entries);
    this.afterCommit();
    return { written: entries.length, repeats };
  }

  /**
   * The last stored state of alerts that the engine has settled on an open incident. Only such a state can be
   * repeated without consequence: a repeat of a signal that was recorded during maintenance, damped or left
   * unmapped may mean something else later, so it is written and processed again.
   */
  private readonly stored = new Map<string, JournalSignal>();

  /** These stored states now stand on open incidents (the engine, after processing them). */
  settled(entries: JournalSignal[]): void {
    if (this.stored.size + entries.length > MAX_REMEMBERED) this.stored.clear(); // a repeat is then written once more
    for (const e of entries) this.stored.set(alertKey(e.source, e.dedup_key), e);
  }

  /** From now on, every signal is written again until its state is settled anew (an incident was closed). */
  forgetStates(): void {
    this.stored.clear();
  }

  /** Journal batches after `cursor`, oldest first, about `maxSignals` signals (at least one batch). */
  async after(cursor: number, maxSignals: number, trx: Trx): Promise<CommittedBatch[]> {
    let admitted = 0;
    while (admitted < this.buffer.length && this.buffer[admitted]!.seq <= cursor) this.buffered -= this.buffer[admitted++]!.entries.length;
    if (admitted) this.buffer = this.buffer.slice(admitted);
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
    for (const e of entries) this.stored.delete(alertKey(e.source, e.dedup_key)); // a new state: not settled until processed
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
