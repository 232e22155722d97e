import type { FormType, NumberKind, ProcedureBand, Text } from '../plan/types.js';

export { FORM_TYPES, NUMBER_KINDS, PROCEDURE_BANDS, type FormType, type NumberKind, type ProcedureBand } from '../plan/types.js';

/** Manual mode of one business line in one department: paper work, then catching up, then proven complete. */
export const SESSION_STATES = ['active', 'recovery', 'back_entry', 'reconciled'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

/** Allowed moves; `recovery → active` when the system fails again, `reconciled → back_entry` when a late paper turns up. */
export const SESSION_MOVES: Record<SessionState, SessionState[]> = {
  active: ['recovery'],
  recovery: ['active', 'back_entry'],
  back_entry: ['reconciled'],
  reconciled: ['back_entry'],
};

export const NUMBER_STATES = ['issued', 'void', 'returned'] as const;
export type NumberState = (typeof NUMBER_STATES)[number];

export const ITEM_STATES = ['registered', 'entered', 'verified', 'void'] as const;
export type ItemState = (typeof ITEM_STATES)[number];

/** What a paper record becomes in the hospital system. */
export const RECORD_TYPES = [
  'registration',
  'admission',
  'discharge',
  'charge',
  'prescription',
  'dispense',
  'lab_order',
  'lab_result',
  'imaging_order',
  'order',
  'execution',
  'vital_signs',
  'mi_settlement',
  'other',
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];
/** Records whose service must end up charged (lab tests performed vs charged, imaging procedures). */
export const CHARGEABLE: readonly RecordType[] = ['lab_order', 'lab_result', 'imaging_order'];
export const CHARGE_STATES = ['pending', 'charged', 'exempt'] as const;
export const MI_STATUSES = ['pending', 'uploaded', 'settled', 'rejected'] as const;
export type MiStatus = (typeof MI_STATUSES)[number];
/** An MI re-upload (补传) is done once the platform has the data. */
export const MI_DONE: readonly MiStatus[] = ['uploaded', 'settled'];

/** Patient tally per department (domain-spec §2.4 seed duty B2); the first four feed the incident's grading. */
export const DOWNTIME_TALLY_CATEGORIES = ['emergency', 'inpatient', 'outpatient', 'medical_insurance', 'critically_ill'] as const;
export type DowntimeTallyCategory = (typeof DOWNTIME_TALLY_CATEGORIES)[number];

export const RECONCILIATION_CHECKS = ['forms_vs_entries', 'temp_numbers_vs_ids', 'receipts_vs_invoices', 'tests_vs_charges', 'mi_reupload'] as const;
export type ReconciliationCheckId = (typeof RECONCILIATION_CHECKS)[number];

export interface Discrepancy {
  ref: string; // serial, number or item id
  problem: string; // machine code: not_entered, not_verified, no_real_id, merge_pending, not_charged, mi_pending…
  detail?: string;
}

export interface ReconciliationCheck {
  id: ReconciliationCheckId;
  expected: number;
  matched: number;
  ok: boolean;
  discrepancies: Discrepancy[];
}

/** One paper form of the catalogue: how it prints and what record it becomes on back-entry. */
export interface FormSpec {
  type: FormType;
  code: string; // two letters in every serial: RG-000123
  title: Text;
  paper: 'A4' | 'A5';
  /** The record type its back-entry item gets; null for logs and rosters that are filed, not entered. */
  record: RecordType | null;
  /** The kind of downtime number printed on it, if any. */
  number?: NumberKind;
  /** Printed in duplicate (two parts on one sheet: patient copy and retained copy). */
  duplicate?: boolean;
}

export interface ProcedureView {
  band: ProcedureBand;
  id: string;
  text: Text;
  done: boolean;
  at: string | null;
  by: string | null;
}

/** Permissions the downtime routes declare (the server's auth hook enforces them; without it the routes are open). */
export const DOWNTIME_PERMISSIONS = {
  read: 'downtime.read', // see manual mode, numbers, forms, back-entry, the kit
  operate: 'downtime.operate', // start manual mode, issue numbers, print, register and enter records, tallies
  verify: 'downtime.verify', // verify a back-entered record (second person), sign off reconciliation
  waive: 'downtime.waive', // HQ: waive back-entry/reconciliation so the incident may close
} as const;
