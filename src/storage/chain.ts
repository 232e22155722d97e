import { createHash } from 'node:crypto';
import { PostgresAdapter, sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './tables/index.js';
import type { AuthSigninsTable } from './tables/auth.js';
import type { TimelineTable } from './tables/core.js';
import type { DowntimeEventsTable } from './tables/downtime.js';

/**
 * The audit hash chains: the incident timeline, the sign-in audit and the downtime event log are append-only,
 * and each entry carries `chain_seq` (its place in its table's one chain, assigned here at insert),
 * `prev_hash` (the previous entry's hash; GENESIS for the first) and `hash` = SHA-256 over the canonical form
 * below. Editing an entry breaks its hash; deleting one breaks the next entry's `prev_hash`; swapping two
 * entries breaks both, since the sequence is hashed too. `lifeline audit verify` walks the chains.
 *
 * This module is the one definition of the canonical form: change it only with a migration that re-chains.
 */

/** The content of each chained table, in the order its fields are hashed. */
export const CHAINED = {
  timeline: ['id', 'incident_id', 'at', 'actor', 'kind', 'message', 'data'],
  auth_signins: ['id', 'at', 'username', 'user_id', 'outcome', 'reason', 'ip', 'user_agent'],
  downtime_events: ['id', 'at', 'actor', 'kind', 'incident_id', 'session_id', 'subject', 'data'],
} as const satisfies Record<string, readonly string[]>;

export type ChainedTable = keyof typeof CHAINED;
export const CHAINED_TABLES = Object.keys(CHAINED) as ChainedTable[];

/** What a writer gives for one entry of each chained table (the chain columns are computed here). */
export interface ChainedContent {
  timeline: TimelineTable;
  auth_signins: AuthSigninsTable;
  downtime_events: DowntimeEventsTable;
}

export const GENESIS = '0'.repeat(64);

/** The one database or a transaction on it (storage's `Db` / `Trx`; not imported from db.ts, which imports the migrations). */
type Db = Kysely<Database>;
type Trx = Transaction<Database>;

/** The three chained tables differ in columns: queries over `table: ChainedTable` go through an untyped view of the one database. */
// biome-ignore lint/suspicious/noExplicitAny: one query shape over three tables of different row types
type AnyDb = Kysely<any>;

/** PostgreSQL advisory-lock keys, one per chain: writers of one chain serialise on it until they commit. */
const LOCK_KEYS: Record<ChainedTable, number> = { timeline: 0x11fe_0101, auth_signins: 0x11fe_0102, downtime_events: 0x11fe_0103 }; // apart from cluster.ts's keys

/** Rows per INSERT statement (11 columns: well under SQLite's and PostgreSQL's bound-parameter limits). */
const ROWS_PER_STATEMENT = 200;

/**
 * The canonical serialisation of one entry: a JSON array of the table name, the sequence, and the content
 * fields in the order of CHAINED (absent = null; times are integers), then a newline and the previous hash.
 */
export function canonical(table: ChainedTable, seq: number, row: Record<string, unknown>, prevHash: string): string {
  const values = CHAINED[table].map((f) => {
    const v = row[f];
    return v === undefined ? null : typeof v === 'bigint' ? Number(v) : v;
  });
  return `${JSON.stringify([table, Number(seq), ...values])}\n${prevHash}`;
}

export function entryHash(table: ChainedTable, seq: number, row: Record<string, unknown>, prevHash: string): string {
  return createHash('sha256')
    .update(canonical(table, seq, row, prevHash))
    .digest('hex');
}

/** The last entry of a chain (null: empty). */
export async function chainTail(db: Db | Trx, table: ChainedTable): Promise<{ seq: number; hash: string } | null> {
  const row = await (db as unknown as AnyDb).selectFrom(table).select(['chain_seq', 'hash']).orderBy('chain_seq', 'desc').limit(1).executeTakeFirst();
  return row ? { seq: Number(row.chain_seq), hash: String(row.hash) } : null;
}

/**
 * Appends entries to a chained table: the only way to write one. Reads the chain's tail once (on PostgreSQL
 * after taking the chain's advisory lock, held to commit, so concurrent writers serialise; SQLite serialises
 * writes already), hashes in memory, inserts in a few statements. Outside a transaction it opens one.
 */
export async function appendChained<T extends ChainedTable>(db: Db | Trx, table: T, rows: readonly ChainedContent[T][]): Promise<void> {
  if (!rows.length) return;
  if (!db.isTransaction) return (db as Db).transaction().execute((trx) => appendChained(trx, table, rows));
  const k = db as unknown as AnyDb;
  if (k.getExecutor().adapter instanceof PostgresAdapter) await sql`select pg_advisory_xact_lock(hashtext(current_schema()), ${LOCK_KEYS[table]})`.execute(k); // per schema, as cluster.ts
  const tail = await chainTail(db, table);
  let seq = tail?.seq ?? 0;
  let prev = tail?.hash ?? GENESIS;
  const chained = rows.map((row) => {
    seq += 1;
    const hash = entryHash(table, seq, row as unknown as Record<string, unknown>, prev);
    const entry = { ...row, chain_seq: seq, prev_hash: prev, hash };
    prev = hash;
    return entry;
  });
  for (let i = 0; i < chained.length; i += ROWS_PER_STATEMENT)
    await k
      .insertInto(table)
      .values(chained.slice(i, i + ROWS_PER_STATEMENT))
      .execute();
}

/** Where a chain breaks: the first entry whose hash, link or sequence does not hold. */
export interface ChainBreak {
  table: ChainedTable;
  seq: number;
  id: string;
  problem: 'edited' | 'missing-before' | 'sequence-gap' | 'unchained';
  detail: string;
}

export interface ChainReport {
  table: ChainedTable;
  entries: number; // rows in the table (a full walk) or entries checked (a tail)
  checkedFrom: number | null; // the first sequence checked (null: empty)
  lastSeq: number | null;
  ok: boolean;
  firstBroken?: ChainBreak;
}

const PAGE = 2000;

/**
 * Walks a chain in sequence order and reports the first broken link. `tail`: check only the last N entries
 * (their own hashes and links between them; the first of them is trusted to link to what precedes it).
 */
export async function verifyChain(db: Db | Trx, table: ChainedTable, options: { tail?: number } = {}): Promise<ChainReport> {
  const k = db as unknown as AnyDb;
  const count =
    options.tail === undefined
      ? Number(
          (
            await k
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirst()
          )?.n ?? 0,
        )
      : 0;
  const unchained = await k.selectFrom(table).select('id').where('chain_seq', 'is', null).limit(1).executeTakeFirst();
  let after = 0;
  let prev: string | null = GENESIS;
  let expected = 1;
  if (options.tail !== undefined) {
    const last = await chainTail(db, table);
    if (last && last.seq > options.tail) {
      after = last.seq - options.tail;
      prev = null; // trusted: the first checked entry's prev_hash is not compared
      expected = after + 1;
    }
  }
  const report: ChainReport = { table, entries: count, checkedFrom: null, lastSeq: null, ok: true };
  const broken = (b: Omit<ChainBreak, 'table'>): ChainReport => ({ ...report, ok: false, firstBroken: { table, ...b } });
  for (;;) {
    const page = await k.selectFrom(table).selectAll().where('chain_seq', '>', after).orderBy('chain_seq').limit(PAGE).execute();
    for (const row of page) {
      const seq = Number(row.chain_seq);
      report.checkedFrom ??= seq;
      report.lastSeq = seq;
      if (options.tail !== undefined) report.entries += 1;
      if (seq !== expected) {
        return broken({ seq, id: row.id, problem: 'sequence-gap', detail: `sequence ${expected}${seq > expected + 1 ? `–${seq - 1}` : ''} missing before it (deleted)` });
      }
      if (prev !== null && row.prev_hash !== prev) {
        return broken({ seq, id: row.id, problem: 'missing-before', detail: "prev_hash is not the previous entry's hash (an entry before it was deleted, replaced or moved)" });
      }
      if (entryHash(table, seq, row, row.prev_hash) !== row.hash) {
        return broken({ seq, id: row.id, problem: 'edited', detail: 'content does not match its hash (edited, or moved from another place in the chain)' });
      }
      prev = row.hash;
      expected = seq + 1;
      after = seq;
    }
    if (page.length < PAGE) break;
  }
  if (unchained) return broken({ seq: 0, id: unchained.id, problem: 'unchained', detail: 'an entry without a place in the chain (inserted around appendChained)' });
  return report;
}

/** Every chain, in the order of CHAINED_TABLES. */
export async function verifyChains(db: Db | Trx, options: { tail?: number } = {}): Promise<ChainReport[]> {
  const reports: ChainReport[] = [];
  for (const t of CHAINED_TABLES) reports.push(await verifyChain(db, t, options));
  return reports;
}
