/**
 * Test-only fake of Alibaba Cloud RPC endpoints (dysmsapi `SendSms`, dyvmsapi `SingleCallByTts`).
 * It verifies both signature schemes independently of `../signing` (formulas from wire-formats §4.4):
 * v1 HMAC-SHA1 over the form body, v3 ACS3-HMAC-SHA256 over the received query and headers; plus the
 * 15-minute clock window, nonce reuse, and the business parameters of each action.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { echoOf, expectEqual, header, startHttpFake, type FakeReply, type HttpChannelFake, type RecordedRequest } from './http-fake.js';

const WINDOW_MS = 15 * 60 * 1000;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** RFC 3986 encoding (`!*'()` too), written independently of the production signer. */
export function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function sortedQuery(params: [string, string][]): string {
  return params
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** v1 expected signature for the given (decoded) parameters, `Signature` excluded. */
export function aliyunV1Expected(method: string, params: [string, string][], secret: string): string {
  const sts = `${method}&${rfc3986('/')}&${rfc3986(sortedQuery(params))}`;
  return createHmac('sha1', `${secret}&`).update(sts).digest('base64');
}

/** v3 expected signature from the pieces of a received request. */
export function aliyunV3Expected(input: { method: string; path: string; query: [string, string][]; headers: Record<string, string>; signedHeaders: string[]; body: string; secret: string }): {
  canonicalRequestHash: string;
  signature: string;
} {
  const canonicalHeaders = input.signedHeaders.map((h) => `${h}:${(input.headers[h] ?? '').trim()}\n`).join('');
  const canonical = [input.method, input.path, sortedQuery(input.query), canonicalHeaders, input.signedHeaders.join(';'), sha256(input.body)].join('\n');
  const canonicalRequestHash = sha256(canonical);
  const signature = createHmac('sha256', input.secret).update(`ACS3-HMAC-SHA256\n${canonicalRequestHash}`).digest('hex');
  return { canonicalRequestHash, signature };
}

export interface AliyunFakeOptions {
  accessKeyId: string;
  accessKeySecret: string;
  now?: () => number;
}

export interface AliyunFake extends HttpChannelFake {
  /** The business parameters (signature/common parameters removed) of each request, in order. */
  params(): Record<string, string>[];
  /** The signature scheme each request used. */
  schemes(): ('v1' | 'v3')[];
}

const COMMON_V1 = new Set(['AccessKeyId', 'Action', 'Format', 'SignatureMethod', 'SignatureNonce', 'SignatureVersion', 'Timestamp', 'Version', 'Signature']);

interface Parsed {
  scheme: 'v1' | 'v3';
  action: string;
  version: string;
  params: Record<string, string>;
}

export async function startAliyunFake(opts: AliyunFakeOptions): Promise<AliyunFake> {
  const now = opts.now ?? Date.now;
  const nonces = new Set<string>();
  const parsed: Parsed[] = [];
  const error = (status: number, Code: string, Message: string): FakeReply => ({
    status,
    body: { Code, Message, RequestId: randomBytes(8).toString('hex').toUpperCase() },
  });

  function checkClockAndNonce(req: RecordedRequest, timestamp: string, nonce: string): FakeReply | undefined {
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(timestamp)) {
      req.problems.push(`timestamp format ${timestamp}`);
      return error(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
    }
    if (Math.abs(Date.parse(timestamp) - now()) > WINDOW_MS) {
      req.problems.push(`timestamp ${timestamp} outside 15 minutes`);
      return error(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
    }
    if (!nonce || nonces.has(nonce)) {
      req.problems.push('nonce missing or reused');
      return error(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
    }
    nonces.add(nonce);
    return undefined;
  }

  function verifyV3(req: RecordedRequest): Parsed | FakeReply {
    const auth = header(req, 'authorization') ?? '';
    const m = /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m) {
      req.problems.push(`malformed Authorization: ${auth.slice(0, 40)}`);
      return error(400, 'IncompleteSignature', 'The request signature does not conform to Aliyun standards.');
    }
    const [, credential, signedList, signature] = m;
    if (credential !== opts.accessKeyId) return error(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    const signedHeaders = signedList.split(';');
    const required = ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'];
    for (const h of required) if (!signedHeaders.includes(h)) req.problems.push(`header ${h} not signed`);
    if ([...signedHeaders].sort().join(';') !== signedList) req.problems.push('SignedHeaders not sorted');
    const headers: Record<string, string> = {};
    for (const h of signedHeaders) headers[h] = header(req, h) ?? '';
    expectEqual(req, 'x-acs-content-sha256', headers['x-acs-content-sha256'], sha256(req.body));
    const bad = checkClockAndNonce(req, headers['x-acs-date'], headers['x-acs-signature-nonce']);
    if (bad) return bad;
    const query = [...req.query.entries()];
    const expected = aliyunV3Expected({
      method: req.method,
      path: req.path,
      query,
      headers,
      signedHeaders,
      body: req.body,
      secret: opts.accessKeySecret,
    });
    if (req.problems.length || expected.signature !== signature) {
      req.problems.push('v3 signature mismatch');
      return error(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
    }
    return { scheme: 'v3', action: headers['x-acs-action'], version: headers['x-acs-version'], params: Object.fromEntries(query) };
  }

  function verifyV1(req: RecordedRequest): Parsed | FakeReply {
    if (!/^application\/x-www-form-urlencoded/i.test(header(req, 'content-type') ?? '')) {
      req.problems.push('v1 POST body is not a form');
    }
    const form = new URLSearchParams(req.body);
    const all = [...form.entries()];
    const get = (k: string) => form.get(k) ?? '';
    if (get('AccessKeyId') !== opts.accessKeyId) return error(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
    expectEqual(req, 'SignatureMethod', get('SignatureMethod'), 'HMAC-SHA1');
    expectEqual(req, 'SignatureVersion', get('SignatureVersion'), '1.0');
    expectEqual(req, 'Format', get('Format'), 'JSON');
    const bad = checkClockAndNonce(req, get('Timestamp'), get('SignatureNonce'));
    if (bad) return bad;
    const unsigned = all.filter(([k]) => k !== 'Signature');
    if (req.problems.length || aliyunV1Expected('POST', unsigned, opts.accessKeySecret) !== get('Signature')) {
      req.problems.push('v1 signature mismatch');
      return error(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
    }
    const params = Object.fromEntries(all.filter(([k]) => !COMMON_V1.has(k)));
    return { scheme: 'v1', action: get('Action'), version: get('Version'), params };
  }

  type Values = { ok: true; values: Record<string, string> } | { ok: false; reply: FakeReply };
  function templateJson(req: RecordedRequest, field: string, raw: string | undefined): Values {
    if (raw === undefined) return { ok: true, values: {} };
    try {
      const obj = JSON.parse(raw) as unknown;
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new Error('not an object');
      for (const [k, v] of Object.entries(obj)) {
        if (typeof v !== 'string') throw new Error(`${k} is not a string`);
        if (/https?:\/\/|www\.|(\d{1,3}\.){3}\d{1,3}/i.test(v)) {
          return { ok: false, reply: error(200, 'isv.PARAM_NOT_SUPPORT_URL', '不支持URL') };
        }
      }
      return { ok: true, values: obj as Record<string, string> };
    } catch (e) {
      req.problems.push(`${field} is not a JSON object of strings (${(e as Error).message})`);
      return { ok: false, reply: error(200, 'isv.INVALID_JSON_PARAM', 'JSON参数不合法，只接受字符串值') };
    }
  }

  const fake = await startHttpFake({
    handle(req, behaviour) {
      expectEqual(req, 'method', req.method, 'POST');
      if (!expectEqual(req, 'path', req.path, '/')) return error(404, 'InvalidAction.NotFound', 'Specified api is not found.');
      if (behaviour === 'unavailable') return { status: 500, body: echoOf(req) };
      const isV3 = (header(req, 'authorization') ?? '').startsWith('ACS3-');
      const result = isV3 ? verifyV3(req) : verifyV1(req);
      if ('status' in result) return result;
      parsed.push(result);
      if (behaviour === 'reject-auth') return error(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
      if (behaviour === 'rate-limit') return error(200, 'isv.BUSINESS_LIMIT_CONTROL', '触发号码分钟级流控Permits:1');
      const p = result.params;
      const requireParams = (...names: string[]) => {
        for (const n of names) if (!p[n]) req.problems.push(`missing ${n}`);
      };
      if (result.action === 'SendSms') {
        expectEqual(req, 'Version', result.version, '2017-05-25');
        requireParams('PhoneNumbers', 'SignName', 'TemplateCode');
        if (p.PhoneNumbers && !/^(1[3-9]\d{9}|[1-9]\d{6,14})$/.test(p.PhoneNumbers)) req.problems.push(`PhoneNumbers ${p.PhoneNumbers}`);
        const values = templateJson(req, 'TemplateParam', p.TemplateParam);
        if (!values.ok) return values.reply;
        req.content = Object.values(values.values).join(' ');
        if (req.problems.length) return error(400, 'MissingParameter', req.problems.join('; '));
        return { status: 200, body: { Code: 'OK', Message: 'OK', BizId: `${Date.now()}^0`, RequestId: randomBytes(8).toString('hex') } };
      }
      if (result.action === 'SingleCallByTts') {
        expectEqual(req, 'Version', result.version, '2017-05-25');
        requireParams('CalledNumber', 'TtsCode');
        if (p.CalledNumber && !/^1[3-9]\d{9}$/.test(p.CalledNumber)) req.problems.push(`CalledNumber ${p.CalledNumber}`);
        if (p.PlayTimes && !/^[123]$/.test(p.PlayTimes)) req.problems.push(`PlayTimes ${p.PlayTimes}`);
        const values = templateJson(req, 'TtsParam', p.TtsParam);
        if (!values.ok) return values.reply;
        req.content = Object.values(values.values).join(' ');
        if (req.problems.length) return error(400, 'MissingParameter', req.problems.join('; '));
        return { status: 200, body: { Code: 'OK', Message: 'OK', CallId: `116012354148^${Date.now()}`, RequestId: randomBytes(8).toString('hex') } };
      }
      req.problems.push(`unexpected action ${result.action}`);
      return error(404, 'InvalidAction.NotFound', 'Specified api is not found.');
    },
  });
  return { ...fake, params: () => parsed.map((p) => p.params), schemes: () => parsed.map((p) => p.scheme) };
}
