export { openDatabase, migrate, type Db, type DbKind, type OpenedDb, type Trx } from './db.js';
export type * from './tables/index.js';
export { appendChained, verifyChain, verifyChains, CHAINED_TABLES, type ChainBreak, type ChainReport, type ChainedTable } from './chain.js';
