import type { Plan } from '../plan/types.js';
import { ACK_LABEL, parseIntake, type IntakeFormat, type IntakeKind } from './format.js';
import { formatByKind } from './formats/index.js';
import { alertKey, journalSignal, type JournalSignal } from './journal.js';
import { mapSignal } from './mapping.js';
import { identityOf } from './normalise.js';
import type { Source } from './sources.js';
import type { NormalisedSignal } from './types.js';

/** What the journal is asked to store: signals read on the main thread, or a sender's body still to be read. */
export type AppendRequest =
  | { signals: NormalisedSignal[] }
  | { kind: IntakeKind; source: Source; body: string };

/**
 * What one append stored. A store that hands its rows over to the engine in memory gives the row's `entries`;
 * the file journal does not: sending them back across threads would cost the main thread more during a storm
 * than the engine reading them from the file.
 */
export interface Appended {
  seq: number;
  entries?: JournalSignal[];
  accepted: number;
  written: number;
  repeats: number;
}

/** A body holding acknowledgements is read on the main thread: storing one may need to look up its alert. */
export const ACKNOWLEDGEMENTS = { acknowledgements: true } as const;
export type AppendOutcome = Appended | typeof ACKNOWLEDGEMENTS;

/** The plan as intake mapping needs it (all the journal's reader thread is given). */
export type MappingPlan = Pick<Plan, 'systems'>;

/** Reads a sender's body for a source: its format's signals, mapped to the plan. Throws ValidationError naming the field. */
export function sourceSignals(plan: MappingPlan, source: Source, format: IntakeFormat<unknown>, body: unknown, now: number): NormalisedSignal[] {
  const ctx = { sourceName: source.name, now, severityMap: source.severityMap };
  return parseIntake(format, body, ctx).map((s) => mapSignal(plan, source, s));
}

const MAX_REMEMBERED = 200_000;
const UNTIMED_REPEAT_MS = 60_000;

/**
 * What a signal says about its alert, its time aside: two signals with the same state and time say the same.
 * Kept as one string per alert (not the entry itself): holding every written entry until the engine settles
 * it would cost a storm more in garbage collection than reading the signals does.
 */
function stateText(status: string, severity: string, summary: string, system: string | null, component: string, host: string | null,
  metricName: string | null, metricValue: number | null, labels: Record<string, string>): string {
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

function signalState(s: NormalisedSignal, receivedAt: number): string {
  const text = stateText(s.status, s.severity, s.summary ?? '', s.system ?? null, s.component ?? '', s.host ?? null, s.metric?.name ?? null, s.metric?.value ?? null, s.labels ?? {});
  return timedState(text, senderTime(s, receivedAt));
}

/** Does the signal say exactly what the settled entry says (arrival time aside)? Labels compare in order. */
function repeats(settled: { state: string; at: number }, s: NormalisedSignal, receivedAt: number): boolean {
  // a signal without its own time is seen at arrival: written again once a minute, to keep the alert's last-seen time
  if (senderTime(s, receivedAt) === undefined && receivedAt - settled.at >= UNTIMED_REPEAT_MS) return false;
  return settled.state === signalState(s, receivedAt);
}

/** An entry written and not yet settled: its id, and its state when the alert was being re-sent. */
export type WrittenEntry = [key: string, id: string, state?: string];

/**
 * Turns an append request into the journal entries to write, wherever the journal is prepared (the main
 * thread for a table journal, the reader thread for the file journal): reads a sender's body, and leaves out
 * a signal that repeats exactly the state the engine has settled for its alert on an open incident (a
 * sender's re-send: same status, colour, times, labels…): that state is stored already.
 * Requests must be prepared in the order they are written.
 */
export class JournalEntries {
  /** The last state of each alert whose write the engine has settled on an open incident. */
  private readonly settledStates = new Map<string, { state: string; at: number }>();
  /**
   * The last entry written (or being written) of each alert, until the engine settles it: its id, and its
   * state when the alert was being re-sent (for new alerts it is not needed, and a storm need not pay for it).
   */
  private readonly unsettled = new Map<string, { id: string; state?: string }>();

  constructor(private readonly plan: MappingPlan) {}

  /** The entries to write for `request`; throws ValidationError for a body its format refuses. */
  prepare(request: AppendRequest, receivedAt: number): { entries: JournalSignal[]; written: WrittenEntry[]; accepted: number } | typeof ACKNOWLEDGEMENTS {
    let signals: NormalisedSignal[];
    if ('signals' in request) signals = request.signals;
    else {
      signals = sourceSignals(this.plan, request.source, formatByKind(request.kind), request.body, receivedAt);
      if (signals.some((s) => s.labels?.[ACK_LABEL] === 'true')) return ACKNOWLEDGEMENTS;
    }
    const entries: JournalSignal[] = [];
    const written: WrittenEntry[] = [];
    for (const s of signals) {
      const key = alertKey(s.source, identityOf(s));
      const settled = this.settledStates.size ? this.settledStates.get(key) : undefined;
      if (settled && repeats(settled, s, receivedAt)) continue;
      const entry = journalSignal(s, receivedAt);
      const state = settled || this.unsettled.has(key) ? signalState(s, receivedAt) : undefined;
      entries.push(entry);
      written.push([key, entry.id, state]);
      this.record(key, entry.id, state); // before the request's next signal: it may be of the same alert
    }
    return { entries, written, accepted: signals.length };
  }

  private record(key: string, id: string, state: string | undefined): void {
    this.settledStates.delete(key);
    if (this.unsettled.size >= MAX_REMEMBERED) this.unsettled.clear(); // their repeats are then written once more
    this.unsettled.set(key, { id, state });
  }

  /** Do these signals all repeat settled states, so that nothing of them would be written? Changes nothing. */
  allRepeat(signals: readonly NormalisedSignal[], receivedAt: number): boolean {
    if (this.settledStates.size === 0 || signals.length === 0) return false;
    return signals.every((s) => {
      const settled = this.settledStates.get(alertKey(s.source, identityOf(s)));
      return settled !== undefined && repeats(settled, s, receivedAt);
    });
  }

  /** New states are written (here, or by another copy of this bookkeeping): not settled until processed. */
  wrote(written: readonly WrittenEntry[]): void {
    for (const [key, id, state] of written) this.record(key, id, state);
  }

  /** The engine has processed these entries and their states stand on open incidents. */
  settled(entries: readonly SettledEntry[]): void {
    if (this.settledStates.size + entries.length > MAX_REMEMBERED) this.settledStates.clear();
    for (const [key, id, state, at] of entries) {
      const last = this.unsettled.get(key);
      if (!last || (last.id !== id && last.state !== state)) continue; // a later, different state is on its way: that one counts
      this.unsettled.delete(key);
      this.settledStates.set(key, { state, at });
    }
  }

  /** Every signal is written again until its state is settled anew (an incident was closed). */
  forget(): void {
    this.settledStates.clear();
  }
}
