import type { Kysely } from 'kysely';

/**
 * Announcements to patients (src/publicity/announcements): drafts, their approval and publication, and one
 * delivery row per public channel (status page, website, WeChat Official Account, SMS, on-site notice).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('announcements')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    // obligation:<obligation id> | all_clear:<incident id> for drafts prepared automatically (one each); null for updates by hand
    .addColumn('draft_key', 'varchar(200)', (c) => c.unique())
    .addColumn('incident_id', 'varchar(40)')
    .addColumn('obligation_id', 'varchar(40)')
    .addColumn('rule_id', 'varchar(40)')
    .addColumn('template_id', 'varchar(100)', (c) => c.notNull())
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('services', 'text', (c) => c.notNull())
    .addColumn('title_zh', 'text', (c) => c.notNull())
    .addColumn('body_zh', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text')
    .addColumn('body_en', 'text')
    .addColumn('expected_recovery_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'varchar(200)', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'varchar(200)', (c) => c.notNull())
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('approved_at', 'bigint')
    .addColumn('approved_by', 'varchar(200)')
    .addColumn('withdrawn_at', 'bigint')
    .addColumn('withdrawn_by', 'varchar(200)')
    .addColumn('withdraw_reason', 'text')
    .execute();
  await db.schema.createIndex('announcements_incident').on('announcements').columns(['incident_id', 'created_at']).execute();
  await db.schema.createIndex('announcements_state').on('announcements').columns(['state', 'approved_at']).execute();

  await db.schema
    .createTable('announcement_deliveries')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('announcement_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('channel', 'varchar(40)', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_at', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('reference', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addUniqueConstraint('announcement_deliveries_channel', ['announcement_id', 'channel'])
    .execute();
  await db.schema.createIndex('announcement_deliveries_due').on('announcement_deliveries').columns(['state', 'next_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('announcement_deliveries').execute();
  await db.schema.dropTable('announcements').execute();
}
