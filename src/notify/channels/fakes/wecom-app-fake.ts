/**
 * Test-only fake of the WeCom application-message API: `GET /cgi-bin/gettoken` issues tokens that expire
 * after `expires_in` on the fake's clock; `POST /cgi-bin/message/send` checks the token (42001 expired,
 * 40014 invalid), `agentid`, `touser` and the message body, and reports unknown users in `invaliduser`.
 */
import { randomBytes } from 'node:crypto';
import { echoOf, expectEqual, header, startHttpFake, type HttpChannelFake, type FakeReply } from './http-fake.js';

export interface WecomAppFakeOptions {
  corpId: string;
  corpSecret: string;
  agentId: number;
  /** WeCom user ids that exist; others come back in `invaliduser`. */
  users: string[];
  now?: () => number;
  tokenTtlSeconds?: number;
}

export interface WecomAppFake extends HttpChannelFake {
  /** Number of successful `gettoken` calls so far. */
  tokensIssued(): number;
  /** Invalidate every issued token (as when the secret is rotated): message/send answers 40014. */
  revokeTokens(): void;
  /** Issue tokens that message/send always reports as expired (42001). */
  issueDeadTokens(dead: boolean): void;
}

export async function startWecomAppFake(opts: WecomAppFakeOptions): Promise<WecomAppFake> {
  const now = opts.now ?? Date.now;
  const ttl = opts.tokenTtlSeconds ?? 7200;
  const tokens = new Map<string, number>(); // token -> expiresAt (ms)
  let issued = 0;
  let dead = false;
  const err = (errcode: number, errmsg: string, extra: object = {}): FakeReply => ({
    status: 200,
    body: { errcode, errmsg, ...extra },
  });
  const fake = await startHttpFake({
    handle(req, behaviour) {
      if (behaviour === 'unavailable') return { status: 503, body: echoOf(req) };
      if (req.path === '/cgi-bin/gettoken') {
        expectEqual(req, 'method', req.method, 'GET');
        if (behaviour === 'rate-limit') return err(45009, 'api freq out of limit');
        if (req.query.get('corpid') !== opts.corpId) return err(40013, 'invalid corpid');
        if (req.query.get('corpsecret') !== opts.corpSecret || behaviour === 'reject-auth') {
          return err(40001, 'invalid credential, hint: [1700000000_2_def]');
        }
        const token = randomBytes(24).toString('base64url');
        tokens.set(token, dead ? now() - 1 : now() + ttl * 1000);
        issued++;
        return err(0, 'ok', { access_token: token, expires_in: ttl });
      }
      if (req.path === '/cgi-bin/message/send') {
        expectEqual(req, 'method', req.method, 'POST');
        const token = req.query.get('access_token') ?? '';
        const expiresAt = tokens.get(token);
        if (expiresAt === undefined || behaviour === 'reject-auth') return err(40014, 'invalid access_token');
        if (expiresAt <= now()) return err(42001, 'access_token expired');
        if (!/^application\/json/i.test(header(req, 'content-type') ?? '')) req.problems.push('content-type is not JSON');
        const body = (req.json ?? {}) as Record<string, unknown>;
        expectEqual(req, 'agentid', body.agentid, opts.agentId);
        if (typeof body.touser !== 'string' || !body.touser) req.problems.push('touser missing');
        const type = body.msgtype;
        if (type === 'text' || type === 'markdown') {
          const part = body[type] as { content?: unknown } | undefined;
          if (typeof part?.content !== 'string' || !part.content) req.problems.push(`${type}.content missing`);
          else if (Buffer.byteLength(part.content) > 2048) req.problems.push(`${type}.content over 2048 bytes`);
          req.content = String(part?.content ?? '');
        } else if (type === 'textcard') {
          const card = body.textcard as Record<string, unknown> | undefined;
          for (const f of ['title', 'description', 'url']) {
            if (typeof card?.[f] !== 'string' || !card[f]) req.problems.push(`textcard.${f} missing`);
          }
          req.content = `${String(card?.title ?? '')}\n${String(card?.description ?? '')}`;
        } else {
          req.problems.push(`unexpected msgtype ${String(type)}`);
        }
        if (req.problems.length) return err(40008, req.problems.join('; '));
        if (behaviour === 'rate-limit') return err(45009, 'api freq out of limit');
        const unknown = String(body.touser)
          .split('|')
          .filter((u) => !opts.users.includes(u));
        if (unknown.length === String(body.touser).split('|').length) {
          return err(81013, 'user & party & tag all invalid', { invaliduser: unknown.join('|') });
        }
        return err(0, 'ok', { invaliduser: unknown.join('|'), msgid: `msg-${randomBytes(6).toString('hex')}` });
      }
      req.problems.push(`unexpected path ${req.path}`);
      return { status: 404, body: 'not found' };
    },
  });
  return {
    ...fake,
    tokensIssued: () => issued,
    revokeTokens: () => tokens.clear(),
    issueDeadTokens: (d) => {
      dead = d;
    },
  };
}
