import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { principalActor } from '../auth/actor.js';
import { parseInput } from '../shared/parse-input.js';
import type { DrillService } from './service.js';

const RUN = { config: { permission: 'drill.run' } };
const READ = { config: { permission: 'incident.read' } };

/** POST /api/v1/drills/runs: a catalogue drill of the plan, or a scenario's YAML text (the `simulate` format). */
export const startRunBody = z
  .object({
    catalogueId: z.string().trim().min(1).max(100).optional(),
    scenarioYaml: z.string().min(1).max(200_000).optional(),
    timeFactor: z.number().min(1, 'at least 1').max(1000, 'at most 1000').optional(),
  })
  .strict()
  .refine((b) => b.catalogueId !== undefined || b.scenarioYaml !== undefined, { message: 'give catalogueId or scenarioYaml', path: ['scenarioYaml'] });

/** The signed-in person; without sign-in (in-process tests) `api`. */
const actorOf = (request: FastifyRequest): string => (request.principal ? principalActor(request).actor : 'api');

/** The drills' HTTP API (`/api/v1/drills…`): runs on the live system. */
export async function drillRoutes(app: FastifyInstance, drills: DrillService): Promise<void> {
  app.post('/api/v1/drills/runs', RUN, async (req, reply) => {
    const b = parseInput(startRunBody, req.body ?? {});
    return reply.status(201).send(await drills.startRun({ ...b, organiser: actorOf(req) }));
  });
  app.get('/api/v1/drills/runs', READ, async () => ({ items: await drills.listRuns() }));
  app.get<{ Params: { id: string } }>('/api/v1/drills/runs/:id', READ, async (req) => drills.getRun(req.params.id));
  app.post<{ Params: { id: string } }>('/api/v1/drills/runs/:id/pause', RUN, async (req) => drills.pauseRun(req.params.id, actorOf(req)));
  app.post<{ Params: { id: string } }>('/api/v1/drills/runs/:id/resume', RUN, async (req) => drills.resumeRun(req.params.id, actorOf(req)));
  app.post<{ Params: { id: string } }>('/api/v1/drills/runs/:id/end', RUN, async (req) => drills.endRun(req.params.id, actorOf(req)));
}
