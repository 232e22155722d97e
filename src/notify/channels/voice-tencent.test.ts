import { describe, expect, it } from 'vitest';
import { ctxWith, runNotifierContract, sampleMessage } from './contract.suite.js';
import { startTencentFake } from './fakes/tencent-fake.js';
import { voiceTencent, type VoiceTencentConfig } from './voice-tencent.js';

const secretId = 'AKIDvoiceTestSecretId0000EXAMPLE';
const secretKey = 'voiceTestSecretKey0000EXAMPLE';
const config = (endpoint: string, extra: Partial<VoiceTencentConfig> = {}): VoiceTencentConfig => ({
  secretId,
  secretKey,
  voiceSdkAppId: '1400999999',
  templateId: '7654321',
  endpoint,
  ...extra,
});
const startFake = () => startTencentFake({ secretId, secretKey });

runNotifierContract({
  notifier: voiceTencent,
  makeConfig: (endpoint) => config(endpoint),
  recipient: { name: '张三', mobile: '13800000000' },
  startFake,
  needsAddress: true,
});

describe('voice-tencent', () => {
  it('calls SendTtsVoice signed for service vms; CallId is the reference', async () => {
    const fake = await startFake();
    try {
      const d = await voiceTencent.send(sampleMessage(), { mobile: '13800000000' }, config(fake.url, { playTimes: 3, region: 'ap-beijing' }), ctxWith());
      expect(d).toMatchObject({ status: 'sent', providerRef: expect.stringMatching(/^[0-9a-f]{24}$/) });
      expect(fake.problems()).toEqual([]);
      const req = fake.requests[0];
      expect(req.headers['x-tc-action']).toBe('SendTtsVoice');
      expect(req.headers['x-tc-version']).toBe('2020-09-02');
      expect(req.headers['x-tc-region']).toBe('ap-beijing');
      expect(req.headers.authorization).toContain('/vms/tc3_request');
      expect(req.json).toEqual({
        TemplateId: '7654321',
        CalledNumber: '+8613800000000',
        VoiceSdkAppid: '1400999999',
        TemplateParamSet: ['HIS', '二级', '12'],
        PlayTimes: 3,
      });
    } finally {
      await fake.close();
    }
  });

  it('a drill call reads drillTemplateId when set, else templateId; the marked variables either way', async () => {
    const fake = await startFake();
    try {
      const drill = sampleMessage({ drill: true, templateParams: { system: 'HIS', level: '（演练）二级', minutes: '12' } });
      expect((await voiceTencent.send(drill, { mobile: '13800000000' }, config(fake.url, { drillTemplateId: '7650000' }), ctxWith())).status).toBe('sent');
      expect((await voiceTencent.send(drill, { mobile: '13800000000' }, config(fake.url), ctxWith())).status).toBe('sent');
      expect((await voiceTencent.send(sampleMessage(), { mobile: '13800000000' }, config(fake.url, { drillTemplateId: '7650000' }), ctxWith())).status).toBe('sent');
      expect(fake.problems()).toEqual([]);
      const body = (templateId: string) => ({ TemplateId: templateId, CalledNumber: '+8613800000000', VoiceSdkAppid: '1400999999', TemplateParamSet: ['HIS', '（演练）二级', '12'], PlayTimes: 2 });
      expect(fake.requests[0].json).toEqual(body('7650000'));
      expect(fake.requests[1].json).toEqual(body('7654321'));
      expect((fake.requests[2].json as { TemplateId: string }).TemplateId).toBe('7654321'); // a real call never uses the drill template
    } finally {
      await fake.close();
    }
  });
});
