/**
 * Patients' SMS replies, pushed by the SMS vendor to a URL of ours: a reply of TD (or 退订) unsubscribes the number,
 * as every status SMS promises ("退订回复TD"). The vendors sign nothing in these pushes, so the URL carries a key
 * derived from the platform secret; the publicity group reads the URLs to paste into the vendor's console.
 * Aliyun SmsUp (HTTP batch push): a JSON array of {phone_number, content, send_time, sign_name, dest_code,
 * sequence_id}, answered {code: 0, msg}. Tencent Cloud SMS reply callback: {mobile, nationcode, text, sign, time,
 * extend} (one object, or several in an array), answered {result: 0, errmsg: "OK"}.
 */
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from '../../log/logger.js';
import { NotFoundError } from '../../shared/errors.js';
import { parseInput } from '../../shared/parse-input.js';
import type { SubscriptionService } from './subscriptions.js';

const SMS_REPLY_VENDORS = ['aliyun', 'tencent'] as const;
export type SmsReplyVendor = (typeof SMS_REPLY_VENDORS)[number];

/** What patients send to stop messages; matched after trimming spaces and punctuation, in any case. */
const STOP_WORDS = new Set(['TD', 'T', '退订', '取消订阅']);

const aliyunReplies = z.array(z.object({ phone_number: z.string(), content: z.string() }).passthrough(), { invalid_type_error: 'expected a JSON array of replies' });
const tencentReply = z.object({ mobile: z.string(), nationcode: z.string().optional(), text: z.string() }).passthrough();
const tencentReplies = z.union([tencentReply, z.array(tencentReply)], { errorMap: () => ({ message: 'expected a reply object {mobile, nationcode, text} or an array of them' }) });

interface Reply {
  phone: string;
  text: string;
}

function repliesOf(vendor: SmsReplyVendor, body: unknown): Reply[] {
  if (vendor === 'aliyun') return parseInput(aliyunReplies, body).map((r) => ({ phone: r.phone_number, text: r.content }));
  const parsed = parseInput(tencentReplies, body);
  return (Array.isArray(parsed) ? parsed : [parsed]).filter((r) => !r.nationcode || r.nationcode === '86').map((r) => ({ phone: r.mobile, text: r.text }));
}

const isStopWord = (text: string) => STOP_WORDS.has(text.replace(/[\s\p{P}]/gu, '').toUpperCase());

export class SmsReplies {
  constructor(private readonly d: { subscriptions: SubscriptionService; key: () => string; log: Logger }) {}

  /** The addresses to paste into each vendor's console (reply / uplink push), under this server's public address. */
  urls(publicUrl: string): Record<SmsReplyVendor, string> {
    const base = `${publicUrl.replace(/\/+$/, '')}/api/v1/status/sms-replies`;
    return { aliyun: `${base}/aliyun/${this.d.key()}`, tencent: `${base}/tencent/${this.d.key()}` };
  }

  /** Unsubscribes every number that replied a stop word; other replies are only counted. */
  async receive(vendor: string, key: string, body: unknown): Promise<{ vendor: SmsReplyVendor; replies: number; unsubscribed: number }> {
    const expected = Buffer.from(this.d.key());
    const given = Buffer.from(key);
    if (!(SMS_REPLY_VENDORS as readonly string[]).includes(vendor) || given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new NotFoundError('SMS reply address', 'NOT_FOUND');
    }
    const replies = repliesOf(vendor as SmsReplyVendor, body);
    let unsubscribed = 0;
    for (const reply of replies) if (isStopWord(reply.text) && (await this.d.subscriptions.unsubscribeNumber(reply.phone))) unsubscribed++;
    this.d.log.info({ vendor, replies: replies.length, unsubscribed }, 'SMS replies received');
    return { vendor: vendor as SmsReplyVendor, replies: replies.length, unsubscribed };
  }
}

/** The answer each vendor expects for a push it need not repeat. */
export const SMS_REPLY_ACK: Record<SmsReplyVendor, unknown> = {
  aliyun: { code: 0, msg: '接收成功' },
  tencent: { result: 0, errmsg: 'OK' },
};
