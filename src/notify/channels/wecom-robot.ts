/**
 * WeCom (企业微信) group robot (wire-formats §4.2): POST JSON to `/cgi-bin/webhook/send?key=…`; the key in
 * the URL is the only credential. `text` mentions by mobile (`mentioned_mobile_list`) or user id
 * (`mentioned_list`); `markdown` mentions only by `<@userid>` in the content. Text ≤ 2048 bytes,
 * markdown ≤ 4096 bytes. Success `{"errcode":0}`; answers in `WECOM_ANSWERS`.
 */
import { z } from 'zod';
import type { Delivery, Notifier, Recipient, RenderedMessage, SendContext } from '../types.js';
import { type AnswerTable, composeText, defineNotifier, endpointSchema, joinUrl, mainlandMobile, outcomes, postToErrcodeRobot, truncateUtf8 } from './support.js';

export const WECOM_ENDPOINT = 'https://qyapi.weixin.qq.com';
export const WECOM_TEXT_MAX_BYTES = 2048;
export const WECOM_MARKDOWN_MAX_BYTES = 4096;
/**
 * WeCom's answers, for the group robot and application messages (global codes:
 * https://developer.work.weixin.qq.com/document/path/90313 ; robot: .../document/path/91770 ; app limits:
 * .../document/path/90312). 45009 is both the per-minute limit (robots: 20 a minute) and the daily quota
 * ("reach max api daily quota limit"): only its message tells them apart. Codes not listed fail over, unless
 * the HTTP status is 5xx/429.
 */
export const WECOM_ANSWERS: AnswerTable = [
  { code: 45009, when: (m) => /daily|day|天/i.test(m), verdict: 'fail-over', why: 'daily quota reached' },
  { code: 45009, verdict: 'retry', why: 'API frequency limit' },
  { code: 45033, verdict: 'retry', why: 'too many concurrent calls' },
  { code: -1, verdict: 'retry', why: 'WeCom busy' },
  { code: /^(93000|40001|40013|40014|42001|60020|48002)$/, verdict: 'fail-over', why: 'credentials, key or caller rejected' },
  { code: /^(93004|93008|301002|60011)$/, verdict: 'fail-over', why: 'robot or application not allowed to send here' },
  { code: /^(40003|81013|60111)$/, verdict: 'fail-over', why: 'unknown recipient' },
  { code: /^(40008|40058|44004|45002|47001)$/, verdict: 'fail-over', why: 'malformed request' },
];

export const wecomRobotConfigSchema = z
  .object({
    /** The `key` of the robot's webhook URL. */
    key: z.string().regex(/^[A-Za-z0-9_-]{8,}$/, 'the key value from the webhook URL'),
    msgtype: z.enum(['text', 'markdown']).optional(),
    endpoint: endpointSchema.optional(),
  })
  .strict();
export type WecomRobotConfig = z.infer<typeof wecomRobotConfigSchema>;

export function wecomRobotPayload(msg: RenderedMessage, to: Recipient, config: WecomRobotConfig): unknown {
  if (config.msgtype === 'markdown') {
    const mention = to.wecomUserId ? `\n<@${to.wecomUserId}>` : '';
    const content = truncateUtf8(composeText(msg, 'markdown'), WECOM_MARKDOWN_MAX_BYTES - Buffer.byteLength(mention)) + mention;
    return { msgtype: 'markdown', markdown: { content } };
  }
  const mobile = mainlandMobile(to.mobile) ?? to.mobile?.replace(/\D/g, '');
  return {
    msgtype: 'text',
    text: {
      content: truncateUtf8(composeText(msg, 'text'), WECOM_TEXT_MAX_BYTES),
      ...(to.wecomUserId ? { mentioned_list: [to.wecomUserId] } : {}),
      ...(mobile ? { mentioned_mobile_list: [mobile] } : {}),
    },
  };
}

async function send(msg: RenderedMessage, to: Recipient, config: WecomRobotConfig, ctx: SendContext): Promise<Delivery> {
  const out = outcomes([config.key]);
  const what = 'WeCom robot';
  const url = `${joinUrl(config.endpoint ?? WECOM_ENDPOINT, '/cgi-bin/webhook/send')}?key=${encodeURIComponent(config.key)}`;
  const body = JSON.stringify(wecomRobotPayload(msg, to, config));
  return postToErrcodeRobot(url, body, 'application/json', WECOM_ANSWERS, ctx, out, what);
}

export const wecomRobot = defineNotifier({
  kind: 'wecom-robot',
  configSchema: wecomRobotConfigSchema,
  secrets: (c) => [c.key],
  send,
}) satisfies Notifier<WecomRobotConfig>;
