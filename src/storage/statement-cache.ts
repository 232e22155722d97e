import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Enough for every query the platform makes (multi-row inserts and `in` lists vary in length) and then some. */
const DEFAULT_CAPACITY = 1000;

/**
 * The SQLite handle as Kysely's driver sees it, with each query's statement prepared once and reused:
 * Kysely prepares every query it runs, and preparing (parsing the SQL, planning) costs more than running
 * the small queries and bulk inserts of a processing round. Least recently used statements are let go.
 */
export function cachingStatements(sqlite: SQLite.Database, capacity = DEFAULT_CAPACITY): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      if (cached && !cached.busy) {
        // busy: a stream still iterates it; that query gets a statement of its own
        statements.delete(sql);
        statements.set(sql, cached); // most recently used last
        return cached;
      }
      const statement = sqlite.prepare(sql);
      if (cached) return statement;
      statements.set(sql, statement);
      if (statements.size > capacity) statements.delete(statements.keys().next().value!);
      return statement;
    },
    close() {
      statements.clear();
      sqlite.close();
    },
  };
}
