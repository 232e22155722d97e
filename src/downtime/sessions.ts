import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { businessLine, departmentName, sessionPlace } from './catalogue.js';
import { inTransaction, loadIncident, openIncident, record, retainUntil, type DowntimeContext } from './context.js';
import { recordLinkedEvidence } from './evidence-links.js';
import { lineStillDown } from './lines.js';
import { reconciliationOf } from './reconcile.js';
import type { CloseBlock } from '../incidents/engine.js';
import type { DowntimeSessionsTable, Trx } from '../storage/index.js';
import { PROCEDURE_BANDS, SESSION_MOVES, type ProcedureBand, type SessionState } from './types.js';

export async function sessionRow(trx: Trx, id: string): Promise<DowntimeSessionsTable> {
  const row = await trx.selectFrom('downtime_sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFoundError(`manual-mode session ${id}`, 'SESSION_NOT_FOUND');
  return row;
}

const label = (ctx: DowntimeContext, s: { business_line: string; department: string }) => {
  const line = businessLine(ctx.plan, s.business_line)?.name ?? { zh: s.business_line, en: s.business_line };
  const dept = departmentName(ctx.plan, s.department);
  return `${line.zh}/${line.en} @ ${dept.zh} (${s.department})`;
};

/** Starts manual mode for one business line in one department of an incident. */
export async function startSession(ctx: DowntimeContext, incidentId: string, input: { businessLine: string; department: string }, actor: string): Promise<string> {
  const line = businessLine(ctx.plan, input.businessLine);
  if (!line)
    throw new ValidationError(`unknown business line ${input.businessLine}`, [{ path: 'businessLine', message: `must be one of ${(ctx.plan.business_lines ?? []).map((b) => b.id).join(', ')}` }]);
  if (!line.departments.includes(input.department)) {
    throw new ValidationError(`department ${input.department} does not run ${line.id}`, [{ path: 'department', message: `must be one of ${line.departments.join(', ')}` }]);
  }
  const id = await inTransaction(ctx, async (trx, changed) => {
    await openIncident(trx, incidentId);
    const existing = await trx
      .selectFrom('downtime_sessions')
      .select(['id', 'state'])
      .where('incident_id', '=', incidentId)
      .where('business_line', '=', line.id)
      .where('department', '=', input.department)
      .executeTakeFirst();
    if (existing) throw new ConflictError(`manual mode already runs here (session ${existing.id}, ${existing.state})`, 'SESSION_EXISTS');
    const now = ctx.clock.now();
    const id = newId('dts_');
    await trx
      .insertInto('downtime_sessions')
      .values({
        id,
        incident_id: incidentId,
        business_line: line.id,
        department: input.department,
        state: 'active',
        started_at: now,
        started_by: actor,
        state_at: now,
        state_by: actor,
        waived_at: null,
        waived_by: null,
        waiver_reason: null,
        retention_class: line.retention,
        retain_until: retainUntil(ctx.plan, line.retention, now),
        updated_at: now,
      })
      .execute();
    const s = { business_line: line.id, department: input.department };
    await record(trx, now, { kind: 'downtime.started', actor, incidentId, sessionId: id, data: sessionPlace(ctx.plan, s), timeline: `manual mode started: ${label(ctx, s)}` });
    changed.add(incidentId);
    return id;
  });
  await recordLinkedEvidence(ctx, incidentId, 'downtime.session_started', actor);
  return id;
}

/**
 * Moves a session along active → recovery → back_entry → reconciled. Leaving `active` needs the line's systems
 * back (or a reason); `reconciled` needs every record verified and every reconciliation check clear.
 */
export async function moveSession(ctx: DowntimeContext, sessionId: string, to: SessionState, actor: string, reason?: string): Promise<void> {
  await inTransaction(ctx, async (trx, changed) => {
    const s = await sessionRow(trx, sessionId);
    const incident = await openIncident(trx, s.incident_id);
    const from = s.state as SessionState;
    if (!SESSION_MOVES[from].includes(to)) {
      throw new ConflictError(`a session cannot go from ${from} to ${to} (allowed: ${SESSION_MOVES[from].join(', ') || 'none'})`, 'SESSION_STATE');
    }
    if (from === 'active' && to === 'recovery') {
      const down = lineStillDown(ctx.plan, s.business_line, incident.systems);
      if (down.length && !reason?.trim()) {
        throw new ConflictError(`${down.join(', ')} still down: stop manual work only when it is back, or give a reason`, 'SYSTEM_STILL_DOWN', [
          { path: 'reason', message: 'required while a system is down' },
        ]);
      }
    }
    const now = ctx.clock.now();
    if (to === 'reconciled') {
      const rec = await reconciliationOf(trx, ctx, s);
      const open = rec.checks.filter((c) => !c.ok);
      if (rec.progress.open > 0 || open.length) {
        const parts = [rec.progress.open ? `${rec.progress.open} record(s) not yet verified` : '', ...open.map((c) => `${c.id}: ${c.discrepancies.length} discrepancy(ies)`)].filter(Boolean);
        throw new ConflictError(
          `not reconciled yet: ${parts.join('; ')}`,
          'RECONCILIATION_OPEN',
          open.map((c) => ({ path: c.id, message: `${c.matched}/${c.expected}` })),
        );
      }
      await trx
        .insertInto('downtime_reconciliations')
        .values({ id: newId('dtr_'), incident_id: s.incident_id, session_id: s.id, at: now, by: actor, checks: JSON.stringify(rec.checks) })
        .execute();
    }
    await trx.updateTable('downtime_sessions').set({ state: to, state_at: now, state_by: actor, updated_at: now }).where('id', '=', s.id).where('state', '=', from).execute();
    await record(trx, now, {
      kind: 'downtime.state',
      actor,
      incidentId: s.incident_id,
      sessionId: s.id,
      data: { from, to, reason: reason || undefined, ...sessionPlace(ctx.plan, s) },
      timeline: `manual mode ${from} → ${to}: ${label(ctx, s)}${reason ? ` — ${reason}` : ''}`,
    });
    changed.add(s.incident_id);
  });
}

/** Ticks (or unticks) one step of the line's procedure; the latest mark wins, every mark is kept. */
export async function markStep(ctx: DowntimeContext, sessionId: string, input: { step: string; done: boolean; note?: string }, actor: string): Promise<void> {
  await inTransaction(ctx, async (trx, changed) => {
    const s = await sessionRow(trx, sessionId);
    await openIncident(trx, s.incident_id);
    const line = businessLine(ctx.plan, s.business_line);
    const band = PROCEDURE_BANDS.find((b) => line?.procedure[b].some((p) => p.id === input.step));
    if (!band) throw new ValidationError(`step ${input.step} is not in the ${s.business_line} procedure`, [{ path: 'step', message: 'unknown step' }]);
    const now = ctx.clock.now();
    await trx
      .insertInto('downtime_checklist_marks')
      .values({ id: newId('dtc_'), session_id: s.id, step_id: input.step, band, done: input.done ? 1 : 0, at: now, by: actor, note: input.note ?? null })
      .execute();
    await record(trx, now, { kind: 'downtime.step', actor, incidentId: s.incident_id, sessionId: s.id, subject: input.step, data: { done: input.done, note: input.note } });
    changed.add(s.incident_id);
  });
}

export async function checklistOf(trx: Trx, ctx: DowntimeContext, s: DowntimeSessionsTable) {
  const marks = await trx.selectFrom('downtime_checklist_marks').selectAll().where('session_id', '=', s.id).orderBy('at').orderBy('id').execute();
  const latest = new Map(marks.map((m) => [m.step_id, m]));
  const line = businessLine(ctx.plan, s.business_line);
  return PROCEDURE_BANDS.flatMap((band: ProcedureBand) =>
    (line?.procedure[band] ?? []).map((step) => {
      const m = latest.get(step.id);
      return { band, id: step.id, text: step.text, done: m?.done === 1, at: m ? new Date(m.at).toISOString() : null, by: m?.by ?? null, note: m?.note ?? null };
    }),
  );
}

/** HQ waives back-entry and reconciliation for sessions (all open ones of the incident when none are named). */
export async function waive(ctx: DowntimeContext, incidentId: string, input: { reason: string; sessions?: string[] }, actor: string): Promise<number> {
  if (!input.reason.trim()) throw new ValidationError('a waiver needs a reason', [{ path: 'reason', message: 'required' }]);
  return inTransaction(ctx, async (trx, changed) => {
    await openIncident(trx, incidentId);
    let q = trx.selectFrom('downtime_sessions').selectAll().where('incident_id', '=', incidentId).where('state', '!=', 'reconciled').where('waived_at', 'is', null);
    if (input.sessions?.length) q = q.where('id', 'in', input.sessions);
    const rows = await q.execute();
    const now = ctx.clock.now();
    for (const s of rows) {
      await trx.updateTable('downtime_sessions').set({ waived_at: now, waived_by: actor, waiver_reason: input.reason, updated_at: now }).where('id', '=', s.id).execute();
      await record(trx, now, {
        kind: 'downtime.waived',
        actor,
        incidentId,
        sessionId: s.id,
        data: { reason: input.reason, state: s.state, ...sessionPlace(ctx.plan, s) },
        timeline: `HQ waived back-entry/reconciliation of ${label(ctx, s)} (${s.state}): ${input.reason}`,
      });
    }
    if (rows.length) changed.add(incidentId);
    return rows.length;
  });
}

/** Nothing was issued in the session: no temporary numbers, no paper forms, no records to back-enter. */
async function issuedNothing(trx: Trx, sessionId: string): Promise<boolean> {
  for (const table of ['downtime_numbers', 'downtime_forms', 'downtime_items'] as const) {
    const row = await trx.selectFrom(table).select('id').where('session_id', '=', sessionId).limit(1).executeTakeFirst();
    if (row) return false;
  }
  return true;
}

/** Sessions of the incident that are neither reconciled nor waived, oldest first. */
const unsettled = (trx: Trx, incidentId: string) =>
  trx.selectFrom('downtime_sessions').selectAll().where('incident_id', '=', incidentId).where('state', '!=', 'reconciled').where('waived_at', 'is', null).orderBy('started_at').execute();

/**
 * What keeps the incident from closing: each session with paper to back-enter (issued numbers, forms or records)
 * that is neither reconciled nor waived. A session that issued nothing never blocks. Params are keyed by session id
 * so a client words each block in its own language: line, department, state, verified/total, open check ids.
 */
export async function closeBlockers(trx: Trx, ctx: DowntimeContext, incidentId: string): Promise<CloseBlock[]> {
  const out: CloseBlock[] = [];
  for (const s of await unsettled(trx, incidentId)) {
    if (await issuedNothing(trx, s.id)) continue;
    const rec = await reconciliationOf(trx, ctx, s);
    const open = rec.checks.filter((c) => !c.ok).map((c) => c.id);
    const detail = [`${rec.progress.verified}/${rec.progress.total} records verified`, open.length ? `checks open: ${open.join(', ')}` : ''].filter(Boolean).join(', ');
    out.push({
      id: s.id,
      message: `${label(ctx, s)} is ${s.state} (${detail})`,
      checks: open,
      params: {
        [`line.${s.id}`]: s.business_line,
        [`department.${s.id}`]: s.department,
        [`state.${s.id}`]: s.state,
        [`verified.${s.id}`]: rec.progress.verified,
        [`total.${s.id}`]: rec.progress.total,
        [`checks.${s.id}`]: open,
      },
    });
  }
  return out;
}

/** The closure gate as sentences (the downtime overview shows them). */
export async function openForClose(trx: Trx, ctx: DowntimeContext, incidentId: string): Promise<string[]> {
  return (await closeBlockers(trx, ctx, incidentId)).map((b) => b.message);
}

/**
 * The incident closes: its sessions that issued nothing end with it (reconciled: there is nothing to back-enter),
 * each recorded on the session's log and the incident's timeline. Runs in the close's own transaction, after the
 * gate found nothing blocking; waived sessions keep their waiver.
 */
export async function endWithIncident(trx: Trx, ctx: DowntimeContext, incidentId: string, actor: string): Promise<number> {
  const now = ctx.clock.now();
  let ended = 0;
  for (const s of await unsettled(trx, incidentId)) {
    if (!(await issuedNothing(trx, s.id))) continue;
    const rec = await reconciliationOf(trx, ctx, s);
    await trx
      .insertInto('downtime_reconciliations')
      .values({ id: newId('dtr_'), incident_id: incidentId, session_id: s.id, at: now, by: actor, checks: JSON.stringify(rec.checks) })
      .execute();
    await trx.updateTable('downtime_sessions').set({ state: 'reconciled', state_at: now, state_by: actor, updated_at: now }).where('id', '=', s.id).execute();
    await record(trx, now, {
      kind: 'downtime.state',
      actor,
      incidentId,
      sessionId: s.id,
      data: { from: s.state, to: 'reconciled', ...sessionPlace(ctx.plan, s) },
      timeline: `manual mode ended with the incident (nothing issued): ${label(ctx, s)}`,
    });
    ended++;
  }
  return ended;
}

export async function listSessions(ctx: DowntimeContext, incidentId: string) {
  await loadIncident(ctx.db, incidentId);
  return ctx.db.selectFrom('downtime_sessions').selectAll().where('incident_id', '=', incidentId).orderBy('started_at').execute();
}
