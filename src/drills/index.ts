export { DrillService, type DrillDeps } from './service.js';
export { drillRoutes } from './routes.js';
