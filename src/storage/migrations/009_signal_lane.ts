import type { Kysely } from 'kysely';

/**
 * The processing lane's ledger (src/incidents/lane.ts): signals processed ahead of the journal cursor, each
 * with its journal row and place in it and its alert. Written in the transaction that processed them; the
 * rows the cursor has passed are deleted in the transaction that moves it. It holds a few rows at a time.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('signal_lane')
    .addColumn('signal_id', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('pos', 'integer', (c) => c.notNull())
    .addColumn('source', 'varchar(100)', (c) => c.notNull())
    .addColumn('dedup_key', 'varchar(300)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('signal_lane_seq').on('signal_lane').column('seq').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('signal_lane').execute();
}
