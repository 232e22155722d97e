import type { Kysely } from 'kysely';

/**
 * History and figures (src/history): pages run newest first by (opened_at, id), and the figures look up each
 * incident's first acknowledgement by timeline kind.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('incidents_opened').on('incidents').columns(['opened_at', 'id']).execute();
  await db.schema.createIndex('timeline_kind_incident').on('timeline').columns(['kind', 'incident_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('timeline_kind_incident').execute();
  await db.schema.dropIndex('incidents_opened').execute();
}
