/**
 * Cluster mode: two or more `lifeline start` processes on one PostgreSQL database. Each process is a node
 * with a random id. What must happen once happens once because the nodes serialise on the database:
 *
 * - the engine's transactions take one transaction-scoped advisory lock (`lockEngine`): a second node waits,
 *   then reads what the first committed (a due obligation already breached is no longer selected). The lock
 *   also says whether another node wrote since this one did, so the engine drops what it keeps in memory;
 * - the intake journal's appends take another (`lockJournal`), so its rows commit in sequence order and the
 *   engine's cursor never passes a row still being written by another node;
 * - the outbox worker claims deliveries with a conditional update and a lease (src/notify/worker.ts);
 * - secrets live in `cluster_secrets`; changes are announced with NOTIFY (src/app/pg-bridge.ts);
 * - each node heartbeats into `cluster_nodes` (`/healthz` lists the live ones).
 *
 * On SQLite (one process) every helper here is a no-op or a plain read.
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, DbKind, Trx } from './db.js';

/** Advisory lock keys (any constants, distinct from each other). */
// advisory locks are database-wide: each key is paired with the schema's hash, so Lifelines in other schemas of the
// same database (tests, a staging copy) never wait on each other
const ENGINE_LOCK = 0x11fe_0001;
const JOURNAL_LOCK = 0x11fe_0002;
export const HEARTBEAT_MS = 2_000;
/** A node not seen for this long is gone (its outbox claims are taken over). */
export const NODE_GONE_MS = 3 * HEARTBEAT_MS;

export interface ClusterNode {
  readonly id: string;
  readonly kind: DbKind;
  /**
   * Serialises an engine transaction across nodes (PostgreSQL); true when another node's engine committed since
   * this node's last one, so what this node keeps in memory of the engine's state may be stale.
   */
  lockEngine(trx: Trx): Promise<boolean>;
  /** Serialises an intake journal append across nodes (PostgreSQL), so rows commit in sequence order. */
  lockJournal(trx: Trx): Promise<void>;
  /** Heartbeats every HEARTBEAT_MS until `stop` (`onBeat` after each: e.g. the outbox worker looks for abandoned claims). */
  start(onBeat?: () => void): Promise<void>;
  stop(): Promise<void>;
  /** The nodes seen within the last three heartbeats. */
  live(now?: number): Promise<{ id: string; host: string; pid: number; startedAt: string; seenAt: string }[]>;
}

export function clusterNode(db: Db, kind: DbKind, clock: { now(): number } = Date): ClusterNode {
  const id = `node_${randomBytes(6).toString('hex')}`;
  const postgres = kind === 'postgres';
  let timer: NodeJS.Timeout | null = null;
  let beating: Promise<void> | null = null;
  const startedAt = Date.now();
  const beat = async () => {
    const now = Date.now();
    await db
      .insertInto('cluster_nodes')
      .values({ id, host: os.hostname(), pid: process.pid, started_at: startedAt, seen_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ seen_at: now }))
      .execute();
    await db
      .deleteFrom('cluster_nodes')
      .where('seen_at', '<', now - 100 * HEARTBEAT_MS)
      .execute();
  };
  return {
    id,
    kind,
    async lockEngine(trx) {
      if (!postgres) return false;
      await sql`select pg_advisory_xact_lock(hashtext(current_schema()), ${sql.lit(ENGINE_LOCK)})`.execute(trx);
      const last = await trx.selectFrom('cluster_engine').select('node').where('id', '=', 1).executeTakeFirst();
      if (last?.node === id) return false;
      await trx.updateTable('cluster_engine').set({ node: id, at: clock.now() }).where('id', '=', 1).execute();
      return true;
    },
    async lockJournal(trx) {
      if (postgres) await sql`select pg_advisory_xact_lock(hashtext(current_schema()), ${sql.lit(JOURNAL_LOCK)})`.execute(trx);
    },
    async start(onBeat) {
      await beat();
      timer = setInterval(() => {
        if (beating) return;
        beating = beat()
          .then(() => onBeat?.())
          .catch(() => undefined) // the database is away: /healthz says so; the next beat tries again
          .finally(() => {
            beating = null;
          });
      }, HEARTBEAT_MS);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await beating;
      await db
        .deleteFrom('cluster_nodes')
        .where('id', '=', id)
        .execute()
        .catch(() => undefined);
    },
    async live(now = Date.now()) {
      const rows = await db
        .selectFrom('cluster_nodes')
        .selectAll()
        .where('seen_at', '>=', now - NODE_GONE_MS)
        .orderBy('started_at')
        .execute();
      return rows.map((r) => ({ id: r.id, host: r.host, pid: Number(r.pid), startedAt: new Date(Number(r.started_at)).toISOString(), seenAt: new Date(Number(r.seen_at)).toISOString() }));
    },
  };
}

/**
 * A secret every node shares: `name`'s value in `cluster_secrets`, created once (`initial()`, e.g. a data dir's
 * existing secret file, else random) by whichever node comes first.
 */
export async function sharedSecret(db: Db, name: string, initial: () => string | undefined, now = Date.now()): Promise<string> {
  const read = () => db.selectFrom('cluster_secrets').select('value').where('name', '=', name).executeTakeFirst();
  const kept = await read();
  if (kept) return kept.value;
  const value = initial() ?? randomBytes(32).toString('base64url');
  await db
    .insertInto('cluster_secrets')
    .values({ name, value, created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  return (await read())!.value;
}
