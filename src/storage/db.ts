import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, sql, type Transaction, PostgresDialect, SqliteAdapter, SqliteDialect, type DialectAdapter, type MigrationProvider } from 'kysely';
import pg from 'pg';
import type { Config } from '../config/index.js';
import type { Database } from './tables/index.js';
import { migrations } from './migrations/index.js';
import { cachingStatements } from './statement-cache.js';
import { privateDir, privateFile } from './private-files.js';

export type Db = Kysely<Database>;
/** A transaction on the one database: what a unit of work writes commits together. */
export type Trx = Transaction<Database>;
export type DbKind = 'sqlite' | 'postgres';

// bigint (int8) and numeric come back from pg as strings; our times are epoch ms and fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export interface OpenedDb {
  db: Db;
  kind: DbKind;
  /**
   * A transaction whose commit need not reach the disk before returning. Only for work that is derived
   * from rows already durable (processing stored signals, firing timers): after a power loss it is redone.
   */
  relaxed<T>(work: (trx: Trx) => Promise<T>): Promise<T>;
  /**
   * SQLite only: runs `work` on the raw better-sqlite3 handle while holding Kysely's connection, so prepared
   * statements can be reused on hot paths without interleaving with an open Kysely transaction.
   */
  withSqlite?<T>(work: (sqlite: SQLite.Database) => T): Promise<T>;
  close(): Promise<void>;
}

/** How long a process waits for another one's migrations of the same SQLite file (a fresh database on a loaded machine). */
const MIGRATION_WAIT_MS = 120_000;
const BUSY_TIMEOUT_MS = 5000;

/**
 * Two processes opening a fresh SQLite file at once (`lifeline start` and `lifeline token add`) would both migrate
 * it: Kysely takes no lock on SQLite. The migration run holds the write lock instead (BEGIN IMMEDIATE); the other
 * process waits for it and then finds nothing left to do.
 */
class MigrationLockingSqliteAdapter extends SqliteAdapter {
  override async acquireMigrationLock(db: Kysely<unknown>): Promise<void> {
    await sql.raw(`pragma busy_timeout = ${MIGRATION_WAIT_MS}`).execute(db);
    await sql`begin immediate`.execute(db);
  }
  override async releaseMigrationLock(db: Kysely<unknown>): Promise<void> {
    try {
      await sql`commit`.execute(db);
    } catch {
      // a failed statement may already have ended the transaction; its error is the one reported
    } finally {
      await sql.raw(`pragma busy_timeout = ${BUSY_TIMEOUT_MS}`).execute(db);
    }
  }
}
class LifelineSqliteDialect extends SqliteDialect {
  override createAdapter(): DialectAdapter {
    return new MigrationLockingSqliteAdapter();
  }
}

export function openDatabase(dbConfig: Config['db']): OpenedDb {
  if (dbConfig.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: dbConfig.url, max: 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const relaxed: OpenedDb['relaxed'] = (work) =>
      db.transaction().execute(async (trx) => {
        await sql`set local synchronous_commit = off`.execute(trx);
        return work(trx);
      });
    return { db, kind: 'postgres', relaxed, close: () => db.destroy() };
  }
  if (dbConfig.file !== ':memory:') {
    privateDir(path.dirname(dbConfig.file)); // the data folder: 0700
    privateFile(dbConfig.file); // 0600, and so its -wal and -shm files
  }
  const sqlite = new SQLite(dbConfig.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL'); // a 2xx promises the row survives power loss, not just a crash
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new LifelineSqliteDialect({ database: cachingStatements(sqlite) }) });
  const relaxed: OpenedDb['relaxed'] = (work) =>
    db.connection().execute(async (conn) => {
      await sql`pragma synchronous = NORMAL`.execute(conn);
      try {
        return await conn.transaction().execute(work);
      } finally {
        await sql`pragma synchronous = FULL`.execute(conn);
      }
    });
  const withSqlite: OpenedDb['withSqlite'] = (work) => db.connection().execute(async () => work(sqlite));
  return { db, kind: 'sqlite', relaxed, withSqlite, close: () => db.destroy() };
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrate(db: Db, kind: DbKind = 'sqlite'): Promise<void> {
  // On PostgreSQL, name the schema: otherwise Kysely finds the migration tables of any schema on the server.
  const schema = kind === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s : undefined;
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: 'lifeline_migrations',
    migrationLockTableName: 'lifeline_migrations_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed ?? ''} failed: ${(error as Error).message ?? String(error)}`);
  }
}
