import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { businessLine, FORMS, formByCode } from './catalogue.js';
import { inTransaction, openIncident, pad, record, reserve, retainUntil, type DowntimeContext } from './context.js';
import { sessionRow } from './sessions.js';
import type { DowntimeFormsTable, DowntimeKitsTable, Trx } from '../storage/index.js';
import type { FormType } from './types.js';

export const MAX_PRINT = 200;
/** A serial from an offline kit: form code, kit code, copy number (RG-K0007-03). */
export const KIT_SERIAL = /^([A-Z]{2})-(K\d{4,})-(\d{2,})$/;

export interface PrintInput {
  type: FormType;
  /** Blank forms to print (the number field left to be written by hand). */
  count?: number;
  /** One form per downtime number, the number printed on it. */
  numbers?: string[];
  sessionId?: string;
  /** Printing ahead of time, outside any incident. */
  department?: string;
  paper?: 'A4' | 'A5';
}

/** Registers a batch of forms, each with its own serial, for printing. Returns the batch id and the forms. */
export async function printForms(ctx: DowntimeContext, input: PrintInput, actor: string): Promise<{ batch: string; forms: DowntimeFormsTable[] }> {
  const spec = FORMS[input.type];
  const wanted = input.numbers?.length ?? input.count ?? 1;
  if (wanted < 1 || wanted > MAX_PRINT) throw new ValidationError(`print between 1 and ${MAX_PRINT} forms at a time`, [{ path: input.numbers ? 'numbers' : 'count', message: `1–${MAX_PRINT}` }]);
  if (input.paper === 'A5' && spec.paper === 'A4') throw new ValidationError(`${input.type} needs A4 paper`, [{ path: 'paper', message: 'A4 only' }]);
  return inTransaction(ctx, async (trx, changed) => {
    const session = input.sessionId ? await sessionRow(trx, input.sessionId) : undefined;
    if (session) await openIncident(trx, session.incident_id);
    const department = session?.department ?? input.department ?? null;
    if (department && !ctx.plan.departments?.some((d) => d.id === department))
      throw new ValidationError(`unknown department ${department}`, [{ path: 'department', message: 'not a department of the plan' }]);
    const numbers = input.numbers?.length ? await numbersFor(trx, input.numbers, spec.number) : [];
    const now = ctx.clock.now();
    const first = await reserve(trx, `form:${spec.code}`, wanted);
    const batch = newId('bat_');
    const line = session ? businessLine(ctx.plan, session.business_line) : undefined;
    const cls = line?.retention ?? 'outpatient';
    const forms: DowntimeFormsTable[] = Array.from({ length: wanted }, (_, k) => ({
      id: newId('dtf_'),
      serial: `${spec.code}-${pad(first + k, 6)}`,
      form_type: spec.type,
      batch_id: batch,
      kit_id: null,
      incident_id: session?.incident_id ?? null,
      session_id: session?.id ?? null,
      department,
      business_line: session?.business_line ?? null,
      number_id: numbers[k]?.id ?? null,
      number: numbers[k]?.number ?? null,
      state: 'printed',
      printed_at: now,
      printed_by: actor,
      paper: input.paper ?? spec.paper,
      state_at: null,
      state_by: null,
      state_reason: null,
      retain_until: retainUntil(ctx.plan, cls, now),
    }));
    for (let i = 0; i < forms.length; i += 100)
      await trx
        .insertInto('downtime_forms')
        .values(forms.slice(i, i + 100))
        .execute();
    await record(trx, now, {
      kind: 'downtime.printed',
      actor,
      incidentId: session?.incident_id,
      sessionId: session?.id,
      subject: batch,
      data: { type: spec.type, count: wanted, first: forms[0].serial, last: forms[forms.length - 1].serial },
    });
    if (session) changed.add(session.incident_id);
    return { batch, forms };
  });
}

async function numbersFor(trx: Trx, ids: string[], kind: string | undefined) {
  if (!kind) throw new ValidationError('this form carries no downtime number', [{ path: 'numbers', message: 'not for this form' }]);
  const rows = await trx
    .selectFrom('downtime_numbers')
    .selectAll()
    .where((eb) => eb.or([eb('id', 'in', ids), eb('number', 'in', ids)]))
    .execute();
  const onForms = await trx
    .selectFrom('downtime_forms')
    .select(['number_id', 'serial'])
    .where(
      'number_id',
      'in',
      rows.map((r) => r.id),
    )
    .where('state', '!=', 'void')
    .execute();
  return ids.map((id, i) => {
    const n = rows.find((r) => r.id === id || r.number === id);
    if (!n) throw new ValidationError(`unknown downtime number ${id}`, [{ path: `numbers.${i}`, message: 'not issued' }]);
    if (n.kind !== kind) throw new ValidationError(`${n.number} is a ${n.kind} number; this form takes ${kind}`, [{ path: `numbers.${i}`, message: `must be a ${kind} number` }]);
    if (n.state !== 'issued') throw new ConflictError(`${n.number} is ${n.state}`, 'NUMBER_SETTLED', [{ path: `numbers.${i}`, message: n.state }]).with({ number: n.number });
    const on = onForms.find((f) => f.number_id === n.id);
    if (on)
      throw new ConflictError(`${n.number} is already on form ${on.serial}; void that form to reprint`, 'NUMBER_ON_FORM', [{ path: `numbers.${i}`, message: on.serial }]).with({
        number: n.number,
        serial: on.serial,
      });
    return n;
  });
}

/** Reserves serials for an offline kit: `<code>-<kit>-<nn>` for nn = 1…copies of every form. */
export async function createKit(ctx: DowntimeContext, channel: 'pwa' | 'export', actor: string, copiesPerForm?: number): Promise<DowntimeKitsTable> {
  const copies = copiesPerForm ?? ctx.plan.downtime?.kit_copies_per_form ?? 5;
  if (!Number.isInteger(copies) || copies < 1 || copies > 99) throw new ValidationError('between 1 and 99 copies of each form', [{ path: 'copies', message: '1–99' }]);
  return inTransaction(ctx, async (trx) => {
    const seq = await reserve(trx, 'kit', 1);
    const now = ctx.clock.now();
    const kit: DowntimeKitsTable = { id: newId('dtk_'), code: `K${pad(seq, 4)}`, channel, copies_per_form: copies, generated_at: now, generated_by: actor };
    await trx.insertInto('downtime_kits').values(kit).execute();
    await record(trx, now, { kind: 'downtime.kit', actor, subject: kit.code, data: { channel, copies } });
    return kit;
  });
}

export const kitSerial = (type: FormType, kitCode: string, n: number) => `${FORMS[type].code}-${kitCode}-${pad(n, 2)}`;

/**
 * The register row of a serial. A serial from an offline kit is registered the first time it is scanned,
 * if the kit really reserved it.
 */
export async function formBySerial(trx: Trx, ctx: DowntimeContext, serial: string, actor: string): Promise<DowntimeFormsTable> {
  const s = serial.trim().toUpperCase();
  const row = await trx.selectFrom('downtime_forms').selectAll().where('serial', '=', s).executeTakeFirst();
  if (row) return row;
  const m = KIT_SERIAL.exec(s);
  const spec = m ? formByCode(m[1]) : undefined;
  const kit = m && spec ? await trx.selectFrom('downtime_kits').selectAll().where('code', '=', m[2]).executeTakeFirst() : undefined;
  if (!m || !spec || !kit || Number(m[3]) < 1 || Number(m[3]) > kit.copies_per_form) throw new NotFoundError(`form serial ${s}`, 'FORM_NOT_FOUND');
  const form: DowntimeFormsTable = {
    id: newId('dtf_'),
    serial: s,
    form_type: spec.type,
    batch_id: kit.id,
    kit_id: kit.id,
    incident_id: null,
    session_id: null,
    department: null,
    business_line: null,
    number_id: null,
    number: null,
    state: 'printed',
    printed_at: kit.generated_at,
    printed_by: `kit:${kit.code}`,
    paper: spec.paper,
    state_at: null,
    state_by: null,
    state_reason: null,
    retain_until: retainUntil(ctx.plan, 'outpatient', kit.generated_at),
  };
  await trx.insertInto('downtime_forms').values(form).execute();
  await record(trx, ctx.clock.now(), { kind: 'downtime.kit_form', actor, subject: s, data: { kit: kit.code } });
  return form;
}

/** Spoiled forms are voided; rosters and activity logs are filed (they are kept, not entered). */
export async function settleForm(ctx: DowntimeContext, serial: string, state: 'void' | 'filed', reason: string | undefined, actor: string): Promise<void> {
  if (state === 'void' && !reason?.trim()) throw new ValidationError('voiding a form needs a reason', [{ path: 'reason', message: 'required' }]);
  await inTransaction(ctx, async (trx, changed) => {
    const form = await formBySerial(trx, ctx, serial, actor);
    if (form.state !== 'printed') throw new ConflictError(`${form.serial} is already ${form.state}`, 'FORM_SETTLED').with({ serial: form.serial });
    const item = await trx.selectFrom('downtime_items').select(['id', 'state']).where('form_id', '=', form.id).executeTakeFirst();
    if (state === 'void' && item && item.state !== 'void') throw new ConflictError(`${form.serial} is on record ${item.id}; void the record instead`, 'FORM_IN_USE').with({ serial: form.serial });
    if (state === 'filed' && FORMS[form.form_type as FormType].record) throw new ConflictError(`${form.serial} is a record to enter, not to file`, 'FORM_NOT_A_LOG').with({ serial: form.serial });
    if (form.incident_id) await openIncident(trx, form.incident_id);
    const now = ctx.clock.now();
    await trx
      .updateTable('downtime_forms')
      .set({ state, state_at: now, state_by: actor, state_reason: reason ?? null })
      .where('id', '=', form.id)
      .execute();
    await record(trx, now, { kind: `downtime.form_${state}`, actor, incidentId: form.incident_id, sessionId: form.session_id, subject: form.serial, data: { reason } });
    if (form.incident_id) changed.add(form.incident_id);
  });
}

export async function batchForms(ctx: DowntimeContext, batch: string): Promise<DowntimeFormsTable[]> {
  const forms = await ctx.db.selectFrom('downtime_forms').selectAll().where('batch_id', '=', batch).orderBy('serial').execute();
  if (forms.length === 0) throw new NotFoundError(`print batch ${batch}`, 'BATCH_NOT_FOUND');
  return forms;
}
