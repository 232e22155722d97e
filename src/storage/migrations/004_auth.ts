import type { Kysely } from 'kysely';

/** Sign-in: local accounts, sessions, API tokens and the sign-in audit (src/auth). Times are epoch ms. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('auth_users')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('username', 'varchar(64)', (c) => c.notNull().unique()) // lower case
    .addColumn('display_name', 'varchar(100)', (c) => c.notNull()) // recorded as the actor in timelines
    .addColumn('role', 'varchar(30)', (c) => c.notNull())
    .addColumn('plan_role', 'varchar(60)') // overrides the role's plan role
    .addColumn('password_hash', 'text', (c) => c.notNull()) // argon2id, PHC string
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('password_changed_at', 'bigint', (c) => c.notNull())
    .addColumn('disabled_at', 'bigint')
    .execute();

  await db.schema
    .createTable('auth_sessions')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey()) // sha256 (hex) of the cookie value; the value itself is never stored
    .addColumn('user_id', 'varchar(40)', (c) => c.notNull())
    .addColumn('csrf_token', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull()) // absolute expiry; idle expiry is last_seen_at + idle
    .addColumn('ip', 'varchar(64)', (c) => c.notNull())
    .addColumn('user_agent', 'varchar(300)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('auth_sessions_user').on('auth_sessions').column('user_id').execute();

  await db.schema
    .createTable('auth_tokens')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(100)', (c) => c.notNull()) // unique among active tokens (checked in code)
    .addColumn('role', 'varchar(30)', (c) => c.notNull())
    .addColumn('plan_role', 'varchar(60)')
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique()) // sha256 (hex)
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('auth_tokens_name').on('auth_tokens').column('name').execute();

  await db.schema
    .createTable('auth_signins')
    .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('username', 'varchar(64)', (c) => c.notNull()) // as typed (lower case), known or not
    .addColumn('user_id', 'varchar(40)')
    .addColumn('outcome', 'varchar(20)', (c) => c.notNull()) // success | failure | locked | throttled | disabled | logout | unlock
    .addColumn('reason', 'varchar(60)')
    .addColumn('ip', 'varchar(64)', (c) => c.notNull())
    .addColumn('user_agent', 'varchar(300)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('auth_signins_user').on('auth_signins').columns(['username', 'at']).execute();
  await db.schema.createIndex('auth_signins_ip').on('auth_signins').columns(['ip', 'at']).execute();
}
