import { sql } from 'kysely';
import type { Trx } from '../storage/index.js';
import type { Db, SignalsTable } from '../storage/index.js';
import { nextTurn } from '../shared/turn.js';
import { alertKey, signalRow, type JournalSignal } from '../signals/journal-signal.js';
import type { CommittedBatch } from '../signals/journal-signal.js';
import type { PendingRows } from '../signals/pending-rows.js';

/** Where admission reads the journal (the SignalLog: memory first, else its store). */
export interface JournalReader {
  after(cursor: number, maxSignals: number, trx: Trx): Promise<CommittedBatch[]>;
  /** These signals' states now stand on open incidents: an exact repeat of one need not be written again. */
  settled(entries: JournalSignal[]): void;
  /** What the processing lane knows of the rows after the cursor (src/incidents/lane.ts); without it, no lane. */
  readonly pending?: PendingRows;
  /** These rows, in order (the few the lane takes ahead of the cursor). */
  rows?(seqs: readonly number[], trx: Trx): Promise<CommittedBatch[]>;
}

/** What admission asks of the processing lane's ledger (Lane in lane.ts): which signals it processed ahead of the cursor. */
export interface LaneLedger {
  /** Reads the ledger, if need be; the others answer after it. */
  ready(trx: Trx): Promise<void>;
  readonly empty: boolean;
  processed(signalId: string): boolean;
  /** Does this signal's alert (`key`) have a later signal processed in the lane than this one (row `seq`, place `pos`)? */
  supersedes(key: string, seq: number, pos: number): boolean;
  /** The cursor moves to `seq` in this transaction: the ledger rows it passes go. */
  passed(trx: Trx, seq: number): Promise<void>;
}

const CURSOR = 'engine';
const SIGNALS_PER_ROUND = 1_000;
/** Signals a round processes at most (whole journal rows): a storm of new alerts comes in rounds of a few ms. */
export const CHANGES_PER_ROUND = 250;
const ROWS_PER_STATEMENT = 400;

export interface Admitted {
  /** The journal signals read this round, by id. */
  entries: Map<string, JournalSignal>;
  /** Those that may change something, as `signals` rows still to be processed and stored (by the round). */
  changes: SignalsTable[];
  /** Ids of those that re-sent an unchanged alert: they advanced its last-seen time and nothing else. */
  absorbed: Set<string>;
  /** Ids of changes to record without effect: a later signal of their alert was processed first (lane.ts). */
  superseded: Set<string>;
  /** The journal may hold more after this round. */
  more: boolean;
}

export const nothingAdmitted = (): Admitted => ({ entries: new Map(), changes: [], absorbed: new Set(), superseded: new Set(), more: false });

/**
 * Admits the next journal rows (in order) into the engine, inside the engine's transaction: signals that
 * may change something are handed to the round, which stores them as `signals` rows once processed (one
 * insert, instead of an insert, a read and an update each); re-sends are absorbed. Senders re-send firing
 * alerts every few minutes (Alertmanager's repeat and group interval, Zabbix retries), so in a busy hour
 * most signals are re-sends; settling them with a few bulk statements keeps intake from drowning the engine.
 * The cursor moves in the same transaction, so a crash re-admits exactly what was not committed. Signals the
 * processing lane took ahead of the cursor are skipped, and their ledger rows go as the cursor passes them.
 */
export async function admitJournal(trx: Trx, journal: JournalReader, lane?: LaneLedger): Promise<Admitted> {
  const read = await journal.after(await readCursor(trx), SIGNALS_PER_ROUND, trx);
  if (read.length === 0) return nothingAdmitted();
  await lane?.ready(trx);
  // whole journal rows, until the round has CHANGES_PER_ROUND signals to process (re-sends are cheap to absorb)
  const refreshes = new Map<string, string>();
  const changedAlerts = new Set<string>();
  const superseded = new Set<string>();
  const entries: JournalSignal[] = [];
  let changes = 0;
  let take = 0;
  while (take < read.length && changes < CHANGES_PER_ROUND) {
    const group: JournalSignal[] = [];
    while (take < read.length && group.length < CHANGES_PER_ROUND - changes) {
      const row = read[take++]!;
      if (!lane || lane.empty) for (const e of row.entries) group.push(e);
      else {
        for (const [pos, e] of row.entries.entries()) {
          if (lane.processed(e.id)) continue; // processed in the lane already
          if (lane.supersedes(alertKey(e.source, e.dedup_key), row.seq, pos)) superseded.add(e.id);
          group.push(e);
        }
      }
    }
    const before = refreshes.size;
    await nextTurn(); // reading and judging a few hundred signals takes a few ms: requests go in between
    await findRefreshes(trx, superseded.size ? group.filter((e) => !superseded.has(e.id)) : group, refreshes, changedAlerts);
    changes += group.length - (refreshes.size - before);
    for (const e of group) entries.push(e);
  }
  const batches = read.slice(0, take);
  const toProcess = entries.filter((e) => !refreshes.has(e.id)).map(signalRow);
  await advanceLastSeen(trx, entries, refreshes);
  const seq = Number(batches.at(-1)!.seq);
  await trx
    .insertInto('signal_cursor')
    .values({ name: CURSOR, seq })
    .onConflict((oc) => oc.column('name').doUpdateSet({ seq }))
    .execute();
  await lane?.passed(trx, seq);
  return { entries: new Map(entries.map((e) => [e.id, e])), changes: toProcess, absorbed: new Set(refreshes.keys()), superseded, more: true }; // more: until a round finds nothing
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
  await trx.deleteFrom('signal_lane').execute(); // signals of the journal that was, ahead of its cursor
  return cursor;
}

/**
 * A signal that repeats the stored state of an alert on an open incident (same status; while firing, same
 * colour and no metric value to re-check) changes nothing. Adds signal id → alert id for those to
 * `refreshes`; `changed` holds the alerts that changed earlier in the round (their later signals change too).
 */
async function findRefreshes(trx: Trx, entries: JournalSignal[], refreshes: Map<string, string>, changed: Set<string>): Promise<void> {
  const keys = [...new Set(entries.map((s) => s.dedup_key))];
  const sources = [...new Set(entries.map((s) => s.source))];
  const alerts = [];
  for (let i = 0; i < keys.length; i += ROWS_PER_STATEMENT) {
    alerts.push(
      ...(await trx
        .selectFrom('alerts')
        .innerJoin('incidents', 'incidents.id', 'alerts.incident_id')
        .select(['alerts.id', 'alerts.source', 'alerts.dedup_key', 'alerts.status', 'alerts.severity', 'incidents.state'])
        .where('alerts.source', 'in', sources)
        .where('alerts.dedup_key', 'in', keys.slice(i, i + ROWS_PER_STATEMENT))
        .where('incidents.state', '!=', 'closed')
        .execute()),
    );
  }
  const byKey = new Map(alerts.map((a) => [alertKey(a.source, a.dedup_key), a]));
  for (const s of entries) {
    const key = alertKey(s.source, s.dedup_key);
    const alert = byKey.get(key);
    // a firing re-send on a recovering incident is news: it contradicts a person's "restored"
    const unchanged = alert && alert.status === s.status && (s.status === 'resolved' || (alert.severity === s.severity && s.metric_value === null && alert.state !== 'recovering'));
    if (unchanged && !changed.has(key)) refreshes.set(s.id, alert.id);
    else changed.add(key); // after a real change, later signals of the same alert take the full path, in order
  }
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
