import { parseIsoDuration } from '../shared/time.js';
import { levelRank, type LevelId, type Obligation, type Plan } from '../plan/types.js';

/** What the deadline arithmetic needs to know about an incident. */
export interface AnchorFacts {
  detectedAt: number;
  recoveredAt: number | null;
  closedAt: number | null;
  recorded: Record<string, number>; // anchors recorded by actions (notified_at, onsite_at…)
  dueOf: (obligationId: string) => number | null | undefined;
}

export const obligationsTriggeredBy = (plan: Plan, trigger: string): Obligation[] => plan.obligations.filter((o) => o.trigger === trigger);

/** `level.reached:L2` also fires when the incident goes straight to L1. */
export function levelTriggersReached(plan: Plan, level: LevelId, alreadyReached: string[]): LevelId[] {
  return plan.levels.map((l) => l.id).filter((id) => levelRank(id) >= levelRank(level) && !alreadyReached.includes(id) && plan.levels.find((l) => l.id === id)?.default !== true);
}

/**
 * The instant an obligation's clock starts. An anchor recorded by an action counts from when it happened —
 * but no later than when it was due: if nobody acknowledges, O3.2/O3.3 run from O3.1's deadline.
 */
export function anchorInstant(plan: Plan, obligation: Obligation, triggerAt: number, facts: AnchorFacts): number {
  const anchorId = obligation.anchor;
  if (!anchorId || anchorId === 'level_changed_at') return triggerAt;
  if (anchorId === 'detected_at') return facts.detectedAt;
  if (anchorId === 'recovered_at') return facts.recoveredAt ?? triggerAt;
  if (anchorId === 'closed_at') return facts.closedAt ?? triggerAt;
  const anchor = plan.anchors.find((a) => a.id === anchorId);
  const recorded = facts.recorded[anchorId];
  const fallback = anchor?.until_then_due_of ? facts.dueOf(anchor.until_then_due_of) : undefined;
  if (recorded !== undefined && fallback != null) return Math.min(recorded, fallback);
  if (recorded !== undefined) return recorded;
  if (fallback != null) return fallback;
  return triggerAt;
}

/** Deadline of one instance (sequence 0 is the first; recurring duties repeat every `recurring`). */
export function dueInstant(plan: Plan, obligation: Obligation, triggerAt: number, facts: AnchorFacts, sequence = 0): number | null {
  const within = obligation.within ? parseIsoDuration(obligation.within) : undefined;
  const every = obligation.recurring ? parseIsoDuration(obligation.recurring) : undefined;
  const first = within ?? every;
  if (first === undefined) return null;
  return anchorInstant(plan, obligation, triggerAt, facts) + first + sequence * (every ?? 0);
}

export function recurringEvery(obligation: Obligation): number | undefined {
  return obligation.recurring ? parseIsoDuration(obligation.recurring) : undefined;
}

/**
 * A drill's deadline: the plan's duration from the anchor divided by the drill's time factor (≥ 1; 1 leaves it
 * as the plan says). A whole millisecond, never earlier than the anchor.
 */
export function scaledDue(due: number | null, anchor: number, timeFactor: number): number | null {
  if (due === null || timeFactor === 1) return due;
  return anchor + Math.round((due - anchor) / timeFactor);
}

/** The plan's own duration of a scaled obligation (ISO 8601, as the plan writes it), for screens that show it as scaled. */
export function planDuration(obligation: Obligation): string | null {
  return obligation.within ?? obligation.recurring ?? null;
}
