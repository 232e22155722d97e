/**
 * Test-only fake of Tencent Cloud API v3 (SMS `SendSms` 2021-01-11, VMS `SendTtsVoice` 2020-09-02).
 * TC3-HMAC-SHA256 is recomputed here independently of `../signing` from the received headers and raw
 * body (formula in wire-formats §4.5); errors are HTTP 200 `{"Response":{"Error":{…}}}` like the real API.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { echoOf, expectEqual, header, startHttpFake, type FakeReply, type HttpChannelFake, type RecordedRequest } from './http-fake.js';

const hex = (s: string) => createHash('sha256').update(s).digest('hex');
const mac = (k: string | Buffer, s: string) => createHmac('sha256', k).update(s).digest();

/** Independent TC3 signature over the exact bytes received. */
export function tc3Expected(p: { secretKey: string; service: string; host: string; contentType: string; timestamp: number; body: string }): string {
  const date = new Date(p.timestamp * 1000).toISOString().slice(0, 10);
  const canonical = `POST\n/\n\ncontent-type:${p.contentType}\nhost:${p.host}\n\ncontent-type;host\n${hex(p.body)}`;
  const sts = `TC3-HMAC-SHA256\n${p.timestamp}\n${date}/${p.service}/tc3_request\n${hex(canonical)}`;
  const key = mac(mac(mac(`TC3${p.secretKey}`, date), p.service), 'tc3_request');
  return createHmac('sha256', key).update(sts).digest('hex');
}

export interface TencentFakeOptions {
  secretId: string;
  secretKey: string;
  now?: () => number;
}

export interface TencentFake extends HttpChannelFake {
  /** Per-number status code for the next SendSms answers (default `Ok`). */
  setNumberStatus(code: string): void;
}

const ACTIONS: Record<string, { version: string; service: string }> = {
  SendSms: { version: '2021-01-11', service: 'sms' },
  SendTtsVoice: { version: '2020-09-02', service: 'vms' },
};

export async function startTencentFake(opts: TencentFakeOptions): Promise<TencentFake> {
  const now = opts.now ?? Date.now;
  let numberStatus = 'Ok';
  const requestId = () => randomBytes(16).toString('hex');
  const error = (Code: string, Message: string): FakeReply => ({
    status: 200,
    body: { Response: { Error: { Code, Message }, RequestId: requestId() } },
  });

  function verify(req: RecordedRequest): { action: string } | FakeReply {
    const action = header(req, 'x-tc-action') ?? '';
    const spec = ACTIONS[action];
    if (!spec) return error('InvalidAction', `action ${action} not found`);
    expectEqual(req, 'X-TC-Version', header(req, 'x-tc-version'), spec.version);
    if (!/^ap-[a-z]+$/.test(header(req, 'x-tc-region') ?? '')) req.problems.push('X-TC-Region missing');
    const contentType = header(req, 'content-type') ?? '';
    expectEqual(req, 'Content-Type', contentType, 'application/json');
    const ts = Number(header(req, 'x-tc-timestamp'));
    if (!Number.isInteger(ts) || Math.abs(now() / 1000 - ts) > 300) {
      req.problems.push(`X-TC-Timestamp ${String(header(req, 'x-tc-timestamp'))} not within 5 minutes`);
      return error('AuthFailure.SignatureExpire', 'signature expired');
    }
    const auth = header(req, 'authorization') ?? '';
    const m = /^TC3-HMAC-SHA256 Credential=([^/]+)\/(\d{4}-\d\d-\d\d)\/([a-z]+)\/tc3_request, SignedHeaders=([a-z;-]+), Signature=([0-9a-f]{64})$/.exec(auth);
    if (!m) {
      req.problems.push('malformed Authorization');
      return error('AuthFailure.InvalidAuthorization', 'Authorization is invalid');
    }
    const [, secretId, date, service, signedHeaders, signature] = m;
    if (secretId !== opts.secretId) return error('AuthFailure.SecretIdNotFound', 'The SecretId is not found');
    expectEqual(req, 'credential date', date, new Date(ts * 1000).toISOString().slice(0, 10));
    expectEqual(req, 'credential service', service, spec.service);
    expectEqual(req, 'SignedHeaders', signedHeaders, 'content-type;host');
    const expected = tc3Expected({
      secretKey: opts.secretKey,
      service: spec.service,
      host: header(req, 'host') ?? '',
      contentType,
      timestamp: ts,
      body: req.body,
    });
    if (req.problems.length || expected !== signature) {
      req.problems.push('TC3 signature mismatch');
      return error('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.');
    }
    return { action };
  }

  const fake = await startHttpFake({
    handle(req, behaviour) {
      expectEqual(req, 'method', req.method, 'POST');
      expectEqual(req, 'path', req.path, '/');
      if (behaviour === 'unavailable') return { status: 500, body: echoOf(req) };
      const verdict = verify(req);
      if ('status' in verdict) return verdict;
      if (behaviour === 'reject-auth') return error('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.');
      if (behaviour === 'rate-limit') return error('RequestLimitExceeded', 'Your current request times equals to `20` in a second');
      const body = (req.json ?? {}) as Record<string, unknown>;
      const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
      if (verdict.action === 'SendSms') {
        const phones = body.PhoneNumberSet;
        if (!strings(phones) || (phones as string[]).some((p) => !/^\+[1-9]\d{6,14}$/.test(p))) req.problems.push('PhoneNumberSet must be E.164 strings');
        for (const f of ['SmsSdkAppId', 'TemplateId', 'SignName']) if (typeof body[f] !== 'string' || !body[f]) req.problems.push(`${f} missing`);
        if (!strings(body.TemplateParamSet)) req.problems.push('TemplateParamSet must be an array of strings');
        req.content = ((body.TemplateParamSet as string[] | undefined) ?? []).join(' ');
        if (req.problems.length) return error('InvalidParameterValue', req.problems.join('; '));
        return {
          status: 200,
          body: {
            Response: {
              SendStatusSet: (phones as string[]).map((p) => ({
                SerialNo: `5000:${randomBytes(8).toString('hex')}`,
                PhoneNumber: p,
                Fee: 1,
                SessionContext: '',
                Code: numberStatus,
                Message: numberStatus === 'Ok' ? 'send success' : 'limited',
                IsoCode: 'CN',
              })),
              RequestId: requestId(),
            },
          },
        };
      }
      // SendTtsVoice
      if (typeof body.CalledNumber !== 'string' || !/^\+[1-9]\d{6,14}$/.test(body.CalledNumber)) req.problems.push('CalledNumber must be E.164');
      for (const f of ['TemplateId', 'VoiceSdkAppid']) if (typeof body[f] !== 'string' || !body[f]) req.problems.push(`${f} missing`);
      if (body.TemplateParamSet !== undefined && !strings(body.TemplateParamSet)) req.problems.push('TemplateParamSet must be strings');
      if (body.PlayTimes !== undefined && ![1, 2, 3].includes(body.PlayTimes as number)) req.problems.push('PlayTimes 1..3');
      req.content = ((body.TemplateParamSet as string[] | undefined) ?? []).join(' ');
      if (req.problems.length) return error('InvalidParameterValue', req.problems.join('; '));
      return { status: 200, body: { Response: { SendStatus: { CallId: randomBytes(12).toString('hex'), SessionContext: '' }, RequestId: requestId() } } };
    },
  });
  return {
    ...fake,
    setNumberStatus: (c) => {
      numberStatus = c;
    },
  };
}
