/**
 * DingTalk (钉钉) custom group robot (wire-formats §4.1): POST JSON to `/robot/send?access_token=…`,
 * optionally signed (加签: `&timestamp=<ms>&sign=<urlEncode(base64(HMAC-SHA256))>`). Mentions by mobile
 * (`at.atMobiles`, also written as `@138…` in the text) and by DingTalk user id (`at.atUserIds`).
 * Success is `{"errcode":0}`; the robot is limited to 20 messages/minute (errcode 130101).
 * `message: actionCard` sends DingTalk's action card with two buttons: 确认收到 (the page's ack link) and 已到场
 * (its check-in link, `../links.ts`).
 */
import { z } from 'zod';
import type { Delivery, Notifier, Recipient, RenderedMessage, SendContext } from '../types.js';
import { checkInLinkOf } from '../links.js';
import { dingtalkSign } from './signing/robots.js';
import { type AnswerTable, composeText, defineNotifier, endpointSchema, joinUrl, mainlandMobile, markedSubject, nowMs, outcomes, postToErrcodeRobot } from './support.js';

export const DINGTALK_ENDPOINT = 'https://oapi.dingtalk.com';

export const dingtalkRobotConfigSchema = z
  .object({
    /** The `access_token` of the robot's webhook URL. */
    accessToken: z.string().regex(/^[A-Za-z0-9_-]{8,}$/, 'the access_token value from the webhook URL'),
    /** The 加签 secret (starts with `SEC`); omit only for robots secured by keyword or IP allow-list. */
    secret: z.string().min(1).optional(),
    msgtype: z.enum(['markdown', 'text']).optional(),
    /** `actionCard`: the message with buttons 确认收到 / 已到场 instead of links (default: `msgtype`). */
    message: z.enum(['actionCard']).optional(),
    endpoint: endpointSchema.optional(),
  })
  .strict();
export type DingtalkRobotConfig = z.infer<typeof dingtalkRobotConfigSchema>;

/**
 * DingTalk's answers (custom robot: https://open.dingtalk.com/document/orgapp/custom-robots-send-group-messages ,
 * "错误码"; global codes: https://open.dingtalk.com/document/orgapp/server-api-error-codes-1). Codes not listed
 * fail over, unless the HTTP status is 5xx/429.
 */
export const DINGTALK_ANSWERS: AnswerTable = [
  { code: 130101, verdict: 'retry', why: 'sending too fast (20 messages a minute per robot)' },
  { code: 410100, verdict: 'retry', why: 'throttled, try later' },
  { code: -1, verdict: 'retry', why: 'DingTalk busy' },
  { code: 310000, verdict: 'fail-over', why: 'security check failed (keyword, 加签 signature or IP allow-list)' },
  { code: /^(300001|300005|400101|400106)$/, verdict: 'fail-over', why: 'unknown robot or access_token' },
  { code: 400102, verdict: 'fail-over', why: 'robot disabled' },
  { code: /^(400105|400013|40035)$/, verdict: 'fail-over', why: 'malformed request' },
  { code: /^43010[1-4]$/, verdict: 'fail-over', why: 'content refused by moderation' },
];

function mentions(to: Recipient): { mobiles: string[]; userIds: string[] } {
  const mobile = mainlandMobile(to.mobile) ?? to.mobile?.replace(/\D/g, '');
  return { mobiles: mobile ? [mobile] : [], userIds: to.dingtalkUserId ? [to.dingtalkUserId] : [] };
}

/** The action card's buttons: acknowledge and check in from the page's link, else the incident. */
function cardButtons(msg: RenderedMessage): { title: string; actionURL: string }[] {
  const checkIn = msg.links.ack ? checkInLinkOf(msg.links.ack) : undefined;
  const buttons = [
    { title: '确认收到', actionURL: msg.links.ack },
    { title: '已到场', actionURL: checkIn },
  ].filter((b): b is { title: string; actionURL: string } => Boolean(b.actionURL));
  return buttons.length || !msg.links.incident ? buttons : [{ title: '查看事件', actionURL: msg.links.incident }];
}

export function dingtalkPayload(msg: RenderedMessage, to: Recipient, config: DingtalkRobotConfig): unknown {
  const { mobiles, userIds } = mentions(to);
  const atLine = [...mobiles.map((m) => `@${m}`), ...userIds.map((u) => `@${u}`)].join(' ');
  const at = { atMobiles: mobiles, atUserIds: userIds, isAtAll: false };
  const btns = config.message === 'actionCard' ? cardButtons(msg) : [];
  if (btns.length) {
    // the buttons carry the ack and check-in links; an action card has no `at`, so the text names the person
    const text = composeText({ ...msg, links: { incident: msg.links.incident } }, 'markdown') + (atLine ? `\n\n${atLine}` : '');
    return { msgtype: 'actionCard', actionCard: { title: markedSubject(msg), text, btnOrientation: '1', btns } };
  }
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
  return postToErrcodeRobot(url, body, 'application/json;charset=utf-8', DINGTALK_ANSWERS, ctx, out, what);
}

export const dingtalkRobot = defineNotifier({
  kind: 'dingtalk-robot',
  configSchema: dingtalkRobotConfigSchema,
  secrets: (c) => [c.accessToken, c.secret],
  send,
}) satisfies Notifier<DingtalkRobotConfig>;
