import type { Kysely } from 'kysely';

/** Notification channels set up in the browser, secrets encrypted (src/notify). */
export async function up(_db: Kysely<any>): Promise<void> {}

export async function down(_db: Kysely<any>): Promise<void> {}
