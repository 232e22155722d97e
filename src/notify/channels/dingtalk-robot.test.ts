import { describe, expect, it } from 'vitest';
import { ctxWith, runNotifierContract, sampleMessage } from './contract.suite.js';
import { dingtalkRobot, type DingtalkRobotConfig } from './dingtalk-robot.js';
import { startDingtalkFake } from './fakes/robots-fake.js';

const accessToken = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2';
const secret = 'SECa1b2c3d4e5f60718293a4b5c6d7e8f9';
const config = (endpoint: string, extra: Partial<DingtalkRobotConfig> = {}): DingtalkRobotConfig => ({
  accessToken,
  secret,
  endpoint,
  ...extra,
});

runNotifierContract({
  notifier: dingtalkRobot,
  makeConfig: (endpoint) => config(endpoint),
  recipient: { name: '张三', mobile: '+86 138-0000-0000' },
  startFake: () => startDingtalkFake({ accessToken, secret }),
  needsAddress: false,
});

describe('dingtalk-robot', () => {
  it('signs with the documented vector (timestamp in ms in the URL, sign URL-encoded)', async () => {
    const fake = await startDingtalkFake({ accessToken, secret: 'SEC1234', now: () => 1577262236757 });
    try {
      const d = await dingtalkRobot.send(sampleMessage(), {}, config(fake.url, { secret: 'SEC1234' }), ctxWith(undefined, { now: () => 1577262236757 }));
      expect(d).toEqual({ status: 'sent' });
      expect(fake.problems()).toEqual([]);
      expect(fake.requests[0].rawQuery).toBe(`access_token=${accessToken}&timestamp=1577262236757&sign=W7Tum%2FUlCFmlSbJmFoiWo5z%2BY1FmKz132%2FFNMFKMW5s%3D`);
    } finally {
      await fake.close();
    }
  });

  it('a wrong secret is caught by the vendor signature check and is permanent', async () => {
    const fake = await startDingtalkFake({ accessToken, secret });
    try {
      const d = await dingtalkRobot.send(sampleMessage(), {}, config(fake.url, { secret: 'SECwrong' }), ctxWith());
      expect(d).toMatchObject({ status: 'failed', retryable: false });
      expect(d.status === 'failed' && d.reason).toContain('310000');
      expect(fake.problems()).toContain('sign mismatch');
    } finally {
      await fake.close();
    }
  });

  it('mentions the recipient by mobile and user id, in at.* and in the markdown text', async () => {
    const fake = await startDingtalkFake({ accessToken, secret });
    try {
      await dingtalkRobot.send(sampleMessage(), { mobile: '+8613800000000', dingtalkUserId: 'manager4512' }, config(fake.url), ctxWith());
      const body = fake.requests[0].json as { msgtype: string; markdown: { title: string; text: string }; at: unknown };
      expect(fake.problems()).toEqual([]);
      expect(body.msgtype).toBe('markdown');
      expect(body.at).toEqual({ atMobiles: ['13800000000'], atUserIds: ['manager4512'], isAtAll: false });
      expect(body.markdown.text).toContain('@13800000000');
      expect(body.markdown.title).toBe('【二级·暂定】HIS 医院信息系统 中断');
      expect(body.markdown.text).toContain('[确认收到](https://lifeline.example.cn/a/7f3k)');
    } finally {
      await fake.close();
    }
  });

  it('sends plain text when configured, with the test mark first', async () => {
    const fake = await startDingtalkFake({ accessToken, secret });
    try {
      await dingtalkRobot.send(sampleMessage({ test: true }), { mobile: '13800000000' }, config(fake.url, { msgtype: 'text' }), ctxWith());
      const body = fake.requests[0].json as { msgtype: string; text: { content: string } };
      expect(body.msgtype).toBe('text');
      expect(body.text.content.startsWith('【测试】【二级·暂定】HIS')).toBe(true);
      expect(body.text.content).toContain('确认收到：https://lifeline.example.cn/a/7f3k');
    } finally {
      await fake.close();
    }
  });

  it('message: actionCard sends the documented action card, buttons 确认收到 / 已到场 on the ack and check-in links', async () => {
    const fake = await startDingtalkFake({ accessToken, secret });
    try {
      const d = await dingtalkRobot.send(sampleMessage(), { mobile: '13800000000' }, config(fake.url, { message: 'actionCard' }), ctxWith());
      expect(d).toEqual({ status: 'sent' });
      expect(fake.problems()).toEqual([]);
      const body = fake.requests[0].json as { msgtype: string; actionCard: { title: string; text: string; btnOrientation: string; btns: unknown[] } };
      expect(body.msgtype).toBe('actionCard');
      expect(body.actionCard.title).toBe('【二级·暂定】HIS 医院信息系统 中断');
      expect(body.actionCard.text).toContain('门诊挂号/收费中断 12 分钟');
      expect(body.actionCard.text).toContain('@13800000000');
      expect(body.actionCard.btnOrientation).toBe('1');
      expect(body.actionCard.btns).toEqual([
        { title: '确认收到', actionURL: 'https://lifeline.example.cn/a/7f3k' },
        { title: '已到场', actionURL: 'https://lifeline.example.cn/api/v1/check-in/7f3k' },
      ]);
    } finally {
      await fake.close();
    }
  });

  it('the fake refuses an action card without buttons (it checks the documented shape)', async () => {
    const fake = await startDingtalkFake({ accessToken }); // a keyword-secured robot: no signature
    try {
      // a digest or a message without links has nothing for the buttons: the adapter falls back to markdown
      const d = await dingtalkRobot.send(sampleMessage({ links: {} }), {}, { accessToken, endpoint: fake.url, message: 'actionCard' }, ctxWith());
      expect(d).toEqual({ status: 'sent' });
      expect((fake.requests[0].json as { msgtype: string }).msgtype).toBe('markdown');
      const url = `${fake.url}/robot/send?access_token=${accessToken}`;
      const bad = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ msgtype: 'actionCard', actionCard: { title: 't', text: 'x' } }) });
      expect(await bad.json()).toMatchObject({ errcode: 400102 });
      expect(fake.problems()).toContain('actionCard.btns missing');
    } finally {
      await fake.close();
    }
  });

  it('no sign, timestamp or access_token reaches a reason when DingTalk echoes the request URL', async () => {
    const fake = await startDingtalkFake({ accessToken, secret, echoUrl: true });
    try {
      const rawUrls: string[] = [];
      for (const behaviour of ['rate-limit', 'reject-auth'] as const) {
        fake.behave(behaviour, 1);
        const d = await dingtalkRobot.send(sampleMessage(), {}, config(fake.url), ctxWith());
        expect(d.status).toBe('failed');
        const reason = d.status === 'failed' ? d.reason : '';
        const req = fake.requests[fake.requests.length - 1];
        rawUrls.push(req.rawQuery);
        const sign = req.query.get('sign')!;
        expect(sign.length).toBeGreaterThan(20);
        expect(reason).toContain('url: https://oapi.dingtalk.com/robot/send?');
        for (const leak of [sign, encodeURIComponent(sign), accessToken, secret, req.query.get('timestamp')!]) expect(reason).not.toContain(leak);
        expect(reason).toMatch(/access_token=\*\*\*&timestamp=\*\*\*&sign=\*\*\*/);
      }
      expect(rawUrls.every((q) => q.includes('sign='))).toBe(true);
    } finally {
      await fake.close();
    }
  });

  it('the schema rejects a pasted webhook URL in place of the token', () => {
    expect(dingtalkRobot.configSchema.safeParse({ accessToken: 'https://oapi.dingtalk.com/robot/send?access_token=x' }).success).toBe(false);
  });
});
