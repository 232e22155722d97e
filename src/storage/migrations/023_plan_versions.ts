import type { Kysely } from 'kysely';

/** Uploaded plan versions and the hash-chained record of their activations (src/plan/versions.ts). */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('plan_versions')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('seq', 'integer', (c) => c.notNull().unique())
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('plan_id', 'varchar(200)')
    .addColumn('plan_version', 'varchar(200)')
    .addColumn('uploaded_at', 'bigint', (c) => c.notNull())
    .addColumn('uploaded_by', 'varchar(200)', (c) => c.notNull())
    .addColumn('errors', 'integer', (c) => c.notNull())
    .addColumn('warnings', 'integer', (c) => c.notNull())
    .addColumn('findings', 'text', (c) => c.notNull())
    .addColumn('activated_at', 'bigint')
    .addColumn('activated_by', 'varchar(200)')
    .execute();
  await db.schema
    .createTable('plan_activations')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('id', 'varchar(40)', (c) => c.notNull().unique())
    .addColumn('version_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor', 'varchar(200)', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('hash', 'varchar(64)', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('plan_activations').execute();
  await db.schema.dropTable('plan_versions').execute();
}
