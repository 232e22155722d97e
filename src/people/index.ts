/** People, role holders and duty rosters: the public face of src/people. */
export { PeopleService, pagedRoles, type OnDutyItem } from './service.js';
export { PeopleStore } from './store.js';
export { whoHolds, findGaps, schedule } from './oncall.js';
export { importRoster, type ImportReport } from './importer.js';
export { linkAccounts, type AccountLinking } from './account-links.js';
export { peopleRoutes } from './routes.js';
export type * from './types.js';
