import type { Kysely } from 'kysely';

/** Drill runs (src/drills/runs.ts): a scenario injected into the live engine on real time, durable across restarts. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('drill_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('catalogue_id', 'text')
    .addColumn('scenario_name', 'text', (c) => c.notNull())
    .addColumn('scenario_yaml', 'text', (c) => c.notNull())
    .addColumn('time_factor', 'double precision', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('organiser', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('paused_at', 'bigint')
    .addColumn('paused_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('ended_at', 'bigint')
    .addColumn('ended_by', 'text')
    .addColumn('next_step', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('steps_total', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('drill_runs_state').on('drill_runs').column('state').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('drill_runs').execute();
}
