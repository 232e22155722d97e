import type { Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

/**
 * Regulator report submissions (src/reports/regulators): each time a person records a report to an authority as
 * submitted — which report (the plan's rule id and the obligation it met), when it was sent, by whom, to whom, the
 * authority's reference number — with the file as sent (bytes and sha256). Rows are never changed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const bytes = (await isPostgres(db)) ? 'bytea' : 'blob';
  await db.schema
    .createTable('regulator_report_submissions')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('incident_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('rule_id', 'varchar(80)', (c) => c.notNull())
    .addColumn('obligation_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('submitted_at', 'bigint', (c) => c.notNull())
    .addColumn('submitted_by', 'varchar(200)', (c) => c.notNull())
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .addColumn('recipient', 'varchar(200)', (c) => c.notNull())
    .addColumn('reference', 'varchar(100)', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('file_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('file_type', 'varchar(120)', (c) => c.notNull())
    .addColumn('file_size', 'bigint', (c) => c.notNull())
    .addColumn('file_sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('file_data', bytes, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('regulator_report_submissions_incident').on('regulator_report_submissions').columns(['incident_id', 'rule_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('regulator_report_submissions').execute();
}
