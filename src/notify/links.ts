/**
 * Signed, expiring short links: `/a/<token>` for acknowledging a page, `/api/v1/check-in/<token>` for checking in
 * from it with one tap (the same token: it already grants both of the page's actions), and calendar feed tokens. A token is
 * `<id>.<expiry, base36 seconds>.<HMAC-SHA256 truncated to 128 bits, base64url>`; the HMAC key is the platform
 * secret and the message names the purpose, so a token of one kind is worthless as another. Pure.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenPurpose = 'ack' | 'ical';
export type TokenCheck = { ok: true; id: string; expiresAt: number } | { ok: false; reason: 'invalid' | 'expired' };

const TOKEN = /^([A-Za-z0-9_]{1,60})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{22})$/;

function mac(secret: string, purpose: TokenPurpose, id: string, exp: string): string {
  return createHmac('sha256', secret).update(`lifeline:${purpose}:${id}:${exp}`).digest().subarray(0, 16).toString('base64url');
}

export function signToken(secret: string, purpose: TokenPurpose, id: string, expiresAt: number): string {
  const exp = Math.ceil(expiresAt / 1000).toString(36);
  return `${id}.${exp}.${mac(secret, purpose, id, exp)}`;
}

export function verifyToken(secret: string, purpose: TokenPurpose, token: string, now: number): TokenCheck {
  const m = TOKEN.exec(token);
  if (!m) return { ok: false, reason: 'invalid' };
  const [, id, exp, given] = m;
  const want = Buffer.from(mac(secret, purpose, id, exp));
  if (!timingSafeEqual(want, Buffer.from(given))) return { ok: false, reason: 'invalid' };
  const expiresAt = parseInt(exp, 36) * 1000;
  if (now >= expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, id, expiresAt };
}

const ACK_LINK = /^(.*)\/a\/([A-Za-z0-9_.-]+)$/;

/** The check-in link of a page, built from its ack link (`<base>/a/<token>`); undefined for any other URL. */
export function checkInLinkOf(ackLink: string): string | undefined {
  const m = ACK_LINK.exec(ackLink);
  return m ? `${m[1]}/api/v1/check-in/${m[2]}` : undefined;
}
