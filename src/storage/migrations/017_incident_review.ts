import type { Kysely } from 'kysely';

/**
 * The post-incident review (src/reports/post-incident): one review per incident (summary, root cause, lessons,
 * who wrote it last and when) and the corrective actions it decides, each a tracked item with an owner of the
 * directory and a due date (a local calendar day), shown until done.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('incident_reviews')
    .addColumn('incident_id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('root_cause', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('lessons', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'varchar(200)', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'varchar(200)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('corrective_actions')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull())
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
  await db.schema.createIndex('corrective_actions_incident').on('corrective_actions').columns(['incident_id', 'created_at']).execute();
  await db.schema.createIndex('corrective_actions_open').on('corrective_actions').columns(['state', 'due']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('corrective_actions').execute();
  await db.schema.dropTable('incident_reviews').execute();
}
