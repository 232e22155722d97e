import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

/**
 * Records that stand as evidence are never changed in place: a submission to a regulator (the file as sent, its
 * sha256) and a plan activation (hash-chained). The database itself refuses UPDATE, DELETE and TRUNCATE on them,
 * as it does for the audit chains (migration 013).
 */
const TABLES = ['regulator_report_submissions', 'plan_activations'] as const;
const REFUSED = 'records of submissions and plan activations are append-only: never updated or deleted';

export async function up(db: Kysely<any>): Promise<void> {
  if (await isPostgres(db)) {
    await sql`create function record_refuse_change() returns trigger language plpgsql as $$
      begin raise exception '${sql.raw(REFUSED)}' using errcode = 'restrict_violation'; end $$`.execute(db);
    for (const t of TABLES) {
      await sql`create trigger ${sql.id(`${t}_no_update`)} before update on ${sql.table(t)} for each row execute function record_refuse_change()`.execute(db);
      await sql`create trigger ${sql.id(`${t}_no_delete`)} before delete on ${sql.table(t)} for each row execute function record_refuse_change()`.execute(db);
      await sql`create trigger ${sql.id(`${t}_no_truncate`)} before truncate on ${sql.table(t)} for each statement execute function record_refuse_change()`.execute(db);
    }
    return;
  }
  for (const t of TABLES) {
    await sql`create trigger ${sql.id(`${t}_no_update`)} before update on ${sql.table(t)} begin select raise(abort, '${sql.raw(REFUSED)}'); end`.execute(db);
    await sql`create trigger ${sql.id(`${t}_no_delete`)} before delete on ${sql.table(t)} begin select raise(abort, '${sql.raw(REFUSED)}'); end`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = await isPostgres(db);
  for (const t of TABLES) {
    for (const name of [`${t}_no_update`, `${t}_no_delete`, ...(pg ? [`${t}_no_truncate`] : [])]) {
      if (pg) await sql`drop trigger if exists ${sql.id(name)} on ${sql.table(t)}`.execute(db);
      else await sql`drop trigger if exists ${sql.id(name)}`.execute(db);
    }
  }
  if (pg) await sql`drop function if exists record_refuse_change()`.execute(db);
}
