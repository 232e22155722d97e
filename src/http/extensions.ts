import type { FastifyInstance } from 'fastify';
import type { Platform } from '../platform.js';
import { webRoutes } from './web.js';
import { intakeRoutes } from '../intake/routes.js';
import { authRoutes } from '../auth/routes.js';
import { downtimeRoutes } from '../downtime/index.js';
import { pagingRoutes } from '../notify/index.js';
import { checklistRoutes } from '../tasks/index.js';

/** Route sets of the other domains, registered after the core routes. One line per domain. */
export const appExtensions: ((app: FastifyInstance, p: Platform) => void | Promise<void>)[] = [
  authRoutes,
  intakeRoutes,
  downtimeRoutes,
  pagingRoutes, // people, on-call, paging (src/people, src/notify)
  checklistRoutes, // incident group checklists (src/tasks)
  webRoutes, // keep last: the web app's client-side routes
];
