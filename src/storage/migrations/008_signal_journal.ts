import type { Kysely } from 'kysely';
import { isPostgres } from './dialect.js';

/**
 * The intake journal: every accepted signal, durably, one row per group commit (src/intake/signal-log.ts).
 * The engine admits journal rows in order into `signals` (what changed something) and remembers how far
 * it got in `signal_cursor`, in the same transaction as the changes they caused.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = await isPostgres(db);
  await db.schema
    .createTable('signal_batches')
    .addColumn('seq', pg ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('signals', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('signal_cursor')
    .addColumn('name', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('signal_cursor').execute();
  await db.schema.dropTable('signal_batches').execute();
}
