/**
 * The documented test vectors of wire-formats §4 and §4.7, checked against both the production signers
 * (this folder) and the independent verifiers inside the fakes, so neither can drift from the vendors.
 */
import { describe, expect, it } from 'vitest';
import { aliyunV1Expected, aliyunV3Expected } from '../fakes/aliyun-fake.js';
import { dingtalkExpectedSign, feishuExpectedSign } from '../fakes/robots-fake.js';
import { tc3Expected } from '../fakes/tencent-fake.js';
import { acs3Sign, aliyunTimestamp, canonicalQuery, percentEncode, rpcV1Signature, signAliyunRpc } from './aliyun.js';
import { dingtalkSign, feishuSign, webhookSignature } from './robots.js';
import { signTencentCall, tc3Sign } from './tencent.js';

describe('DingTalk robot signature (§4.1)', () => {
  const vector = 'W7Tum%2FUlCFmlSbJmFoiWo5z%2BY1FmKz132%2FFNMFKMW5s%3D';
  it('reproduces the vector: secret SEC1234, timestamp 1577262236757', () => {
    expect(dingtalkSign('SEC1234', 1577262236757)).toBe(vector);
  });
  it('the fake verifier agrees (base64 before URL-encoding)', () => {
    expect(encodeURIComponent(dingtalkExpectedSign('SEC1234', '1577262236757'))).toBe(vector);
  });
});

describe('Feishu bot signature (§4.3)', () => {
  const vector = 'oqkmTawrew17DVOOV6XeGykCvsqdlpItX+ey1Zc3uWU=';
  it('reproduces the vector: secret SEC1234, timestamp 1599360473 (seconds)', () => {
    expect(feishuSign('SEC1234', 1599360473)).toBe(vector);
    expect(feishuExpectedSign('SEC1234', '1599360473')).toBe(vector);
  });
  it('is not the DingTalk formula (key and message order differ)', () => {
    expect(decodeURIComponent(dingtalkSign('SEC1234', 1599360473))).not.toBe(vector);
  });
});

describe('Aliyun RPC signature v1 HMAC-SHA1 (§4.4, official DescribeRegions example)', () => {
  const params = {
    AccessKeyId: 'testid',
    Action: 'DescribeRegions',
    Format: 'XML',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
    SignatureVersion: '1.0',
    Timestamp: '2016-02-23T12:46:24Z',
    Version: '2014-05-26',
  };
  it('GET gives OLeaidS1JvxuMvnyHOwuJ+uX5qY=', () => {
    expect(rpcV1Signature('GET', params, 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
    expect(aliyunV1Expected('GET', Object.entries(params), 'testsecret')).toBe('OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });
  it('POST gives MxbnVAM4w6sft9xjVpe/GCKueuk=', () => {
    expect(rpcV1Signature('POST', params, 'testsecret')).toBe('MxbnVAM4w6sft9xjVpe/GCKueuk=');
    expect(aliyunV1Expected('POST', Object.entries(params), 'testsecret')).toBe('MxbnVAM4w6sft9xjVpe/GCKueuk=');
  });
  it('percent-encodes as RFC 3986 (space %20, * %2A, ~ kept, Chinese as UTF-8)', () => {
    expect(percentEncode("a b*c~d!'()")).toBe('a%20b%2Ac~d%21%27%28%29');
    expect(percentEncode('测试')).toBe('%E6%B5%8B%E8%AF%95');
    expect(canonicalQuery({ b: '2', a: '1 1' })).toBe('a=1%201&b=2');
  });
  it('formats timestamps without milliseconds', () => {
    expect(aliyunTimestamp(Date.UTC(2016, 1, 23, 12, 46, 24, 789))).toBe('2016-02-23T12:46:24Z');
  });
});

describe('Aliyun signature v3 ACS3-HMAC-SHA256 (§4.4, official RunInstances example)', () => {
  const input = {
    method: 'POST' as const,
    host: 'ecs.cn-shanghai.aliyuncs.com',
    path: '/',
    query: { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' },
    body: '',
    action: 'RunInstances',
    version: '2014-05-26',
    date: '2023-10-26T10:22:32Z',
    nonce: '3156853299f313e23d1673dc12e1703d',
    accessKeyId: 'YourAccessKeyId',
    accessKeySecret: 'YourAccessKeySecret',
  };
  const signature = '06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0';

  it('reproduces the canonical-request hash and the signature', async () => {
    const signed = acs3Sign(input);
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(signed.canonicalRequest).digest('hex')).toBe('7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259');
    expect(signed.signature).toBe(signature);
    expect(signed.headers.Authorization).toBe(
      'ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=' + signature,
    );
    expect(signed.headers['x-acs-content-sha256']).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('the fake verifier agrees', () => {
    const headers = {
      host: input.host,
      'x-acs-action': input.action,
      'x-acs-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      'x-acs-date': input.date,
      'x-acs-signature-nonce': input.nonce,
      'x-acs-version': input.version,
    };
    const expected = aliyunV3Expected({
      method: 'POST',
      path: '/',
      query: Object.entries(input.query),
      headers,
      signedHeaders: Object.keys(headers).sort(),
      body: '',
      secret: input.accessKeySecret,
    });
    expect(expected.canonicalRequestHash).toBe('7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259');
    expect(expected.signature).toBe(signature);
  });

  it('signAliyunRpc puts the business parameters in the signed query string (v3) or form body (v1)', () => {
    const call = {
      endpoint: 'https://dysmsapi.aliyuncs.com',
      action: 'SendSms',
      version: '2017-05-25',
      params: { PhoneNumbers: '13800000000', SignName: '测试医院' },
      accessKeyId: 'id',
      accessKeySecret: 'sk',
      nowMs: Date.UTC(2026, 10, 26, 1, 0, 0),
      nonce: 'n1',
    };
    const v3 = signAliyunRpc({ ...call, signatureVersion: 'v3' });
    expect(v3.url).toBe('https://dysmsapi.aliyuncs.com/?PhoneNumbers=13800000000&SignName=%E6%B5%8B%E8%AF%95%E5%8C%BB%E9%99%A2');
    expect(v3.body).toBe('');
    expect(v3.headers['x-acs-date']).toBe('2026-11-26T01:00:00Z');
    const v1 = signAliyunRpc({ ...call, signatureVersion: 'v1' });
    const form = new URLSearchParams(v1.body);
    expect(form.get('SignName')).toBe('测试医院');
    expect(form.get('Signature')).toBe(rpcV1Signature('POST', Object.fromEntries([...form.entries()].filter(([k]) => k !== 'Signature')), 'sk'));
  });
});

describe('Tencent Cloud TC3-HMAC-SHA256 (§4.5)', () => {
  const body = '{"PhoneNumberSet":["+8613800000000"],"SmsSdkAppId":"1400000000","SignName":"测试医院","TemplateId":"1234567","TemplateParamSet":["HIS","P1"]}';
  const vector = '65e2f547190fce71d72eebd919d57cb7a1bb35ea220ef238f5afaea43ce76005';

  it('reproduces the vector: AKIDEXAMPLE / SECRETEXAMPLE, timestamp 1764147600', () => {
    const signed = tc3Sign({
      secretId: 'AKIDEXAMPLE',
      secretKey: 'SECRETEXAMPLE',
      service: 'sms',
      host: 'sms.tencentcloudapi.com',
      timestamp: 1764147600,
      body,
    });
    expect(signed.signature).toBe(vector);
    expect(signed.date).toBe('2025-11-26');
    expect(signed.authorization).toBe(`TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2025-11-26/sms/tc3_request, SignedHeaders=content-type;host, Signature=${vector}`);
  });

  it('the fake verifier agrees', () => {
    expect(
      tc3Expected({
        secretKey: 'SECRETEXAMPLE',
        service: 'sms',
        host: 'sms.tencentcloudapi.com',
        contentType: 'application/json',
        timestamp: 1764147600,
        body,
      }),
    ).toBe(vector);
  });

  it('signTencentCall sends the headers the SDK sends, with the signed host of the endpoint', () => {
    const req = signTencentCall({
      endpoint: 'https://sms.tencentcloudapi.com',
      service: 'sms',
      action: 'SendSms',
      version: '2021-01-11',
      region: 'ap-guangzhou',
      body,
      secretId: 'AKIDEXAMPLE',
      secretKey: 'SECRETEXAMPLE',
      nowMs: 1764147600_000,
    });
    expect(req.headers).toMatchObject({
      'Content-Type': 'application/json',
      'X-TC-Action': 'SendSms',
      'X-TC-Version': '2021-01-11',
      'X-TC-Region': 'ap-guangzhou',
      'X-TC-Timestamp': '1764147600',
    });
    expect(req.headers.Authorization).toContain(`Signature=${vector}`);
    expect(req.body).toBe(body);
  });
});

describe('Lifeline webhook signature', () => {
  it('is sha256=<hex HMAC-SHA256 of the raw body>', () => {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
    expect(webhookSignature('Jefe', 'what do ya want for nothing?')).toBe('sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });
});
