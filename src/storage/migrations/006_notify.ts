import type { Kysely } from 'kysely';

/** Paging: pages (who is asked what, repeats, deputies), the delivery outbox, link acknowledgements. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notify_pages')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('key', 'varchar(400)', (c) => c.notNull().unique())
    .addColumn('incident_id', 'varchar(40)')
    .addColumn('step', 'varchar(200)', (c) => c.notNull())
    .addColumn('reason', 'varchar(200)', (c) => c.notNull())
    .addColumn('role', 'varchar(100)', (c) => c.notNull())
    .addColumn('person_id', 'varchar(40)')
    .addColumn('obligation_id', 'varchar(40)')
    .addColumn('deputy_rank', 'integer', (c) => c.notNull())
    .addColumn('parent_id', 'varchar(40)')
    .addColumn('deputies', 'text', (c) => c.notNull())
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('repeat_every', 'bigint', (c) => c.notNull())
    .addColumn('repeat_limit', 'integer', (c) => c.notNull())
    .addColumn('next_repeat_at', 'bigint')
    .addColumn('message', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('acked_at', 'bigint')
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('notify_pages_incident').on('notify_pages').columns(['incident_id', 'person_id']).execute();
  await db.schema.createIndex('notify_pages_repeat').on('notify_pages').columns(['state', 'next_repeat_at']).execute();

  await db.schema
    .createTable('notify_deliveries')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('key', 'varchar(450)', (c) => c.notNull().unique())
    .addColumn('page_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('incident_id', 'varchar(40)')
    .addColumn('person_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('channel', 'varchar(100)', (c) => c.notNull())
    .addColumn('kind', 'varchar(40)', (c) => c.notNull())
    .addColumn('round', 'integer', (c) => c.notNull())
    .addColumn('status', 'varchar(12)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('provider_ref', 'varchar(200)')
    .addColumn('digest_id', 'varchar(40)')
    .execute();
  await db.schema.createIndex('notify_deliveries_due').on('notify_deliveries').columns(['status', 'next_at']).execute();
  await db.schema.createIndex('notify_deliveries_page').on('notify_deliveries').column('page_id').execute();
  await db.schema.createIndex('notify_deliveries_incident').on('notify_deliveries').column('incident_id').execute();

  await db.schema
    .createTable('notify_acks')
    .addColumn('page_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('action', 'varchar(40)', (c) => c.notNull())
    .addColumn('incident_id', 'varchar(40)')
    .addColumn('person_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('notify_acks_pk', ['page_id', 'action'])
    .execute();
  await db.schema.createIndex('notify_acks_incident').on('notify_acks').columns(['incident_id', 'person_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['notify_acks', 'notify_deliveries', 'notify_pages']) await db.schema.dropTable(t).execute();
}
