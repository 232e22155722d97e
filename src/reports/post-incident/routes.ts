/**
 * The post-incident report API: the DOCX and PDF of an incident, its review, and corrective actions (per incident,
 * and the open ones across incidents). One line in src/http/extensions.ts.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { attachmentDisposition } from '../../downtime/export.js';
import { parseInput } from '../../shared/parse-input.js';
import type { Db } from '../../storage/index.js';
import { isCalendarDay } from './format.js';
import type { CorrectiveActionView, OpenCorrectiveActionView, ReviewView } from './review.js';
import type { PostIncidentReports } from './service.js';

const READ = { config: { permission: 'incident.read' } };
const EDIT = { config: { permission: 'review.edit' } };
export const REVIEW_TEXT_MAX = 10_000;

const text = z.string().max(REVIEW_TEXT_MAX, `at most ${REVIEW_TEXT_MAX} characters`);
const title = z.string().trim().min(1, 'give a title').max(200, 'at most 200 characters');
const personId = z.string().min(1, 'choose an owner').max(40);
const day = z.string().refine(isCalendarDay, 'a calendar day YYYY-MM-DD');

/** The request bodies and queries of the report API (the web app's request types are inferred from them: src/http/contract.ts). */
export const reviewSchemas = {
  review: z.object({ summary: text.optional(), rootCause: text.optional(), lessons: text.optional() }).strict(),
  newAction: z.object({ title, ownerPersonId: personId, due: day, note: z.string().max(2000).optional() }).strict(),
  changeAction: z
    .object({ title: title.optional(), ownerPersonId: personId.optional(), due: day.optional(), state: z.enum(['open', 'done']).optional(), note: z.string().max(2000).nullable().optional() })
    .strict(),
  reportQuery: z.object({ lang: z.enum(['zh-CN', 'zh', 'en']).optional() }).strict(),
  actionsQuery: z.object({ state: z.enum(['open']).optional() }).strict(),
};

/** GET /incidents/:id/corrective-actions */
export interface CorrectiveActionListResponse {
  items: CorrectiveActionView[];
}
/** GET /corrective-actions?state=open: open across incidents, overdue first; `today` is the hospital's day. */
export interface OpenCorrectiveActionListResponse {
  today: string;
  items: OpenCorrectiveActionView[];
}
/** GET /corrective-actions/owners: who may own an action (active people of the directory; names only). */
export interface ActionOwnersResponse {
  items: { id: string; name: string; department: string }[];
}
export type { CorrectiveActionView, OpenCorrectiveActionView, ReviewView };

type Params = { Params: { id: string } };

/** Who acts: the signed-in person; without sign-in (in-process tests) `api`. Never a name the client sends. */
const actorOf = (request: FastifyRequest): string => (request as { principal?: { name?: string } | null }).principal?.name ?? 'api';

export function reviewRoutes(app: FastifyInstance, deps: { reports: PostIncidentReports; db: Db }): void {
  const { reports } = deps;
  const { review } = reports;

  for (const ext of ['docx', 'pdf'] as const) {
    app.get<Params>(`/api/v1/incidents/:id/report.${ext}`, READ, async (req, reply) => {
      const q = parseInput(reviewSchemas.reportQuery, req.query, 'query');
      const lang = q.lang === 'en' ? 'en' : 'zh-CN';
      const file = ext === 'docx' ? await reports.docx(req.params.id, lang) : await reports.pdf(req.params.id, lang);
      return reply.type(file.contentType).header('content-disposition', attachmentDisposition(file.filename)).header('cache-control', 'no-store').send(file.body);
    });
  }

  app.get<Params>('/api/v1/incidents/:id/review', READ, async (req) => (await review.review(req.params.id)) satisfies ReviewView);
  app.put<Params>('/api/v1/incidents/:id/review', EDIT, async (req) => review.saveReview(req.params.id, parseInput(reviewSchemas.review, req.body), actorOf(req)));

  app.get<Params>('/api/v1/incidents/:id/corrective-actions', READ, async (req) => ({ items: await review.actions(req.params.id) }) satisfies CorrectiveActionListResponse);
  app.post<Params>('/api/v1/incidents/:id/corrective-actions', EDIT, async (req, reply) =>
    reply.status(201).send(await review.addAction(req.params.id, parseInput(reviewSchemas.newAction, req.body), actorOf(req))),
  );
  app.patch<Params>('/api/v1/corrective-actions/:id', EDIT, async (req) => review.changeAction(req.params.id, parseInput(reviewSchemas.changeAction, req.body), actorOf(req)));
  app.get('/api/v1/corrective-actions', READ, async (req) => {
    parseInput(reviewSchemas.actionsQuery, req.query, 'query');
    return { today: review.today(), items: await review.openActions() } satisfies OpenCorrectiveActionListResponse;
  });
  app.get('/api/v1/corrective-actions/owners', EDIT, async () => {
    const rows = await deps.db.selectFrom('people').select(['id', 'name', 'department']).where('active', '=', 1).orderBy('name').limit(5000).execute();
    return { items: rows } satisfies ActionOwnersResponse;
  });
}
