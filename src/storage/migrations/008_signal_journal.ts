import type { Kysely } from 'kysely';
import { signalBatchesTable } from '../journal-statements.js';
import { isPostgres } from './dialect.js';

/**
 * The intake journal: every accepted signal, durably, one row per group commit (src/intake/signal-log.ts).
 * The engine admits journal rows in order into `signals` (what changed something) and remembers how far
 * it got in `signal_cursor`, in the same transaction as the changes they caused.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = await isPostgres(db);
  await signalBatchesTable(db.schema, pg ? 'bigserial' : 'integer').execute();
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
