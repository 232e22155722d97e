/**
 * Paging over HTTP, and the one registration of people + paging in src/http/extensions.ts. The link routes
 * are public (the signed token is the credential); the rest declare their permission for the auth hook.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parseInput } from '../shared/parse-input.js';
import { peopleRoutes } from '../people/routes.js';
import type { Platform } from '../platform.js';
import { ACK_ACTIONS, pagingService } from './service.js';

const ackBody = z.object({ action: z.enum(ACK_ACTIONS) }).strict();
const testBody = z.object({ channel: z.string().min(1), to: z.string().min(1) }).strict();

export async function pagingRoutes(app: FastifyInstance, p: Platform): Promise<void> {
  const paging = pagingService(p);
  app.addHook('onReady', async () => paging.start());
  app.addHook('onClose', async () => paging.stop());
  await peopleRoutes(app, p);

  app.get<{ Params: { token: string } }>('/api/v1/ack/:token', { config: { public: true } }, async (request) => paging.ackInfo(request.params.token));
  app.post<{ Params: { token: string } }>('/api/v1/ack/:token', { config: { public: true } }, async (request) =>
    paging.answer(request.params.token, parseInput(ackBody, request.body).action));

  app.get<{ Params: { id: string } }>('/api/v1/incidents/:id/deliveries', { config: { permission: 'incident.read' } }, async (request) => ({
    items: await paging.deliveries(request.params.id),
  }));

  app.get('/api/v1/notify/channels', { config: { permission: 'people.manage' } }, async () => ({
    items: [...paging.config.channels.values()].map((c) => ({ id: c.id, kind: c.kind, perMinute: c.perMinute, needs: c.address })),
    routing: paging.config.routing,
    repeat: paging.config.repeat,
  }));
  app.post('/api/v1/notify/test', { config: { permission: 'notify.test' } }, async (request) => {
    const body = parseInput(testBody, request.body);
    const attempt = await paging.sendTest(body.channel, body.to);
    return { channel: attempt.channel, person: attempt.person, at: new Date(attempt.at).toISOString(), ms: attempt.ms, delivery: attempt.delivery };
  });

  app.get<{ Params: { id: string } }>('/api/v1/people/:id/oncall-feed', { config: { permission: 'people.manage' } }, async (request) => {
    await paging.people.store.get(request.params.id);
    return { url: paging.feedUrl(request.params.id) };
  });
  app.get<{ Params: { token: string } }>('/api/v1/ical/:token', { config: { public: true } }, async (request, reply) =>
    reply.type('text/calendar; charset=utf-8').send(await paging.feed(request.params.token)));
}
