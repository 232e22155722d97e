import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Platform } from '../../platform.js';

export function healthRoutes(app: FastifyInstance, p: Platform): void {
  app.get('/healthz', { config: { public: true } }, async (_request, reply) => {
    let database: { ok: boolean; kind: string; error?: string } = { ok: true, kind: p.dbKind };
    try {
      await sql`select 1`.execute(p.db);
    } catch (err) {
      database = { ok: false, kind: p.dbKind, error: (err as Error).message };
    }
    const next = p.scheduler.nextAt;
    const body = {
      status: database.ok ? 'ok' : 'degraded',
      database,
      scheduler: { pendingWakeups: p.scheduler.pending, nextDueAt: next === null ? null : new Date(next).toISOString() },
      plan: { id: p.plan.plan.id, version: p.plan.plan.version },
      uptimeMs: p.clock.now() - p.startedAt,
    };
    return reply.status(database.ok ? 200 : 503).send(body);
  });
}
