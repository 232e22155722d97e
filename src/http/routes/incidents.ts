import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ActorOf } from '../../auth/types.js';
import type { Lifeline } from '../../app/compose.js';
import { LEVEL_IDS, SCOPES, SYSTEM_STATES, TALLY_CATEGORIES } from '../../plan/types.js';
import { parseInput } from '../../shared/parse-input.js';
import { actionPermission } from '../../auth/roles.js';
import type { IncidentSummary } from '../../incidents/view.js';

const systemRef = z.object({ system: z.string().min(1), component: z.string().optional(), state: z.enum(SYSTEM_STATES).optional() }).strict();
const tally = z.record(z.enum(TALLY_CATEGORIES), z.number().int().min(0).max(1_000_000));
export const impactBody = z
  .object({
    scope: z.enum(SCOPES).optional(),
    flags: z.union([z.array(z.string().min(1)), z.record(z.boolean())]).optional(),
    tally: tally.optional(),
    scenario: z.string().min(1).nullable().optional(),
    systems: z.array(systemRef.extend({ state: z.enum(SYSTEM_STATES) })).optional(),
    /** The national cyber-incident grade (the plan's national_grading: 特别重大, 重大, 较大, 一般); null clears it. */
    nationalGrade: z.string().min(1).max(20).nullable().optional(),
    /** When these facts began, if earlier than now (the person who records it and when are kept too). */
    since: z.string().datetime({ offset: true }).optional(),
  })
  .strict();
export const openBody = z
  .object({
    title: z.string().min(1).max(300),
    systems: z.array(z.union([z.string().min(1), systemRef])).default([]),
    scope: z.enum(SCOPES).optional(),
    scenario: z.string().min(1).optional(),
    flags: z.array(z.string().min(1)).optional(),
    tally: tally.optional(),
    by: z.string().min(1).optional(),
  })
  .strict();
export const actionBody = z
  .object({
    type: z.string().min(1),
    level: z.enum(LEVEL_IDS).optional(),
    reason: z.string().max(2000).optional(),
    obligation: z.string().optional(),
    note: z.string().max(2000).optional(),
    by: z.string().min(1).optional(),
  })
  .strict();
const listQuery = z.object({ state: z.enum(['open', 'all', 'responding', 'recovering', 'closed']).default('open'), limit: z.coerce.number().int().min(1).max(1000).default(200) });

/** GET /api/v1/incidents: summaries (no level history, timeline or alerts; GET /api/v1/incidents/:id has them). */
export interface IncidentListResponse {
  items: IncidentSummary[];
}

const defaultActor: ActorOf = (_req, claimed) => ({ actor: claimed ?? 'api', role: claimed });

export function incidentRoutes(app: FastifyInstance, p: Pick<Lifeline, 'engine' | 'incidents'>, actorOf: ActorOf = defaultActor): void {
  app.get('/api/v1/incidents', { config: { permission: 'incident.read' } }, async (request) => {
    const q = parseInput(listQuery, request.query, 'query');
    return { items: await p.incidents.list(q) } satisfies IncidentListResponse;
  });

  app.get<{ Params: { id: string } }>('/api/v1/incidents/:id', { config: { permission: 'incident.read' } }, async (request) => p.incidents.get(request.params.id));

  app.post('/api/v1/incidents', { config: { permission: 'incident.open' } }, async (request, reply) => {
    const body = parseInput(openBody, request.body);
    const { actor } = actorOf(request, body.by);
    const systems = body.systems.map((s) => (typeof s === 'string' ? { system: s } : s));
    const id = await p.engine.openIncident({ title: body.title, systems, scope: body.scope, scenario: body.scenario, impact: { flags: body.flags, tally: body.tally } }, actor);
    return reply.status(201).send(await p.incidents.get(id));
  });

  app.post<{ Params: { id: string } }>('/api/v1/incidents/:id/impact', { config: { permission: 'incident.impact' } }, async (request) => {
    const { since, ...body } = parseInput(impactBody, request.body);
    const { actor } = actorOf(request);
    await p.engine.recordImpact(request.params.id, { ...body, ...(since ? { since: Date.parse(since) } : {}) }, actor);
    return p.incidents.get(request.params.id);
  });

  app.post<{ Params: { id: string } }>(
    '/api/v1/incidents/:id/actions',
    { config: { permission: (request) => actionPermission((request.body as { type?: unknown } | null)?.type) } },
    async (request) => {
      const body = parseInput(actionBody, request.body);
      const { actor, role, personId } = actorOf(request, body.by);
      await p.engine.act(request.params.id, { ...body, reason: body.reason ?? '' } as never, actor, role, personId);
      return p.incidents.get(request.params.id);
    },
  );
}
