import type { Kysely } from 'kysely';

/**
 * One person: a sign-in account may be linked to the person of the people directory it belongs to, so that what
 * the account does (acknowledge, check in) counts for that person's pages. A person has at most one account.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('auth_users').addColumn('person_id', 'varchar(40)').execute();
  await db.schema.createIndex('auth_users_person').on('auth_users').column('person_id').unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('auth_users_person').execute();
  await db.schema.alterTable('auth_users').dropColumn('person_id').execute();
}
