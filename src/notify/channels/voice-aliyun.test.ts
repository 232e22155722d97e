import { describe, expect, it } from 'vitest';
import { ctxWith, runNotifierContract, sampleMessage } from './contract.suite.js';
import { startAliyunFake } from './fakes/aliyun-fake.js';
import { voiceAliyun, type VoiceAliyunConfig } from './voice-aliyun.js';

const accessKeyId = 'LTAI5tTestAccessKeyId02';
const accessKeySecret = 'VoiceAccessKeySecret0123456789';
const config = (endpoint: string, extra: Partial<VoiceAliyunConfig> = {}): VoiceAliyunConfig => ({
  accessKeyId,
  accessKeySecret,
  ttsCode: 'TTS_300012345',
  endpoint,
  ...extra,
});
const startFake = () => startAliyunFake({ accessKeyId, accessKeySecret });

runNotifierContract({
  notifier: voiceAliyun,
  makeConfig: (endpoint) => config(endpoint),
  recipient: { name: '张三', mobile: '+8613800000000' },
  startFake,
  needsAddress: true,
});

describe('voice-aliyun', () => {
  it('calls SingleCallByTts with the TTS template and parameters; CallId is the reference', async () => {
    const fake = await startFake();
    try {
      const d = await voiceAliyun.send(sampleMessage(), { mobile: '+8613800000000' }, config(fake.url, { playTimes: 3, calledShowNumber: '057188773344' }), ctxWith());
      expect(d).toMatchObject({ status: 'sent', providerRef: expect.stringMatching(/^116012354148\^/) });
      expect(fake.problems()).toEqual([]);
      expect(fake.requests[0].headers['x-acs-action']).toBe('SingleCallByTts');
      expect(fake.params()[0]).toEqual({
        CalledNumber: '13800000000',
        TtsCode: 'TTS_300012345',
        TtsParam: JSON.stringify({ system: 'HIS', level: '二级', minutes: '12' }),
        CalledShowNumber: '057188773344',
        PlayTimes: '3',
      });
    } finally {
      await fake.close();
    }
  });

  it('shares the Aliyun signer with SMS: v1 works too', async () => {
    const fake = await startFake();
    try {
      const d = await voiceAliyun.send(sampleMessage(), { mobile: '13800000000' }, config(fake.url, { signatureVersion: 'v1' }), ctxWith());
      expect(d.status).toBe('sent');
      expect(fake.schemes()).toEqual(['v1']);
      expect(fake.problems()).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it('per-callee flow control (isv.BUSINESS_LIMIT_CONTROL) is retryable', async () => {
    const fake = await startFake();
    try {
      fake.behave('rate-limit', 1);
      const d = await voiceAliyun.send(sampleMessage(), { mobile: '13800000000' }, config(fake.url), ctxWith());
      expect(d).toMatchObject({ status: 'failed', retryable: true });
      expect(d.status === 'failed' && d.reason).toContain('isv.BUSINESS_LIMIT_CONTROL');
      expect((await voiceAliyun.send(sampleMessage(), { mobile: '13800000000' }, config(fake.url), ctxWith())).status).toBe('sent');
    } finally {
      await fake.close();
    }
  });

  it('refuses non-mainland numbers without calling', async () => {
    const fake = await startFake();
    try {
      const d = await voiceAliyun.send(sampleMessage(), { mobile: '+85212345678' }, config(fake.url), ctxWith());
      expect(d).toMatchObject({ status: 'failed', retryable: false });
      expect(fake.requests).toHaveLength(0);
    } finally {
      await fake.close();
    }
  });

  it('a drill call reads drillTtsCode when set, else ttsCode; the marked variables either way', async () => {
    const fake = await startFake();
    try {
      const drill = sampleMessage({ drill: true, templateParams: { system: 'HIS', level: '（演练）二级', minutes: '12' } });
      expect((await voiceAliyun.send(drill, { mobile: '13800000000' }, config(fake.url, { drillTtsCode: 'TTS_300099999' }), ctxWith())).status).toBe('sent');
      expect((await voiceAliyun.send(drill, { mobile: '13800000000' }, config(fake.url), ctxWith())).status).toBe('sent');
      expect((await voiceAliyun.send(sampleMessage(), { mobile: '13800000000' }, config(fake.url, { drillTtsCode: 'TTS_300099999' }), ctxWith())).status).toBe('sent');
      expect(fake.problems()).toEqual([]);
      const marked = JSON.stringify({ system: 'HIS', level: '（演练）二级', minutes: '12' });
      expect(fake.params()[0]).toEqual({ CalledNumber: '13800000000', TtsCode: 'TTS_300099999', TtsParam: marked, PlayTimes: '2' });
      expect(fake.params()[1]).toEqual({ CalledNumber: '13800000000', TtsCode: 'TTS_300012345', TtsParam: marked, PlayTimes: '2' });
      expect(fake.params()[2].TtsCode).toBe('TTS_300012345'); // a real call never uses the drill template
    } finally {
      await fake.close();
    }
  });
});
