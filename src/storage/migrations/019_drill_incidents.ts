import type { Kysely } from 'kysely';

/**
 * Drill incidents (src/incidents, src/drills): an incident opened by a drill carries its run and time factor
 * (deadlines divided by it); real ones have nulls. Indexed for the screens that leave drills out.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('incidents').addColumn('drill_run_id', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('drill_time_factor', 'double precision').execute();
  await db.schema.createIndex('incidents_drill_run').on('incidents').column('drill_run_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('incidents_drill_run').execute();
  await db.schema.alterTable('incidents').dropColumn('drill_time_factor').execute();
  await db.schema.alterTable('incidents').dropColumn('drill_run_id').execute();
}
