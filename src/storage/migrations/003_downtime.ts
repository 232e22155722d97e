import { sql, type Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

/**
 * Downtime operations: manual-mode sessions, downtime number blocks and numbers, the paper-form register,
 * offline kits, back-entry items, checklist marks, patient tallies, reconciliation sign-offs, an append-only
 * event log and named counters. Records are kept for 15/30 years (plan `retention`): every table refuses
 * DELETE and TRUNCATE at the database level.
 */
const TABLES = [
  'downtime_sessions',
  'downtime_number_blocks',
  'downtime_numbers',
  'downtime_kits',
  'downtime_forms',
  'downtime_items',
  'downtime_checklist_marks',
  'downtime_tallies',
  'downtime_reconciliations',
  'downtime_events',
  'downtime_counters',
];
const RETAINED = 'downtime records are retained (medical-record retention): never deleted';

export async function up(db: Kysely<any>): Promise<void> {
  const id = (t: ReturnType<Kysely<any>['schema']['createTable']>) => t.addColumn('id', 'varchar(40)', (c) => c.primaryKey());

  await id(db.schema.createTable('downtime_sessions'))
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('business_line', 'varchar(60)', (c) => c.notNull())
    .addColumn('department', 'varchar(60)', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('started_by', 'varchar(200)', (c) => c.notNull())
    .addColumn('state_at', 'bigint', (c) => c.notNull())
    .addColumn('state_by', 'varchar(200)', (c) => c.notNull())
    .addColumn('waived_at', 'bigint')
    .addColumn('waived_by', 'varchar(200)')
    .addColumn('waiver_reason', 'text')
    .addColumn('retention_class', 'varchar(20)', (c) => c.notNull())
    .addColumn('retain_until', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('downtime_sessions_identity').unique().on('downtime_sessions').columns(['incident_id', 'business_line', 'department']).execute();

  await id(db.schema.createTable('downtime_number_blocks'))
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('prefix', 'varchar(20)', (c) => c.notNull())
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('range_start', 'bigint', (c) => c.notNull())
    .addColumn('range_end', 'bigint', (c) => c.notNull())
    .addColumn('next_seq', 'bigint', (c) => c.notNull())
    .addColumn('department', 'varchar(60)')
    .addColumn('window_label', 'varchar(100)')
    .addColumn('note', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'varchar(200)', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .execute();

  await id(db.schema.createTable('downtime_numbers'))
    .addColumn('block_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('number', 'varchar(40)', (c) => c.notNull().unique())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('channel', 'varchar(10)', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('issued_by', 'varchar(200)', (c) => c.notNull())
    .addColumn('incident_id', 'varchar(40)')
    .addColumn('session_id', 'varchar(40)')
    .addColumn('department', 'varchar(60)')
    .addColumn('state_at', 'bigint')
    .addColumn('state_by', 'varchar(200)')
    .addColumn('state_reason', 'text')
    .addColumn('retain_until', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('downtime_numbers_block_seq').unique().on('downtime_numbers').columns(['block_id', 'seq']).execute();
  await db.schema.createIndex('downtime_numbers_incident').on('downtime_numbers').columns(['incident_id', 'department']).execute();

  await id(db.schema.createTable('downtime_kits'))
    .addColumn('code', 'varchar(20)', (c) => c.notNull().unique())
    .addColumn('channel', 'varchar(10)', (c) => c.notNull())
    .addColumn('copies_per_form', 'integer', (c) => c.notNull())
    .addColumn('generated_at', 'bigint', (c) => c.notNull())
    .addColumn('generated_by', 'varchar(200)', (c) => c.notNull())
    .execute();

  await id(db.schema.createTable('downtime_forms'))
    .addColumn('serial', 'varchar(40)', (c) => c.notNull().unique())
    .addColumn('form_type', 'varchar(40)', (c) => c.notNull())
    .addColumn('batch_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('kit_id', 'varchar(40)')
    .addColumn('incident_id', 'varchar(40)')
    .addColumn('session_id', 'varchar(40)')
    .addColumn('department', 'varchar(60)')
    .addColumn('business_line', 'varchar(60)')
    .addColumn('number_id', 'varchar(40)')
    .addColumn('number', 'varchar(40)')
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('printed_at', 'bigint', (c) => c.notNull())
    .addColumn('printed_by', 'varchar(200)', (c) => c.notNull())
    .addColumn('paper', 'varchar(4)', (c) => c.notNull())
    .addColumn('state_at', 'bigint')
    .addColumn('state_by', 'varchar(200)')
    .addColumn('state_reason', 'text')
    .addColumn('retain_until', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('downtime_forms_batch').on('downtime_forms').column('batch_id').execute();
  await db.schema.createIndex('downtime_forms_incident').on('downtime_forms').columns(['incident_id', 'department']).execute();

  await id(db.schema.createTable('downtime_items'))
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('session_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('department', 'varchar(60)', (c) => c.notNull())
    .addColumn('business_line', 'varchar(60)', (c) => c.notNull())
    .addColumn('record_type', 'varchar(30)', (c) => c.notNull())
    .addColumn('form_id', 'varchar(40)', (c) => c.unique())
    .addColumn('serial', 'varchar(40)')
    .addColumn('temp_number', 'varchar(40)')
    .addColumn('number_id', 'varchar(40)')
    .addColumn('event_at', 'bigint')
    .addColumn('registered_at', 'bigint', (c) => c.notNull())
    .addColumn('registered_by', 'varchar(200)', (c) => c.notNull())
    .addColumn('hospital_id', 'varchar(100)')
    .addColumn('entered_at', 'bigint')
    .addColumn('entered_by', 'varchar(200)')
    .addColumn('verified_at', 'bigint')
    .addColumn('verified_by', 'varchar(200)')
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('late_entry', 'integer', (c) => c.notNull())
    .addColumn('overdue_entry', 'integer', (c) => c.notNull())
    .addColumn('charge_state', 'varchar(20)')
    .addColumn('charge_ref', 'varchar(100)')
    .addColumn('mi_status', 'varchar(20)')
    .addColumn('mi_at', 'bigint')
    .addColumn('merged_at', 'bigint')
    .addColumn('merged_by', 'varchar(200)')
    .addColumn('note', 'text')
    .addColumn('void_reason', 'text')
    .addColumn('retain_until', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('downtime_items_session').on('downtime_items').columns(['session_id', 'state']).execute();
  await db.schema.createIndex('downtime_items_incident').on('downtime_items').columns(['incident_id', 'department']).execute();
  await db.schema.createIndex('downtime_items_number').on('downtime_items').column('number_id').execute();

  await id(db.schema.createTable('downtime_checklist_marks'))
    .addColumn('session_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('step_id', 'varchar(60)', (c) => c.notNull())
    .addColumn('band', 'varchar(10)', (c) => c.notNull())
    .addColumn('done', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('by', 'varchar(200)', (c) => c.notNull())
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('downtime_checklist_marks_session').on('downtime_checklist_marks').columns(['session_id', 'at']).execute();

  await id(db.schema.createTable('downtime_tallies'))
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('department', 'varchar(60)', (c) => c.notNull())
    .addColumn('category', 'varchar(30)', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('by', 'varchar(200)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('downtime_tallies_incident').on('downtime_tallies').columns(['incident_id', 'at']).execute();

  await id(db.schema.createTable('downtime_reconciliations'))
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('session_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('by', 'varchar(200)', (c) => c.notNull())
    .addColumn('checks', 'text', (c) => c.notNull())
    .execute();

  await id(db.schema.createTable('downtime_events'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'varchar(200)', (c) => c.notNull())
    .addColumn('kind', 'varchar(50)', (c) => c.notNull())
    .addColumn('incident_id', 'varchar(40)')
    .addColumn('session_id', 'varchar(40)')
    .addColumn('subject', 'varchar(100)')
    .addColumn('data', 'text')
    .execute();
  await db.schema.createIndex('downtime_events_incident').on('downtime_events').columns(['incident_id', 'id']).execute();

  await db.schema
    .createTable('downtime_counters')
    .addColumn('name', 'varchar(60)', (c) => c.primaryKey())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .execute();

  if (await isPostgres(db)) {
    await sql`create function downtime_refuse_delete() returns trigger language plpgsql as $$
      begin raise exception '${sql.raw(RETAINED)}' using errcode = 'restrict_violation'; end $$`.execute(db);
    for (const t of TABLES) {
      await sql`create trigger ${sql.id(`${t}_no_delete`)} before delete on ${sql.table(t)} for each row execute function downtime_refuse_delete()`.execute(db);
      await sql`create trigger ${sql.id(`${t}_no_truncate`)} before truncate on ${sql.table(t)} for each statement execute function downtime_refuse_delete()`.execute(db);
    }
  } else {
    for (const t of TABLES) {
      await sql`create trigger ${sql.id(`${t}_no_delete`)} before delete on ${sql.table(t)} begin select raise(abort, '${sql.raw(RETAINED)}'); end`.execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [...TABLES].reverse()) await db.schema.dropTable(t).ifExists().execute();
  if (await isPostgres(db)) await sql`drop function if exists downtime_refuse_delete()`.execute(db);
}
