/** Downtime operations: manual mode per department and business line, downtime numbers, paper forms, back-entry, reconciliation, the offline kit. */
export { downtimeRoutes, actorOf } from './routes.js';
export { downtimeContext, openForClose } from './service.js';
export { buildKit, type KitFile, type KitContacts } from './kit.js';
export { writeKit, printToPdf, findChromium } from './export.js';
export { exportRecords } from './retention.js';
export { DOWNTIME_PERMISSIONS } from './types.js';
export type { DowntimeContext } from './context.js';
