/** Incident checklists over HTTP; registered with one line in src/http/extensions.ts. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseInput } from '../shared/parse-input.js';
import type { ChecklistService } from './service.js';

export const changeBody = z
  .object({
    done: z.boolean().optional(),
    /** a person of the directory: their id (a unique name or 工号 is resolved to it); null clears */
    assignee: z.string().max(200).nullable().optional(),
    /** Without sign-in (tests, drills): the plan role that acts. Ignored once sign-in is on. */
    by: z.string().min(1).optional(),
  })
  .strict();

/** Who acts and as which plan role (the composition root passes the same function the incident routes use). */
export type ChecklistActorOf = (request: FastifyRequest, claimed?: string) => { actor: string; role?: string };

const apiActor: ChecklistActorOf = (_request, claimed) => ({ actor: claimed ?? 'api', role: claimed });

export async function checklistRoutes(app: FastifyInstance, checklists: ChecklistService, actorOf: ChecklistActorOf = apiActor): Promise<void> {
  app.get<{ Params: { id: string } }>('/api/v1/incidents/:id/checklists', { config: { permission: 'incident.read' } }, async (request) => checklists.list(request.params.id));
  app.get<{ Params: { id: string } }>('/api/v1/incidents/:id/checklists/people', { config: { permission: 'incident.read' } }, async (request) => checklists.people(request.params.id));
  app.post<{ Params: { id: string; itemId: string } }>('/api/v1/incidents/:id/checklists/:itemId', { config: { permission: 'incident.act' } }, async (request) => {
    const { by, ...change } = parseInput(changeBody, request.body ?? {});
    const { actor, role } = actorOf(request, by);
    return checklists.change(request.params.id, request.params.itemId, change, actor, role);
  });
}
