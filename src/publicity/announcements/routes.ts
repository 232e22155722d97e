/**
 * Announcement routes. Reading needs incident.read; changing (draft, edit, approve and publish, retry, withdraw)
 * needs publicity.manage. Approving records the plan's evidence as the signed-in person (never a name from the body).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { PUBLIC_CHANNELS } from '../../plan/types.js';
import { parseInput } from '../../shared/parse-input.js';
import type { AnnouncementService, Approver } from './service.js';
import { NOTICE_SIZES } from './notice.js';

const text = (max: number) =>
  z
    .object({
      zh: z.string().trim().min(1, 'must not be empty').max(max).optional(),
      en: z.string().trim().max(max).nullable().optional(),
    })
    .strict();
const channels = z
  .array(z.enum(PUBLIC_CHANNELS))
  .min(1, 'name at least one channel')
  .max(PUBLIC_CHANNELS.length)
  .refine((l) => new Set(l).size === l.length, 'a channel is named twice');

export const patchBody = z
  .object({
    title: text(200).optional(),
    body: text(5000).optional(),
    expectedRecoveryAt: z.string().datetime({ offset: true, message: 'an ISO 8601 date-time with its offset, e.g. 2026-03-02T11:30:00+08:00' }).nullable().optional(),
    channels: channels.optional(),
    revision: z.number().int().min(1).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).some((k) => k !== 'revision'), { message: 'nothing to change', path: ['body'] });
export const createBody = z.object({ template: z.string().min(1).max(100).optional() }).strict();
export const approveBody = z.object({ revision: z.number().int().min(1).optional() }).strict();
export const retryBody = z.object({ channel: z.enum(PUBLIC_CHANNELS).optional() }).strict();
export const withdrawBody = z.object({ reason: z.string().trim().min(1, 'say why').max(2000) }).strict();
const noticeQuery = z.object({ size: z.enum(NOTICE_SIZES).default('A4') }).strict();

type Params = { Params: { id: string } };

export function announcementRoutes(app: FastifyInstance, service: AnnouncementService, actorOf: (request: FastifyRequest) => Approver): void {
  const read = { config: { permission: 'incident.read' } };
  const manage = { config: { permission: 'publicity.manage' } };

  app.get('/api/v1/announcement-templates', read, async () => ({ items: service.templates() }));

  app.get<Params>('/api/v1/incidents/:id/announcements', read, async (request) => ({
    items: await service.list(request.params.id),
    statusUrl: service.statusUrl(),
  }));

  app.post<Params>('/api/v1/incidents/:id/announcements', manage, async (request, reply) => {
    const body = parseInput(createBody, request.body ?? {});
    return reply.status(201).send(await service.createDraft(request.params.id, body.template, actorOf(request)));
  });

  app.get<Params>('/api/v1/announcements/:id', read, async (request) => service.get(request.params.id));

  app.patch<Params>('/api/v1/announcements/:id', manage, async (request) => {
    const body = parseInput(patchBody, request.body);
    const { expectedRecoveryAt, ...rest } = body;
    return service.edit(
      request.params.id,
      { ...rest, ...(expectedRecoveryAt !== undefined ? { expectedRecoveryAt: expectedRecoveryAt === null ? null : Date.parse(expectedRecoveryAt) } : {}) },
      actorOf(request),
    );
  });

  app.post<Params>('/api/v1/announcements/:id/approve', manage, async (request) => {
    const body = parseInput(approveBody, request.body ?? {});
    return service.approve(request.params.id, actorOf(request), body.revision);
  });

  app.post<Params>('/api/v1/announcements/:id/retry', manage, async (request) => {
    const body = parseInput(retryBody, request.body ?? {});
    return service.retry(request.params.id, body.channel);
  });

  app.post<Params>('/api/v1/announcements/:id/withdraw', manage, async (request) => {
    const body = parseInput(withdrawBody, request.body);
    return service.withdraw(request.params.id, body.reason, actorOf(request));
  });

  app.get<Params>('/api/v1/announcements/:id/notice.pdf', read, async (request, reply) => {
    const q = parseInput(noticeQuery, request.query, 'query');
    const pdf = await service.noticePdf(request.params.id, q.size);
    return reply
      .type('application/pdf')
      .header('cache-control', 'no-store')
      .header('content-disposition', `inline; filename="notice-${request.params.id.replace(/[^\w-]/g, '')}-${q.size}.pdf"`)
      .send(pdf);
  });
}
