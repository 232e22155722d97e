/**
 * Test-only: a local WeChat Official Account API that checks each request exactly as the official documentation
 * describes it (docs/announcements.md lists the pages): getStableAccessToken (`POST /cgi-bin/stable_token`, JSON
 * {grant_type, appid, secret, force_refresh?}), getAccessToken (`GET /cgi-bin/token?grant_type&appid&secret`),
 * draft_add (`POST /cgi-bin/draft/add?access_token=`, {articles: [...]}) and freepublish_submit
 * (`POST /cgi-bin/freepublish/submit?access_token=`, {media_id}). Wrong credentials, an unknown or expired token, an
 * unknown media id get WeChat's own errcode answers; anything the documentation does not allow is recorded as a
 * problem. The test can expire the tokens (→ 42001) or script the next answers.
 */
import { header, startHttpFake, type RecordedRequest } from '../../../../shared/fakes/http-fake.js';

/** A request as the shared HTTP fake recorded it, with the JSON WeChat answered. */
export interface WechatRequest extends RecordedRequest {
  answer?: unknown;
}

export interface WechatOaFake {
  readonly url: string;
  readonly requests: WechatRequest[];
  /** Every article published (draft added, then submitted). */
  readonly published: { media_id: string; publish_id: string; articles: Record<string, unknown>[] }[];
  problems(): string[];
  /** Every token issued so far expires now: the next API call answers 42001. */
  expireTokens(): void;
  /** The next `times` calls to `path` answer `answer` instead (and change nothing). */
  script(path: string, answer: Record<string, unknown>, times?: number): void;
  close(): Promise<void>;
}

const ARTICLE_KEYS = new Set([
  'article_type',
  'title',
  'author',
  'digest',
  'content',
  'content_source_url',
  'thumb_media_id',
  'need_open_comment',
  'only_fans_can_comment',
  'pic_crop_235_1',
  'pic_crop_1_1',
  'image_info',
  'cover_info',
  'product_info',
]);

export async function startWechatOaFake(options: { appid: string; secret: string; thumbMediaId: string; expiresIn?: number }): Promise<WechatOaFake> {
  const published: WechatOaFake['published'] = [];
  const tokens = new Map<string, { expired: boolean }>();
  const drafts = new Map<string, Record<string, unknown>[]>();
  const scripts = new Map<string, { answer: Record<string, unknown>; remaining: number }>();
  let current: string | null = null;
  let serial = 0;

  const tokenAnswer = () => {
    if (!current || tokens.get(current)?.expired) {
      current = `TOKEN_${++serial}_${Math.random().toString(36).slice(2, 10)}`;
      tokens.set(current, { expired: false });
    }
    return { access_token: current, expires_in: options.expiresIn ?? 7200 };
  };
  const credentials = (appid: unknown, secret: unknown) =>
    appid !== options.appid ? { errcode: 40013, errmsg: 'invalid appid' } : secret !== options.secret ? { errcode: 40125, errmsg: 'invalid appsecret' } : null;
  const tokenCheck = (r: WechatRequest) => {
    const t = r.query.get('access_token');
    if (!t) {
      r.problems.push(`${r.path}: access_token query parameter missing`);
      return { errcode: 41001, errmsg: 'access_token missing' };
    }
    const known = tokens.get(t);
    if (!known) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
    if (known.expired) return { errcode: 42001, errmsg: 'access_token expired' };
    return null;
  };
  const jsonPost = (r: WechatRequest) => {
    if (r.method !== 'POST') r.problems.push(`${r.path}: must be POST, was ${r.method}`);
    const contentType = header(r, 'content-type');
    if (!/^application\/json/i.test(contentType ?? '')) r.problems.push(`${r.path}: Content-Type must be application/json, was ${contentType}`);
    if (typeof r.json !== 'object' || r.json === null || Array.isArray(r.json)) {
      r.problems.push(`${r.path}: body must be a JSON object`);
      return {} as Record<string, unknown>;
    }
    return r.json as Record<string, unknown>;
  };

  const verifyAndAnswer = (r: WechatRequest): unknown => {
    switch (r.path) {
      case '/cgi-bin/stable_token': {
        const b = jsonPost(r);
        if ([...r.query.keys()].length) r.problems.push('stable_token takes no query parameters');
        for (const k of Object.keys(b)) if (!['grant_type', 'appid', 'secret', 'force_refresh'].includes(k)) r.problems.push(`stable_token: unknown field ${k}`);
        if (b.grant_type !== 'client_credential') r.problems.push('stable_token: grant_type must be client_credential');
        if (b.force_refresh !== undefined && typeof b.force_refresh !== 'boolean') r.problems.push('stable_token: force_refresh must be a boolean');
        return credentials(b.appid, b.secret) ?? tokenAnswer();
      }
      case '/cgi-bin/token': {
        if (r.method !== 'GET') r.problems.push(`/cgi-bin/token: must be GET, was ${r.method}`);
        if (r.query.get('grant_type') !== 'client_credential') r.problems.push('/cgi-bin/token: grant_type must be client_credential');
        return credentials(r.query.get('appid'), r.query.get('secret')) ?? tokenAnswer();
      }
      case '/cgi-bin/draft/add': {
        const b = jsonPost(r);
        const bad = tokenCheck(r);
        if (bad) return bad;
        for (const k of Object.keys(b)) if (k !== 'articles') r.problems.push(`draft/add: unknown field ${k}`);
        const articles = Array.isArray(b.articles) ? (b.articles as Record<string, unknown>[]) : null;
        if (!articles || articles.length < 1 || articles.length > 8) {
          r.problems.push('draft/add: articles must be an array of 1 to 8 articles');
          return { errcode: 44002, errmsg: 'empty post data' };
        }
        for (const [i, a] of articles.entries()) {
          const at = `draft/add: articles[${i}]`;
          for (const k of Object.keys(a)) if (!ARTICLE_KEYS.has(k)) r.problems.push(`${at}: unknown field ${k}`);
          if (typeof a.title !== 'string' || !a.title) r.problems.push(`${at}.title is required (string)`);
          else if ([...a.title].length > 32) r.problems.push(`${at}.title is longer than 32 characters`);
          if (typeof a.content !== 'string' || !a.content) r.problems.push(`${at}.content is required (string)`);
          if (a.author !== undefined && (typeof a.author !== 'string' || [...a.author].length > 16)) r.problems.push(`${at}.author must be a string of at most 16 characters`);
          if (a.digest !== undefined && (typeof a.digest !== 'string' || [...a.digest].length > 128)) r.problems.push(`${at}.digest must be a string of at most 128 characters`);
          if (a.content_source_url !== undefined && typeof a.content_source_url !== 'string') r.problems.push(`${at}.content_source_url must be a string`);
          for (const k of ['need_open_comment', 'only_fans_can_comment']) if (a[k] !== undefined && a[k] !== 0 && a[k] !== 1) r.problems.push(`${at}.${k} must be 0 or 1`);
          if ((a.article_type ?? 'news') === 'news') {
            if (typeof a.thumb_media_id !== 'string' || !a.thumb_media_id) r.problems.push(`${at}.thumb_media_id is required for a news article`);
            else if (a.thumb_media_id !== options.thumbMediaId) return { errcode: 40007, errmsg: 'invalid media_id' };
          }
        }
        const mediaId = `MEDIA_${++serial}`;
        drafts.set(mediaId, articles);
        return { media_id: mediaId };
      }
      case '/cgi-bin/freepublish/submit': {
        const b = jsonPost(r);
        const bad = tokenCheck(r);
        if (bad) return bad;
        for (const k of Object.keys(b)) if (k !== 'media_id') r.problems.push(`freepublish/submit: unknown field ${k}`);
        if (typeof b.media_id !== 'string') r.problems.push('freepublish/submit: media_id is required (string)');
        const articles = typeof b.media_id === 'string' ? drafts.get(b.media_id) : undefined;
        if (!articles) return { errcode: 40007, errmsg: 'invalid media_id' };
        const publishId = String(2_247_483_000 + ++serial);
        drafts.delete(b.media_id as string);
        published.push({ media_id: b.media_id as string, publish_id: publishId, articles });
        return { errcode: 0, errmsg: 'ok', publish_id: publishId, msg_data_id: String(2_247_480_000 + serial) };
      }
      default:
        r.problems.push(`unknown API ${r.method} ${r.path}`);
        return { errcode: 48001, errmsg: 'api unauthorized' };
    }
  };

  const fake = await startHttpFake({
    handle(req) {
      const r = req as WechatRequest;
      if (r.body && r.json === undefined) r.problems.push(`${r.path}: body is not JSON`);
      const scripted = scripts.get(r.path);
      if (scripted && scripted.remaining > 0) {
        scripted.remaining--;
        r.answer = scripted.answer; // a scripted fault: nothing else happens (no draft added, nothing published)
      } else r.answer = verifyAndAnswer(r);
      return { status: 200, body: r.answer };
    },
  });
  return {
    url: fake.url,
    requests: fake.requests as WechatRequest[], // every request went through handle, which set its answer
    published,
    problems: fake.problems,
    expireTokens: () => {
      for (const t of tokens.values()) t.expired = true;
    },
    script: (path, answer, times = 1) => void scripts.set(path, { answer, remaining: times }),
    close: fake.close,
  };
}
