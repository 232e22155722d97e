import type { Kysely } from 'kysely';

/** Drill catalogue, schedule and runs (src/drills). */
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
