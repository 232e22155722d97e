import { describe, expect, it } from 'vitest';
import { ctxWith, runNotifierContract, sampleMessage } from './contract.suite.js';
import { startFeishuFake } from './fakes/robots-fake.js';
import { feishuBot, type FeishuBotConfig } from './feishu-bot.js';

const token = '0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d';
const secret = 'qW3rTy7uIoP9aSdF';
const config = (endpoint: string, extra: Partial<FeishuBotConfig> = {}): FeishuBotConfig => ({ token, secret, endpoint, ...extra });

runNotifierContract({
  notifier: feishuBot,
  makeConfig: (endpoint) => config(endpoint),
  recipient: { name: '王五', feishuOpenId: 'ou_7d8a6e6df7621556ce0d21922b676706' },
  startFake: () => startFeishuFake({ token, secret }),
  needsAddress: false,
});

describe('feishu-bot', () => {
  it('signs with the documented vector: seconds timestamp and sign in the JSON body', async () => {
    const fake = await startFeishuFake({ token, secret: 'SEC1234', now: () => 1599360473_000 });
    try {
      const d = await feishuBot.send(sampleMessage(), {}, config(fake.url, { secret: 'SEC1234' }), ctxWith(undefined, { now: () => 1599360473_123 }));
      expect(d).toEqual({ status: 'sent' });
      expect(fake.problems()).toEqual([]);
      expect(fake.requests[0].json).toMatchObject({ timestamp: '1599360473', sign: 'oqkmTawrew17DVOOV6XeGykCvsqdlpItX+ey1Zc3uWU=' });
      expect(fake.requests[0].rawQuery).toBe('');
    } finally {
      await fake.close();
    }
  });

  it('a timestamp outside one hour is rejected by the vendor (19021) as permanent', async () => {
    const fake = await startFeishuFake({ token, secret });
    try {
      const d = await feishuBot.send(sampleMessage(), {}, config(fake.url), ctxWith(undefined, { now: () => Date.now() - 2 * 3600_000 }));
      expect(d).toMatchObject({ status: 'failed', retryable: false });
      expect(d.status === 'failed' && d.reason).toContain('19021');
    } finally {
      await fake.close();
    }
  });

  it('sends an interactive card with the ack button and the mention', async () => {
    const fake = await startFeishuFake({ token, secret });
    try {
      await feishuBot.send(sampleMessage(), { feishuOpenId: 'ou_abc123' }, config(fake.url), ctxWith());
      const body = fake.requests[0].json as { msg_type: string; card: { header: { title: { content: string }; template: string }; elements: unknown[] } };
      expect(body.msg_type).toBe('interactive');
      expect(body.card.header).toEqual({ title: { tag: 'plain_text', content: '【二级·暂定】HIS 医院信息系统 中断' }, template: 'red' });
      expect(JSON.stringify(body.card.elements)).toContain('<at id=ou_abc123></at>');
      expect(body.card.elements).toContainEqual({
        tag: 'action',
        actions: [
          { tag: 'button', text: { tag: 'plain_text', content: '确认收到' }, url: 'https://lifeline.example.cn/a/7f3k', type: 'primary' },
          { tag: 'button', text: { tag: 'plain_text', content: '查看事件' }, url: 'https://lifeline.example.cn/i/42', type: 'default' },
        ],
      });
    } finally {
      await fake.close();
    }
  });

  it('sends text with an <at user_id> mention when configured; test cards are grey', async () => {
    const fake = await startFeishuFake({ token, secret });
    try {
      await feishuBot.send(sampleMessage(), { feishuOpenId: 'ou_abc123', name: '王五' }, config(fake.url, { msgType: 'text' }), ctxWith());
      expect(fake.requests[0].json).toMatchObject({ msg_type: 'text' });
      expect((fake.requests[0].json as { content: { text: string } }).content.text).toContain('<at user_id="ou_abc123">王五</at>');
      await feishuBot.send(sampleMessage({ test: true }), {}, config(fake.url), ctxWith());
      expect(fake.requests[1].json).toMatchObject({ card: { header: { template: 'grey', title: { content: '【测试】【二级·暂定】HIS 医院信息系统 中断' } } } });
      expect(fake.problems()).toEqual([]);
    } finally {
      await fake.close();
    }
  });
});
