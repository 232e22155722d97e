import { describe, expect, it } from 'vitest';
import { ctxWith, runNotifierContract, sampleMessage } from './contract.suite.js';
import { startAliyunFake } from './fakes/aliyun-fake.js';
import { smsAliyun, type SmsAliyunConfig } from './sms-aliyun.js';

const accessKeyId = 'LTAI5tTestAccessKeyId01';
const accessKeySecret = 'TestAccessKeySecret0123456789ab';
const config = (endpoint: string, extra: Partial<SmsAliyunConfig> = {}): SmsAliyunConfig => ({
  accessKeyId,
  accessKeySecret,
  signName: '某某医院',
  templateCode: 'SMS_465012345',
  endpoint,
  ...extra,
});
const startFake = () => startAliyunFake({ accessKeyId, accessKeySecret });

for (const signatureVersion of ['v3', 'v1'] as const) {
  describe(`signature ${signatureVersion}`, () => {
    runNotifierContract({
      notifier: smsAliyun,
      makeConfig: (endpoint) => config(endpoint, { signatureVersion }),
      recipient: { name: '张三', mobile: '13800000000' },
      startFake,
      needsAddress: true,
    });
  });
}

describe('sms-aliyun', () => {
  it('sends SendSms with the template code, signature and TemplateParam JSON (v3, verified by the fake)', async () => {
    const fake = await startFake();
    try {
      const d = await smsAliyun.send(sampleMessage(), { mobile: '+86 138 0000 0000' }, config(fake.url), ctxWith());
      expect(d).toMatchObject({ status: 'sent', providerRef: expect.stringMatching(/\^0$/) });
      expect(fake.problems()).toEqual([]);
      expect(fake.schemes()).toEqual(['v3']);
      expect(fake.params()[0]).toEqual({
        PhoneNumbers: '13800000000',
        SignName: '某某医院',
        TemplateCode: 'SMS_465012345',
        TemplateParam: JSON.stringify({ system: 'HIS', level: '二级', minutes: '12' }),
      });
      expect(fake.requests[0].headers['x-acs-action']).toBe('SendSms');
      expect(fake.requests[0].headers['x-acs-version']).toBe('2017-05-25');
    } finally {
      await fake.close();
    }
  });

  it('v1 puts everything in a signed form body', async () => {
    const fake = await startFake();
    try {
      const d = await smsAliyun.send(sampleMessage(), { mobile: '13800000000' }, config(fake.url, { signatureVersion: 'v1' }), ctxWith());
      expect(d.status).toBe('sent');
      expect(fake.schemes()).toEqual(['v1']);
      const form = new URLSearchParams(fake.requests[0].body);
      expect(form.get('Action')).toBe('SendSms');
      expect(form.get('TemplateCode')).toBe('SMS_465012345');
      expect(fake.problems()).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it('a wrong AccessKeySecret fails the vendor signature check (permanent)', async () => {
    const fake = await startFake();
    try {
      const d = await smsAliyun.send(sampleMessage(), { mobile: '13800000000' }, config(fake.url, { accessKeySecret: 'not-the-secret' }), ctxWith());
      expect(d).toMatchObject({ status: 'failed', retryable: false });
      expect(d.status === 'failed' && d.reason).toContain('SignatureDoesNotMatch');
      expect(fake.problems()).toContain('v3 signature mismatch');
    } finally {
      await fake.close();
    }
  });

  it('strips URLs and IPs from template values (the API rejects them) and marks tests without 【】', async () => {
    const fake = await startFake();
    try {
      const msg = sampleMessage({ test: true, templateParams: { system: 'HIS http://10.1.2.3/his', host: '10.1.2.3 宕机' } });
      const d = await smsAliyun.send(msg, { mobile: '13800000000' }, config(fake.url), ctxWith());
      expect(d.status).toBe('sent');
      expect(JSON.parse(fake.params()[0].TemplateParam)).toEqual({ system: '（测试）HIS', host: '宕机' });
    } finally {
      await fake.close();
    }
  });

  it('a clock more than 15 minutes off is rejected', async () => {
    const fake = await startFake();
    try {
      const d = await smsAliyun.send(sampleMessage(), { mobile: '13800000000' }, config(fake.url), ctxWith(undefined, { now: () => Date.now() - 20 * 60_000 }));
      expect(d).toMatchObject({ status: 'failed', retryable: false });
      expect(d.status === 'failed' && d.reason).toContain('InvalidTimeStamp.Expired');
    } finally {
      await fake.close();
    }
  });

  it('a drill page goes with drillTemplateCode when set, else with templateCode; the marked variables either way', async () => {
    const fake = await startFake();
    try {
      const drill = sampleMessage({ drill: true, templateParams: { system: 'HIS', level: '（演练）二级', minutes: '12' } });
      expect((await smsAliyun.send(drill, { mobile: '13800000000' }, config(fake.url, { drillTemplateCode: 'SMS_465099999' }), ctxWith())).status).toBe('sent');
      expect((await smsAliyun.send(drill, { mobile: '13800000000' }, config(fake.url), ctxWith())).status).toBe('sent');
      expect((await smsAliyun.send(sampleMessage(), { mobile: '13800000000' }, config(fake.url, { drillTemplateCode: 'SMS_465099999' }), ctxWith())).status).toBe('sent');
      expect(fake.problems()).toEqual([]);
      const marked = JSON.stringify({ system: 'HIS', level: '（演练）二级', minutes: '12' });
      expect(fake.params()[0]).toEqual({ PhoneNumbers: '13800000000', SignName: '某某医院', TemplateCode: 'SMS_465099999', TemplateParam: marked });
      expect(fake.params()[1]).toEqual({ PhoneNumbers: '13800000000', SignName: '某某医院', TemplateCode: 'SMS_465012345', TemplateParam: marked });
      expect(fake.params()[2].TemplateCode).toBe('SMS_465012345'); // a real page never uses the drill template
    } finally {
      await fake.close();
    }
  });

  it('refuses a drill template code that is not an approved code', async () => {
    const d = await smsAliyun.send(
      sampleMessage({ drill: true, templateParams: { system: 'HIS', level: '（演练）二级', minutes: '12' } }),
      { mobile: '13800000000' },
      config('http://127.0.0.1:9', { drillTemplateCode: '【演练】' }),
      ctxWith(),
    );
    expect(d).toMatchObject({ status: 'failed', retryable: false });
    expect(d.status === 'failed' && d.reason).toContain('drillTemplateCode');
  });
});
