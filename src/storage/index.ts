export { openDatabase, migrate, type Db, type DbKind, type OpenedDb } from './db.js';
export type * from './tables.js';
