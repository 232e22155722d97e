import type { ColumnType } from 'kysely';

/**
 * The hash-chain columns of an append-only audit table (migration 013_audit_chain, src/storage/chain.ts):
 * `chain_seq` orders the table's chain (assigned at insert), `prev_hash` is the previous entry's `hash`, and
 * `hash` is SHA-256 over the entry's canonical content and `prev_hash`. Only `appendChained` supplies them on
 * insert, and no update may set them: a direct `insertInto` of a chained table does not type-check.
 */
export interface ChainColumns {
  chain_seq: ColumnType<number, number, never>;
  prev_hash: ColumnType<string, string, never>;
  hash: ColumnType<string, string, never>;
}

/** A chained table: its content row plus the chain columns. */
export type Chained<Row> = Row & ChainColumns;
