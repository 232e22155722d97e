/**
 * Test-only receiver for Lifeline's generic webhook: checks JSON, `X-Lifeline-Timestamp` (within 5 minutes,
 * equal to the body's `timestamp`) and `X-Lifeline-Signature: sha256=<hex HMAC of the raw body>`.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { echoOf, expectEqual, header, startHttpFake, type HttpChannelFake } from './http-fake.js';

export interface WebhookFakeOptions {
  secret?: string;
  /** A header that must be present with this value (e.g. Authorization). */
  requireHeader?: [string, string];
  now?: () => number;
}

export function startWebhookFake(opts: WebhookFakeOptions): Promise<HttpChannelFake> {
  const now = opts.now ?? Date.now;
  return startHttpFake({
    handle(req, behaviour) {
      expectEqual(req, 'method', req.method, 'POST');
      if (behaviour === 'unavailable') return { status: 500, body: echoOf(req) };
      if (opts.requireHeader && header(req, opts.requireHeader[0]) !== opts.requireHeader[1]) {
        return { status: 401, body: { error: 'unauthorized' } };
      }
      const ts = Number(header(req, 'x-lifeline-timestamp'));
      if (!Number.isInteger(ts) || Math.abs(now() / 1000 - ts) > 300) req.problems.push('X-Lifeline-Timestamp missing or stale');
      if (opts.secret) {
        const got = header(req, 'x-lifeline-signature') ?? '';
        const want = `sha256=${createHmac('sha256', opts.secret).update(req.body).digest('hex')}`;
        if (got.length !== want.length || !timingSafeEqual(Buffer.from(got), Buffer.from(want))) {
          req.problems.push('X-Lifeline-Signature mismatch');
          return { status: 401, body: { error: 'bad signature' } };
        }
      }
      if (behaviour === 'reject-auth') return { status: 403, body: { error: 'forbidden' } };
      if (!/^application\/json/i.test(header(req, 'content-type') ?? '')) req.problems.push('content-type is not JSON');
      const body = req.json as Record<string, unknown> | undefined;
      if (body?.type !== 'lifeline.notification') {
        req.problems.push('body is not a lifeline.notification');
        return { status: 400, body: { error: 'bad body' } };
      }
      expectEqual(req, 'body.timestamp', body.timestamp, ts);
      req.content = `${String(body.subject)}\n${String(body.text)}`;
      if (behaviour === 'rate-limit') return { status: 429, body: { error: 'slow down' }, headers: { 'Retry-After': '30' } };
      return { status: 204, body: '' };
    },
  });
}
