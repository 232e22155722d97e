import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Lifeline } from '../app/compose.js';
import { checkRequestText } from '../shared/parse-input.js';
import { clientErrorHandler, frameworkErrors, installJsonParser, installProblemHandler } from './problem.js';
import { principalActor } from '../auth/actor.js';
import { installAuth } from '../auth/hook.js';
import { dutyRoutes } from './routes/duties.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { incidentRoutes } from './routes/incidents.js';
import { myDutyRoutes } from './routes/my-duties.js';
import type { ActorOf } from '../auth/types.js';
import { planRoutes } from './routes/plan.js';
import { signalRoutes } from './routes/signals.js';

export interface AppOptions {
  actorOf?: ActorOf;
  /** Extra route sets of other domains (intake formats, people, auth, web…), registered in order. */
  extensions?: ((app: FastifyInstance, l: Lifeline) => void | Promise<void>)[];
  logger?: boolean;
  /**
   * Sign-in and the permission check of every route (src/auth/hook.ts); the actor is then the signed-in person.
   * `lifeline start` turns it on. Off only for in-process tests of another domain, which act as the plan role
   * named in `by`.
   */
  auth?: boolean;
}

/** The HTTP server over one composed Lifeline: core routes, then every extension, behind the one permission check. */
export async function buildApp(p: Lifeline, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: (options.logger === false ? undefined : p.log) as FastifyBaseLogger | undefined,
    bodyLimit: 5 * 1024 * 1024,
    logController: new LogController({ disableRequestLogging: true }),
    // refusals before routing (bad %-encoding, an over-long path parameter, headers over Node's limit): problem+json too
    frameworkErrors,
    clientErrorHandler,
  }) as unknown as FastifyInstance;
  installProblemHandler(app);
  installJsonParser(app);
  // before sign-in: a NUL in a path parameter or query value is the client's mistake (400), not a database fault
  app.addHook('onRequest', async (request) => checkRequestText(request.params, request.query));
  if (options.auth) await installAuth(app, p.auth); // before any route: it checks them all
  healthRoutes(app, p);
  planRoutes(app, p);
  signalRoutes(app, p);
  incidentRoutes(app, p, options.actorOf ?? (options.auth ? principalActor : undefined));
  eventRoutes(app, p);
  dutyRoutes(app, p);
  myDutyRoutes(app, p);
  for (const extend of options.extensions ?? []) await extend(app, p);
  return app;
}
