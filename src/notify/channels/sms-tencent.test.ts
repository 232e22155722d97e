import { describe, expect, it } from 'vitest';
import { ctxWith, runNotifierContract, sampleMessage } from './contract.suite.js';
import { startTencentFake } from './fakes/tencent-fake.js';
import { smsTencent, smsTencentBody, type SmsTencentConfig } from './sms-tencent.js';

const secretId = 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE';
const secretKey = 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE';
const config = (endpoint: string, extra: Partial<SmsTencentConfig> = {}): SmsTencentConfig => ({
  secretId,
  secretKey,
  smsSdkAppId: '1400000000',
  templateId: '1234567',
  signName: '测试医院',
  endpoint,
  ...extra,
});
const startFake = () => startTencentFake({ secretId, secretKey });

runNotifierContract({
  notifier: smsTencent,
  makeConfig: (endpoint) => config(endpoint, { paramOrder: ['system', 'level', 'minutes'] }),
  recipient: { name: '张三', mobile: '13800000000' },
  startFake,
  needsAddress: true,
});

describe('sms-tencent', () => {
  const vectorBody = '{"PhoneNumberSet":["+8613800000000"],"SmsSdkAppId":"1400000000","SignName":"测试医院","TemplateId":"1234567","TemplateParamSet":["HIS","P1"]}';

  it('builds byte-for-byte the body of the documented TC3 vector (wire-formats §4.5)', () => {
    const msg = sampleMessage({ templateParams: { 2: 'P1', 1: 'HIS' } });
    expect(smsTencentBody(msg, '+8613800000000', config('https://sms.tencentcloudapi.com'))).toBe(vectorBody);
  });

  it('sends it TC3-signed; the fake recomputes the signature from the received bytes', async () => {
    const fake = await startFake();
    try {
      const msg = sampleMessage({ templateParams: { 1: 'HIS', 2: 'P1' } });
      const d = await smsTencent.send(msg, { mobile: '13800000000' }, config(fake.url), ctxWith());
      expect(d).toMatchObject({ status: 'sent', providerRef: expect.stringMatching(/^5000:/) });
      expect(fake.problems()).toEqual([]);
      const req = fake.requests[0];
      expect(req.body).toBe(vectorBody);
      expect(req.headers['x-tc-action']).toBe('SendSms');
      expect(req.headers['x-tc-version']).toBe('2021-01-11');
      expect(req.headers['x-tc-region']).toBe('ap-guangzhou');
      expect(req.headers.authorization).toMatch(new RegExp(`^TC3-HMAC-SHA256 Credential=${secretId}/\\d{4}-\\d\\d-\\d\\d/sms/tc3_request, SignedHeaders=content-type;host, Signature=[0-9a-f]{64}$`));
    } finally {
      await fake.close();
    }
  });

  it('orders named template parameters by paramOrder', async () => {
    const fake = await startFake();
    try {
      await smsTencent.send(sampleMessage(), { mobile: '13800000000' }, config(fake.url, { paramOrder: ['minutes', 'system'] }), ctxWith());
      expect((fake.requests[0].json as { TemplateParamSet: string[] }).TemplateParamSet).toEqual(['12', 'HIS']);
    } finally {
      await fake.close();
    }
  });

  it('a wrong SecretKey fails the vendor signature check (permanent)', async () => {
    const fake = await startFake();
    try {
      const d = await smsTencent.send(sampleMessage(), { mobile: '13800000000' }, config(fake.url, { secretKey: 'wrong-key-0000' }), ctxWith());
      expect(d).toMatchObject({ status: 'failed', retryable: false });
      expect(d.status === 'failed' && d.reason).toContain('AuthFailure.SignatureFailure');
      expect(fake.problems()).toContain('TC3 signature mismatch');
    } finally {
      await fake.close();
    }
  });

  it('judges the per-number status: frequency limits are retryable, a blacklisted number is not', async () => {
    const fake = await startFake();
    try {
      fake.setNumberStatus('LimitExceeded.PhoneNumberThirtySecondLimit');
      const limited = await smsTencent.send(sampleMessage(), { mobile: '13800000000' }, config(fake.url), ctxWith());
      expect(limited).toMatchObject({ status: 'failed', retryable: true });
      fake.setNumberStatus('FailedOperation.PhoneNumberInBlacklist');
      const blacklisted = await smsTencent.send(sampleMessage(), { mobile: '13800000000' }, config(fake.url), ctxWith());
      expect(blacklisted).toMatchObject({ status: 'failed', retryable: false });
    } finally {
      await fake.close();
    }
  });

  it('a drill page goes with drillTemplateId when set, else with templateId; the marked variables either way', async () => {
    const fake = await startFake();
    try {
      const drill = sampleMessage({ drill: true, templateParams: { system: 'HIS', level: '（演练）二级', minutes: '12' } });
      const order = { paramOrder: ['level', 'system'] };
      expect((await smsTencent.send(drill, { mobile: '13800000000' }, config(fake.url, { ...order, drillTemplateId: '7654000' }), ctxWith())).status).toBe('sent');
      expect((await smsTencent.send(drill, { mobile: '13800000000' }, config(fake.url, order), ctxWith())).status).toBe('sent');
      expect((await smsTencent.send(sampleMessage(), { mobile: '13800000000' }, config(fake.url, { ...order, drillTemplateId: '7654000' }), ctxWith())).status).toBe('sent');
      expect(fake.problems()).toEqual([]);
      const body = (templateId: string) =>
        JSON.stringify({ PhoneNumberSet: ['+8613800000000'], SmsSdkAppId: '1400000000', SignName: '测试医院', TemplateId: templateId, TemplateParamSet: ['（演练）二级', 'HIS'] });
      expect(fake.requests[0].body).toBe(body('7654000'));
      expect(fake.requests[1].body).toBe(body('1234567'));
      expect((fake.requests[2].json as { TemplateId: string }).TemplateId).toBe('1234567'); // a real page never uses the drill template
    } finally {
      await fake.close();
    }
  });
});
