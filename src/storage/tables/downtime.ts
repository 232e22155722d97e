import type { Chained } from './chain.js';
/**
 * Row shapes of the downtime tables (migration 003_downtime). Times are epoch milliseconds; JSON columns
 * hold text. Every table is append-or-update only: the database refuses DELETE (retention, domain-spec §3.2).
 */
export interface DowntimeSessionsTable {
  id: string;
  incident_id: string;
  business_line: string;
  department: string;
  state: string; // active | recovery | back_entry | reconciled
  started_at: number;
  started_by: string;
  state_at: number;
  state_by: string;
  waived_at: number | null;
  waived_by: string | null;
  waiver_reason: string | null;
  retention_class: string; // outpatient | inpatient
  retain_until: number;
  updated_at: number;
}

export interface DowntimeNumberBlocksTable {
  id: string;
  kind: string; // mrn | visit | receipt
  prefix: string;
  width: number;
  range_start: number;
  range_end: number;
  next_seq: number; // the next sequence number to issue; > range_end when exhausted
  department: string | null;
  window_label: string | null;
  note: string | null;
  created_at: number;
  created_by: string;
  retired_at: number | null;
}

export interface DowntimeNumbersTable {
  id: string;
  block_id: string;
  kind: string;
  seq: number;
  number: string; // unique: prefix + zero-padded seq
  state: string; // issued | void | returned
  channel: string; // screen | sheet
  issued_at: number;
  issued_by: string;
  incident_id: string | null;
  session_id: string | null;
  department: string | null;
  state_at: number | null;
  state_by: string | null;
  state_reason: string | null;
  retain_until: number;
}

export interface DowntimeKitsTable {
  id: string;
  code: string; // K0007: part of every serial the kit carries
  channel: string; // pwa | export
  copies_per_form: number;
  generated_at: number;
  generated_by: string;
}

export interface DowntimeFormsTable {
  id: string;
  serial: string; // unique: RG-000123 (printed in Lifeline) or RG-K0007-03 (from an offline kit)
  form_type: string;
  batch_id: string;
  kit_id: string | null;
  incident_id: string | null;
  session_id: string | null;
  department: string | null;
  business_line: string | null;
  number_id: string | null;
  number: string | null;
  state: string; // printed | void | filed
  printed_at: number;
  printed_by: string;
  paper: string; // A4 | A5
  state_at: number | null;
  state_by: string | null;
  state_reason: string | null;
  retain_until: number;
}

export interface DowntimeItemsTable {
  id: string;
  incident_id: string;
  session_id: string;
  department: string;
  business_line: string;
  record_type: string;
  form_id: string | null;
  serial: string | null;
  temp_number: string | null;
  number_id: string | null;
  event_at: number | null;
  registered_at: number;
  registered_by: string;
  hospital_id: string | null;
  entered_at: number | null;
  entered_by: string | null;
  verified_at: number | null;
  verified_by: string | null;
  state: string; // registered | entered | verified | void
  late_entry: number; // 1: a back-entered (补记) record
  overdue_entry: number; // 1: entered later than the plan's late-entry window after the event
  charge_state: string | null; // pending | charged | exempt (tests and procedures)
  charge_ref: string | null;
  mi_status: string | null; // pending | uploaded | settled | rejected
  mi_at: number | null;
  merged_at: number | null;
  merged_by: string | null;
  note: string | null;
  void_reason: string | null;
  retain_until: number;
  updated_at: number;
}

export interface DowntimeChecklistMarksTable {
  id: string;
  session_id: string;
  step_id: string;
  band: string;
  done: number;
  at: number;
  by: string;
  note: string | null;
}

export interface DowntimeTalliesTable {
  id: string;
  incident_id: string;
  department: string;
  category: string;
  count: number;
  at: number;
  by: string;
}

export interface DowntimeReconciliationsTable {
  id: string;
  incident_id: string;
  session_id: string;
  at: number;
  by: string;
  checks: string; // JSON snapshot of every check at sign-off
}

export interface DowntimeEventsTable {
  id: string;
  at: number;
  actor: string;
  kind: string;
  incident_id: string | null;
  session_id: string | null;
  subject: string | null;
  data: string | null;
}

export interface DowntimeCountersTable {
  name: string;
  value: number;
}

/** The downtime tables, as the one typed database (index.ts) lists them. */
export interface DowntimeTables {
  downtime_sessions: DowntimeSessionsTable;
  downtime_number_blocks: DowntimeNumberBlocksTable;
  downtime_numbers: DowntimeNumbersTable;
  downtime_kits: DowntimeKitsTable;
  downtime_forms: DowntimeFormsTable;
  downtime_items: DowntimeItemsTable;
  downtime_checklist_marks: DowntimeChecklistMarksTable;
  downtime_tallies: DowntimeTalliesTable;
  downtime_reconciliations: DowntimeReconciliationsTable;
  downtime_events: Chained<DowntimeEventsTable>; // hash-chained, append-only (src/storage/chain.ts)
  downtime_counters: DowntimeCountersTable;
}
