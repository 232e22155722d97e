import { sql } from 'kysely';
import type { Db, IncidentsTable, ObligationsTable } from '../storage/index.js';
import type { LevelId, Plan, Scope, SystemState } from '../plan/types.js';
import { NotFoundError } from '../shared/errors.js';
import { planDuration } from '../obligations/deadlines.js';
import type { IncidentState, IncidentView } from './types.js';
import type { ResponseState } from './work.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export type IncidentSummary = Omit<IncidentView, 'levelHistory' | 'timeline' | 'alerts'>;

/** Reads incidents for the API and the simulator; writes nothing. */
export class IncidentQueries {
  constructor(
    private readonly db: Db,
    private readonly plan: Plan,
  ) {}

  /** `drills`: `exclude` leaves drill incidents out (what patients and regulators see), `only` lists just them; default both. */
  async list(filter: { state?: 'open' | 'all' | IncidentState; limit?: number; drills?: 'exclude' | 'only'; drillRunId?: string } = {}): Promise<IncidentSummary[]> {
    let q = this.db
      .selectFrom('incidents')
      .selectAll()
      .orderBy(sql`case when drill_run_id is null then 0 else 1 end`) // real incidents first, on every screen
      .orderBy('opened_at', 'desc')
      .limit(filter.limit ?? 200);
    if (filter.drills === 'exclude') q = q.where('drill_run_id', 'is', null);
    else if (filter.drills === 'only') q = q.where('drill_run_id', 'is not', null);
    if (filter.drillRunId) q = q.where('drill_run_id', '=', filter.drillRunId);
    if (!filter.state || filter.state === 'open') q = q.where('state', '!=', 'closed');
    else if (filter.state !== 'all') q = q.where('state', '=', filter.state);
    const rows = await q.execute();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const systems = await this.db.selectFrom('incident_systems').selectAll().where('incident_id', 'in', ids).execute();
    const obligations = await this.db.selectFrom('obligations').selectAll().where('incident_id', 'in', ids).orderBy('id').execute();
    return rows.map((r) =>
      this.summary(
        r,
        systems.filter((s) => s.incident_id === r.id),
        obligations.filter((o) => o.incident_id === r.id),
      ),
    );
  }

  async get(id: string, options: { timelineLimit?: number } = {}): Promise<IncidentView> {
    const row = await this.db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(`incident ${id}`, 'INCIDENT_NOT_FOUND');
    const [systems, obligations, history, timeline, alerts] = await Promise.all([
      this.db.selectFrom('incident_systems').selectAll().where('incident_id', '=', id).execute(),
      this.db.selectFrom('obligations').selectAll().where('incident_id', '=', id).orderBy('id').execute(),
      this.db.selectFrom('level_changes').selectAll().where('incident_id', '=', id).orderBy('at').orderBy('id').execute(),
      this.db
        .selectFrom('timeline')
        .selectAll()
        .where('incident_id', '=', id)
        .orderBy('id', 'desc')
        .limit(options.timelineLimit ?? 500)
        .execute(),
      this.db.selectFrom('alerts').selectAll().where('incident_id', '=', id).orderBy('last_at', 'desc').limit(200).execute(),
    ]);
    return {
      ...this.summary(row, systems, obligations),
      levelHistory: history.map((h) => ({ at: iso(h.at)!, level: h.level as LevelId, provisional: h.provisional === 1, rule: h.rule, actor: h.actor, reason: h.reason })),
      timeline: timeline
        .sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1))
        .map((t) => ({ id: t.id, at: iso(t.at)!, actor: t.actor, kind: t.kind, message: t.message, data: t.data ? JSON.parse(t.data) : null })),
      alerts: alerts.map((a) => ({
        source: a.source,
        dedupKey: a.dedup_key,
        system: a.system,
        component: a.component,
        severity: a.severity,
        status: a.status,
        summary: a.summary,
        lastAt: iso(a.last_at)!,
      })),
    };
  }

  private summary(r: IncidentsTable, systems: { system: string; component: string; state: string; since: number }[], obligations: ObligationsTable[]): IncidentSummary {
    const nextChange: IncidentView['nextChange'] = r.next_grade_at === null ? null : { at: iso(r.next_grade_at)!, level: (r.next_grade_level ?? 'L1') as LevelId, rule: r.next_grade_rule ?? '' };
    const tallies = JSON.parse(r.tallies);
    const response = JSON.parse(r.response ?? '{}') as ResponseState;
    const flags = JSON.parse(r.flags) as Record<string, number>;
    const timeFactor = r.drill_time_factor === null ? 1 : Number(r.drill_time_factor);
    return {
      id: r.id,
      title: r.title,
      state: r.state as IncidentState,
      level: r.level as LevelId,
      provisional: r.provisional === 1,
      decidedBy: r.decided_by,
      nextChange,
      systems: systems.map((s) => ({ system: s.system, ...(s.component ? { component: s.component } : {}), state: s.state as SystemState, since: iso(s.since)! })),
      scope: r.scope as Scope,
      scopeAssumed: response.scopeAssumed === true,
      flagsSince: Object.fromEntries(Object.entries(flags).map(([f, at]) => [f, iso(at)!])),
      outage: response.outage ?? 1,
      recoveryClaim: response.claim ? { at: iso(response.claim.at)!, by: response.claim.actor } : null,
      flapping: response.flapping ? { since: iso(response.flapping.since)!, reopens: response.flapping.reopens } : null,
      flags: Object.keys(flags),
      nationalGrade: response.nationalGrade ? { grade: response.nationalGrade.grade, at: iso(response.nationalGrade.at)!, by: response.nationalGrade.by } : null,
      tallies,
      scenario: r.scenario,
      detectedAt: iso(r.detected_at)!,
      openedAt: iso(r.opened_at)!,
      recoveredAt: iso(r.recovered_at),
      closedAt: iso(r.closed_at),
      planVersion: r.plan_version,
      obligations: obligations.map((o) => {
        const rule = this.plan.obligations.find((p) => p.id === o.rule_id);
        return {
          id: o.id,
          ruleId: o.rule_id,
          actorRole: o.actor_role,
          action: rule?.action ?? null,
          dueAt: iso(o.due_at),
          state: o.state,
          metAt: iso(o.met_at),
          metBy: o.met_by,
          breachedAt: iso(o.breached_at),
          lateMs: o.late_ms,
          reason: o.reason,
          sequence: o.sequence,
          triggeredAt: iso(o.trigger_at)!,
          scaledFrom: timeFactor !== 1 && rule ? planDuration(rule) : null,
        };
      }),
      drill: r.drill_run_id ? { runId: r.drill_run_id, timeFactor } : null,
    };
  }
}
