/**
 * Routes of the patient status page. Public (no sign-in): GET /status (HTML, `?lang=en`), GET /api/v1/status
 * (JSON), POST /api/v1/status/feedback, POST /api/v1/status/subscriptions{,/confirm,/unsubscribe}. For the
 * publicity group (publicity.manage): the feedback queue and its answers, the webhook push's state.
 * The two GETs answer from memory (StatusPage's snapshot): no database work per request; ETag and 304.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FeedbackService } from './feedback.js';
import { RateLimitedError } from './limiter.js';
import type { StatusPage, StatusVariant } from './page.js';
import { NO_PUSH, type StatusPush } from './push.js';
import { escapeHtml, STATUS_CSP } from './render.js';
import { SMS_REPLY_ACK, type SmsReplies, type SmsReplyVendor } from './sms-replies.js';
import type { SubscriptionService } from './subscriptions.js';

export interface StatusRouteDeps {
  page: StatusPage;
  feedback: FeedbackService;
  subscriptions: SubscriptionService;
  smsReplies: SmsReplies;
  /** This server's public address for a request: LIFELINE_PUBLIC_URL when set, else the address the request came to. */
  publicUrlOf: (request: FastifyRequest) => string;
  push: StatusPush | null;
  /** Who acts (the signed-in person): passed in by the composition, as auth is a sibling module. */
  actorOf: (request: FastifyRequest) => { actor: string };
}

const CACHE = 'public, max-age=10, must-revalidate';

function sendVariant(request: FastifyRequest, reply: FastifyReply, v: StatusVariant, type: string): FastifyReply {
  reply.header('etag', v.etag).header('cache-control', CACHE).header('x-content-type-options', 'nosniff');
  const inm = request.headers['if-none-match'];
  if (inm?.split(',').some((t) => t.trim() === v.etag || t.trim() === `W/${v.etag}`)) return reply.code(304).send();
  return reply.type(type).send(v.bytes);
}

/** A plain HTML form (no script) gets a short page back instead of JSON. */
const wantsHtml = (request: FastifyRequest) => /^application\/x-www-form-urlencoded/i.test(request.headers['content-type'] ?? '') && !/json/i.test(request.headers.accept ?? '');

function formAnswer(reply: FastifyReply, lang: unknown, zh: string, en: string): FastifyReply {
  const isEn = lang === 'en';
  const back = isEn ? '/status?lang=en' : '/status';
  return reply
    .type('text/html; charset=utf-8')
    .header('content-security-policy', STATUS_CSP)
    .send(
      `<!doctype html><html lang="${isEn ? 'en' : 'zh-CN'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(isEn ? en : zh)}</title></head><body style="font:20px/1.6 sans-serif;margin:16px"><p>${escapeHtml(isEn ? en : zh)}</p><p><a href="${back}">${isEn ? 'Back to the status page' : '返回服务状态页'}</a></p></body></html>`,
    );
}

const clientOf = (request: FastifyRequest) => request.ip || 'unknown';
const langOf = (body: unknown) => (body && typeof body === 'object' ? (body as { lang?: unknown }).lang : undefined);

export function statusRoutes(app: FastifyInstance, d: StatusRouteDeps): void {
  // The two pages patients read: answered from memory; they log without a per-request child logger (its creation
  // costs more than the rest of the answer), so their log lines carry no request id.
  app.register(async (pages) => {
    pages.setChildLoggerFactory((logger) => logger);
    pages.get('/status', { config: { public: true } }, async (request, reply) => {
      const snapshot = d.page.peek() ?? (await d.page.current());
      const lang = (request.query as { lang?: string } | undefined)?.lang === 'en' ? 'en' : 'zh';
      reply.header('content-security-policy', STATUS_CSP).header('content-language', lang === 'en' ? 'en' : 'zh-CN');
      return sendVariant(request, reply, snapshot.html[lang], 'text/html; charset=utf-8');
    });
    pages.get('/status/', { config: { public: true } }, async (request, reply) => reply.redirect((request.query as { lang?: string } | undefined)?.lang === 'en' ? '/status?lang=en' : '/status', 301));

    pages.get('/api/v1/status', { config: { public: true } }, async (request, reply) => {
      const snapshot = d.page.peek() ?? (await d.page.current());
      return sendVariant(request, reply, snapshot.json, 'application/json; charset=utf-8');
    });
  });

  app.get('/api/v1/status/push', { config: { permission: 'publicity.manage' } }, async () => d.push?.status() ?? NO_PUSH);
  // patients' SMS replies, pushed by the vendor (TD unsubscribes); the addresses for the vendor's console
  app.get('/api/v1/status/sms-replies', { config: { permission: 'publicity.manage' } }, async (request) => ({
    urls: d.smsReplies.urls(d.publicUrlOf(request)),
  }));
  app.post<{ Params: { vendor: string; key: string } }>('/api/v1/status/sms-replies/:vendor/:key', { config: { public: true } }, async (request) => {
    const { vendor } = await d.smsReplies.receive(request.params.vendor, request.params.key, request.body);
    return SMS_REPLY_ACK[vendor as SmsReplyVendor];
  });

  app.register(async (scope) => {
    // the page's forms post without script as application/x-www-form-urlencoded
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) => {
      const out: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(body as string)) if (v !== '') out[k] = v;
      done(null, out);
    });
    scope.addHook('onError', async (_request, reply, error) => {
      if (error instanceof RateLimitedError) reply.header('retry-after', String(error.retryAfterSeconds));
    });

    scope.post('/api/v1/status/feedback', { config: { public: true } }, async (request, reply) => {
      const result = await d.feedback.submit(request.body, clientOf(request));
      if (wantsHtml(request)) return formAnswer(reply.code(200), langOf(request.body), '已收到您的留言，谢谢。', 'Thank you, your message has been received.');
      return reply.code(202).send(result);
    });

    scope.post('/api/v1/status/subscriptions', { config: { public: true } }, async (request, reply) => {
      const result = await d.subscriptions.requestCode(request.body, clientOf(request));
      if (wantsHtml(request)) return formAnswer(reply, langOf(request.body), '验证码已发送，请在状态页填写验证码并确认订阅。', 'The code is on its way; enter it on the status page to subscribe.');
      return reply.code(202).send(result);
    });
    scope.post('/api/v1/status/subscriptions/confirm', { config: { public: true } }, async (request, reply) => {
      const result = await d.subscriptions.confirm(request.body, clientOf(request));
      if (wantsHtml(request)) return formAnswer(reply, langOf(request.body), '订阅成功。', 'You are subscribed.');
      return result;
    });
    scope.post('/api/v1/status/subscriptions/unsubscribe', { config: { public: true } }, async (request, reply) => {
      const result = await d.subscriptions.unsubscribe(request.body);
      if (wantsHtml(request)) return formAnswer(reply, langOf(request.body), '已退订。', 'You are unsubscribed.');
      return result;
    });

    scope.get('/api/v1/status/feedback', { config: { permission: 'publicity.manage' } }, async (request) => {
      const q = (request.query ?? {}) as { open?: string };
      return { items: await d.feedback.list({ open: q.open === '1' || q.open === 'true' }) };
    });
    scope.get<{ Params: { id: string } }>('/api/v1/incidents/:id/feedback', { config: { permission: 'publicity.manage' } }, async (request) => ({
      items: await d.feedback.forIncident(request.params.id),
    }));
    scope.post<{ Params: { fid: string } }>('/api/v1/status/feedback/:fid/answer', { config: { permission: 'publicity.manage' } }, async (request) => {
      const { actor } = d.actorOf(request);
      return d.feedback.answer(request.params.fid, request.body, actor);
    });
  });
}
