import type { Kysely } from 'kysely';

/** People directory, role assignments (holders and ordered deputies), rotations, dated shifts/overrides, holiday calendar. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('people')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('employee_no', 'varchar(60)', (c) => c.unique())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('department', 'varchar(100)', (c) => c.notNull())
    .addColumn('title', 'varchar(100)', (c) => c.notNull())
    .addColumn('mobile', 'varchar(40)')
    .addColumn('phone', 'varchar(40)')
    .addColumn('email', 'varchar(200)')
    .addColumn('wecom_user_id', 'varchar(100)')
    .addColumn('dingtalk_user_id', 'varchar(100)')
    .addColumn('feishu_open_id', 'varchar(100)')
    .addColumn('channels', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('people_name').on('people').column('name').execute();
  await db.schema.createIndex('people_mobile').on('people').column('mobile').execute();

  await db.schema
    .createTable('role_assignees')
    .addColumn('role', 'varchar(100)', (c) => c.notNull())
    .addColumn('person_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('kind', 'varchar(10)', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_assignees_pk', ['role', 'person_id'])
    .execute();

  await db.schema
    .createTable('rotations')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('role', 'varchar(100)', (c) => c.notNull())
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('handover', 'varchar(5)', (c) => c.notNull())
    .addColumn('starts_on', 'varchar(10)', (c) => c.notNull())
    .addColumn('weekday', 'text', (c) => c.notNull())
    .addColumn('weekend', 'text')
    .addColumn('holiday', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('oncall_entries')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('role', 'varchar(100)', (c) => c.notNull())
    .addColumn('person_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('kind', 'varchar(10)', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'varchar(100)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('cancelled_at', 'bigint')
    .execute();
  await db.schema.createIndex('oncall_entries_role').on('oncall_entries').columns(['role', 'ends_at']).execute();

  await db.schema
    .createTable('oncall_calendar')
    .addColumn('day', 'varchar(10)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(10)', (c) => c.notNull())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['oncall_calendar', 'oncall_entries', 'rotations', 'role_assignees', 'people']) await db.schema.dropTable(t).execute();
}
