import type { Kysely } from 'kysely';

/** Intake: sources and their keys, maintenance windows, Alertmanager API v2 alert state, heartbeats. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sources')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(100)', (c) => c.notNull().unique())
    .addColumn('type', 'varchar(30)', (c) => c.notNull())
    .addColumn('key_hash', 'varchar(64)', (c) => c.notNull().unique()) // sha256 of the key, base64url
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('severity_map', 'text', (c) => c.notNull()) // JSON {sender severity: colour}
    .addColumn('rules', 'text', (c) => c.notNull()) // JSON [{match, system, component}]
    .addColumn('options', 'text', (c) => c.notNull()) // JSON {period, resolveTimeout, system, component}
    .execute();

  await db.schema
    .createTable('maintenance_windows')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('system', 'varchar(100)', (c) => c.notNull())
    .addColumn('component', 'varchar(200)', (c) => c.notNull()) // '' = the whole system
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_by', 'varchar(100)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('cancelled_at', 'bigint')
    .execute();
  await db.schema.createIndex('maintenance_windows_system').on('maintenance_windows').columns(['system', 'ends_at']).execute();

  await db.schema
    .createTable('am_alerts')
    .addColumn('source', 'varchar(100)', (c) => c.notNull())
    .addColumn('fingerprint', 'varchar(300)', (c) => c.notNull())
    .addColumn('status', 'varchar(10)', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('signal', 'text', (c) => c.notNull()) // JSON of the last mapped signal, to resolve it on expiry
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('am_alerts_pk', ['source', 'fingerprint'])
    .execute();
  await db.schema.createIndex('am_alerts_due').on('am_alerts').columns(['status', 'expires_at']).execute();

  await db.schema
    .createTable('heartbeats')
    .addColumn('source', 'varchar(100)', (c) => c.primaryKey())
    .addColumn('state', 'varchar(10)', (c) => c.notNull()) // ok | missed
    .addColumn('last_beat_at', 'bigint', (c) => c.notNull())
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('alert_flaps')
    .addColumn('source', 'varchar(100)', (c) => c.notNull())
    .addColumn('dedup_key', 'varchar(300)', (c) => c.notNull())
    .addColumn('reopens', 'text', (c) => c.notNull()) // JSON [ms, …] of recent re-openings after a close
    .addPrimaryKeyConstraint('alert_flaps_pk', ['source', 'dedup_key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['alert_flaps', 'heartbeats', 'am_alerts', 'maintenance_windows', 'sources']) await db.schema.dropTable(t).execute();
}
