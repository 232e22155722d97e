import { PostgresAdapter, type Kysely } from 'kysely';

/** Migrations that need a dialect's own SQL (triggers, identity columns) ask which one they run on. */
export async function isPostgres(db: Kysely<any>): Promise<boolean> {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
