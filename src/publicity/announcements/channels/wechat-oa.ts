/**
 * The WeChat Official Account (公众号), through its official API (docs/announcements.md lists the sources):
 * 1. `POST /cgi-bin/stable_token` {grant_type: "client_credential", appid, secret, force_refresh: false} →
 *    {access_token, expires_in}; the token is kept until 5 minutes before it expires;
 * 2. `POST /cgi-bin/draft/add?access_token=…` {articles: [{title, author, digest, content, content_source_url,
 *    thumb_media_id, need_open_comment, only_fans_can_comment}]} → {media_id};
 * 3. `POST /cgi-bin/freepublish/submit?access_token=…` {media_id} → {errcode: 0, errmsg: "ok", publish_id, msg_data_id}.
 * An answer with errcode 40001 (invalid credential), 40014 (invalid token) or 42001 (token expired) gets a new token and
 * one more try. The draft's media_id is kept as the delivery's progress, so a retry after a failed submit does not
 * add a second draft.
 */
import type { PublicityConfig } from '../config.js';
import type { PublicChannel, PublishContext, Publishable } from '../types.js';

const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
/** -1 system busy; 45009 daily quota; 45011 too frequent. Others (bad media id, IP not on the allow-list…) need a person. */
const RETRYABLE = new Set([-1, 45009, 45011]);
const TITLE_MAX = 32;
const DIGEST_MAX = 120;

interface WxAnswer {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
  expires_in?: number;
  media_id?: string;
  publish_id?: string | number;
  msg_data_id?: string | number;
}

class WxError extends Error {
  constructor(
    readonly errcode: number | null,
    message: string,
  ) {
    super(message);
  }
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const cut = (s: string, n: number) => ([...s].length <= n ? s : `${[...s].slice(0, n - 1).join('')}…`);

/** The article as the draft API takes it. */
export function wechatArticle(a: Publishable, statusUrl: string, thumbMediaId: string, author?: string) {
  const paragraphs = a.body.zh.split('\n').filter((l) => l.trim());
  return {
    title: cut(a.title.zh, TITLE_MAX),
    ...(author ? { author } : {}),
    digest: cut(paragraphs.join(' '), DIGEST_MAX),
    content: paragraphs.map((l) => `<p>${escapeHtml(l)}</p>`).join(''),
    content_source_url: statusUrl,
    thumb_media_id: thumbMediaId,
    need_open_comment: 0,
    only_fans_can_comment: 0,
  };
}

export function wechatOaChannel(config: () => PublicityConfig): PublicChannel {
  let cached: { appid: string; token: string; until: number } | null = null;

  const post = async (url: string, body: unknown, ctx: PublishContext): Promise<WxAnswer> => {
    let res: Response;
    try {
      res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body), signal: ctx.signal });
    } catch (err) {
      throw new WxError(-1, `WeChat API unreachable: ${(err as Error).name === 'TimeoutError' ? 'timed out' : (err as Error).message}`);
    }
    if (!res.ok) throw new WxError(-1, `WeChat API answered HTTP ${res.status}`);
    const json = (await res.json().catch(() => null)) as WxAnswer | null;
    if (!json) throw new WxError(-1, 'WeChat API answered no JSON');
    return json;
  };

  const token = async (ctx: PublishContext): Promise<string> => {
    const wx = config().wechat!;
    if (cached && cached.appid === wx.appid && ctx.now() < cached.until) return cached.token;
    const answer = await post(`${wx.apiBase}/cgi-bin/stable_token`, { grant_type: 'client_credential', appid: wx.appid, secret: wx.secret, force_refresh: false }, ctx);
    if (!answer.access_token) throw new WxError(answer.errcode ?? null, `stable_token: errcode ${answer.errcode} ${answer.errmsg ?? ''}`.trim());
    const lifeMs = Math.max(0, Number(answer.expires_in ?? 7200)) * 1000;
    cached = { appid: wx.appid, token: answer.access_token, until: ctx.now() + (lifeMs > 600_000 ? lifeMs - 300_000 : lifeMs / 2) };
    return answer.access_token;
  };

  /** Calls an API with the token; an expired or invalid token is replaced once. */
  const call = async (path: string, body: unknown, ctx: PublishContext): Promise<WxAnswer> => {
    const wx = config().wechat!;
    for (let attempt = 0; ; attempt++) {
      const t = await token(ctx);
      const answer = await post(`${wx.apiBase}${path}?access_token=${encodeURIComponent(t)}`, body, ctx);
      if (answer.errcode && TOKEN_ERRORS.has(answer.errcode) && attempt === 0) {
        cached = null;
        continue;
      }
      if (answer.errcode) throw new WxError(answer.errcode, `${path}: errcode ${answer.errcode} ${answer.errmsg ?? ''}`.trim());
      return answer;
    }
  };

  return {
    kind: 'wechat_oa',
    unavailable: () => (config().wechat ? null : 'NOT_CONFIGURED: no WeChat Official Account (appid, secret, thumbMediaId) in publicity.yaml'),
    async publish(a, ctx) {
      const wx = config().wechat;
      if (!wx) return { ok: false, notConfigured: true, error: 'NOT_CONFIGURED: no WeChat Official Account (appid, secret, thumbMediaId) in publicity.yaml' };
      let mediaId: string | null = null;
      try {
        mediaId = (JSON.parse(ctx.progress ?? '{}') as { media_id?: string }).media_id ?? null;
      } catch {
        mediaId = null;
      }
      try {
        if (!mediaId) {
          const draft = await call('/cgi-bin/draft/add', { articles: [wechatArticle(a, ctx.statusUrl, wx.thumbMediaId, wx.author)] }, ctx);
          if (!draft.media_id) throw new WxError(-1, '/cgi-bin/draft/add answered no media_id');
          mediaId = draft.media_id;
        }
        const published = await call('/cgi-bin/freepublish/submit', { media_id: mediaId }, ctx);
        return { ok: true, reference: `publish_id ${published.publish_id ?? '?'}` };
      } catch (err) {
        const e = err as WxError;
        return { ok: false, error: e.message, retryable: e.errcode === null || RETRYABLE.has(e.errcode), ...(mediaId ? { progress: JSON.stringify({ media_id: mediaId }) } : {}) };
      }
    },
  };
}
