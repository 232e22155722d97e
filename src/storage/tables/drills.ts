/** Tables: drill runs, observers' marks, scores, corrective actions (migrations 020, 021). Times are epoch ms. */

// ---- drill evaluation (migration 021; src/drills catalogue, calendar, observers, scoring, actions) ----

/** Row shape of `drill_schedule`: the organiser's planned date for a catalogue entry. */
export interface DrillScheduleTable {
  catalogue_id: string;
  planned_date: string | null; // YYYY-MM-DD, the hospital's calendar day
  updated_at: number;
  updated_by: string;
}

/** Row shape of `drill_reminders`: one reminder sent (id = entry + due time + remind_before), never sent twice. */
export interface DrillRemindersTable {
  id: string;
  catalogue_id: string;
  due_at: number;
  remind_before: string;
  sent_at: number;
  recipients: number;
}

/** Row shape of `drill_marks`: an observer's mark of one step of a run (one per step; a new mark replaces it). */
export interface DrillMarksTable {
  id: string;
  run_id: string;
  group_id: string;
  step_key: string;
  outcome: string; // done | late | missed
  note: string | null;
  photo: Uint8Array | null;
  photo_type: string | null; // image/jpeg | image/png | image/webp
  marked_at: number;
  marked_by: string;
}

/** Row shape of `drill_scores`: the last computed score of a run (detail: the DrillScore JSON). */
export interface DrillScoresTable {
  run_id: string;
  catalogue_id: string | null;
  overall: number;
  detail: string;
  computed_at: number;
}

/** Row shape of `drill_actions`: a corrective action decided after a drill, tracked until done. */
export interface DrillActionsTable {
  id: string;
  run_id: string;
  title: string;
  owner_person_id: string;
  due: string; // YYYY-MM-DD
  state: string; // open | done
  note: string | null;
  created_at: number;
  created_by: string;
  updated_at: number;
  updated_by: string;
  done_at: number | null;
  done_by: string | null;
}

export interface DrillEvaluationTables {
  drill_schedule: DrillScheduleTable;
  drill_reminders: DrillRemindersTable;
  drill_marks: DrillMarksTable;
  drill_scores: DrillScoresTable;
  drill_actions: DrillActionsTable;
}

// ---- drill runs (migration 020; src/drills/runs.ts) ----

/** Row shape of `drill_runs`: one drill run, its scenario as started and how far its injection has gone. */
export interface DrillRunsTable {
  id: string;
  catalogue_id: string | null;
  scenario_name: string;
  scenario_yaml: string;
  time_factor: number;
  state: string; // running | paused | ended
  organiser: string;
  started_at: number;
  paused_at: number | null;
  /** Time spent paused so far (every step's instant is shifted by it). */
  paused_ms: number;
  ended_at: number | null;
  ended_by: string | null;
  /** Index (in the injected steps' order) of the next step to inject. */
  next_step: number;
  steps_total: number;
  updated_at: number;
}

export interface DrillRunTables {
  drill_runs: DrillRunsTable;
}

/** All drill tables (the runs' tables are added by intersection). */
export type DrillsTables = DrillEvaluationTables & DrillRunTables;
