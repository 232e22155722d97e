import type { Kysely } from 'kysely';

/** Uploaded plan versions and which is active (src/plan, src/http). */
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
