import type { Kysely } from 'kysely';

/** Drill observers' marks, scores and corrective actions (src/drills). */
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
