import type { LevelId, Scope, SystemState, TallyCategory } from '../plan/types.js';

export const INCIDENT_STATES = ['responding', 'recovering', 'closed'] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];
export const SCENARIO_IDS = ['HARDWARE', 'SOFTWARE', 'CYBER', 'NATURAL', 'HUMAN_ERROR'] as const;

/** Who did something: a plan role (`tech_oncall`), a person, `system`, or `source:<name>`. */
export type Actor = string;

export interface ImpactChange {
  scope?: Scope;
  flags?: string[] | Record<string, boolean>; // a list sets flags; a map sets (true) or clears (false)
  tally?: Partial<Record<TallyCategory, number>>;
  scenario?: string | null;
  systems?: { system: string; component?: string; state: SystemState }[];
  /** When these facts began, as the person states it (epoch ms, not later than now); default: now. */
  since?: number;
  /** The national cyber-incident grade (plan.national_grading.grades: 特别重大…一般), independent of L1–L3; null clears it. */
  nationalGrade?: string | null;
}

export type IncidentAction =
  | { type: 'set_level'; level: LevelId; reason: string }
  | { type: 'waive'; obligation: string; reason: string }
  | { type: 'close'; reason?: string }
  | { type: string; note?: string }; // an evidence action of the plan: acknowledge, check_in, restore, report…

export interface IncidentView {
  id: string;
  title: string;
  state: IncidentState;
  level: LevelId;
  provisional: boolean;
  decidedBy: string;
  nextChange: { at: string; level: LevelId; rule: string } | null;
  systems: { system: string; component?: string; state: SystemState; since: string }[];
  scope: Scope;
  /** The scope is the plan's default (the sender and the source's mapping said nothing), until a person confirms or corrects it. */
  scopeAssumed: boolean;
  /** Since when each impact flag holds (a person may back-date it). */
  flagsSince: Record<string, string>;
  /** 1 for the first outage; a relapse after recovery (or a flapping re-opening) starts the next. */
  outage: number;
  /** A person's "restored" while alarms still fire, until the monitoring confirms or contradicts it. */
  recoveryClaim: { at: string; by: string } | null;
  /** Re-opened by a flapping alert: since when, how often. */
  flapping: { since: string; reopens: number } | null;
  flags: string[];
  /** The national cyber-incident grade a person recorded (CAC; independent of the hospital's L1–L3), or null. */
  nationalGrade: { grade: string; at: string; by: string } | null;
  tallies: Partial<Record<TallyCategory, number>>;
  scenario: string | null;
  detectedAt: string;
  openedAt: string;
  recoveredAt: string | null;
  closedAt: string | null;
  planVersion: string;
  levelHistory: { at: string; level: LevelId; provisional: boolean; rule: string; actor: string | null; reason: string | null }[];
  obligations: {
    id: string;
    ruleId: string;
    actorRole: string;
    action: { zh: string; en: string } | null;
    dueAt: string | null;
    state: string;
    metAt: string | null;
    metBy: string | null;
    breachedAt: string | null;
    lateMs: number | null;
    reason: string | null;
    sequence: number;
    /** Which outage of the incident it belongs to (a relapse re-arms the opening duties). */
    triggeredAt: string;
    /** A drill's deadline divided by its time factor: the plan's own duration (ISO 8601, e.g. PT30M); null when not scaled. */
    scaledFrom: string | null;
  }[];
  /** A drill's incident (src/drills): its run and time factor (deadlines and level clocks divided by it); null for a real one. */
  drill: { runId: string; timeFactor: number } | null;
  timeline: { id: string; at: string; actor: string; kind: string; message: string; data: unknown }[];
  alerts: { source: string; dedupKey: string; system: string | null; component: string; severity: string; status: string; summary: string; lastAt: string }[];
}
