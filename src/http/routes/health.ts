import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { readCursor } from '../../incidents/admission.js';
import type { Lifeline } from '../../app/compose.js';
import { verifyChains, type ChainBreak, type Db } from '../../storage/index.js';

export function healthRoutes(app: FastifyInstance, p: Pick<Lifeline, 'db' | 'dbKind' | 'plan' | 'planVersions' | 'clock' | 'scheduler' | 'signals' | 'startedAt' | 'log' | 'cluster'>): void {
  const audit = auditWatch(p);
  app.addHook('onReady', audit.atStart);
  app.get('/healthz', { config: { public: true } }, async (_request, reply) => {
    let database: { ok: boolean; kind: string; error?: string } = { ok: true, kind: p.dbKind };
    try {
      await sql`select 1`.execute(p.db);
    } catch (err) {
      database = { ok: false, kind: p.dbKind, error: (err as Error).message };
    }
    const intake = database.ok ? await intakeProgress(p) : null;
    const auditState = database.ok ? await audit.now() : null;
    const planStatus = database.ok ? await p.planVersions.status().catch(() => null) : null;
    const next = p.scheduler.nextAt;
    const body = {
      status: database.ok ? 'ok' : 'degraded',
      database,
      intake,
      audit: auditState,
      // cluster mode (PostgreSQL): the nodes seen within the last three heartbeats
      nodes: database.ok && p.cluster ? await p.cluster.live() : undefined,
      scheduler: { pendingWakeups: p.scheduler.pending, nextDueAt: next === null ? null : new Date(next).toISOString() },
      // a version activated in the browser runs from the next start: until then it is pending here too
      plan: { id: p.plan.plan.id, version: p.plan.plan.version, pendingVersionSeq: planStatus?.pending ? (planStatus.active?.versionSeq ?? null) : null },
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

/** Entries at the end of each audit chain checked at start and on each health check (`lifeline audit verify` walks all). */
const TAIL_AT_START = 1000;
const TAIL_ON_CHECK = 100;

/** The audit chains' tails (src/storage/chain.ts): checked at start (logged) and on each /healthz; a break found stays reported. */
function auditWatch(p: { db: Db; log: Lifeline['log'] }) {
  let found: ChainBreak | undefined;
  const check = async (tail: number): Promise<{ ok: boolean; firstBroken?: ChainBreak }> => {
    if (!found) found = (await verifyChains(p.db, { tail })).find((r) => !r.ok)?.firstBroken;
    return found ? { ok: false, firstBroken: found } : { ok: true };
  };
  return {
    atStart: async () => {
      try {
        const r = await check(TAIL_AT_START);
        if (r.firstBroken) p.log.error({ audit: r.firstBroken }, `audit chain ${r.firstBroken.table} broken at sequence ${r.firstBroken.seq} (${r.firstBroken.id}): run lifeline audit verify`);
        else p.log.info({ audit: { ok: true, tail: TAIL_AT_START } }, 'audit chains intact (tails checked)');
      } catch (err) {
        p.log.error({ err }, 'audit chain check failed');
      }
    },
    now: () => check(TAIL_ON_CHECK).catch((err: Error) => ({ ok: false, error: err.message })),
  };
}
