import type { Kysely } from 'kysely';

/** Tables of the post-incident review (root cause, corrective actions). */
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
