import type { Plan, Obligation } from '../plan/types.js';
import { newId } from '../shared/ids.js';
import type { TimelineKind } from '../shared/timeline-kinds.js';
import { parseIsoDuration } from '../shared/time.js';
import { NotFoundError } from '../shared/errors.js';
import { appendChained, type Trx, type ObligationsTable } from '../storage/index.js';
import type { PageRequest } from './breach.js';
import { breachRecords } from './breach.js';
import { pendingObligation } from './rows.js';

/**
 * Standing duties of the plan (trigger `schedule`), such as the hourly machine-room round (OM.1): one
 * pending instance each, not tied to an incident; met or missed, the next one follows one period later.
 */
export const scheduledDuties = (plan: Plan): Obligation[] => plan.obligations.filter((o) => o.trigger === 'schedule');

const period = (o: Obligation): number => parseIsoDuration(o.recurring ?? o.within ?? 'PT1H') ?? 3_600_000;

function instance(o: Obligation, dueAt: number, at: number, sequence: number): ObligationsTable {
  return pendingObligation(o, { incidentId: null, triggerAt: at, anchorAt: dueAt - period(o), dueAt, sequence });
}

/** Makes sure each standing duty has its pending instance; returns the due instants created. */
export async function ensureDuties(trx: Trx, plan: Plan, now: number): Promise<number[]> {
  const created: number[] = [];
  for (const o of scheduledDuties(plan)) {
    const pending = await trx.selectFrom('obligations').select('id').where('incident_id', 'is', null).where('rule_id', '=', o.id).where('state', '=', 'pending').executeTakeFirst();
    if (pending) continue;
    const row = instance(o, now + period(o), now, 0);
    await trx.insertInto('obligations').values(row).execute();
    created.push(row.due_at!);
  }
  return created;
}

/** Breaches missed duty instances (each missed period is its own breach) and queues the next. */
export async function breachDueDuties(trx: Trx, plan: Plan, now: number): Promise<{ pages: PageRequest[]; due: number[] }> {
  const rows = await trx.selectFrom('obligations').selectAll().where('incident_id', 'is', null).where('state', '=', 'pending').where('due_at', '<', now).execute();
  const pages: PageRequest[] = [];
  const due: number[] = [];
  for (const o of rows) {
    const rule = plan.obligations.find((p) => p.id === o.rule_id);
    await trx
      .updateTable('obligations')
      .set({ state: 'breached', breached_at: o.due_at, fired_at: now, late_ms: now - o.due_at! })
      .where('id', '=', o.id)
      .execute();
    const records = breachRecords(rule, o, now);
    await appendChained(trx, 'timeline', records.timeline);
    pages.push(...records.pages);
    if (rule) {
      const next = instance(rule, o.due_at! + period(rule), now, o.sequence + 1);
      await trx.insertInto('obligations').values(next).execute();
      due.push(next.due_at! + 1);
    }
  }
  return { pages, due };
}

/** A person reports the duty done (e.g. the round logged): the instance is met, the next falls due one period on. */
export async function completeDuty(trx: Trx, plan: Plan, ruleId: string, actor: string, note: string | undefined, now: number): Promise<number> {
  const rule = scheduledDuties(plan).find((o) => o.id === ruleId);
  const row = rule && (await trx.selectFrom('obligations').selectAll().where('incident_id', 'is', null).where('rule_id', '=', ruleId).where('state', '=', 'pending').executeTakeFirst());
  if (!rule || !row) throw new NotFoundError(`standing duty ${ruleId}`, 'DUTY_NOT_FOUND');
  await trx
    .updateTable('obligations')
    .set({ state: 'met', met_at: now, met_by: actor, reason: note ?? null })
    .where('id', '=', row.id)
    .execute();
  await appendChained(trx, 'timeline', [
    {
      id: newId('tl_'),
      incident_id: null,
      at: now,
      actor,
      kind: 'duty.done' satisfies TimelineKind,
      message: `${ruleId} done`,
      data: JSON.stringify({ obligation: ruleId, note: note ?? null }),
    },
  ]);
  const next = instance(rule, now + period(rule), now, row.sequence + 1);
  await trx.insertInto('obligations').values(next).execute();
  return next.due_at! + 1;
}
