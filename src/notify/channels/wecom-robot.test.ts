import { describe, expect, it } from 'vitest';
import { ctxWith, runNotifierContract, sampleMessage } from './contract.suite.js';
import { startWecomRobotFake } from './fakes/robots-fake.js';
import { wecomRobot, type WecomRobotConfig } from './wecom-robot.js';

const key = '693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa';
const config = (endpoint: string, extra: Partial<WecomRobotConfig> = {}): WecomRobotConfig => ({ key, endpoint, ...extra });

runNotifierContract({
  notifier: wecomRobot,
  makeConfig: (endpoint) => config(endpoint),
  recipient: { name: '李四', mobile: '13800000000' },
  startFake: () => startWecomRobotFake({ key }),
  needsAddress: false,
});

describe('wecom-robot', () => {
  it('mentions by mobile and user id in a text message', async () => {
    const fake = await startWecomRobotFake({ key });
    try {
      const d = await wecomRobot.send(sampleMessage(), { mobile: '+8613800000000', wecomUserId: 'zhangsan' }, config(fake.url), ctxWith());
      expect(d).toEqual({ status: 'sent' });
      expect(fake.problems()).toEqual([]);
      expect(fake.requests[0].json).toMatchObject({
        msgtype: 'text',
        text: { mentioned_mobile_list: ['13800000000'], mentioned_list: ['zhangsan'] },
      });
      expect(fake.requests[0].rawQuery).toBe(`key=${key}`);
    } finally {
      await fake.close();
    }
  });

  it('uses <@userid> mentions in markdown', async () => {
    const fake = await startWecomRobotFake({ key });
    try {
      await wecomRobot.send(sampleMessage(), { wecomUserId: 'zhangsan' }, config(fake.url, { msgtype: 'markdown' }), ctxWith());
      const body = fake.requests[0].json as { markdown: { content: string } };
      expect(body.markdown.content).toContain('<@zhangsan>');
      expect(body.markdown.content).toContain('### 【二级·暂定】HIS 医院信息系统 中断');
    } finally {
      await fake.close();
    }
  });

  it('keeps text under 2048 bytes so WeCom accepts long messages', async () => {
    const fake = await startWecomRobotFake({ key });
    try {
      const long = sampleMessage({ text: '系统中断详情。'.repeat(400) });
      const d = await wecomRobot.send(long, { mobile: '13800000000' }, config(fake.url), ctxWith());
      expect(d.status).toBe('sent');
      expect(fake.problems()).toEqual([]);
      const content = (fake.requests[0].json as { text: { content: string } }).text.content;
      expect(Buffer.byteLength(content)).toBeLessThanOrEqual(2048);
      expect(content.endsWith('…')).toBe(true);
    } finally {
      await fake.close();
    }
  });

  it('an unknown key (errcode 93000) is permanent and the key is not in the reason', async () => {
    const fake = await startWecomRobotFake({ key: 'another-robot-key-000' });
    try {
      const d = await wecomRobot.send(sampleMessage(), {}, config(fake.url), ctxWith());
      expect(d).toMatchObject({ status: 'failed', retryable: false });
      expect(d.status === 'failed' && d.reason).toContain('93000');
      expect(d.status === 'failed' && d.reason).not.toContain(key);
    } finally {
      await fake.close();
    }
  });
});
