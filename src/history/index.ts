export { HistoryService, type HistoryDeps } from './service.js';
export { historyRoutes } from './routes.js';
export type * from './types.js';
