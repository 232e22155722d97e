import { TALLY_CATEGORIES, type TallyCategory } from '../plan/types.js';
import { ValidationError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { departmentName } from './catalogue.js';
import { inTransaction, openIncident, record, type DowntimeContext } from './context.js';
import type { DowntimeTalliesTable } from '../storage/index.js';
import { DOWNTIME_TALLY_CATEGORIES, type DowntimeTallyCategory } from './types.js';

export type TallyCounts = Partial<Record<DowntimeTallyCategory, number>>;

/** The latest count per department and category. Pure. */
export function latestTallies(rows: DowntimeTalliesTable[]): Map<string, TallyCounts & { at?: number; by?: string }> {
  const out = new Map<string, TallyCounts & { at?: number; by?: string }>();
  for (const r of [...rows].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1))) {
    const d = out.get(r.department) ?? {};
    d[r.category as DowntimeTallyCategory] = r.count;
    d.at = r.at;
    d.by = r.by;
    out.set(r.department, d);
  }
  return out;
}

/** Incident-wide sums of the categories the plan grades on (critically ill is reported, not graded). */
export function gradedSums(latest: Map<string, TallyCounts>): Partial<Record<TallyCategory, number>> {
  const sums: Partial<Record<TallyCategory, number>> = {};
  for (const counts of latest.values()) {
    for (const c of TALLY_CATEGORIES) if (counts[c] !== undefined) sums[c] = (sums[c] ?? 0) + counts[c]!;
  }
  return sums;
}

/**
 * A liaison reports the affected patients of a department. The incident's tallies become the sums over
 * departments, so the grading (L2.b counts) sees them.
 */
export async function reportTally(ctx: DowntimeContext, incidentId: string, input: { department: string; counts: TallyCounts }, actor: string): Promise<Partial<Record<TallyCategory, number>>> {
  if (!ctx.plan.departments?.some((d) => d.id === input.department))
    throw new ValidationError(`unknown department ${input.department}`, [{ path: 'department', message: 'not a department of the plan' }]);
  const entries = Object.entries(input.counts).filter(([, v]) => v !== undefined) as [DowntimeTallyCategory, number][];
  if (entries.length === 0) throw new ValidationError('no counts given', [{ path: 'counts', message: `give at least one of ${DOWNTIME_TALLY_CATEGORIES.join(', ')}` }]);
  const sums = await inTransaction(ctx, async (trx, changed) => {
    await openIncident(trx, incidentId);
    const now = ctx.clock.now();
    await trx
      .insertInto('downtime_tallies')
      .values(entries.map(([category, count]) => ({ id: newId('dtt_'), incident_id: incidentId, department: input.department, category, count, at: now, by: actor })))
      .execute();
    await record(trx, now, {
      kind: 'downtime.tally',
      actor,
      incidentId,
      subject: input.department,
      data: { department: input.department, departmentName: departmentName(ctx.plan, input.department), counts: input.counts },
      timeline: `patient tally ${input.department}: ${entries.map(([c, n]) => `${c} ${n}`).join(', ')}`,
    });
    changed.add(incidentId);
    const rows = await trx.selectFrom('downtime_tallies').selectAll().where('incident_id', '=', incidentId).execute();
    return gradedSums(latestTallies(rows));
  });
  if (Object.keys(sums).length) await ctx.engine.recordImpact(incidentId, { tally: sums }, actor);
  return sums;
}
