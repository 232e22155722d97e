import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Lifeline } from '../../app/compose.js';
import { signalBatchSchema, signalSchema } from '../../signals/normalise.js';
import type { NormalisedSignal } from '../../signals/types.js';
import { NotFoundError } from '../../shared/errors.js';
import { parseInput } from '../../shared/parse-input.js';

const listQuery = z.object({
  unmapped: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  system: z.string().optional(),
});
export const mapBody = z.object({ system: z.string().min(1), component: z.string().optional() }).strict();

/** One received signal as GET /api/v1/signals lists it (newest first). */
export interface SignalView {
  id: string;
  source: string;
  system: string | null;
  component: string;
  severity: string;
  status: string;
  dedupKey: string;
  summary: string;
  labels: Record<string, string>;
  host: string | null;
  metric: { name: string; value: number | null } | null;
  at: string;
  receivedAt: string;
  processed: boolean;
  /** opened | attached | refreshed | unmapped | recorded | superseded …; null until processed */
  outcome: string | null;
  incidentId: string | null;
}
export interface SignalListResponse {
  items: SignalView[];
}
/** POST /api/v1/signals/:id/map: the signal, the system it now belongs to and what processing it again did. */
export interface MapSignalResult {
  id: string;
  system: string;
  outcome: string | null | undefined;
  incidentId: string | null | undefined;
}

export function signalRoutes(app: FastifyInstance, p: Pick<Lifeline, 'db' | 'plan' | 'engine' | 'signals'>): void {
  app.post('/api/v1/signals', { config: { permission: 'signal.post' } }, async (request, reply) => {
    const isBatch = typeof request.body === 'object' && request.body !== null && 'signals' in request.body;
    const signals = (isBatch ? parseInput(signalBatchSchema, request.body).signals : [parseInput(signalSchema, request.body)]) as NormalisedSignal[];
    await p.signals.append(signals);
    return reply.status(202).send({ accepted: signals.length });
  });

  app.get('/api/v1/signals', { config: { permission: 'signal.read' } }, async (request) => {
    const q = parseInput(listQuery, request.query, 'query');
    let query = p.db.selectFrom('signals').selectAll().orderBy('id', 'desc').limit(q.limit);
    if (q.unmapped === 'true') query = query.where('outcome', '=', 'unmapped');
    if (q.system) query = query.where('system', '=', q.system);
    const rows = await query.execute();
    return {
      items: rows.map(
        (r): SignalView => ({
          id: r.id,
          source: r.source,
          system: r.system,
          component: r.component,
          severity: r.severity,
          status: r.status,
          dedupKey: r.dedup_key,
          summary: r.summary,
          labels: JSON.parse(r.labels),
          host: r.host,
          metric: r.metric_name ? { name: r.metric_name, value: r.metric_value } : null,
          at: new Date(r.at).toISOString(),
          receivedAt: new Date(r.received_at).toISOString(),
          processed: r.processed === 1,
          outcome: r.outcome,
          incidentId: r.incident_id,
        }),
      ),
    } satisfies SignalListResponse;
  });

  /** A person maps an unmapped signal to a plan system; it is then processed like any other. */
  app.post<{ Params: { id: string } }>('/api/v1/signals/:id/map', { config: { permission: 'signal.map' } }, async (request) => {
    const body = parseInput(mapBody, request.body);
    if (!p.plan.systems.some((s) => s.id === body.system)) {
      parseInput(z.object({ system: z.enum(p.plan.systems.map((s) => s.id) as [string, ...string[]]) }), body);
    }
    const row = await p.db.selectFrom('signals').select(['id', 'source', 'dedup_key']).where('id', '=', request.params.id).executeTakeFirst();
    if (!row) throw new NotFoundError(`signal ${request.params.id}`, 'SIGNAL_NOT_FOUND');
    await p.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('signals')
        .set({ system: body.system, component: body.component ?? '', processed: 0, outcome: null })
        .where('source', '=', row.source)
        .where('dedup_key', '=', row.dedup_key)
        .where('outcome', '=', 'unmapped')
        .execute();
      await trx.updateTable('alerts').set({ system: body.system }).where('source', '=', row.source).where('dedup_key', '=', row.dedup_key).execute();
    });
    p.engine.alertsChanged();
    await p.engine.processPending();
    const after = await p.db.selectFrom('signals').select(['incident_id', 'outcome']).where('id', '=', row.id).executeTakeFirst();
    return { id: row.id, system: body.system, outcome: after?.outcome, incidentId: after?.incident_id } satisfies MapSignalResult;
  });
}
