import type { Kysely } from 'kysely';

/** Notification channels set up in the browser, secrets encrypted (src/notify), and the tests sent on any channel. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notify_channel_settings')
    .addColumn('id', 'varchar(63)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(40)', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('secrets', 'text')
    .addColumn('route_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('route_roles', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'varchar(200)', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'varchar(200)', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('notify_channel_tests')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('channel', 'varchar(63)', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('person_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('person_name', 'varchar(200)', (c) => c.notNull())
    .addColumn('status', 'varchar(10)', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('by', 'varchar(200)', (c) => c.notNull())
    .execute();
  // the administration screen's "last delivery" of each channel
  await db.schema.createIndex('notify_deliveries_channel').on('notify_deliveries').columns(['channel', 'created_at']).execute();
  await db.schema.createIndex('notify_channel_tests_channel').on('notify_channel_tests').columns(['channel', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('notify_deliveries_channel').execute();
  await db.schema.dropTable('notify_channel_tests').execute();
  await db.schema.dropTable('notify_channel_settings').execute();
}
