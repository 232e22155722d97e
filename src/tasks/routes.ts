/** Incident checklists over HTTP; registered with one line in src/http/extensions.ts. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseInput } from '../shared/parse-input.js';
import type { ChecklistService } from './service.js';

export const changeBody = z
  .object({
    done: z.boolean().optional(),
    assignee: z.string().max(200).nullable().optional(),
  })
  .strict();

/** The signed-in person; without sign-in (drills, tests) the API itself. */
const actorOf = (request: FastifyRequest): string => (request as { principal?: { name?: string } | null }).principal?.name ?? 'api';

export async function checklistRoutes(app: FastifyInstance, checklists: ChecklistService): Promise<void> {
  app.get<{ Params: { id: string } }>('/api/v1/incidents/:id/checklists', { config: { permission: 'incident.read' } }, async (request) => checklists.list(request.params.id));
  app.post<{ Params: { id: string; itemId: string } }>('/api/v1/incidents/:id/checklists/:itemId', { config: { permission: 'incident.act' } }, async (request) =>
    checklists.change(request.params.id, request.params.itemId, parseInput(changeBody, request.body ?? {}), actorOf(request)),
  );
}
