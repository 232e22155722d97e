/**
 * Generic outbound webhook: POST the rendered message as JSON to any URL (an internal paging gateway, a
 * hospital integration engine…). With a shared `secret`, every request carries
 * `X-Lifeline-Signature: sha256=<hex HMAC-SHA256 of the raw body>` and `X-Lifeline-Timestamp: <unix s>`;
 * the same timestamp is inside the signed body, so receivers can reject replays. `short` is the SMS wording and
 * `spoken` the wording for a voice call (for a drill, the plan's `drills.marking.voice_template`; otherwise `short`).
 */
import { z } from 'zod';
import type { Delivery, Notifier, Recipient, RenderedMessage, SendContext } from '../types.js';
import { webhookSignature } from './signing/robots.js';
import { defineNotifier, DRY_RUN, endpointSchema, httpRequest, markedSubject, nowMs, outcomes, sent, statusFailure } from './support.js';

export const SIGNATURE_HEADER = 'X-Lifeline-Signature';
export const TIMESTAMP_HEADER = 'X-Lifeline-Timestamp';
const RESERVED_HEADERS = /^(content-type|content-length|host|x-lifeline-.*)$/i;

export const webhookConfigSchema = z
  .object({
    url: endpointSchema,
    /** Shared HMAC secret; strongly recommended (at least 16 characters). */
    secret: z.string().min(16, 'at least 16 characters').optional(),
    /** Extra headers (e.g. `Authorization`); their values are treated as secrets. */
    headers: z
      .record(z.string().regex(/^[A-Za-z0-9-]+$/, 'a header name'), z.string())
      .refine((h) => Object.keys(h).every((k) => !RESERVED_HEADERS.test(k)), 'Content-Type, Host and X-Lifeline-* are set by Lifeline')
      .optional(),
  })
  .strict();
export type WebhookConfig = z.infer<typeof webhookConfigSchema>;

export function webhookBody(msg: RenderedMessage, to: Recipient, timestamp: number): string {
  return JSON.stringify({
    type: 'lifeline.notification',
    version: 1,
    timestamp,
    test: msg.test === true,
    subject: markedSubject(msg),
    text: msg.text,
    markdown: msg.markdown,
    short: msg.short,
    spoken: msg.spoken ?? msg.short,
    links: msg.links,
    ...(msg.templateParams ? { templateParams: msg.templateParams } : {}),
    recipient: to,
  });
}

async function send(msg: RenderedMessage, to: Recipient, config: WebhookConfig, ctx: SendContext): Promise<Delivery> {
  const extra = config.headers ?? {};
  const out = outcomes([config.secret, ...Object.values(extra), new URL(config.url).password || undefined]);
  const what = 'Webhook';
  const timestamp = Math.floor(nowMs(ctx) / 1000);
  const body = webhookBody(msg, to, timestamp);
  const headers: Record<string, string> = {
    ...extra,
    'Content-Type': 'application/json; charset=utf-8',
    [TIMESTAMP_HEADER]: String(timestamp),
  };
  if (config.secret) headers[SIGNATURE_HEADER] = webhookSignature(config.secret, body);
  if (ctx.dryRun) return DRY_RUN;

  const result = await httpRequest({ method: 'POST', url: config.url, headers, body }, ctx, out, what);
  if (!result.ok) return result.delivery;
  return statusFailure(result.reply, out, what) ?? sent();
}

export const webhook = defineNotifier({
  kind: 'webhook',
  configSchema: webhookConfigSchema,
  secrets: (c) => [c.secret, ...Object.values(c.headers ?? {})],
  send,
}) satisfies Notifier<WebhookConfig>;
