import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Lifeline } from '../../app/compose.js';
import { parseInput } from '../../shared/parse-input.js';

const doneBody = z.object({ by: z.string().min(1).optional(), note: z.string().max(2000).optional() }).strict();

/** Standing duties of the plan (the hourly machine-room round, OM.1): what is due, and reporting one done. */
export function dutyRoutes(app: FastifyInstance, p: Pick<Lifeline, 'db' | 'plan' | 'engine'>): void {
  app.get('/api/v1/duties', { config: { permission: 'incident.read' } }, async () => {
    const rows = await p.db.selectFrom('obligations').selectAll().where('incident_id', 'is', null).orderBy('id', 'desc').limit(200).execute();
    return {
      items: rows.map((o) => ({
        id: o.id,
        ruleId: o.rule_id,
        actorRole: o.actor_role,
        action: p.plan.obligations.find((r) => r.id === o.rule_id)?.action ?? null,
        dueAt: o.due_at === null ? null : new Date(o.due_at).toISOString(),
        state: o.state,
        metAt: o.met_at === null ? null : new Date(o.met_at).toISOString(),
        metBy: o.met_by,
        lateMs: o.late_ms,
      })),
    };
  });
  app.post<{ Params: { rule: string } }>('/api/v1/duties/:rule/done', { config: { permission: 'incident.act' } }, async (request) => {
    const body = parseInput(doneBody, request.body ?? {});
    // signed in: the person; in-process tests without sign-in: the role named in `by`
    const actor = request.principal?.name ?? body.by ?? 'api';
    await p.engine.completeDuty(request.params.rule, actor, body.note);
    return { ok: true };
  });
}
