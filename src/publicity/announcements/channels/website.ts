/**
 * The hospital website: the announcement is POSTed as JSON to the configured URL, signed so the website can trust it:
 * `X-Lifeline-Timestamp: <unix seconds>` and `X-Lifeline-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`.
 * 2xx is published; 408, 429 and 5xx are retried; any other answer is a rejection (no automatic retry).
 */
import { createHmac } from 'node:crypto';
import type { PublicityConfig } from '../config.js';
import type { PublicChannel, Publishable } from '../types.js';

export const SIGNATURE_HEADER = 'X-Lifeline-Signature';
export const TIMESTAMP_HEADER = 'X-Lifeline-Timestamp';

/** The signature a receiver recomputes: sha256=hex(HMAC-SHA256(secret, `${timestamp}.${body}`)). */
export const websiteSignature = (secret: string, timestamp: string, body: string): string => `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

export function websiteBody(a: Publishable, statusUrl: string): string {
  return JSON.stringify({
    type: a.kind === 'all_clear' ? 'announcement.all_clear' : 'announcement.published',
    id: a.id,
    kind: a.kind,
    publishedAt: new Date(a.publishedAt).toISOString(),
    title: a.title,
    body: a.body,
    expectedRecoveryAt: a.expectedRecoveryAt === null ? null : new Date(a.expectedRecoveryAt).toISOString(),
    services: a.services,
    statusUrl,
  });
}

export const websiteChannel = (config: () => PublicityConfig): PublicChannel => ({
  kind: 'website',
  unavailable: () => (config().website ? null : 'NOT_CONFIGURED: no website URL and secret in publicity.yaml'),
  async publish(a, ctx) {
    const site = config().website;
    if (!site) return { ok: false, notConfigured: true, error: 'NOT_CONFIGURED: no website URL and secret in publicity.yaml' };
    const body = websiteBody(a, ctx.statusUrl);
    const timestamp = String(Math.floor(ctx.now() / 1000));
    let res: Response;
    try {
      res = await fetch(site.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: websiteSignature(site.secret, timestamp, body) },
        body,
        signal: ctx.signal,
      });
    } catch (err) {
      return { ok: false, error: `website unreachable: ${(err as Error).name === 'TimeoutError' ? 'timed out' : (err as Error).message}` };
    }
    const text = (await res.text().catch(() => '')).slice(0, 200);
    if (res.ok) return { ok: true, reference: `HTTP ${res.status}` };
    const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
    return { ok: false, retryable, error: `website answered HTTP ${res.status}${text && retryable ? '' : text ? `: ${text}` : ''}` };
  },
});
