import type { Kysely } from 'kysely';

/**
 * What an incident's response knows beyond its facts (src/incidents/response.ts), as JSON: whether its scope
 * was assumed from the plan's default, how many outages it has had (a relapse after recovery re-arms the
 * plan's clocks), a person's recovery claim awaiting the monitoring's word, and flapping.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('incidents')
    .addColumn('response', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('incidents').dropColumn('response').execute();
}
