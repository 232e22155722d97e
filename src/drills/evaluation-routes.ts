/**
 * The drills' evaluation API: catalogue and calendar (planned dates), the observers' sheet and marks with photos,
 * scores, the drill report (DOCX, PDF) and corrective actions. One line in src/http/extensions.ts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { principalActor } from '../auth/actor.js';
import { attachmentDisposition } from '../downtime/export.js';
import { isCalendarDay } from '../reports/post-incident/format.js';
import { parseInput } from '../shared/parse-input.js';
import type { DrillEvaluation } from './evaluation.js';
import { MARK_OUTCOMES, PHOTO_MAX_BYTES, PHOTO_TYPES } from './observers.js';

const OBSERVE = { config: { permission: 'drill.observe' } };
const RUN = { config: { permission: 'drill.run' } };

const day = z.string().refine(isCalendarDay, 'a calendar day YYYY-MM-DD');
export const drillEvaluationSchemas = {
  planned: z.object({ date: day.nullable() }).strict(),
  mark: z.object({ stepKey: z.string().min(1, 'choose a step').max(300), outcome: z.enum(MARK_OUTCOMES), note: z.string().max(2000, 'at most 2000 characters').nullable().optional() }).strict(),
  photoQuery: z.object({ step: z.string().min(1, 'choose a step').max(300) }).strict(),
  reportQuery: z.object({ lang: z.enum(['zh-CN', 'zh', 'en']).optional() }).strict(),
  newAction: z
    .object({
      title: z.string().trim().min(1, 'give a title').max(200, 'at most 200 characters'),
      ownerPersonId: z.string().min(1, 'choose an owner').max(40),
      due: day,
      note: z.string().max(2000).nullable().optional(),
    })
    .strict(),
  changeAction: z
    .object({
      title: z.string().trim().min(1, 'give a title').max(200).optional(),
      ownerPersonId: z.string().min(1).max(40).optional(),
      due: day.optional(),
      state: z.enum(['open', 'done']).optional(),
      note: z.string().max(2000).nullable().optional(),
    })
    .strict(),
  actionsQuery: z.object({ state: z.enum(['open']).optional() }).strict(),
};

type Params = { Params: { id: string } };
const actorOf = (request: FastifyRequest): string => (request.principal ? principalActor(request).actor : 'api');

export async function drillEvaluationRoutes(app: FastifyInstance, ev: DrillEvaluation): Promise<void> {
  app.get('/api/v1/drills/catalogue', OBSERVE, async () => ({ items: await ev.catalogue() }));
  app.get('/api/v1/drills/calendar', OBSERVE, async () => ({ months: await ev.calendar() }));
  app.put<Params>('/api/v1/drills/catalogue/:id/planned-date', RUN, async (req) => ev.setPlannedDate(req.params.id, parseInput(drillEvaluationSchemas.planned, req.body).date, actorOf(req)));
  app.get('/api/v1/drills/history', OBSERVE, async () => ({ items: await ev.history() }));

  app.get<Params>('/api/v1/drills/runs/:id/sheet', OBSERVE, async (req) => ev.sheet(req.params.id));
  app.put<Params>('/api/v1/drills/runs/:id/marks', OBSERVE, async (req) => {
    const input = parseInput(drillEvaluationSchemas.mark, req.body);
    return ev.observers.mark(await ev.run(req.params.id), input, actorOf(req));
  });
  app.get<Params>('/api/v1/drills/marks/:id/photo', OBSERVE, async (req, reply) => {
    const photo = await ev.observers.photoOf(req.params.id);
    return reply.type(photo.type).header('cache-control', 'private, max-age=300').send(photo.body);
  });
  // the photo as the request body (image/jpeg, image/png or image/webp; the bytes are checked, not the header)
  await app.register(async (scope) => {
    scope.addContentTypeParser([...PHOTO_TYPES, 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: PHOTO_MAX_BYTES }, (_req, body, done) => done(null, body));
    scope.put<Params>('/api/v1/drills/runs/:id/marks/photo', { ...OBSERVE, bodyLimit: PHOTO_MAX_BYTES }, async (req) => {
      const q = parseInput(drillEvaluationSchemas.photoQuery, req.query, 'query');
      await ev.run(req.params.id);
      return ev.observers.photo(req.params.id, q.step, req.body as Buffer, actorOf(req));
    });
  });

  app.get<Params>('/api/v1/drills/runs/:id/score', OBSERVE, async (req) => ev.score(req.params.id));
  app.post<Params>('/api/v1/drills/runs/:id/score', RUN, async (req) => ev.recompute(req.params.id));
  for (const ext of ['docx', 'pdf'] as const) {
    app.get<Params>(`/api/v1/drills/runs/:id/report.${ext}`, OBSERVE, async (req, reply) => {
      const q = parseInput(drillEvaluationSchemas.reportQuery, req.query, 'query');
      const file = await ev.report(req.params.id, q.lang === 'en' ? 'en' : 'zh-CN', ext);
      return reply.type(file.contentType).header('content-disposition', attachmentDisposition(file.filename)).header('cache-control', 'no-store').send(file.body);
    });
  }

  app.get<Params>('/api/v1/drills/runs/:id/actions', OBSERVE, async (req) => {
    await ev.run(req.params.id);
    return { today: ev.actions.today(), items: await ev.actions.list({ runId: req.params.id }) };
  });
  app.post<Params>('/api/v1/drills/runs/:id/actions', RUN, async (req, reply) => {
    const input = parseInput(drillEvaluationSchemas.newAction, req.body);
    await ev.run(req.params.id);
    return reply.status(201).send(await ev.actions.add(req.params.id, input, actorOf(req)));
  });
  app.patch<Params>('/api/v1/drills/actions/:id', RUN, async (req) => ev.actions.change(req.params.id, parseInput(drillEvaluationSchemas.changeAction, req.body), actorOf(req)));
  app.get('/api/v1/drills/actions', OBSERVE, async (req) => {
    const q = parseInput(drillEvaluationSchemas.actionsQuery, req.query, 'query');
    return { today: ev.actions.today(), items: await ev.actions.list({ open: q.state === 'open' }) };
  });
}
