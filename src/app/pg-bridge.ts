/**
 * Live updates across nodes (cluster mode, PostgreSQL): every change this node publishes on its event bus is
 * sent with `NOTIFY lifeline_changes` (after its commit, as the bus publishes it), and every node LISTENs on a
 * dedicated connection and re-publishes the other nodes' changes on its own bus, marked with their node, so a
 * screen connected to node B sees a change made through node A. Events of a burst go together, one NOTIFY
 * (within its 8000-byte payload) every few ms. Several Lifelines may share one database in separate schemas:
 * a payload names its schema.
 */
import pg from 'pg';
import { sql } from 'kysely';
import type { ChangeEvent, EventBus } from '../events/bus.js';
import type { Logger } from '../log/logger.js';
import type { Db } from '../storage/index.js';

const CHANNEL = 'lifeline_changes';
const FLUSH_MS = 10;
const MAX_PAYLOAD = 7_000;
const RECONNECT_MS = 1_000;

interface Payload {
  node: string;
  schema: string;
  events: ChangeEvent[];
  /** An incident closed there: intake here must write re-sends again (SignalLog.forgetStates). */
  forget?: boolean;
}

export interface PgBridge {
  /** Tells the other nodes an incident closed here (their intake forgets the states it settled). */
  forgetStates(): void;
  close(): Promise<void>;
}

export async function pgBridge(opts: { url: string; db: Db; bus: EventBus; node: string; log: Logger; onForget?: () => void }): Promise<PgBridge> {
  const { url, db, bus, node, log } = opts;
  const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s ?? 'public';
  let closed = false;
  let outbox: ChangeEvent[] = [];
  let flushing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const flush = async () => {
    timer = null;
    while (outbox.length) {
      const events = outbox;
      outbox = [];
      let chunk: ChangeEvent[] = [];
      const send = async () => {
        if (chunk.length === 0) return;
        const payload: Payload = { node, schema, events: chunk };
        chunk = [];
        await sql`select pg_notify(${CHANNEL}, ${JSON.stringify(payload)})`.execute(db).catch((err) => log.warn({ err }, 'could not announce changes to the other nodes'));
      };
      let size = 0;
      for (const e of events) {
        const n = JSON.stringify(e).length + 1;
        if (size + n > MAX_PAYLOAD) {
          await send();
          size = 0;
        }
        chunk.push(e);
        size += n;
      }
      await send();
    }
  };
  const unsubscribe = bus.subscribe((e) => {
    if (e.node !== undefined || closed) return; // another node's, re-published here
    outbox.push(e);
    timer ??= setTimeout(() => {
      flushing = (flushing ?? Promise.resolve()).then(flush).finally(() => {
        flushing = null;
      });
    }, FLUSH_MS);
  });

  let client: pg.Client | null = null;
  const listen = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      let payload: Payload;
      try {
        payload = JSON.parse(msg.payload) as Payload;
      } catch {
        return;
      }
      if (payload.node === node || payload.schema !== schema) return;
      if (payload.forget) opts.onForget?.();
      for (const e of payload.events) bus.publish({ ...e, node: payload.node });
    });
    c.on('error', (err) => {
      log.warn({ err }, 'lost the connection that listens to the other nodes; reconnecting');
      void c.end().catch(() => undefined);
      if (client === c) client = null;
      if (!closed) setTimeout(() => void listen().catch(() => undefined), RECONNECT_MS).unref();
    });
    try {
      await c.connect();
      await c.query(`listen ${CHANNEL}`);
      client = c;
    } catch (err) {
      void c.end().catch(() => undefined);
      if (!closed) {
        log.warn({ err }, 'could not listen to the other nodes; retrying');
        setTimeout(() => void listen().catch(() => undefined), RECONNECT_MS).unref();
      }
    }
  };
  await listen();

  return {
    forgetStates() {
      if (closed) return;
      const payload: Payload = { node, schema, events: [], forget: true };
      void sql`select pg_notify(${CHANNEL}, ${JSON.stringify(payload)})`.execute(db).catch((err) => log.warn({ err }, 'could not announce a close to the other nodes'));
    },
    async close() {
      closed = true;
      unsubscribe();
      if (timer) {
        clearTimeout(timer);
        await flush();
      }
      await flushing;
      await client?.end().catch(() => undefined);
      client = null;
    },
  };
}
