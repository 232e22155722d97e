import { FORMS } from './catalogue.js';
import type { DowntimeContext } from './context.js';
import type { DowntimeFormsTable, DowntimeItemsTable, DowntimeNumbersTable, DowntimeSessionsTable, Trx } from '../storage/index.js';
import { CHARGEABLE, MI_DONE, type Discrepancy, type FormType, type MiStatus, type ReconciliationCheck, type RecordType } from './types.js';

export interface Progress {
  total: number; // records that count (not void)
  registered: number;
  entered: number;
  verified: number;
  void: number;
  /** Not verified yet. */
  open: number;
  lateOverdue: number;
}

export interface MergeRow {
  tempNumber: string;
  hospitalId: string;
  itemId: string;
  /** Other temporary numbers that became the same patient: one person registered twice. */
  sameAs: string[];
  merged: boolean;
}

export interface Reconciliation {
  progress: Progress;
  checks: ReconciliationCheck[];
  mergeList: MergeRow[];
}

function progressOf(items: DowntimeItemsTable[]): Progress {
  const count = (state: string) => items.filter((i) => i.state === state).length;
  const voided = count('void');
  const total = items.length - voided;
  const verified = count('verified');
  return {
    total,
    registered: count('registered'),
    entered: count('entered'),
    verified,
    void: voided,
    open: total - verified,
    lateOverdue: items.filter((i) => i.state !== 'void' && i.overdue_entry === 1).length,
  };
}

const check = (id: ReconciliationCheck['id'], expected: number, discrepancies: Discrepancy[]): ReconciliationCheck => ({
  id,
  expected,
  matched: expected - new Set(discrepancies.map((d) => d.ref)).size,
  ok: discrepancies.length === 0,
  discrepancies,
});

/**
 * The reconciliation checks of one manual-mode session (domain-spec §2.5 step 5), pure over its rows:
 * forms issued vs entered, temporary numbers vs real ids, receipts vs invoices, tests performed vs charged,
 * MI settlements still to re-upload.
 */
export function reconcile(forms: DowntimeFormsTable[], numbers: DowntimeNumbersTable[], items: DowntimeItemsTable[]): Reconciliation {
  const live = items.filter((i) => i.state !== 'void');
  const byForm = new Map(items.filter((i) => i.form_id).map((i) => [i.form_id!, i]));
  const byNumber = new Map<string, DowntimeItemsTable>();
  for (const i of live) if (i.number_id) byNumber.set(i.number_id, i);

  const formIssues: Discrepancy[] = [];
  const liveForms = forms.filter((f) => f.state !== 'void');
  for (const f of liveForms) {
    const spec = FORMS[f.form_type as FormType];
    if (!spec?.record) {
      if (f.state !== 'filed') formIssues.push({ ref: f.serial, problem: 'not_filed' });
      continue;
    }
    const item = byForm.get(f.id);
    if (!item) formIssues.push({ ref: f.serial, problem: 'not_registered' });
    else if (item.state === 'void') formIssues.push({ ref: f.serial, problem: 'record_void', detail: item.void_reason ?? undefined });
    else if (item.state !== 'verified') formIssues.push({ ref: f.serial, problem: item.state === 'registered' ? 'not_entered' : 'not_verified' });
  }
  const loose = live.filter((i) => !i.form_id);
  for (const i of loose) if (i.state !== 'verified') formIssues.push({ ref: i.id, problem: i.state === 'registered' ? 'not_entered' : 'not_verified', detail: i.record_type });

  const numberIssues = (kinds: string[], missing: string): [number, Discrepancy[]] => {
    const issued = numbers.filter((n) => kinds.includes(n.kind) && n.state === 'issued');
    const out: Discrepancy[] = [];
    for (const n of issued) {
      const item = byNumber.get(n.id);
      if (!item) out.push({ ref: n.number, problem: missing });
      else if (item.state !== 'verified' || !item.hospital_id) out.push({ ref: n.number, problem: 'not_verified' });
    }
    return [issued.length, out];
  };

  const mergeList = mergeRows(live);
  const [tempExpected, tempIssues] = numberIssues(['mrn', 'visit'], 'no_record');
  for (const m of mergeList) if (m.sameAs.length && !m.merged) tempIssues.push({ ref: m.tempNumber, problem: 'merge_pending', detail: `${m.hospitalId} = ${m.sameAs.join(', ')}` });
  const [receiptExpected, receiptIssues] = numberIssues(['receipt'], 'no_invoice');

  const chargeable = live.filter((i) => CHARGEABLE.includes(i.record_type as RecordType));
  const chargeIssues = chargeable.filter((i) => i.charge_state !== 'charged' && i.charge_state !== 'exempt').map((i) => ({ ref: i.serial ?? i.id, problem: 'not_charged' }));

  const mi = live.filter((i) => i.mi_status !== null);
  const miIssues = mi.filter((i) => !MI_DONE.includes(i.mi_status as MiStatus)).map((i) => ({ ref: i.serial ?? i.temp_number ?? i.id, problem: 'mi_pending', detail: i.mi_status! }));

  return {
    progress: progressOf(items),
    mergeList,
    checks: [
      check('forms_vs_entries', liveForms.length + loose.length, formIssues),
      check('temp_numbers_vs_ids', tempExpected, tempIssues),
      check('receipts_vs_invoices', receiptExpected, receiptIssues),
      check('tests_vs_charges', chargeable.length, chargeIssues),
      check('mi_reupload', mi.length, miIssues),
    ],
  };
}

/** Temporary number → real patient id, with the numbers that turned out to be the same person. */
function mergeRows(items: DowntimeItemsTable[]): MergeRow[] {
  const mapped = items.filter((i) => i.temp_number && i.hospital_id && ['registration', 'admission'].includes(i.record_type));
  const byReal = new Map<string, DowntimeItemsTable[]>();
  for (const i of mapped) byReal.set(i.hospital_id!, [...(byReal.get(i.hospital_id!) ?? []), i]);
  return mapped.map((i) => ({
    tempNumber: i.temp_number!,
    hospitalId: i.hospital_id!,
    itemId: i.id,
    sameAs: byReal
      .get(i.hospital_id!)!
      .filter((o) => o.id !== i.id)
      .map((o) => o.temp_number!),
    merged: i.merged_at !== null,
  }));
}

export async function reconciliationOf(trx: Trx, _ctx: DowntimeContext, s: DowntimeSessionsTable): Promise<Reconciliation> {
  const [forms, numbers, items] = await Promise.all([
    trx.selectFrom('downtime_forms').selectAll().where('session_id', '=', s.id).execute(),
    trx.selectFrom('downtime_numbers').selectAll().where('session_id', '=', s.id).execute(),
    trx.selectFrom('downtime_items').selectAll().where('session_id', '=', s.id).execute(),
  ]);
  return reconcile(forms, numbers, items);
}
