import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Lifeline } from '../app/compose.js';
import { principalActor } from '../auth/actor.js';
import { authRoutes } from '../auth/routes.js';
import { historyRoutes } from '../history/index.js';
import { downtimeRoutes } from '../downtime/index.js';
import { intakeRoutes } from '../intake/routes.js';
import { pagingRoutes } from '../notify/index.js';
import { peopleRoutes } from '../people/routes.js';
import { reviewRoutes } from '../reports/post-incident/index.js';
import { regulatorRoutes } from '../reports/regulators/index.js';
import { checklistRoutes } from '../tasks/index.js';
import { statusRoutes } from '../publicity/status/index.js';
import { announcementRoutes } from '../publicity/announcements/index.js';
import { drillRoutes } from '../drills/index.js';
import { drillEvaluationRoutes } from '../drills/evaluation-routes.js';
import { webRoutes } from './web.js';

export type RouteSet = (app: FastifyInstance, l: Lifeline) => void | Promise<void>;

/** The route sets of the other domains; each takes the services it uses. One line per domain. */
/**
 * This server's public address for texts people paste elsewhere (intake set-up, SMS reply addresses):
 * LIFELINE_PUBLIC_URL when it is given, else the address the request came to (a guess from host and port, such as
 * 0.0.0.0, would mislead).
 */
const publicUrlOf =
  (l: Lifeline) =>
  (request: FastifyRequest): string =>
    l.config.server.publicUrlSet ? l.config.server.publicUrl : `${request.protocol}://${request.host}`;

export const routeSets = {
  auth: (app, l) => authRoutes(app, { auth: l.auth, clock: l.clock, publicUrl: l.config.server.publicUrl }),
  intake: (app, l) => intakeRoutes(app, { intake: l.intake, bus: l.bus, clock: l.clock, publicUrlOf: publicUrlOf(l) }),
  downtime: (app, l) => downtimeRoutes(app, l.downtime),
  people: (app, l) => peopleRoutes(app, { people: l.people, db: l.db, plan: l.plan, clock: l.clock, timezone: l.config.timezone }),
  paging: (app, l) => pagingRoutes(app, l.paging),
  checklists: (app, l) => checklistRoutes(app, l.checklists, (request, claimed) => (request.principal ? principalActor(request) : { actor: claimed ?? 'api', role: claimed })),
  history: (app, l) => historyRoutes(app, { history: l.history, clock: l.clock }),
  review: (app, l) => reviewRoutes(app, { reports: l.postIncident, db: l.db }),
  regulators: (app, l) => regulatorRoutes(app, l.regulators),
  status: (app, l) =>
    statusRoutes(app, {
      page: l.statusPage.page,
      feedback: l.statusPage.feedback,
      subscriptions: l.statusPage.subscriptions,
      smsReplies: l.statusPage.smsReplies,
      publicUrlOf: publicUrlOf(l),
      push: l.statusPage.push,
      actorOf: (request) => (request.principal ? principalActor(request) : { actor: 'api' }),
    }),
  announcements: (app, l) => announcementRoutes(app, l.announcements, (request) => (request.principal ? principalActor(request) : { actor: 'api' })),
  drills: (app, l) => drillRoutes(app, l.drills),
  drillEvaluation: (app, l) => drillEvaluationRoutes(app, l.drillEvaluation),
  web: (app) => webRoutes(app),
} satisfies Record<string, RouteSet>;

/** Every route set, registered after the core routes, in the order above (the web app's client-side routes last). */
export const appExtensions: RouteSet[] = Object.values(routeSets);
