/**
 * The intake journal's SQL, from the one typed schema. The journal in its own SQLite file is written by a worker
 * thread with better-sqlite3 prepared statements (a 2xx waits for them); those statements are compiled here by
 * Kysely, against the same `Database` type as every other query, so the journal has no SQL of its own.
 */
import { DummyDriver, Kysely, type SchemaModule, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql } from 'kysely';
import type { Database } from './tables/index.js';

/** The `signal_batches` table: migration 008 makes it in the main database, the file journal in its own file. */
export function signalBatchesTable(schema: SchemaModule, seqType: 'integer' | 'bigserial') {
  return schema
    .createTable('signal_batches')
    .addColumn('seq', seqType, (c) => c.primaryKey())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('signals', 'text', (c) => c.notNull());
}

/** Compiles SQLite statements without a connection. */
const sqlite = new Kysely<Database>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

/** Statements of the journal's SQLite file; parameters in the order of the comment. */
export const JOURNAL_SQLITE = {
  create: signalBatchesTable(sqlite.schema, 'integer').ifNotExists().compile().sql,
  /** (received_at, count, signals) → lastInsertRowid is the row's seq */
  insert: sqlite.insertInto('signal_batches').values({ received_at: 0, count: 0, signals: '' }).compile().sql,
  /** () → { seq } */
  lastSeq: sqlite.selectFrom('signal_batches').select(sql<number>`coalesce(max(seq), 0)`.as('seq')).compile().sql,
  /** (after seq, limit) → { seq, signals }[] */
  after: sqlite.selectFrom('signal_batches').select(['seq', 'signals']).where('seq', '>', 0).orderBy('seq').limit(1).compile().sql,
  /** (seq) → { seq, signals } */
  at: sqlite.selectFrom('signal_batches').select(['seq', 'signals']).where('seq', '=', 0).compile().sql,
} as const;
