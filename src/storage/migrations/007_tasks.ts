import type { Kysely } from 'kysely';

/** Group checklists: one row per plan checklist item instantiated for an incident (assignee, tick). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('incident_tasks')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('group_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('item_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('band', 'varchar(20)', (c) => c.notNull())
    .addColumn('text_zh', 'text', (c) => c.notNull())
    .addColumn('text_en', 'text', (c) => c.notNull())
    .addColumn('assignee', 'text')
    .addColumn('done_at', 'bigint')
    .addColumn('done_by', 'varchar(200)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('incident_tasks_item', ['incident_id', 'item_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('incident_tasks').execute();
}
