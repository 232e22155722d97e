import type { Plan } from '../../plan/types.js';
import { parseIntake, type IntakeFormat, type IntakeKind } from '../format.js';
import { asAcknowledgement, isAcknowledgement } from '../acknowledgements.js';
import { formatByKind } from '../formats/index.js';
import { alertKey, journalSignal, type JournalSignal } from '../../signals/journal-signal.js';
import { mapSignal } from '../mapping.js';
import { identityOf } from '../../signals/normalise.js';
import type { Source } from '../sources.js';
import { SettledStates, signalState, type SettledChange, type SettledEntry } from './settled-states.js';
import type { NormalisedSignal } from '../../signals/types.js';
import type { RowSummary } from '../../signals/pending-rows.js';

/** What the journal is asked to store: signals read on the main thread, or a sender's body still to be read. */
export type AppendRequest = { signals: NormalisedSignal[] } | { kind: IntakeKind; source: Source; body: string };

/**
 * What one append stored. A store that hands its rows over to the engine in memory gives the row's `entries`;
 * the file journal does not: sending them back across threads would cost the main thread more during a storm
 * than the engine reading them from the file.
 */
export interface Appended {
  seq: number;
  entries?: JournalSignal[];
  /** Instead of the entries, what the processing lane needs to know of the row (src/signals/pending-rows.ts). */
  summary?: RowSummary;
  accepted: number;
  written: number;
  repeats: number;
}

export type AppendOutcome = Appended;

/** The plan as intake mapping needs it (all the journal's reader thread is given). */
export type MappingPlan = Pick<Plan, 'systems'>;

/** Reads a sender's body for a source: its format's signals, mapped to the plan. Throws ValidationError naming the field. */
export function sourceSignals(plan: MappingPlan, source: Source, format: IntakeFormat<unknown>, body: unknown, now: number): NormalisedSignal[] {
  const ctx = { sourceName: source.name, now, severityMap: source.severityMap };
  return parseIntake(format, body, ctx).map((s) => mapSignal(plan, source, s));
}

const MAX_REMEMBERED = 200_000;

/**
 * Turns an append request into the journal entries to write, wherever the journal is prepared (the main
 * thread for a table journal, the reader thread for the file journal): reads a sender's body, and leaves out
 * a signal that repeats exactly the state the engine has settled for its alert on an open incident (a
 * sender's re-send: same status, colour, times, labels…): that state is stored already.
 * Requests must be prepared in the order they are written.
 */
export class JournalEntries {
  /** The last state of each alert whose write the engine has settled on an open incident. */
  private readonly settledStates: SettledStates;
  /**
   * The last entry written (or being written) of each alert, until the engine settles it: its id, and its
   * state when the alert was being re-sent (for new alerts it is not needed, and a storm need not pay for it).
   */
  private readonly unsettled = new Map<string, { id: string; state?: string }>();

  /** `report` hears every change of the settled states, in order (the file journal's main thread follows them). */
  constructor(
    private readonly plan: MappingPlan,
    report?: (change: SettledChange) => void,
  ) {
    this.settledStates = new SettledStates(report);
  }

  /** The entries to write for `request`; throws ValidationError for a body its format refuses. */
  prepare(request: AppendRequest, receivedAt: number): { entries: JournalSignal[]; accepted: number } {
    let signals = 'signals' in request ? request.signals : sourceSignals(this.plan, request.source, formatByKind(request.kind), request.body, receivedAt);
    if (signals.some(isAcknowledgement)) signals = signals.map(asAcknowledgement); // one path: journalled like any signal
    const entries: JournalSignal[] = [];
    for (const s of signals) {
      const key = alertKey(s.source, identityOf(s));
      if (this.settledStates.repeats(key, s, receivedAt)) continue;
      const entry = journalSignal(s, receivedAt);
      const state = this.settledStates.has(key) || this.unsettled.has(key) ? signalState(s, receivedAt) : undefined;
      entries.push(entry);
      // before the request's next signal: it may be of the same alert
      this.settledStates.delete(key);
      if (this.unsettled.size >= MAX_REMEMBERED) this.unsettled.clear(); // their repeats are then written once more
      this.unsettled.set(key, { id: entry.id, state });
    }
    return { entries, accepted: signals.length };
  }

  /** The engine has processed these entries and their states stand on open incidents. */
  settled(entries: readonly SettledEntry[]): void {
    if (this.settledStates.size + entries.length > MAX_REMEMBERED) this.settledStates.clear();
    for (const [key, id, state, at] of entries) {
      const last = this.unsettled.get(key);
      if (!last || (last.id !== id && last.state !== state)) continue; // a later, different state is on its way: that one counts
      this.unsettled.delete(key);
      this.settledStates.set(key, state, at);
    }
  }

  /** Every signal is written again until its state is settled anew (an incident was closed). */
  forget(): void {
    this.settledStates.clear();
  }
}
