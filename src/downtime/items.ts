import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { miReuploadsDone, recordLinkedEvidence } from './evidence-links.js';
import { parseIsoDuration } from '../shared/time.js';
import { businessLine, recordTypeFor, sessionPlace } from './catalogue.js';
import { inTransaction, openIncident, record, retainUntil, type DowntimeContext } from './context.js';
import { formBySerial } from './forms.js';
import { sessionRow } from './sessions.js';
import type { DowntimeItemsTable, DowntimeSessionsTable, Trx } from '../storage/index.js';
import { CHARGEABLE, type FormType, type MiStatus, type RecordType } from './types.js';

const SIX_HOURS = 'PT6H';

export interface RegisterInput {
  /** From the QR code or typed from the form. */
  serial?: string;
  sessionId?: string;
  recordType?: RecordType;
  tempNumber?: string;
  /** When it happened on paper (the original event time). */
  eventAt?: number;
  /** The patient is insured: the settlement must be re-uploaded (补传). */
  mi?: boolean;
  note?: string;
}

/**
 * Registers a paper record for back-entry (补录): by its form serial (QR or typed), or by hand with its
 * session and record type. A form is registered once.
 */
export async function registerItem(ctx: DowntimeContext, input: RegisterInput, actor: string): Promise<DowntimeItemsTable> {
  if (!input.serial && (!input.sessionId || !input.recordType)) {
    throw new ValidationError('give the form serial, or the session and the record type', [{ path: 'serial', message: 'required without sessionId and recordType' }]);
  }
  return inTransaction(ctx, async (trx, changed) => {
    const form = input.serial ? await formBySerial(trx, ctx, input.serial, actor) : undefined;
    if (form?.state === 'void') throw new ConflictError(`${form.serial} was voided: ${form.state_reason ?? ''}`.trim(), 'FORM_VOID').with({ serial: form.serial });
    if (form) {
      const existing = await trx.selectFrom('downtime_items').select(['id', 'state']).where('form_id', '=', form.id).executeTakeFirst();
      if (existing)
        throw new ConflictError(`${form.serial} is already registered (record ${existing.id}, ${existing.state})`, 'ALREADY_REGISTERED', [{ path: 'serial', message: existing.id }]).with({
          serial: form.serial,
        });
    }
    const sessionId = form?.session_id ?? input.sessionId ?? (form ? await guessSession(trx, ctx, form.form_type as FormType, form.department) : undefined);
    if (!sessionId)
      throw new ValidationError(`which manual-mode session does ${form?.serial ?? 'this record'} belong to?`, [{ path: 'sessionId', message: 'required: the form was printed outside an incident' }]);
    const session = await sessionRow(trx, sessionId);
    await openIncident(trx, session.incident_id);
    const recordType = form ? recordTypeFor(form.form_type as FormType, session.business_line) : input.recordType!;
    if (!recordType)
      throw new ConflictError(`${form!.serial} is a ${form!.form_type}: file it (POST …/forms/${form!.serial}/file), it is not entered`, 'FORM_NOT_A_RECORD').with({ serial: form!.serial });
    const now = ctx.clock.now();
    const numberText = form?.number ?? input.tempNumber?.trim().toUpperCase() ?? null;
    const number = numberText ? await trx.selectFrom('downtime_numbers').selectAll().where('number', '=', numberText).executeTakeFirst() : undefined;
    if (number && number.state !== 'issued') throw new ConflictError(`${number.number} is ${number.state}`, 'NUMBER_SETTLED').with({ number: number.number });
    if (number) {
      const taken = await trx.selectFrom('downtime_items').select('id').where('number_id', '=', number.id).where('state', '!=', 'void').executeTakeFirst();
      if (taken) throw new ConflictError(`${number.number} is already on record ${taken.id}`, 'NUMBER_IN_USE').with({ number: number.number });
      if (!number.session_id) {
        await trx.updateTable('downtime_numbers').set({ incident_id: session.incident_id, session_id: session.id, department: session.department }).where('id', '=', number.id).execute();
      }
    }
    if (form && !form.session_id) {
      await trx
        .updateTable('downtime_forms')
        .set({ incident_id: session.incident_id, session_id: session.id, department: session.department, business_line: session.business_line })
        .where('id', '=', form.id)
        .execute();
    }
    const line = businessLine(ctx.plan, session.business_line);
    const item: DowntimeItemsTable = {
      id: newId('dti_'),
      incident_id: session.incident_id,
      session_id: session.id,
      department: session.department,
      business_line: session.business_line,
      record_type: recordType,
      form_id: form?.id ?? null,
      serial: form?.serial ?? null,
      temp_number: numberText,
      number_id: number?.id ?? null,
      event_at: input.eventAt ?? null,
      registered_at: now,
      registered_by: actor,
      hospital_id: null,
      entered_at: null,
      entered_by: null,
      verified_at: null,
      verified_by: null,
      state: 'registered',
      late_entry: 1,
      overdue_entry: 0,
      charge_state: CHARGEABLE.includes(recordType) ? 'pending' : null,
      charge_ref: null,
      mi_status: input.mi || session.business_line === 'mi_settlement' ? 'pending' : null,
      mi_at: null,
      merged_at: null,
      merged_by: null,
      note: input.note ?? null,
      void_reason: null,
      retain_until: retainUntil(ctx.plan, line?.retention ?? 'outpatient', input.eventAt ?? now),
      updated_at: now,
    };
    await trx.insertInto('downtime_items').values(item).execute();
    if (session.state === 'reconciled') await reopen(trx, ctx, session, actor, now, item.serial ?? item.id);
    await record(trx, now, {
      kind: 'downtime.registered',
      actor,
      incidentId: session.incident_id,
      sessionId: session.id,
      subject: item.id,
      data: { serial: item.serial, recordType, tempNumber: numberText },
    });
    changed.add(session.incident_id);
    return item;
  });
}

/** A form printed ahead of time carries only its department: the one session there whose line uses the form. */
async function guessSession(trx: Trx, ctx: DowntimeContext, type: FormType, department: string | null): Promise<string | undefined> {
  if (!department) return undefined;
  const open = await trx
    .selectFrom('downtime_sessions')
    .innerJoin('incidents', 'incidents.id', 'downtime_sessions.incident_id')
    .select(['downtime_sessions.id', 'downtime_sessions.business_line'])
    .where('downtime_sessions.department', '=', department)
    .where('incidents.state', '!=', 'closed')
    .execute();
  const fitting = open.filter((s) => businessLine(ctx.plan, s.business_line)?.forms?.includes(type));
  return fitting.length === 1 ? fitting[0].id : undefined;
}

async function reopen(trx: Trx, ctx: DowntimeContext, s: DowntimeSessionsTable, actor: string, now: number, what: string): Promise<void> {
  await trx.updateTable('downtime_sessions').set({ state: 'back_entry', state_at: now, state_by: actor, updated_at: now }).where('id', '=', s.id).execute();
  await record(trx, now, {
    kind: 'downtime.state',
    actor,
    incidentId: s.incident_id,
    sessionId: s.id,
    data: { from: 'reconciled', to: 'back_entry', cause: 'late_record', record: what, ...sessionPlace(ctx.plan, s) },
    timeline: `manual mode reconciled → back_entry (${s.business_line} @ ${s.department}): late paper record ${what}`,
  });
}

async function itemRow(trx: Trx, id: string): Promise<DowntimeItemsTable> {
  const row = await trx.selectFrom('downtime_items').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`back-entry record ${id}`, 'ITEM_NOT_FOUND');
  return row;
}

/** Runs a change on one back-entry record inside a transaction, with its incident still open. */
async function changeItem(
  ctx: DowntimeContext,
  id: string,
  change: (trx: Trx, item: DowntimeItemsTable, session: DowntimeSessionsTable, now: number) => Promise<Partial<DowntimeItemsTable> & { kind: string; data?: unknown }>,
  actor: string,
): Promise<void> {
  await inTransaction(ctx, async (trx, changed) => {
    const item = await itemRow(trx, id);
    const session = await sessionRow(trx, item.session_id);
    await openIncident(trx, item.incident_id);
    const now = ctx.clock.now();
    const { kind, data, ...patch } = await change(trx, item, session, now);
    const done = await trx
      .updateTable('downtime_items')
      .set({ ...patch, updated_at: now })
      .where('id', '=', id)
      .where('updated_at', '=', item.updated_at)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) throw new ConflictError(`record ${id} changed meanwhile; reload and try again`, 'ITEM_CHANGED');
    await record(trx, now, { kind, actor, incidentId: item.incident_id, sessionId: item.session_id, subject: id, data });
    changed.add(item.incident_id);
  });
}

export interface EnterInput {
  hospitalId: string;
  eventAt?: number;
  charged?: boolean;
  chargeRef?: string;
  note?: string;
}

/** Marks a record as entered into the hospital system, with the id it got there. */
export function enterItem(ctx: DowntimeContext, id: string, input: EnterInput, actor: string): Promise<void> {
  return changeItem(
    ctx,
    id,
    async (_trx, item, session, now) => {
      if (session.state !== 'back_entry') throw new ConflictError(`start back-entry first: the ${session.business_line} session is ${session.state}`, 'NOT_IN_BACK_ENTRY');
      if (item.state !== 'registered' && item.state !== 'entered') throw new ConflictError(`record ${id} is ${item.state}`, 'ITEM_STATE');
      const eventAt = input.eventAt ?? item.event_at;
      if (eventAt === null || eventAt === undefined) throw new ValidationError('when did it happen on paper? the original event time is required', [{ path: 'eventAt', message: 'required' }]);
      if (eventAt > now) throw new ValidationError('the event time is in the future', [{ path: 'eventAt', message: 'must not be after now' }]);
      const window = parseIsoDuration(ctx.plan.downtime?.late_entry_within ?? SIX_HOURS)!;
      const charge = input.charged && item.charge_state !== null ? { charge_state: 'charged', charge_ref: input.chargeRef ?? null } : {};
      return {
        kind: 'downtime.entered',
        data: { hospitalId: input.hospitalId, eventAt, overdue: now - eventAt > window },
        hospital_id: input.hospitalId.trim(),
        event_at: eventAt,
        entered_at: now,
        entered_by: actor,
        state: 'entered',
        overdue_entry: now - eventAt > window ? 1 : 0,
        note: input.note ?? item.note,
        ...charge,
      };
    },
    actor,
  );
}

/** A second person confirms the entry against the paper original. */
export function verifyItem(ctx: DowntimeContext, id: string, actor: string): Promise<void> {
  return changeItem(
    ctx,
    id,
    async (_trx, item, _s, now) => {
      if (item.state !== 'entered') throw new ConflictError(`record ${id} is ${item.state}; only entered records are verified`, 'ITEM_STATE');
      if (item.entered_by === actor) throw new ConflictError(`${actor} entered this record: a second person must verify it`, 'SAME_PERSON');
      return { kind: 'downtime.verified', verified_at: now, verified_by: actor, state: 'verified' };
    },
    actor,
  );
}

export function voidItem(ctx: DowntimeContext, id: string, reason: string, actor: string): Promise<void> {
  if (!reason.trim()) throw new ValidationError('voiding a record needs a reason', [{ path: 'reason', message: 'required' }]);
  return changeItem(
    ctx,
    id,
    async (trx, item, _s, now) => {
      if (item.state === 'verified' || item.state === 'void') throw new ConflictError(`record ${id} is ${item.state}`, 'ITEM_STATE');
      if (item.form_id) await trx.updateTable('downtime_forms').set({ state: 'void', state_at: now, state_by: actor, state_reason: reason }).where('id', '=', item.form_id).execute();
      return { kind: 'downtime.item_void', data: { reason }, state: 'void', void_reason: reason };
    },
    actor,
  );
}

export function chargeItem(ctx: DowntimeContext, id: string, input: { state: 'charged' | 'exempt'; ref?: string; reason?: string }, actor: string): Promise<void> {
  if (input.state === 'exempt' && !input.reason?.trim()) throw new ValidationError('say why it is not charged', [{ path: 'reason', message: 'required for exempt' }]);
  return changeItem(
    ctx,
    id,
    async (_trx, item) => {
      if (item.charge_state === null) throw new ConflictError(`a ${item.record_type} record carries no charge`, 'NOT_CHARGEABLE');
      return { kind: 'downtime.charged', data: input, charge_state: input.state, charge_ref: input.ref ?? input.reason ?? null };
    },
    actor,
  );
}

export async function setMiStatus(ctx: DowntimeContext, id: string, status: MiStatus, actor: string): Promise<void> {
  let incidentId = '';
  await changeItem(
    ctx,
    id,
    async (_trx, item, _s, now) => {
      incidentId = item.incident_id;
      return { kind: 'downtime.mi', data: { status }, mi_status: status, mi_at: now };
    },
    actor,
  );
  if (await miReuploadsDone(ctx, incidentId)) await recordLinkedEvidence(ctx, incidentId, 'downtime.mi_reupload_done', actor);
}

/** The MPI team merged the patients one person was registered as: marks every record of that real id. */
export async function markMerged(ctx: DowntimeContext, id: string, actor: string): Promise<void> {
  await inTransaction(ctx, async (trx, changed) => {
    const item = await itemRow(trx, id);
    await openIncident(trx, item.incident_id);
    if (!item.hospital_id) throw new ConflictError(`record ${id} has no hospital id yet`, 'ITEM_STATE');
    const now = ctx.clock.now();
    await trx
      .updateTable('downtime_items')
      .set({ merged_at: now, merged_by: actor, updated_at: now })
      .where('session_id', '=', item.session_id)
      .where('hospital_id', '=', item.hospital_id)
      .where('merged_at', 'is', null)
      .execute();
    await record(trx, now, { kind: 'downtime.merged', actor, incidentId: item.incident_id, sessionId: item.session_id, subject: item.hospital_id });
    changed.add(item.incident_id);
  });
}
