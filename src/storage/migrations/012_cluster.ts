import { type Kysely, sql } from 'kysely';

/**
 * Cluster mode (several `lifeline start` on one PostgreSQL; src/storage/cluster.ts): the live nodes (heartbeats),
 * which node wrote the engine's state last (so a node knows when its in-memory copies may be stale), secrets
 * shared by every node, and who holds an outbox delivery while sending it (a lease another node takes over).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('cluster_nodes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('cluster_engine')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('node', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('cluster_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('notify_deliveries').addColumn('claimed_by', 'text').execute();
  await db.schema.alterTable('notify_deliveries').addColumn('claimed_until', 'bigint').execute();
  await sql`insert into cluster_engine (id, node, at) values (1, '', 0)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('notify_deliveries').dropColumn('claimed_until').execute();
  await db.schema.alterTable('notify_deliveries').dropColumn('claimed_by').execute();
  await db.schema.dropTable('cluster_secrets').execute();
  await db.schema.dropTable('cluster_engine').execute();
  await db.schema.dropTable('cluster_nodes').execute();
}
