import { alertKey, type JournalSignal } from '../../signals/journal-signal.js';
import { identityOf } from '../../signals/normalise.js';
import type { NormalisedSignal } from '../../signals/types.js';

const UNTIMED_REPEAT_MS = 60_000;

/**
 * What a signal says about its alert, its time aside: two signals with the same state and time say the same.
 * Kept as one string per alert (not the entry itself): holding every written entry until the engine settles
 * it would cost a storm more in garbage collection than reading the signals does.
 */
function stateText(
  status: string,
  severity: string,
  summary: string,
  system: string | null,
  component: string,
  host: string | null,
  metricName: string | null,
  metricValue: number | null,
  labels: Record<string, string>,
): string {
  return JSON.stringify([status, severity, summary, system, component, host, metricName, metricValue, labels]);
}

/** A settled entry as the engine reports it to the journal: alert key, entry id, state, time. */
export type SettledEntry = [key: string, id: string, state: string, at: number];

/** A signal that carries its sender's time says it, too: the same state at another time is a new episode. */
const timedState = (text: string, at: number | undefined): string => (at === undefined ? text : `${text}@${at}`);

export function settledEntry(e: JournalSignal): SettledEntry {
  const text = stateText(e.status, e.severity, e.summary, e.system, e.component, e.host, e.metric_name, e.metric_value, e.labels);
  return [alertKey(e.source, e.dedup_key), e.id, timedState(text, e.at !== e.received_at ? e.at : undefined), e.at];
}

/** The sender's time of a signal, as its entry tells it apart from the arrival time (see settledEntry). */
function senderTime(s: NormalisedSignal, receivedAt: number): number | undefined {
  const at = s.at ? Date.parse(s.at) : Number.NaN;
  return Number.isFinite(at) && at !== receivedAt ? at : undefined;
}

export function signalState(s: NormalisedSignal, receivedAt: number): string {
  const text = stateText(s.status, s.severity, s.summary ?? '', s.system ?? null, s.component ?? '', s.host ?? null, s.metric?.name ?? null, s.metric?.value ?? null, s.labels ?? {});
  return timedState(text, senderTime(s, receivedAt));
}

/** A change of the settled states, as the file journal's reader thread reports them to the main thread. */
export type SettledChange = [op: 'set', key: string, state: string, at: number] | [op: 'unset', key: string] | [op: 'clear'];

/**
 * The last state of each alert that the engine has settled on an open incident. The copy that decides what
 * is written can report each change (`report`), so that another copy can follow it (`apply`).
 */
export class SettledStates {
  private readonly states = new Map<string, { state: string; at: number }>();

  constructor(private readonly report?: (change: SettledChange) => void) {}

  get size(): number {
    return this.states.size;
  }

  /** Does the signal say exactly what its alert's settled state says (arrival time aside)? Labels compare in order. */
  repeats(key: string, s: NormalisedSignal, receivedAt: number): boolean {
    const settled = this.states.size ? this.states.get(key) : undefined;
    if (!settled) return false;
    // a signal without its own time is seen at arrival: written again once a minute, to keep the alert's last-seen time
    if (senderTime(s, receivedAt) === undefined && receivedAt - settled.at >= UNTIMED_REPEAT_MS) return false;
    return settled.state === signalState(s, receivedAt);
  }

  /** Do these signals all repeat settled states, so that nothing of them would be written? */
  allRepeat(signals: readonly NormalisedSignal[], receivedAt: number): boolean {
    if (this.states.size === 0 || signals.length === 0) return false;
    return signals.every((s) => this.repeats(alertKey(s.source, identityOf(s)), s, receivedAt));
  }

  has(key: string): boolean {
    return this.states.has(key);
  }

  set(key: string, state: string, at: number): void {
    this.states.set(key, { state, at });
    this.report?.(['set', key, state, at]);
  }

  delete(key: string): void {
    if (this.states.delete(key)) this.report?.(['unset', key]);
  }

  /** Reported even when empty: a follower may hold states the reporter has not told it about yet. */
  clear(): void {
    this.states.clear();
    this.report?.(['clear']);
  }

  /** Follows changes reported by another copy, in the order it made them. */
  apply(changes: readonly SettledChange[]): void {
    for (const c of changes) {
      if (c[0] === 'set') this.states.set(c[1], { state: c[2], at: c[3] });
      else if (c[0] === 'unset') this.states.delete(c[1]);
      else this.states.clear();
    }
  }
}
