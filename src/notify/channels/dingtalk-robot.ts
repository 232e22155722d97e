/**
 * DingTalk (钉钉) custom group robot (wire-formats §4.1): POST JSON to `/robot/send?access_token=…`,
 * optionally signed (加签: `&timestamp=<ms>&sign=<urlEncode(base64(HMAC-SHA256))>`). Mentions by mobile
 * (`at.atMobiles`, also written as `@138…` in the text) and by DingTalk user id (`at.atUserIds`).
 * Success is `{"errcode":0}`; the robot is limited to 20 messages/minute (errcode 130101).
 */
import { z } from 'zod';
import type { Delivery, Notifier, Recipient, RenderedMessage, SendContext } from '../types.js';
import { dingtalkSign } from './signing/robots.js';
import { composeText, defineNotifier, endpointSchema, joinUrl, mainlandMobile, markedSubject, nowMs, outcomes, postToErrcodeRobot } from './support.js';

export const DINGTALK_ENDPOINT = 'https://oapi.dingtalk.com';

export const dingtalkRobotConfigSchema = z
  .object({
    /** The `access_token` of the robot's webhook URL. */
    accessToken: z.string().regex(/^[A-Za-z0-9_-]{8,}$/, 'the access_token value from the webhook URL'),
    /** The 加签 secret (starts with `SEC`); omit only for robots secured by keyword or IP allow-list. */
    secret: z.string().min(1).optional(),
    msgtype: z.enum(['markdown', 'text']).optional(),
    endpoint: endpointSchema.optional(),
  })
  .strict();
export type DingtalkRobotConfig = z.infer<typeof dingtalkRobotConfigSchema>;

/** Rate limits (retry later): 130101 "send too fast", 410100 throttled, -1 system busy. */
const RETRYABLE = new Set([130101, 410100, -1]);

function mentions(to: Recipient): { mobiles: string[]; userIds: string[] } {
  const mobile = mainlandMobile(to.mobile) ?? to.mobile?.replace(/\D/g, '');
  return { mobiles: mobile ? [mobile] : [], userIds: to.dingtalkUserId ? [to.dingtalkUserId] : [] };
}

export function dingtalkPayload(msg: RenderedMessage, to: Recipient, config: DingtalkRobotConfig): unknown {
  const { mobiles, userIds } = mentions(to);
  const atLine = [...mobiles.map((m) => `@${m}`), ...userIds.map((u) => `@${u}`)].join(' ');
  const at = { atMobiles: mobiles, atUserIds: userIds, isAtAll: false };
  if ((config.msgtype ?? 'markdown') === 'text') {
    const content = composeText(msg, 'text') + (atLine ? `\n${atLine}` : '');
    return { msgtype: 'text', text: { content }, at };
  }
  const text = composeText(msg, 'markdown') + (atLine ? `\n\n${atLine}` : '');
  return { msgtype: 'markdown', markdown: { title: markedSubject(msg), text }, at };
}

async function send(msg: RenderedMessage, to: Recipient, config: DingtalkRobotConfig, ctx: SendContext): Promise<Delivery> {
  const out = outcomes([config.accessToken, config.secret]);
  const what = 'DingTalk robot';
  let url = `${joinUrl(config.endpoint ?? DINGTALK_ENDPOINT, '/robot/send')}?access_token=${encodeURIComponent(config.accessToken)}`;
  if (config.secret) {
    const timestamp = nowMs(ctx);
    url += `&timestamp=${timestamp}&sign=${dingtalkSign(config.secret, timestamp)}`;
  }
  const body = JSON.stringify(dingtalkPayload(msg, to, config));
  // 310000 signature/keyword/IP rejected, 300001 unknown token, 400013 group dissolved…: permanent.
  return postToErrcodeRobot(url, body, 'application/json;charset=utf-8', RETRYABLE, ctx, out, what);
}

export const dingtalkRobot = defineNotifier({
  kind: 'dingtalk-robot',
  configSchema: dingtalkRobotConfigSchema,
  secrets: (c) => [c.accessToken, c.secret],
  send,
}) satisfies Notifier<DingtalkRobotConfig>;
