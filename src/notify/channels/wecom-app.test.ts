import { beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../shared/clock.js';
import { Hour, Minute } from '../../shared/time.js';
import { ctxWith, runNotifierContract, sampleMessage } from './contract.suite.js';
import { startWecomAppFake } from './fakes/wecom-app-fake.js';
import { clearWecomAppTokenCache, wecomApp, type WecomAppConfig } from './wecom-app.js';

const corpId = 'ww0123456789abcdef';
const corpSecret = 'Xy1-Ab2Cd3Ef4Gh5Ij6Kl7Mn8Op9Qr0StUvWxYz12';
const agentId = 1000002;
const config = (endpoint: string, extra: Partial<WecomAppConfig> = {}): WecomAppConfig => ({
  corpId,
  corpSecret,
  agentId,
  endpoint,
  ...extra,
});
const fakeOptions = { corpId, corpSecret, agentId, users: ['zhangsan', 'lisi'] };

runNotifierContract({
  notifier: wecomApp,
  makeConfig: (endpoint) => config(endpoint),
  recipient: { name: '张三', wecomUserId: 'zhangsan' },
  startFake: () => startWecomAppFake(fakeOptions),
  needsAddress: true,
});

describe('wecom-app', () => {
  beforeEach(() => clearWecomAppTokenCache());

  it('gets a token, sends to the user, and reuses the token until it expires on the injected clock', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 10, 26, 8, 0, 0));
    const fake = await startWecomAppFake({ ...fakeOptions, now: () => clock.now() });
    const ctx = ctxWith(undefined, { now: () => clock.now() });
    try {
      const first = await wecomApp.send(sampleMessage(), { wecomUserId: 'zhangsan' }, config(fake.url), ctx);
      expect(first).toMatchObject({ status: 'sent', providerRef: expect.stringMatching(/^msg-/) });
      const send = fake.requests.find((r) => r.path === '/cgi-bin/message/send');
      expect(send?.json).toMatchObject({ touser: 'zhangsan', agentid: agentId, msgtype: 'text' });
      expect(fake.requests[0].query.get('corpid')).toBe(corpId);
      expect(fake.tokensIssued()).toBe(1);

      clock.advance(Hour.ms);
      await wecomApp.send(sampleMessage(), { wecomUserId: 'lisi' }, config(fake.url), ctx);
      expect(fake.tokensIssued()).toBe(1); // cached

      clock.advance(Hour.ms - 4 * Minute.ms); // 7200 s minus the 5-minute margin has passed
      await wecomApp.send(sampleMessage(), { wecomUserId: 'lisi' }, config(fake.url), ctx);
      expect(fake.tokensIssued()).toBe(2); // refreshed before WeCom would reject it
      expect(fake.problems()).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it('refreshes the token once when WeCom rejects it (40014) and re-sends', async () => {
    const fake = await startWecomAppFake(fakeOptions);
    try {
      await wecomApp.send(sampleMessage(), { wecomUserId: 'zhangsan' }, config(fake.url), ctxWith());
      fake.revokeTokens();
      const d = await wecomApp.send(sampleMessage(), { wecomUserId: 'zhangsan' }, config(fake.url), ctxWith());
      expect(d.status).toBe('sent');
      expect(fake.tokensIssued()).toBe(2);
      expect(fake.requests.map((r) => r.path)).toEqual(['/cgi-bin/gettoken', '/cgi-bin/message/send', '/cgi-bin/message/send', '/cgi-bin/gettoken', '/cgi-bin/message/send']);
    } finally {
      await fake.close();
    }
  });

  it('refreshes only once: a token expired again (42001) fails permanently without looping', async () => {
    const fake = await startWecomAppFake(fakeOptions);
    try {
      fake.issueDeadTokens(true);
      const d = await wecomApp.send(sampleMessage(), { wecomUserId: 'zhangsan' }, config(fake.url), ctxWith());
      expect(d).toMatchObject({ status: 'failed', retryable: false });
      expect(d.status === 'failed' && d.reason).toContain('42001');
      expect(fake.tokensIssued()).toBe(2);
      expect(fake.requests).toHaveLength(4);
      for (const r of fake.requests) {
        const token = r.query.get('access_token');
        if (token) expect(d.status === 'failed' && d.reason).not.toContain(token);
      }
    } finally {
      await fake.close();
    }
  });

  it('a wrong corpsecret (40001) is permanent and the secret stays out of the reason', async () => {
    const fake = await startWecomAppFake(fakeOptions);
    try {
      const d = await wecomApp.send(sampleMessage(), { wecomUserId: 'zhangsan' }, config(fake.url, { corpSecret: 'wrong-secret-123' }), ctxWith());
      expect(d).toMatchObject({ status: 'failed', retryable: false });
      expect(d.status === 'failed' && d.reason).toContain('40001');
      expect(d.status === 'failed' && d.reason).not.toContain('wrong-secret-123');
    } finally {
      await fake.close();
    }
  });

  it('an unknown WeCom user is a permanent failure', async () => {
    const fake = await startWecomAppFake(fakeOptions);
    try {
      const d = await wecomApp.send(sampleMessage(), { wecomUserId: 'nobody' }, config(fake.url), ctxWith());
      expect(d).toMatchObject({ status: 'failed', retryable: false });
      expect(d.status === 'failed' && d.reason).toContain('81013');
    } finally {
      await fake.close();
    }
  });

  it('concurrent sends share one token request', async () => {
    const fake = await startWecomAppFake(fakeOptions);
    try {
      const results = await Promise.all(['zhangsan', 'lisi', 'zhangsan'].map((u) => wecomApp.send(sampleMessage(), { wecomUserId: u }, config(fake.url), ctxWith())));
      expect(results.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
      expect(fake.tokensIssued()).toBe(1);
    } finally {
      await fake.close();
    }
  });

  it('sends a textcard with the ack link as the button when configured', async () => {
    const fake = await startWecomAppFake(fakeOptions);
    try {
      await wecomApp.send(sampleMessage({ test: true }), { wecomUserId: 'zhangsan' }, config(fake.url, { msgtype: 'textcard' }), ctxWith());
      const send = fake.requests.find((r) => r.path === '/cgi-bin/message/send');
      expect(send?.json).toMatchObject({
        msgtype: 'textcard',
        textcard: { title: '【测试】【二级·暂定】HIS 医院信息系统 中断', url: 'https://lifeline.example.cn/a/7f3k', btntxt: '确认收到' },
      });
      expect(fake.problems()).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});
