/**
 * Paging over HTTP (registered in src/http/extensions.ts). The link routes are public (the signed token is the credential); the rest declare their permission for the auth hook.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AppError } from '../shared/errors.js';
import { parseInput } from '../shared/parse-input.js';
import { ACK_ACTIONS, type PagingService } from './service.js';
import { channelBody, channelUpdateBody } from './channel-store.js';
import { channelKinds, type ChannelOverview } from './channel-state.js';

export const ackBody = z.object({ action: z.enum(ACK_ACTIONS) }).strict();
const testBody = z.object({ channel: z.string().min(1), to: z.string().min(1) }).strict();
const channelTestBody = z.object({ to: z.string().min(1).max(200) }).strict();
export { channelBody, channelUpdateBody };

/** GET /api/v1/notify/channel-settings: every channel, the forms of the kinds, the plan's roles for routing. */
export interface ChannelSettingsResponse extends ChannelOverview {
  kinds: ReturnType<typeof channelKinds>;
  roles: ReturnType<PagingService['planRoles']>;
}
/** POST /api/v1/notify/channel-settings/:id/test */
export interface ChannelTestResponse {
  channel: string;
  person: { id: string; name: string };
  at: string;
  ms: number;
  delivery: { status: 'sent'; providerRef?: string } | { status: 'failed'; retryable: boolean; reason: string };
}

/** GET /api/v1/ack/:token: what a page's link is about (the phone page behind /a/<token>). */
export type AckInfo = Awaited<ReturnType<PagingService['ackInfo']>>;
/** POST /api/v1/ack/:token: the recorded answer and the obligations it met. */
export type AckResult = Awaited<ReturnType<PagingService['answer']>>;
/** One (page, round, channel) of the outbox: who, on which channel, for which step, with what result. */
export type DeliveryView = Awaited<ReturnType<PagingService['deliveries']>>[number];
/** GET /api/v1/incidents/:id/deliveries */
export interface DeliveryListResponse {
  items: DeliveryView[];
}

const actorOf = (request: FastifyRequest): string => (request as { principal?: { name?: string } | null }).principal?.name ?? 'api';

export async function pagingRoutes(app: FastifyInstance, paging: PagingService): Promise<void> {
  const roles = () => paging.planRoles();
  app.get<{ Params: { token: string } }>('/api/v1/ack/:token', { config: { public: true } }, async (request) => paging.ackInfo(request.params.token));
  app.post<{ Params: { token: string } }>('/api/v1/ack/:token', { config: { public: true } }, async (request) => paging.answer(request.params.token, parseInput(ackBody, request.body).action));

  // The check-in link (a DingTalk action card's 已到场 button): one tap records check_in exactly as the ack
  // page's button does, then shows the page's phone page; a second tap only shows it again.
  app.get<{ Params: { token: string } }>('/api/v1/check-in/:token', { config: { public: true } }, async (request, reply) => {
    const { token } = request.params;
    try {
      await paging.answer(token, 'check_in');
    } catch (err) {
      if (!(err instanceof AppError && err.code === 'ACK_ALREADY_USED')) throw err;
    }
    return reply.redirect(`/a/${encodeURIComponent(token)}`, 303);
  });
  app.post<{ Params: { token: string } }>('/api/v1/check-in/:token', { config: { public: true } }, async (request) => paging.answer(request.params.token, 'check_in'));

  app.get<{ Params: { id: string } }>(
    '/api/v1/incidents/:id/deliveries',
    { config: { permission: 'incident.read' } },
    async (request) =>
      ({
        items: await paging.deliveries(request.params.id),
      }) satisfies DeliveryListResponse,
  );

  app.get('/api/v1/notify/channels', { config: { permission: 'people.manage' } }, async () => ({
    items: [...paging.config.channels.values()].map((c) => ({ id: c.id, kind: c.kind, perMinute: c.perMinute, needs: c.address })),
    routing: paging.config.routing,
    repeat: paging.config.repeat,
  }));
  app.post('/api/v1/notify/test', { config: { permission: 'notify.test' } }, async (request) => {
    const body = parseInput(testBody, request.body);
    const attempt = await paging.sendTest(body.channel, body.to, actorOf(request));
    return { channel: attempt.channel, person: attempt.person, at: new Date(attempt.at).toISOString(), ms: attempt.ms, delivery: attempt.delivery };
  });

  // channels set up in the browser (channel.manage); notify.yaml's are listed read-only
  app.get('/api/v1/notify/channel-settings', { config: { permission: 'channel.manage' } }, async () => {
    const overview = await paging.channelOverview();
    return { ...overview, kinds: channelKinds(), roles: roles() } satisfies ChannelSettingsResponse;
  });
  app.post('/api/v1/notify/channel-settings', { config: { permission: 'channel.manage' } }, async (request, reply) => {
    const view = await paging.addChannel(parseInput(channelBody, request.body), actorOf(request));
    return reply.status(201).send(view);
  });
  app.put<{ Params: { id: string } }>('/api/v1/notify/channel-settings/:id', { config: { permission: 'channel.manage' } }, async (request) =>
    paging.updateChannel(request.params.id, parseInput(channelUpdateBody, request.body), actorOf(request)),
  );
  app.delete<{ Params: { id: string } }>('/api/v1/notify/channel-settings/:id', { config: { permission: 'channel.manage' } }, async (request, reply) => {
    await paging.removeChannel(request.params.id);
    return reply.status(204).send();
  });
  app.post<{ Params: { id: string } }>('/api/v1/notify/channel-settings/:id/test', { config: { permission: 'channel.manage' } }, async (request) => {
    const body = parseInput(channelTestBody, request.body);
    const attempt = await paging.sendTest(request.params.id, body.to, actorOf(request));
    return { channel: attempt.channel, person: attempt.person, at: new Date(attempt.at).toISOString(), ms: attempt.ms, delivery: attempt.delivery } satisfies ChannelTestResponse;
  });

  app.get<{ Params: { id: string } }>('/api/v1/people/:id/oncall-feed', { config: { permission: 'people.manage' } }, async (request) => {
    await paging.people.store.get(request.params.id);
    return { url: paging.feedUrl(request.params.id) };
  });
  app.get<{ Params: { token: string } }>('/api/v1/ical/:token', { config: { public: true } }, async (request, reply) =>
    reply.type('text/calendar; charset=utf-8').send(await paging.feed(request.params.token)),
  );
}
