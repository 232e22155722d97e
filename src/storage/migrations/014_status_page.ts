import type { Kysely } from 'kysely';

/**
 * Tables of the patient status page (src/publicity/status): SMS subscribers who opted in on the page (the code is
 * stored hashed) and patient feedback sent from it (attached to the open incident affecting the service).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('status_subscribers')
    .addColumn('phone', 'varchar(20)', (c) => c.primaryKey())
    .addColumn('services', 'text', (c) => c.notNull()) // JSON array of patient_services ids; [] = all
    .addColumn('lang', 'varchar(8)', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull()) // pending | confirmed | unsubscribed
    .addColumn('code_hash', 'varchar(64)')
    .addColumn('code_expires_at', 'bigint')
    .addColumn('code_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('code_sent_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('confirmed_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('status_subscribers_state').on('status_subscribers').column('state').execute();

  await db.schema
    .createTable('patient_feedback')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(40)')
    .addColumn('service', 'varchar(100)')
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('contact', 'varchar(200)')
    .addColumn('lang', 'varchar(8)', (c) => c.notNull())
    .addColumn('client_hash', 'varchar(64)', (c) => c.notNull()) // a keyed hash of the client address, never the address
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('answer', 'text')
    .addColumn('answered_by', 'varchar(200)')
    .addColumn('answered_at', 'bigint')
    .execute();
  await db.schema.createIndex('patient_feedback_incident').on('patient_feedback').columns(['incident_id', 'created_at']).execute();
  await db.schema.createIndex('patient_feedback_open').on('patient_feedback').columns(['answered_at', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('patient_feedback').execute();
  await db.schema.dropTable('status_subscribers').execute();
}
