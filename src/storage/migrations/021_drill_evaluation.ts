import type { Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

/**
 * Drill evaluation (src/drills): planned dates per catalogue entry, reminders sent (once each), observers' marks
 * (with an optional photo), the computed score of each run, and corrective actions decided after a drill.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const bytes = (await isPostgres(db)) ? 'bytea' : 'blob';
  await db.schema
    .createTable('drill_schedule')
    .addColumn('catalogue_id', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('planned_date', 'varchar(10)')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'varchar(200)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('drill_reminders')
    .addColumn('id', 'varchar(300)', (c) => c.primaryKey())
    .addColumn('catalogue_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('remind_before', 'varchar(40)', (c) => c.notNull())
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addColumn('recipients', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('drill_marks')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('run_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('group_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('step_key', 'varchar(300)', (c) => c.notNull())
    .addColumn('outcome', 'varchar(10)', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('photo', bytes)
    .addColumn('photo_type', 'varchar(20)')
    .addColumn('marked_at', 'bigint', (c) => c.notNull())
    .addColumn('marked_by', 'varchar(200)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('drill_marks_step').unique().on('drill_marks').columns(['run_id', 'step_key']).execute();
  await db.schema
    .createTable('drill_scores')
    .addColumn('run_id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('catalogue_id', 'varchar(100)')
    .addColumn('overall', 'integer', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('drill_actions')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('run_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('title', 'varchar(200)', (c) => c.notNull())
    .addColumn('owner_person_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('due', 'varchar(10)', (c) => c.notNull())
    .addColumn('state', 'varchar(10)', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'varchar(200)', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'varchar(200)', (c) => c.notNull())
    .addColumn('done_at', 'bigint')
    .addColumn('done_by', 'varchar(200)')
    .execute();
  await db.schema.createIndex('drill_actions_open').on('drill_actions').columns(['state', 'due']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['drill_actions', 'drill_scores', 'drill_marks', 'drill_reminders', 'drill_schedule']) await db.schema.dropTable(t).execute();
}
