import { sql, type Kysely } from 'kysely';
import { CHAINED_TABLES, entryHash, GENESIS } from '../chain.js';
import { isPostgres } from './dialect.js';

/**
 * Tamper-evident records (src/storage/chain.ts): the timeline, the sign-in audit and the downtime event log get
 * `chain_seq`, `prev_hash` and `hash`; the rows already there are chained in the order they were written (ids
 * are time-ordered), and from then on the database refuses UPDATE and DELETE on those tables (downtime_events
 * refused DELETE already, migration 003).
 */
const REFUSED = 'audit records are append-only (hash-chained): never updated or deleted';

export async function up(db: Kysely<any>): Promise<void> {
  const pg = await isPostgres(db);
  for (const table of CHAINED_TABLES) {
    await db.schema.alterTable(table).addColumn('chain_seq', 'bigint').execute();
    await db.schema.alterTable(table).addColumn('prev_hash', 'varchar(64)').execute();
    await db.schema.alterTable(table).addColumn('hash', 'varchar(64)').execute();
    let seq = 0;
    let prev = GENESIS;
    let after: string | null = null;
    for (;;) {
      let q = db.selectFrom(table).selectAll().orderBy('id').limit(1000);
      if (after !== null) q = q.where('id', '>', after);
      const rows = await q.execute();
      for (const row of rows) {
        seq += 1;
        const hash = entryHash(table, seq, row, prev);
        await db.updateTable(table).set({ chain_seq: seq, prev_hash: prev, hash }).where('id', '=', row.id).execute();
        prev = hash;
        after = row.id;
      }
      if (rows.length < 1000) break;
    }
    await db.schema.createIndex(`${table}_chain`).on(table).column('chain_seq').unique().execute();
  }

  if (pg) {
    await sql`create function audit_refuse_change() returns trigger language plpgsql as $$
      begin raise exception '${sql.raw(REFUSED)}' using errcode = 'restrict_violation'; end $$`.execute(db);
    for (const t of CHAINED_TABLES) {
      await sql`create trigger ${sql.id(`${t}_no_update`)} before update on ${sql.table(t)} for each row execute function audit_refuse_change()`.execute(db);
      if (t !== 'downtime_events') {
        await sql`create trigger ${sql.id(`${t}_no_delete`)} before delete on ${sql.table(t)} for each row execute function audit_refuse_change()`.execute(db);
        await sql`create trigger ${sql.id(`${t}_no_truncate`)} before truncate on ${sql.table(t)} for each statement execute function audit_refuse_change()`.execute(db);
      }
    }
  } else {
    for (const t of CHAINED_TABLES) {
      await sql`create trigger ${sql.id(`${t}_no_update`)} before update on ${sql.table(t)} begin select raise(abort, '${sql.raw(REFUSED)}'); end`.execute(db);
      if (t !== 'downtime_events') await sql`create trigger ${sql.id(`${t}_no_delete`)} before delete on ${sql.table(t)} begin select raise(abort, '${sql.raw(REFUSED)}'); end`.execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = await isPostgres(db);
  for (const t of CHAINED_TABLES) {
    const drops = t === 'downtime_events' ? [`${t}_no_update`] : [`${t}_no_update`, `${t}_no_delete`, ...(pg ? [`${t}_no_truncate`] : [])];
    for (const name of drops) {
      if (pg) await sql`drop trigger if exists ${sql.id(name)} on ${sql.table(t)}`.execute(db);
      else await sql`drop trigger if exists ${sql.id(name)}`.execute(db);
    }
    await db.schema.dropIndex(`${t}_chain`).ifExists().execute();
    for (const c of ['hash', 'prev_hash', 'chain_seq']) await db.schema.alterTable(t).dropColumn(c).execute();
  }
  if (pg) await sql`drop function if exists audit_refuse_change()`.execute(db);
}
