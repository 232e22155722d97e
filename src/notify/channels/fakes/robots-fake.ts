/**
 * Test-only fakes of the DingTalk custom robot, the WeCom group robot and the Feishu custom bot.
 * Signatures are recomputed here independently of `../signing` (straight from wire-formats §4.1/§4.3),
 * and the fakes answer like the vendors: HTTP 200 with a vendor error code.
 */
import { createHmac } from 'node:crypto';
import { echoOf, expectEqual, header, startHttpFake, type FakeReply, type HttpChannelFake, type RecordedRequest } from './http-fake.js';

const HOUR_MS = 60 * 60 * 1000;

/** Independent DingTalk signature: the base64 value before URL-encoding. */
export function dingtalkExpectedSign(secret: string, timestampMs: string): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64');
}

/** Independent Feishu signature: the key is "timestamp\nsecret", the message is empty. */
export function feishuExpectedSign(secret: string, timestampSeconds: string): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).digest('base64');
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function expectJson(req: RecordedRequest): Record<string, unknown> | undefined {
  const ct = header(req, 'content-type') ?? '';
  if (!/^application\/json/i.test(ct)) req.problems.push(`content-type: expected application/json, got ${ct}`);
  if (!req.json || typeof req.json !== 'object') {
    req.problems.push('body is not a JSON object');
    return undefined;
  }
  return req.json as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// DingTalk

export interface DingtalkFakeOptions {
  accessToken: string;
  secret?: string;
  /** The fake's clock for the 1-hour timestamp window (default: real time). */
  now?: () => number;
  /** Errors quote the full request URL (access_token, timestamp, sign), as DingTalk's gateway sometimes does. */
  echoUrl?: boolean;
}

/** DingTalk's actionCard with separate buttons (`btns`), as documented: title, markdown text, orientation, buttons. */
function dingtalkActionCard(req: RecordedRequest, body: Record<string, unknown>): void {
  const card = body.actionCard as { title?: unknown; text?: unknown; btnOrientation?: unknown; btns?: unknown; singleTitle?: unknown } | undefined;
  if (typeof card?.title !== 'string' || !card.title) req.problems.push('actionCard.title missing');
  if (typeof card?.text !== 'string' || !card.text) req.problems.push('actionCard.text missing');
  if (card?.btnOrientation !== undefined && card.btnOrientation !== '0' && card.btnOrientation !== '1') req.problems.push('actionCard.btnOrientation must be "0" or "1"');
  const btns = card?.btns;
  if (!Array.isArray(btns) || btns.length === 0) {
    req.problems.push('actionCard.btns missing');
  } else {
    for (const b of btns as { title?: unknown; actionURL?: unknown }[]) {
      if (typeof b?.title !== 'string' || !b.title) req.problems.push('actionCard.btns[].title missing');
      if (typeof b?.actionURL !== 'string' || !/^https?:\/\//.test(b.actionURL)) req.problems.push('actionCard.btns[].actionURL is not an http(s) URL');
    }
  }
  if (card?.singleTitle !== undefined) req.problems.push('actionCard has both btns and singleTitle');
  if (body.at !== undefined) req.problems.push('actionCard does not take at');
  req.content = `${String(card?.title ?? '')}\n${String(card?.text ?? '')}\n${JSON.stringify(btns ?? [])}`;
}

export function startDingtalkFake(opts: DingtalkFakeOptions): Promise<HttpChannelFake> {
  const now = opts.now ?? Date.now;
  let url = '';
  const err = (errcode: number, errmsg: string): FakeReply => ({ status: 200, body: { errcode, errmsg: errcode && opts.echoUrl ? `${errmsg}, url: ${url}` : errmsg } });
  return startHttpFake({
    handle(req, behaviour) {
      url = `https://oapi.dingtalk.com${req.path}?${req.rawQuery}`;
      expectEqual(req, 'method', req.method, 'POST');
      if (!expectEqual(req, 'path', req.path, '/robot/send')) return { status: 404, body: 'not found' };
      if (behaviour === 'unavailable') return { status: 500, body: echoOf(req) };
      if (req.query.get('access_token') !== opts.accessToken) {
        req.problems.push('unknown access_token');
        return err(300001, 'token is not exist');
      }
      if (opts.secret) {
        const ts = req.query.get('timestamp') ?? '';
        const sign = req.query.get('sign') ?? '';
        if (!/^\d{13}$/.test(ts) || Math.abs(now() - Number(ts)) > HOUR_MS) {
          req.problems.push(`timestamp ${ts} is not milliseconds within one hour`);
          return err(310000, 'sign not match, timestamp is invalid');
        }
        if (sign !== dingtalkExpectedSign(opts.secret, ts)) {
          req.problems.push('sign mismatch');
          return err(310000, 'sign not match');
        }
      }
      if (behaviour === 'reject-auth') return err(310000, 'sign not match, more: [https://ding-doc.dingtalk.com]');
      const body = expectJson(req);
      if (!body) return err(400101, 'invalid json');
      if (body.msgtype === 'text') {
        const text = body.text as { content?: unknown } | undefined;
        if (typeof text?.content !== 'string' || !text.content) req.problems.push('text.content missing');
        req.content = String(text?.content ?? '');
      } else if (body.msgtype === 'markdown') {
        const md = body.markdown as { title?: unknown; text?: unknown } | undefined;
        if (typeof md?.title !== 'string' || typeof md?.text !== 'string') req.problems.push('markdown.title/text missing');
        req.content = `${String(md?.title ?? '')}\n${String(md?.text ?? '')}`;
      } else if (body.msgtype === 'actionCard') {
        dingtalkActionCard(req, body);
      } else {
        req.problems.push(`unexpected msgtype ${String(body.msgtype)}`);
      }
      const at = body.at as { atMobiles?: unknown; atUserIds?: unknown } | undefined;
      if (at !== undefined) {
        if (at.atMobiles !== undefined && !isStringArray(at.atMobiles)) req.problems.push('at.atMobiles is not a string array');
        if (at.atUserIds !== undefined && !isStringArray(at.atUserIds)) req.problems.push('at.atUserIds is not a string array');
        if (body.msgtype === 'markdown' && isStringArray(at.atMobiles)) {
          for (const m of at.atMobiles) if (!req.content.includes(`@${m}`)) req.problems.push(`markdown text lacks @${m}`);
        }
      }
      if (req.problems.length) return err(400102, req.problems.join('; '));
      if (behaviour === 'rate-limit') return err(130101, 'send too fast, exceed 20 times per minute');
      return err(0, 'ok');
    },
  });
}

// ---------------------------------------------------------------------------------------------
// WeCom group robot

export const WECOM_TEXT_LIMIT = 2048;
export const WECOM_MARKDOWN_LIMIT = 4096;

export function wecomRobotContent(req: RecordedRequest, body: Record<string, unknown>): void {
  if (body.msgtype === 'text') {
    const text = body.text as Record<string, unknown> | undefined;
    const content = typeof text?.content === 'string' ? text.content : '';
    if (!content) req.problems.push('text.content missing');
    if (Buffer.byteLength(content) > WECOM_TEXT_LIMIT) req.problems.push('text.content over 2048 bytes');
    for (const f of ['mentioned_list', 'mentioned_mobile_list']) {
      if (text?.[f] !== undefined && !isStringArray(text[f])) req.problems.push(`text.${f} is not a string array`);
    }
    req.content = content;
  } else if (body.msgtype === 'markdown') {
    const md = body.markdown as { content?: unknown } | undefined;
    const content = typeof md?.content === 'string' ? md.content : '';
    if (!content) req.problems.push('markdown.content missing');
    if (Buffer.byteLength(content) > WECOM_MARKDOWN_LIMIT) req.problems.push('markdown.content over 4096 bytes');
    req.content = content;
  } else {
    req.problems.push(`unexpected msgtype ${String(body.msgtype)}`);
  }
}

export interface WecomRobotFakeOptions {
  key: string;
}

export function startWecomRobotFake(opts: WecomRobotFakeOptions): Promise<HttpChannelFake> {
  const err = (errcode: number, errmsg: string): FakeReply => ({ status: 200, body: { errcode, errmsg } });
  return startHttpFake({
    handle(req, behaviour) {
      expectEqual(req, 'method', req.method, 'POST');
      if (!expectEqual(req, 'path', req.path, '/cgi-bin/webhook/send')) return { status: 404, body: 'not found' };
      if (behaviour === 'unavailable') return { status: 502, body: echoOf(req) };
      if (req.query.get('key') !== opts.key || behaviour === 'reject-auth') {
        if (behaviour !== 'reject-auth') req.problems.push('unknown key');
        return err(93000, 'invalid webhook url, hint: [1700000000_1_abc]');
      }
      const body = expectJson(req);
      if (!body) return err(40001, 'invalid json');
      wecomRobotContent(req, body);
      if (req.problems.length) return err(40008, req.problems.join('; '));
      if (behaviour === 'rate-limit') return err(45009, 'api freq out of limit');
      return err(0, 'ok');
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Feishu

export interface FeishuFakeOptions {
  token: string;
  secret?: string;
  now?: () => number;
}

export function startFeishuFake(opts: FeishuFakeOptions): Promise<HttpChannelFake> {
  const now = opts.now ?? Date.now;
  const fail = (code: number, msg: string): FakeReply => ({ status: 200, body: { code, msg, data: {} } });
  return startHttpFake({
    handle(req, behaviour) {
      expectEqual(req, 'method', req.method, 'POST');
      const prefix = '/open-apis/bot/v2/hook/';
      if (!req.path.startsWith(prefix)) {
        req.problems.push(`path ${req.path}`);
        return { status: 404, body: '404 page not found' };
      }
      if (behaviour === 'unavailable') return { status: 500, body: echoOf(req) };
      if (decodeURIComponent(req.path.slice(prefix.length)) !== opts.token) {
        req.problems.push('unknown token');
        return fail(19001, 'param invalid: incoming webhook access token invalid');
      }
      const body = expectJson(req);
      if (!body) return fail(9499, 'Bad Request');
      if (opts.secret) {
        const ts = body.timestamp;
        const sign = body.sign;
        if (typeof ts !== 'string' || !/^\d{10}$/.test(ts) || Math.abs(now() / 1000 - Number(ts)) > 3600) {
          req.problems.push(`timestamp ${String(ts)} is not a seconds string within one hour`);
          return fail(19021, 'sign match fail or timestamp is not within one hour from current time');
        }
        if (sign !== feishuExpectedSign(opts.secret, ts)) {
          req.problems.push('sign mismatch');
          return fail(19021, 'sign match fail or timestamp is not within one hour from current time');
        }
      }
      if (behaviour === 'reject-auth') return fail(19021, 'sign match fail or timestamp is not within one hour from current time');
      if (body.msg_type === 'text') {
        const content = body.content as { text?: unknown } | undefined;
        if (typeof content?.text !== 'string' || !content.text) req.problems.push('content.text missing');
        req.content = String(content?.text ?? '');
      } else if (body.msg_type === 'interactive') {
        const card = body.card as { header?: { title?: { content?: unknown } }; elements?: unknown } | undefined;
        const title = card?.header?.title?.content;
        if (typeof title !== 'string' || !title) req.problems.push('card.header.title.content missing');
        if (!Array.isArray(card?.elements) || card.elements.length === 0) req.problems.push('card.elements missing');
        req.content = `${String(title ?? '')}\n${JSON.stringify(card?.elements ?? [])}`;
      } else {
        req.problems.push(`unexpected msg_type ${String(body.msg_type)}`);
      }
      if (req.problems.length) return fail(9499, req.problems.join('; '));
      if (behaviour === 'rate-limit') return fail(11232, 'frequency limited psm[lark.oapi.app_platform_runtime]');
      return { status: 200, body: { code: 0, msg: 'success', data: {} } };
    },
  });
}
