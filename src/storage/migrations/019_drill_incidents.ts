import type { Kysely } from 'kysely';

/** Drill incidents (src/incidents, src/drills/marking): incidents.drill_run_id and time factor. */
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
