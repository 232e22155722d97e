import type { Generated } from 'kysely';
import type { Chained } from './chain.js';
/** Row shapes of the core tables. Times are epoch milliseconds; JSON columns hold text. */
export interface SignalsTable {
  id: string;
  source: string;
  system: string | null;
  component: string;
  severity: string;
  status: string;
  dedup_key: string;
  summary: string;
  labels: string; // JSON
  host: string | null;
  metric_name: string | null;
  metric_value: number | null;
  at: number;
  received_at: number;
  processed: number; // 0 | 1
  incident_id: string | null;
  outcome: string | null; // opened | attached | refreshed | unmapped | recorded | superseded (src/incidents/lane.ts) …
}

export interface AlertsTable {
  id: string;
  source: string;
  dedup_key: string;
  system: string | null;
  component: string;
  severity: string;
  status: string;
  summary: string;
  first_at: number;
  last_at: number;
  incident_id: string | null;
}

export interface IncidentsTable {
  id: string;
  title: string;
  state: string; // responding | recovering | closed
  level: string;
  provisional: number;
  decided_by: string;
  next_grade_at: number | null;
  next_grade_level: string | null;
  next_grade_rule: string | null;
  scope: string;
  scope_since: number;
  scenario: string | null;
  scenario_since: number | null;
  flags: string; // JSON {flag: sinceMs}
  tallies: string; // JSON {category: count}
  levels_reached: string; // JSON {L2: ms, L1: ms}
  floors: string; // JSON [{level, rule, at}]
  manual: string | null; // JSON {level, at, actor, reason}
  anchors: string; // JSON {notified_at: ms, …}
  response: string; // JSON ResponseState (src/incidents/response.ts)
  detected_at: number;
  opened_at: number;
  recovered_at: number | null;
  closed_at: number | null;
  plan_version: string;
  updated_at: number;
  /** The drill run that opened it (src/drills); null for a real incident. */
  drill_run_id: string | null;
  /** A drill's time factor (deadlines divided by it); null for a real incident. */
  drill_time_factor: number | null;
}

export interface IncidentSystemsTable {
  incident_id: string;
  system: string;
  component: string; // '' for the system as a whole
  state: string; // down | degraded | up
  since: number;
}

export interface LevelChangesTable {
  id: string;
  incident_id: string;
  at: number;
  level: string;
  provisional: number;
  rule: string;
  actor: string | null;
  reason: string | null;
}

export interface ObligationsTable {
  id: string;
  incident_id: string | null;
  rule_id: string;
  actor_role: string;
  trigger_at: number;
  anchor_at: number | null;
  due_at: number | null;
  state: string; // pending | met | breached | waived | cancelled
  met_at: number | null;
  met_by: string | null;
  breached_at: number | null;
  fired_at: number | null;
  late_ms: number | null;
  waived_by: string | null;
  reason: string | null;
  sequence: number;
}

export interface TimelineTable {
  id: string;
  incident_id: string | null;
  at: number;
  actor: string;
  kind: string;
  message: string;
  data: string | null; // JSON
}

/** One group commit of the intake journal: `signals` is a JSON array of JournalSignal (src/intake/journal.ts). */
export interface SignalBatchesTable {
  seq: Generated<number>;
  received_at: number;
  count: number;
  signals: string;
}

/** How far the engine has admitted the journal. */
export interface SignalCursorTable {
  name: string;
  seq: number;
}

/** A signal processed ahead of the journal cursor by the processing lane (src/incidents/lane.ts). */
export interface SignalLaneTable {
  signal_id: string;
  seq: number;
  pos: number; // its place in its journal row
  source: string;
  dedup_key: string;
}

/** The engine's tables: signals and their journal, alerts, incidents, levels, obligations, timeline. */
export interface CoreTables {
  signals: SignalsTable;
  signal_batches: SignalBatchesTable;
  signal_cursor: SignalCursorTable;
  signal_lane: SignalLaneTable;
  alerts: AlertsTable;
  incidents: IncidentsTable;
  incident_systems: IncidentSystemsTable;
  level_changes: LevelChangesTable;
  obligations: ObligationsTable;
  timeline: Chained<TimelineTable>; // hash-chained, append-only (src/storage/chain.ts)
}
