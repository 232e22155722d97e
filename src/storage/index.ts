export { openDatabase, migrate, type Db, type DbKind, type OpenedDb, type Trx } from './db.js';
export type * from './tables/index.js';
