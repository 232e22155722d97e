/**
 * Feishu / Lark custom bot (自定义机器人, wire-formats §4.3): POST JSON to `/open-apis/bot/v2/hook/<token>`.
 * Optional signing (签名校验): `timestamp` in SECONDS and `sign = base64(HMAC-SHA256(key = timestamp + "\n" +
 * secret, msg = ""))`, both in the JSON body. Sends an interactive card (default) or plain text.
 * Success `{"code":0}` (older `{"StatusCode":0}`); answers in `FEISHU_ANSWERS`.
 */
import { z } from 'zod';
import type { Delivery, Notifier, Recipient, RenderedMessage, SendContext } from '../types.js';
import { feishuSign } from './signing/robots.js';
import { type AnswerTable, composeText, defineNotifier, DRY_RUN, endpointSchema, httpRequest, joinUrl, markedSubject, nowMs, outcomes, vendorOutcome } from './support.js';

export const FEISHU_ENDPOINT = 'https://open.feishu.cn';
/**
 * Feishu's answers (custom bot: https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot , "常见问题";
 * limits 100/min and 5/s per bot). 9499 is Feishu's generic "Bad Request": with HTTP 400 the request itself is
 * wrong and fails over; only "too many requests" (HTTP 429 or its message) is worth retrying. Codes not listed
 * fail over, unless the HTTP status is 5xx/429.
 */
export const FEISHU_ANSWERS: AnswerTable = [
  { code: 11232, verdict: 'retry', why: 'frequency limited' },
  { code: 9499, when: (m, status) => status === 429 || /too many|frequen|limit/i.test(m), verdict: 'retry', why: 'rate limited' },
  { code: 9499, verdict: 'fail-over', why: 'malformed request' },
  { code: /^(19001|19002)$/, verdict: 'fail-over', why: 'unknown webhook token' },
  { code: 19021, verdict: 'fail-over', why: 'signature or timestamp rejected' },
  { code: 19022, verdict: 'fail-over', why: 'IP not allowed' },
  { code: 19024, verdict: 'fail-over', why: 'keyword missing' },
];
const CARD_TEMPLATES = ['red', 'orange', 'yellow', 'green', 'turquoise', 'blue', 'indigo', 'purple', 'violet', 'carmine', 'wathet', 'grey'] as const;

export const feishuBotConfigSchema = z
  .object({
    /** The last path segment of the bot's webhook URL. */
    token: z.string().regex(/^[A-Za-z0-9_-]{8,}$/, 'the token at the end of the webhook URL'),
    /** The 签名校验 secret; omit only for bots secured by keyword or IP allow-list. */
    secret: z.string().min(1).optional(),
    msgType: z.enum(['interactive', 'text']).optional(),
    /** Card header colour (default red; test messages are grey). */
    cardTemplate: z.enum(CARD_TEMPLATES).optional(),
    /** `https://open.larksuite.com` for Lark. */
    endpoint: endpointSchema.optional(),
  })
  .strict();
export type FeishuBotConfig = z.infer<typeof feishuBotConfigSchema>;

export function feishuContent(msg: RenderedMessage, to: Recipient, config: FeishuBotConfig): Record<string, unknown> {
  const name = (to.name ?? '').replace(/[<>]/g, '');
  if ((config.msgType ?? 'interactive') === 'text') {
    const mention = to.feishuOpenId ? `\n<at user_id="${to.feishuOpenId}">${name}</at>` : '';
    return { msg_type: 'text', content: { text: composeText(msg, 'text') + mention } };
  }
  const mention = to.feishuOpenId ? `\n<at id=${to.feishuOpenId}></at>` : '';
  const elements: unknown[] = [{ tag: 'div', text: { tag: 'lark_md', content: msg.markdown + mention } }];
  const actions: unknown[] = [];
  if (msg.links.ack) {
    actions.push({ tag: 'button', text: { tag: 'plain_text', content: '确认收到' }, url: msg.links.ack, type: 'primary' });
  }
  if (msg.links.incident) {
    actions.push({ tag: 'button', text: { tag: 'plain_text', content: '查看事件' }, url: msg.links.incident, type: 'default' });
  }
  if (actions.length) elements.push({ tag: 'action', actions });
  return {
    msg_type: 'interactive',
    card: {
      config: { wide_screen_mode: true },
      header: {
        title: { tag: 'plain_text', content: markedSubject(msg) },
        template: msg.test ? 'grey' : (config.cardTemplate ?? 'red'),
      },
      elements,
    },
  };
}

async function send(msg: RenderedMessage, to: Recipient, config: FeishuBotConfig, ctx: SendContext): Promise<Delivery> {
  const out = outcomes([config.token, config.secret]);
  const what = 'Feishu bot';
  const url = joinUrl(config.endpoint ?? FEISHU_ENDPOINT, `/open-apis/bot/v2/hook/${encodeURIComponent(config.token)}`);
  const signing: Record<string, string> = {};
  if (config.secret) {
    const timestamp = Math.floor(nowMs(ctx) / 1000);
    signing.timestamp = String(timestamp);
    signing.sign = feishuSign(config.secret, timestamp);
  }
  const body = JSON.stringify({ ...signing, ...feishuContent(msg, to, config) });
  if (ctx.dryRun) return DRY_RUN;

  const result = await httpRequest({ method: 'POST', url, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body }, ctx, out, what);
  if (!result.ok) return result.delivery;
  const json = result.reply.json as { code?: unknown; msg?: unknown; StatusCode?: unknown; StatusMessage?: unknown } | undefined;
  const code = typeof json?.code === 'number' ? json.code : typeof json?.StatusCode === 'number' ? json.StatusCode : undefined;
  return vendorOutcome(result.reply, out, what, {
    code,
    message: json?.msg ?? json?.StatusMessage,
    ok: code === 0,
    table: FEISHU_ANSWERS,
  });
}

export const feishuBot = defineNotifier({
  kind: 'feishu-bot',
  configSchema: feishuBotConfigSchema,
  secrets: (c) => [c.token, c.secret],
  send,
}) satisfies Notifier<FeishuBotConfig>;
