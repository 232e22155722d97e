import { NotFoundError } from '../shared/errors.js';
import { businessLine, departmentName, FORMS } from './catalogue.js';
import { iso, loadIncident, type DowntimeContext } from './context.js';
import { proposals } from './lines.js';
import { KIT_SERIAL } from './forms.js';
import { listBlocks } from './numbers.js';
import { reconcile, type Progress } from './reconcile.js';
import { checklistOf, openForClose, sessionRow } from './sessions.js';
import type { DowntimeFormsTable, DowntimeItemsTable, DowntimeNumbersTable, DowntimeSessionsTable, Trx } from '../storage/index.js';
import { latestTallies } from './tally.js';
import type { FormType, ItemState, MiStatus, NumberKind, NumberState, RecordType, SessionState } from './types.js';

// The tables keep these columns as text; the views name the domain's value sets (the web app reads them: src/http/contract.ts).

export const numberView = (n: DowntimeNumbersTable) => ({
  id: n.id,
  number: n.number,
  kind: n.kind as NumberKind,
  state: n.state as NumberState,
  channel: n.channel,
  blockId: n.block_id,
  issuedAt: iso(n.issued_at),
  issuedBy: n.issued_by,
  incidentId: n.incident_id,
  sessionId: n.session_id,
  department: n.department,
  stateAt: iso(n.state_at),
  stateBy: n.state_by,
  reason: n.state_reason,
  retainUntil: iso(n.retain_until),
});

export const formView = (f: DowntimeFormsTable, item?: DowntimeItemsTable) => ({
  id: f.id,
  serial: f.serial,
  type: f.form_type as FormType,
  record: FORMS[f.form_type as FormType]?.record ?? null,
  batch: f.batch_id,
  kit: f.kit_id,
  incidentId: f.incident_id,
  sessionId: f.session_id,
  department: f.department,
  businessLine: f.business_line,
  number: f.number,
  state: f.state,
  paper: f.paper,
  printedAt: iso(f.printed_at),
  printedBy: f.printed_by,
  stateAt: iso(f.state_at),
  stateBy: f.state_by,
  reason: f.state_reason,
  itemId: item?.id ?? null,
  itemState: (item?.state ?? null) as ItemState | null,
  retainUntil: iso(f.retain_until),
});

export const itemView = (i: DowntimeItemsTable) => ({
  id: i.id,
  incidentId: i.incident_id,
  sessionId: i.session_id,
  department: i.department,
  businessLine: i.business_line,
  recordType: i.record_type as RecordType,
  serial: i.serial,
  tempNumber: i.temp_number,
  hospitalId: i.hospital_id,
  state: i.state as ItemState,
  eventAt: iso(i.event_at),
  registeredAt: iso(i.registered_at),
  registeredBy: i.registered_by,
  enteredAt: iso(i.entered_at),
  enteredBy: i.entered_by,
  verifiedAt: iso(i.verified_at),
  verifiedBy: i.verified_by,
  lateEntry: i.late_entry === 1,
  overdueEntry: i.overdue_entry === 1,
  chargeState: i.charge_state,
  chargeRef: i.charge_ref,
  miStatus: i.mi_status as MiStatus | null,
  miAt: iso(i.mi_at),
  mergedAt: iso(i.merged_at),
  mergedBy: i.merged_by,
  note: i.note,
  voidReason: i.void_reason,
  retainUntil: iso(i.retain_until),
});

const sessionBase = (s: DowntimeSessionsTable) => ({
  id: s.id,
  incidentId: s.incident_id,
  businessLine: s.business_line,
  department: s.department,
  state: s.state as SessionState,
  startedAt: iso(s.started_at),
  startedBy: s.started_by,
  stateAt: iso(s.state_at),
  stateBy: s.state_by,
  waivedAt: iso(s.waived_at),
  waivedBy: s.waived_by,
  waiverReason: s.waiver_reason,
  retentionClass: s.retention_class,
  retainUntil: iso(s.retain_until),
});

const sum = (list: Progress[]): Progress =>
  list.reduce(
    (a, p) => ({
      total: a.total + p.total,
      registered: a.registered + p.registered,
      entered: a.entered + p.entered,
      verified: a.verified + p.verified,
      void: a.void + p.void,
      open: a.open + p.open,
      lateOverdue: a.lateOverdue + p.lateOverdue,
    }),
    { total: 0, registered: 0, entered: 0, verified: 0, void: 0, open: 0, lateOverdue: 0 },
  );

async function rowsOf(trx: Trx, column: 'incident_id' | 'session_id', id: string) {
  const [forms, numbers, items] = await Promise.all([
    trx.selectFrom('downtime_forms').selectAll().where(column, '=', id).orderBy('serial').execute(),
    trx.selectFrom('downtime_numbers').selectAll().where(column, '=', id).orderBy('number').execute(),
    trx.selectFrom('downtime_items').selectAll().where(column, '=', id).orderBy('registered_at').orderBy('id').execute(),
  ]);
  return { forms, numbers, items };
}

/** Manual mode of one incident: what the plan proposes, every session with its progress, per-department totals, tallies, the closure gate. */
export async function incidentOverview(ctx: DowntimeContext, incidentId: string) {
  return ctx.db.transaction().execute(async (trx) => {
    const incident = await loadIncident(trx, incidentId);
    const sessions = await trx.selectFrom('downtime_sessions').selectAll().where('incident_id', '=', incidentId).orderBy('started_at').execute();
    const { forms, numbers, items } = await rowsOf(trx, 'incident_id', incidentId);
    const tallyRows = await trx.selectFrom('downtime_tallies').selectAll().where('incident_id', '=', incidentId).execute();
    const tallies = latestTallies(tallyRows);
    const views = sessions.map((s) => {
      const rec = reconcile(
        forms.filter((f) => f.session_id === s.id),
        numbers.filter((n) => n.session_id === s.id),
        items.filter((i) => i.session_id === s.id),
      );
      return { ...sessionBase(s), progress: rec.progress, checks: rec.checks.map(({ id, expected, matched, ok }) => ({ id, expected, matched, ok })) };
    });
    const departments = [...new Set([...sessions.map((s) => s.department), ...tallies.keys()])].map((department) => {
      const mine = views.filter((v) => v.department === department);
      const t = tallies.get(department);
      return {
        department,
        name: departmentName(ctx.plan, department),
        sessions: mine.map((v) => v.id),
        progress: sum(mine.map((v) => v.progress)),
        checksOpen: mine.reduce((n, v) => n + v.checks.filter((c) => !c.ok).length, 0),
        numbersIssued: numbers.filter((n) => n.department === department).length,
        formsPrinted: forms.filter((f) => f.department === department).length,
        tally: t ? { ...t, at: iso(t.at ?? null) } : null,
      };
    });
    return {
      incident: { id: incident.id, title: incident.title, state: incident.state, systems: incident.systems },
      proposals: incident.state === 'closed' ? [] : proposals(ctx.plan, incident.systems, sessions),
      sessions: views,
      departments,
      progress: sum(views.map((v) => v.progress)),
      openForClose: incident.state === 'closed' ? [] : await openForClose(trx, ctx, incidentId),
    };
  });
}

/** Everything a department needs on one screen: procedure checklist, numbers, forms, back-entry queue, reconciliation. */
export async function sessionDetail(ctx: DowntimeContext, sessionId: string) {
  const detail = await ctx.db.transaction().execute(async (trx) => {
    const s = await sessionRow(trx, sessionId);
    const incident = await loadIncident(trx, s.incident_id);
    const { forms, numbers, items } = await rowsOf(trx, 'session_id', s.id);
    const rec = reconcile(forms, numbers, items);
    const byForm = new Map(items.filter((i) => i.form_id).map((i) => [i.form_id!, i]));
    const events = await trx.selectFrom('downtime_events').selectAll().where('session_id', '=', s.id).orderBy('id', 'desc').limit(200).execute();
    return {
      ...sessionBase(s),
      incident: { id: incident.id, title: incident.title, state: incident.state, systems: incident.systems },
      line: businessLine(ctx.plan, s.business_line) ?? null,
      departmentName: departmentName(ctx.plan, s.department),
      checklist: await checklistOf(trx, ctx, s),
      numbers: numbers.map(numberView),
      forms: forms.map((f) => formView(f, byForm.get(f.id))),
      items: items.map(itemView),
      progress: rec.progress,
      checks: rec.checks,
      mergeList: rec.mergeList,
      events: events.map((e) => ({ id: e.id, at: iso(e.at), actor: e.actor, kind: e.kind, subject: e.subject, data: e.data ? JSON.parse(e.data) : null })),
    };
  });
  const line = detail.line;
  const blocks = (await listBlocks(ctx, {})).filter((b) => (!b.department || b.department === detail.department) && !b.retired && line?.numbers?.includes(b.kind as never));
  return { ...detail, blocks };
}

/** Looks a serial up without registering anything (a kit serial not yet scanned shows as `unregistered`). */
export async function lookupSerial(ctx: DowntimeContext, serial: string) {
  const s = serial.trim().toUpperCase();
  const form = await ctx.db.selectFrom('downtime_forms').selectAll().where('serial', '=', s).executeTakeFirst();
  if (!form) {
    const m = KIT_SERIAL.exec(s);
    const kit = m ? await ctx.db.selectFrom('downtime_kits').selectAll().where('code', '=', m[2]).executeTakeFirst() : undefined;
    if (!kit) throw new NotFoundError(`form serial ${s}`, 'FORM_NOT_FOUND');
    return { serial: s, unregistered: true, kit: kit.code, form: null, item: null };
  }
  const item = await ctx.db.selectFrom('downtime_items').selectAll().where('form_id', '=', form.id).executeTakeFirst();
  return { serial: s, unregistered: false, kit: null, form: formView(form, item), item: item ? itemView(item) : null };
}
