import type { LevelId, Scope, SystemState, TallyCategory } from '../plan/types.js';

/** What is known about an incident, each fact with the instant it last changed (for durations). */
export interface IncidentFacts {
  systems: { system: string; state: SystemState; since: number }[];
  scope: Scope;
  scopeSince: number;
  flags: Record<string, number>; // flag → set at
  tallies: Partial<Record<TallyCategory, number>>;
  scenario: string | null;
  scenarioSince: number | null;
  /** Levels imposed by escalation rules (E3to2 …): the grade never drops below them. */
  floors: { level: LevelId; rule: string; at: number; provisional?: boolean }[];
  /** A decision of the HQ; criteria and floors older than it no longer count. */
  manual: { level: LevelId; at: number; actor: string; reason: string } | null;
}

export interface Grade {
  level: LevelId;
  provisional: boolean;
  /** The criterion, escalation, `manual` or default criterion that decided the level. */
  rule: string;
  /** The next instant the grade would change with no new facts, and to what. */
  next: { at: number; level: LevelId; rule: string } | null;
  armed: { criterion: string; level: LevelId; since: number; firesAt: number }[];
  fired: { criterion: string; level: LevelId; at: number }[];
}
