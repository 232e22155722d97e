/**
 * Group-robot signatures (wire-formats §4.1, §4.3). Note the different key/message order:
 * DingTalk signs `timestamp + "\n" + secret` WITH the secret as key; Feishu uses that string AS the key
 * and signs an empty message.
 */
import { createHmac } from 'node:crypto';

/** DingTalk: urlEncode(base64(HMAC-SHA256(key = secret, msg = timestampMs + "\n" + secret))). */
export function dingtalkSign(secret: string, timestampMs: number): string {
  const digest = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
  return encodeURIComponent(digest);
}

/** Feishu/Lark: base64(HMAC-SHA256(key = timestampSeconds + "\n" + secret, msg = "")). */
export function feishuSign(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/** Lifeline's own outbound webhook: `sha256=` + hex HMAC-SHA256 of the raw body, keyed by the shared secret. */
export function webhookSignature(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}
