/**
 * WeCom (企业微信) group robot (wire-formats §4.2): POST JSON to `/cgi-bin/webhook/send?key=…`; the key in
 * the URL is the only credential. `text` mentions by mobile (`mentioned_mobile_list`) or user id
 * (`mentioned_list`); `markdown` mentions only by `<@userid>` in the content. Text ≤ 2048 bytes,
 * markdown ≤ 4096 bytes. Success `{"errcode":0}`; 45009 = rate limited.
 */
import { z } from 'zod';
import type { Delivery, Notifier, Recipient, RenderedMessage, SendContext } from '../types.js';
import { composeText, defineNotifier, endpointSchema, joinUrl, mainlandMobile, outcomes, postToErrcodeRobot, truncateUtf8 } from './support.js';

export const WECOM_ENDPOINT = 'https://qyapi.weixin.qq.com';
export const WECOM_TEXT_MAX_BYTES = 2048;
export const WECOM_MARKDOWN_MAX_BYTES = 4096;
/** 45009 API frequency limit, 45033 concurrency limit, -1 system busy. */
export const WECOM_RETRYABLE = new Set([45009, 45033, -1]);

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
  // 93000 invalid webhook key, 40008 bad message type…: permanent.
  return postToErrcodeRobot(url, body, 'application/json', WECOM_RETRYABLE, ctx, out, what);
}

export const wecomRobot = defineNotifier({
  kind: 'wecom-robot',
  configSchema: wecomRobotConfigSchema,
  secrets: (c) => [c.key],
  send,
}) satisfies Notifier<WecomRobotConfig>;
