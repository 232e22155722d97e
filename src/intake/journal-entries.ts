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
 * What one append stored. A store that hands its rows over to the engine in memory gives the row's signals
 * (`json`, the JournalSignal array as written, and/or `entries`); the file journal does not: sending them back
 * across threads would cost the main thread more during a storm than the engine reading them from the file.
 */
export interface Appended {
  seq: number;
  json?: string;
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

export function settledEntry(e: JournalSignal): SettledEntry {
  return [alertKey(e.source, e.dedup_key), e.id, stateText(e.status, e.severity, e.summary, e.system, e.component, e.host, e.metric_name, e.metric_value, e.labels), e.at];
}

/** Does the signal say exactly what the settled entry says (arrival time aside)? Labels compare in order. */
function repeats(settled: { state: string; at: number }, s: NormalisedSignal, receivedAt: number): boolean {
  // a signal without its own time is seen at arrival: written again once a minute, to keep the alert's last-seen time
  if (s.at ? settled.at !== Date.parse(s.at) : receivedAt - settled.at >= UNTIMED_REPEAT_MS) return false;
  return settled.state === stateText(s.status, s.severity, s.summary ?? '', s.system ?? null, s.component ?? '', s.host ?? null,
    s.metric?.name ?? null, s.metric?.value ?? null, s.labels ?? {});
}

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
  /** The id of the last entry written (or being written) of each alert, until the engine settles it. */
  private readonly unsettled = new Map<string, string>();

  constructor(private readonly plan: MappingPlan) {}

  /** The entries to write for `request`; throws ValidationError for a body its format refuses. */
  prepare(request: AppendRequest, receivedAt: number): { entries: JournalSignal[]; accepted: number } | typeof ACKNOWLEDGEMENTS {
    let signals: NormalisedSignal[];
    if ('signals' in request) signals = request.signals;
    else {
      signals = sourceSignals(this.plan, request.source, formatByKind(request.kind), request.body, receivedAt);
      if (signals.some((s) => s.labels?.[ACK_LABEL] === 'true')) return ACKNOWLEDGEMENTS;
    }
    const entries: JournalSignal[] = [];
    for (const s of signals) {
      const key = alertKey(s.source, identityOf(s));
      const settled = this.settledStates.size ? this.settledStates.get(key) : undefined;
      if (settled && repeats(settled, s, receivedAt)) continue;
      const entry = journalSignal(s, receivedAt);
      entries.push(entry);
      this.settledStates.delete(key); // a new state: not settled until the engine has processed it
      this.unsettled.set(key, entry.id);
    }
    if (this.unsettled.size > MAX_REMEMBERED) this.unsettled.clear(); // its repeats are then written once more
    return { entries, accepted: signals.length };
  }

  /** The engine has processed these entries and their states stand on open incidents. */
  settled(entries: readonly SettledEntry[]): void {
    if (this.settledStates.size + entries.length > MAX_REMEMBERED) this.settledStates.clear();
    for (const [key, id, state, at] of entries) {
      if (this.unsettled.get(key) !== id) continue; // a later state of the alert is on its way: that one counts
      this.unsettled.delete(key);
      this.settledStates.set(key, { state, at });
    }
  }

  /** Every signal is written again until its state is settled anew (an incident was closed). */
  forget(): void {
    this.settledStates.clear();
  }
}
