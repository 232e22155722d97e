/**
 * WeCom (企业微信) application message to one person, as Alertmanager's `wechat_configs` does:
 * `GET /cgi-bin/gettoken?corpid&corpsecret` → `access_token` (cached per config until `expires_in`,
 * judged by the injected clock), then `POST /cgi-bin/message/send?access_token=…` with
 * `touser = recipient.wecomUserId` and `agentid`. A token rejected as expired/invalid (42001/40014)
 * is refreshed once and the message re-sent.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Delivery, Notifier, Recipient, RenderedMessage, SendContext } from '../types.js';
import { composeText, defineNotifier, DRY_RUN, endpointSchema, excerpt, httpRequest, joinUrl, markedSubject, nowMs, outcomes, type Outcomes, truncateUtf8, vendorOutcome } from './support.js';
import { WECOM_ANSWERS, WECOM_ENDPOINT } from './wecom-robot.js';

/** Refresh this long before WeCom's own expiry, so a token never expires in flight. */
const TOKEN_MARGIN_MS = 5 * 60 * 1000;
const TOKEN_REJECTED = new Set([42001, 40014]);

export const wecomAppConfigSchema = z
  .object({
    corpId: z.string().min(1),
    corpSecret: z.string().min(1),
    agentId: z.number().int().positive(),
    /** `text` (default, also shown in WeChat), `markdown` (WeCom client only), `textcard` (title + ack button). */
    msgtype: z.enum(['text', 'markdown', 'textcard']).optional(),
    endpoint: endpointSchema.optional(),
  })
  .strict();
export type WecomAppConfig = z.infer<typeof wecomAppConfigSchema>;

interface CachedToken {
  token: string;
  expiresAt: number;
}
/** Module state keyed by endpoint + corpId + hash of the secret: one token per application. */
const tokens = new Map<string, CachedToken>();
const inflight = new Map<string, Promise<TokenResult>>();

/** Test/ops hook: forget every cached access token. */
export function clearWecomAppTokenCache(): void {
  tokens.clear();
  inflight.clear();
}

function cacheKey(config: WecomAppConfig): string {
  const secretHash = createHash('sha256').update(config.corpSecret).digest('hex').slice(0, 16);
  return `${config.endpoint ?? WECOM_ENDPOINT}|${config.corpId}|${secretHash}|${config.agentId}`;
}

type TokenResult = { ok: true; token: string } | { ok: false; delivery: Delivery };

async function fetchToken(config: WecomAppConfig, ctx: SendContext, out: Outcomes): Promise<TokenResult> {
  const what = 'WeCom gettoken';
  const url = `${joinUrl(config.endpoint ?? WECOM_ENDPOINT, '/cgi-bin/gettoken')}` + `?corpid=${encodeURIComponent(config.corpId)}&corpsecret=${encodeURIComponent(config.corpSecret)}`;
  const result = await httpRequest({ method: 'GET', url }, ctx, out, what);
  if (!result.ok) return result;
  const json = result.reply.json as { errcode?: unknown; errmsg?: unknown; access_token?: unknown; expires_in?: unknown } | undefined;
  const errcode = typeof json?.errcode === 'number' ? json.errcode : undefined;
  const token = typeof json?.access_token === 'string' ? json.access_token : '';
  const verdict = vendorOutcome(result.reply, out, what, {
    code: errcode,
    message: json?.errmsg,
    ok: errcode === 0 && token !== '',
    table: WECOM_ANSWERS,
  });
  if (verdict.status === 'failed') return { ok: false, delivery: verdict };
  const ttlSeconds = typeof json?.expires_in === 'number' ? json.expires_in : 7200;
  tokens.set(cacheKey(config), { token, expiresAt: nowMs(ctx) + ttlSeconds * 1000 - TOKEN_MARGIN_MS });
  return { ok: true, token };
}

async function accessToken(config: WecomAppConfig, ctx: SendContext, out: Outcomes, fresh: boolean): Promise<TokenResult> {
  const key = cacheKey(config);
  const cached = tokens.get(key);
  if (!fresh && cached && cached.expiresAt > nowMs(ctx)) return { ok: true, token: cached.token };
  tokens.delete(key);
  let pending = inflight.get(key);
  if (!pending) {
    pending = fetchToken(config, ctx, out).finally(() => inflight.delete(key));
    inflight.set(key, pending);
  }
  return pending;
}

export function wecomAppPayload(msg: RenderedMessage, to: Recipient, config: WecomAppConfig): Record<string, unknown> {
  const base = { touser: to.wecomUserId, agentid: config.agentId, safe: 0 };
  const link = msg.links.ack ?? msg.links.incident;
  const type = config.msgtype ?? 'text';
  if (type === 'textcard' && link) {
    return {
      ...base,
      msgtype: 'textcard',
      textcard: {
        title: truncateUtf8(markedSubject(msg), 128),
        description: truncateUtf8(msg.text, 512),
        url: link,
        btntxt: msg.links.ack ? '确认收到' : '详情',
      },
    };
  }
  if (type === 'markdown') {
    return { ...base, msgtype: 'markdown', markdown: { content: truncateUtf8(composeText(msg, 'markdown'), 2048) } };
  }
  return { ...base, msgtype: 'text', text: { content: truncateUtf8(composeText(msg, 'text'), 2048) } };
}

async function send(msg: RenderedMessage, to: Recipient, config: WecomAppConfig, ctx: SendContext): Promise<Delivery> {
  const out = outcomes([config.corpSecret]);
  const what = 'WeCom message/send';
  if (!to.wecomUserId) return out.permanent('WeCom app: recipient has no WeCom user id (wecomUserId)');
  const body = JSON.stringify(wecomAppPayload(msg, to, config));
  if (ctx.dryRun) return DRY_RUN;

  for (let attempt = 0; attempt < 2; attempt++) {
    const token = await accessToken(config, ctx, out, attempt > 0);
    if (!token.ok) return token.delivery;
    const scoped = outcomes([config.corpSecret, token.token]);
    const url = `${joinUrl(config.endpoint ?? WECOM_ENDPOINT, '/cgi-bin/message/send')}?access_token=${encodeURIComponent(token.token)}`;
    const result = await httpRequest({ method: 'POST', url, headers: { 'Content-Type': 'application/json' }, body }, ctx, scoped, what);
    if (!result.ok) return result.delivery;
    const json = result.reply.json as { errcode?: unknown; errmsg?: unknown; invaliduser?: unknown; msgid?: unknown } | undefined;
    const errcode = typeof json?.errcode === 'number' ? json.errcode : undefined;
    if (errcode !== undefined && TOKEN_REJECTED.has(errcode) && result.reply.status < 300) {
      if (attempt === 0) continue; // refresh the token once
      return scoped.permanent(`${what}: access token rejected again after refresh (errcode ${errcode})`);
    }
    if (errcode === 0 && typeof json?.invaliduser === 'string' && json.invaliduser.split('|').includes(to.wecomUserId)) {
      return scoped.permanent(`${what}: unknown WeCom user ${excerpt(to.wecomUserId, 64)} (invaliduser)`);
    }
    const verdict = vendorOutcome(result.reply, scoped, what, {
      code: errcode,
      message: json?.errmsg,
      ok: errcode === 0,
      table: WECOM_ANSWERS,
      providerRef: typeof json?.msgid === 'string' ? json.msgid : undefined,
    });
    return verdict;
  }
  return out.permanent(`${what}: access token rejected`); // unreachable: the loop always returns
}

export const wecomApp = defineNotifier({
  kind: 'wecom-app',
  configSchema: wecomAppConfigSchema,
  secrets: (c) => [c.corpSecret],
  send,
}) satisfies Notifier<WecomAppConfig>;
