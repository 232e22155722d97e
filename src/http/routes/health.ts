import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { readCursor } from '../../incidents/admission.js';
import type { Lifeline } from '../../app/compose.js';

export function healthRoutes(app: FastifyInstance, p: Pick<Lifeline, 'db' | 'dbKind' | 'plan' | 'clock' | 'scheduler' | 'signals' | 'startedAt'>): void {
  app.get('/healthz', { config: { public: true } }, async (_request, reply) => {
    let database: { ok: boolean; kind: string; error?: string } = { ok: true, kind: p.dbKind };
    try {
      await sql`select 1`.execute(p.db);
    } catch (err) {
      database = { ok: false, kind: p.dbKind, error: (err as Error).message };
    }
    const intake = database.ok ? await intakeProgress(p) : null;
    const next = p.scheduler.nextAt;
    const body = {
      status: database.ok ? 'ok' : 'degraded',
      database,
      intake,
      scheduler: { pendingWakeups: p.scheduler.pending, nextDueAt: next === null ? null : new Date(next).toISOString() },
      plan: { id: p.plan.plan.id, version: p.plan.plan.version },
      uptimeMs: p.clock.now() - p.startedAt,
    };
    return reply.status(database.ok ? 200 : 503).send(body);
  });
}

/** How far processing is behind intake: journal rows written vs admitted, and admitted signals not yet processed. */
async function intakeProgress(
  p: Pick<Lifeline, 'db' | 'dbKind' | 'plan' | 'clock' | 'scheduler' | 'signals' | 'startedAt'>,
): Promise<{ journalEnd: number; admittedUpTo: number; unprocessedSignals: number }> {
  const admittedUpTo = await readCursor(p.db);
  const waiting = await p.db
    .selectFrom('signals')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('processed', '=', 0)
    .executeTakeFirst();
  return { journalEnd: p.signals.end, admittedUpTo, unprocessedSignals: Number(waiting?.n ?? 0) };
}
