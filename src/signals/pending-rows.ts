/**
 * What the processing lane (src/incidents/lane.ts, where its rules are) knows of the journal rows the engine
 * has not admitted yet, without reading them: per row, per system, how many signals and whether any of
 * them could open an incident (a firing orange or red) or is a resolve. The file journal's reader thread
 * makes a row's summary while it reads the sender's body, and the writer hands it back with the append's
 * answer; the main thread never sees the row's signals.
 */

/** Flags of a system in a row's summary. */
export const OPENS = 1;
export const RESOLVES = 2;

/**
 * A row's summary as flat triples: system, its signals in the row, flags (OPENS | RESOLVES). Signals without a
 * system are left out (they cannot open an incident, and the lane's rules do not rely on them).
 */
export type RowSummary = (string | number)[];

interface SummarisedSignal {
  system: string | null;
  status: string;
  severity: string;
}

export function summariseRow(signals: readonly SummarisedSignal[]): RowSummary {
  const out: RowSummary = [];
  for (const s of signals) {
    if (!s.system) continue;
    const flag = s.status === 'resolved' ? RESOLVES : s.severity === 'orange' || s.severity === 'red' ? OPENS : 0;
    let i = 0;
    while (i < out.length && out[i] !== s.system) i += 3;
    if (i === out.length) out.push(s.system, 1, flag);
    else {
      (out[i + 1] as number)++;
      out[i + 2] = (out[i + 2] as number) | flag;
    }
  }
  return out;
}

/** Rows of the journal in sequence order, with cumulative signal counts; those before `head` are gone. */
class Rows {
  seqs: number[] = [];
  /** Signals in rows[0..i], plus `base`. */
  cum: number[] = [];
  flags: number[] = [];
  base = 0;
  head = 0;
  /** The first row at or after head with OPENS (or RESOLVES) among its flags; seqs.length when none. */
  nextOpens = 0;
  nextResolves = 0;

  push(seq: number, signals: number, flags: number): void {
    this.seqs.push(seq);
    this.cum.push((this.cum.length ? this.cum[this.cum.length - 1]! : this.base) + signals);
    this.flags.push(flags);
  }

  /** Signals in rows[head..i] (i inclusive). */
  signalsTo(i: number): number {
    return this.cum[i]! - (this.head > 0 ? this.cum[this.head - 1]! : this.base);
  }

  /** Rows up to and including `seq` are gone. */
  dropThrough(seq: number): void {
    while (this.head < this.seqs.length && this.seqs[this.head]! <= seq) this.head++;
    if (this.head > 1024 && this.head * 2 > this.seqs.length) {
      this.base = this.cum[this.head - 1]!;
      this.seqs = this.seqs.slice(this.head);
      this.cum = this.cum.slice(this.head);
      this.flags = this.flags.slice(this.head);
      this.nextOpens = Math.max(0, this.nextOpens - this.head);
      this.nextResolves = Math.max(0, this.nextResolves - this.head);
      this.head = 0;
    }
  }

  next(flag: number): number {
    let i = Math.max(this.head, flag === OPENS ? this.nextOpens : this.nextResolves);
    while (i < this.seqs.length && !(this.flags[i]! & flag)) i++;
    if (flag === OPENS) this.nextOpens = i;
    else this.nextResolves = i;
    return i;
  }

  get empty(): boolean {
    return this.head >= this.seqs.length;
  }
}

/** A row that may be urgent for a system: the rows of the system up to it would go in the lane. */
export interface LaneCandidate {
  system: string;
  flag: typeof OPENS | typeof RESOLVES;
  /** The row's sequence number. */
  seq: number;
  /** The system's pending rows up to and including that one (their sequence numbers). */
  rows: number[];
  /** The system's signals in those rows. */
  signals: number;
  /** Signals of any system in the rows between the cursor and that row: what ordinary rounds will take first. */
  ahead: number;
}

/** Rows kept at most; beyond, the lane forgets them all and waits until the cursor has passed them. */
const MAX_ROWS = 500_000;

/**
 * The pending rows' summaries, per system, so that finding each system's next urgent row costs the same
 * however long the backlog. Fed in sequence order (SignalLog, as appends are answered); a row without a
 * summary, a lost answer or a row out of order makes it blind until the cursor has passed what it missed.
 */
export class PendingRows {
  private readonly all = new Rows();
  private readonly bySystem = new Map<string, Rows>();
  /** Every row after this sequence number is known here (summarised, or known to hold no system). */
  private knownAfter = 0;
  private lastSeq = 0;
  /** An append failed: a row may have been written unseen, before the next one known. */
  private unsure = false;

  /** Rows up to `seq` were written before (another process, before a restart): they are not known here. */
  startAfter(seq: number): void {
    this.knownAfter = Math.max(this.knownAfter, seq);
    this.lastSeq = Math.max(this.lastSeq, seq);
  }

  /** An append's answer was lost (its row may be in the journal all the same). */
  lost(): void {
    this.unsure = true;
  }

  add(seq: number, signals: number, summary: RowSummary | undefined): void {
    if (this.unsure) {
      this.unsure = false;
      this.knownAfter = Math.max(this.knownAfter, seq - 1);
    }
    if (seq <= this.lastSeq || summary === undefined || this.all.seqs.length - this.all.head >= MAX_ROWS) {
      this.knownAfter = Math.max(this.knownAfter, seq, this.lastSeq); // the lane waits until the cursor has passed it
      this.lastSeq = Math.max(this.lastSeq, seq);
      return;
    }
    this.lastSeq = seq;
    this.all.push(seq, signals, 0);
    for (let i = 0; i < summary.length; i += 3) {
      const system = summary[i] as string;
      let rows = this.bySystem.get(system);
      if (!rows) this.bySystem.set(system, (rows = new Rows()));
      rows.push(seq, summary[i + 1] as number, summary[i + 2] as number);
    }
  }

  /** The lane has processed `system`'s rows up to and including `seq`. */
  taken(system: string, seq: number): void {
    this.bySystem.get(system)?.dropThrough(seq);
  }

  /**
   * Each system's first pending row with OPENS and with RESOLVES among its flags, if the system has at most
   * `maxSignals` signals up to it; none while rows after `cursor` may be unknown here.
   */
  candidates(cursor: number, maxSignals: number): LaneCandidate[] {
    this.all.dropThrough(cursor);
    if (this.unsure || cursor < this.knownAfter) return [];
    const out: LaneCandidate[] = [];
    for (const [system, rows] of this.bySystem) {
      rows.dropThrough(cursor);
      if (rows.empty) {
        this.bySystem.delete(system);
        continue;
      }
      for (const flag of [OPENS, RESOLVES] as const) {
        const i = rows.next(flag);
        if (i >= rows.seqs.length || rows.signalsTo(i) > maxSignals) continue; // a row holds at least one signal of the system
        const seq = rows.seqs[i]!;
        out.push({ system, flag, seq, rows: rows.seqs.slice(rows.head, i + 1), signals: rows.signalsTo(i), ahead: this.signalsBefore(seq) });
      }
    }
    return out;
  }

  /** Signals in the rows after the cursor (all.head) and before `seq`. */
  private signalsBefore(seq: number): number {
    const { seqs } = this.all;
    let lo = this.all.head;
    let hi = seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (seqs[mid]! < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo === this.all.head ? 0 : this.all.signalsTo(lo - 1);
  }
}
