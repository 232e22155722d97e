import { sql } from 'kysely';
import type { Trx } from './engine.js';
import type { Db } from '../storage/index.js';
import { alertKey, signalRow, type JournalSignal } from '../intake/journal.js';
import type { CommittedBatch } from '../intake/signal-log.js';

/** Where admission reads the journal (the SignalLog: memory first, else its store). */
export interface JournalReader {
  after(cursor: number, maxSignals: number, trx: Trx): Promise<CommittedBatch[]>;
  /** These signals' states now stand on open incidents: an exact repeat of one need not be written again. */
  settled(entries: JournalSignal[]): void;
}

const CURSOR = 'engine';
const SIGNALS_PER_ROUND = 1_000;
const ROWS_PER_STATEMENT = 400;

export interface Admitted {
  /** The journal signals read this round, by id. */
  entries: Map<string, JournalSignal>;
  /** Ids of those that re-sent an unchanged alert: they advanced its last-seen time and nothing else. */
  absorbed: Set<string>;
  /** The journal may hold more after this round. */
  more: boolean;
}

export const nothingAdmitted = (): Admitted => ({ entries: new Map(), absorbed: new Set(), more: false });

/**
 * Admits the next journal rows (in order) into the engine, inside the engine's transaction: signals that
 * may change something become `signals` rows to be processed; re-sends are absorbed. Senders re-send firing
 * alerts every few minutes (Alertmanager's repeat and group interval, Zabbix retries), so in a busy hour
 * most signals are re-sends; settling them with a few bulk statements keeps intake from drowning the engine.
 * The cursor moves in the same transaction, so a crash re-admits exactly what was not committed.
 */
export async function admitJournal(trx: Trx, journal: JournalReader): Promise<Admitted> {
  const batches = await journal.after(await readCursor(trx), SIGNALS_PER_ROUND, trx);
  if (batches.length === 0) return nothingAdmitted();
  const entries = batches.length === 1 ? batches[0]!.entries : batches.flatMap((b) => b.entries);
  const refreshes = await findRefreshes(trx, entries);
  const changes = entries.filter((e) => !refreshes.has(e.id)).map(signalRow);
  for (let i = 0; i < changes.length; i += ROWS_PER_STATEMENT) {
    await trx.insertInto('signals').values(changes.slice(i, i + ROWS_PER_STATEMENT)).execute();
  }
  await advanceLastSeen(trx, entries, refreshes);
  const seq = Number(batches.at(-1)!.seq);
  await trx.insertInto('signal_cursor').values({ name: CURSOR, seq }).onConflict((oc) => oc.column('name').doUpdateSet({ seq })).execute();
  return { entries: new Map(entries.map((e) => [e.id, e])), absorbed: new Set(refreshes.keys()), more: true }; // more: until a round finds nothing
}

/** How far the engine has admitted the journal (its sequence number). */
export async function readCursor(db: Trx | Db): Promise<number> {
  const row = await db.selectFrom('signal_cursor').select('seq').where('name', '=', CURSOR).executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/**
 * A journal that ends before the cursor was replaced or restored from an older backup than the database:
 * admission moves the cursor back to its end, or it would skip what arrives next. Returns the old cursor.
 */
export async function clampCursor(trx: Trx, lastSeq: number): Promise<number | null> {
  const cursor = await readCursor(trx);
  if (cursor <= lastSeq) return null;
  await trx.updateTable('signal_cursor').set({ seq: lastSeq }).where('name', '=', CURSOR).execute();
  return cursor;
}

/**
 * A signal that repeats the stored state of an alert on an open incident (same status; while firing, same
 * colour and no metric value to re-check) changes nothing. Returns signal id → alert id for those.
 */
async function findRefreshes(trx: Trx, entries: JournalSignal[]): Promise<Map<string, string>> {
  const refreshes = new Map<string, string>();
  const keys = [...new Set(entries.map((s) => s.dedup_key))];
  const sources = [...new Set(entries.map((s) => s.source))];
  const alerts = [];
  for (let i = 0; i < keys.length; i += ROWS_PER_STATEMENT) {
    alerts.push(...await trx.selectFrom('alerts').innerJoin('incidents', 'incidents.id', 'alerts.incident_id')
      .select(['alerts.id', 'alerts.source', 'alerts.dedup_key', 'alerts.status', 'alerts.severity'])
      .where('alerts.source', 'in', sources).where('alerts.dedup_key', 'in', keys.slice(i, i + ROWS_PER_STATEMENT)).where('incidents.state', '!=', 'closed').execute());
  }
  const byKey = new Map(alerts.map((a) => [alertKey(a.source, a.dedup_key), a]));
  const changed = new Set<string>();
  for (const s of entries) {
    const key = alertKey(s.source, s.dedup_key);
    const alert = byKey.get(key);
    const unchanged = alert && alert.status === s.status && (s.status === 'resolved' || (alert.severity === s.severity && s.metric_value === null));
    if (unchanged && !changed.has(key)) refreshes.set(s.id, alert.id);
    else changed.add(key); // after a real change, later signals of the same alert take the full path, in order
  }
  return refreshes;
}

async function advanceLastSeen(trx: Trx, entries: JournalSignal[], refreshes: Map<string, string>): Promise<void> {
  const lastAt = new Map<string, number>();
  for (const s of entries) {
    const alertId = refreshes.get(s.id);
    if (alertId) lastAt.set(alertId, Math.max(lastAt.get(alertId) ?? 0, s.at));
  }
  const pairs = [...lastAt];
  for (let i = 0; i < pairs.length; i += ROWS_PER_STATEMENT) {
    const values = sql.join(pairs.slice(i, i + ROWS_PER_STATEMENT).map(([id, at]) => sql`(${id}, cast(${at} as bigint))`));
    await sql`update alerts set last_at = v.column2 from (values ${values}) as v
      where alerts.id = v.column1 and alerts.last_at < v.column2`.execute(trx);
  }
}
