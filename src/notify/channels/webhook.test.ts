import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ctxWith, runNotifierContract, sampleMessage } from './contract.suite.js';
import { startWebhookFake } from './fakes/webhook-fake.js';
import { webhook, type WebhookConfig } from './webhook.js';

const secret = 'whsec-0123456789abcdef';
const config = (endpoint: string, extra: Partial<WebhookConfig> = {}): WebhookConfig => ({
  url: `${endpoint}/hooks/lifeline`,
  secret,
  ...extra,
});

runNotifierContract({
  notifier: webhook,
  makeConfig: (endpoint) => config(endpoint, { headers: { Authorization: 'Bearer tok-abcdef123456' } }),
  recipient: { name: '张三', mobile: '13800000000' },
  startFake: () => startWebhookFake({ secret }),
  secrets: (c) => [c.secret ?? '', 'tok-abcdef123456'],
  needsAddress: false,
});

describe('webhook', () => {
  it('signs the raw body with X-Lifeline-Signature and covers the timestamp', async () => {
    const now = Date.UTC(2026, 10, 26, 9, 0, 0);
    const fake = await startWebhookFake({ secret, now: () => now });
    try {
      const d = await webhook.send(sampleMessage(), { name: '张三', mobile: '13800000000' }, config(fake.url), ctxWith(undefined, { now: () => now }));
      expect(d).toEqual({ status: 'sent' });
      expect(fake.problems()).toEqual([]);
      const req = fake.requests[0];
      expect(req.path).toBe('/hooks/lifeline');
      expect(req.headers['x-lifeline-timestamp']).toBe(String(now / 1000));
      expect(req.headers['x-lifeline-signature']).toBe(`sha256=${createHmac('sha256', secret).update(req.body).digest('hex')}`);
      expect(req.json).toMatchObject({
        type: 'lifeline.notification',
        version: 1,
        timestamp: now / 1000,
        test: false,
        subject: '【二级·暂定】HIS 医院信息系统 中断',
        links: { ack: 'https://lifeline.example.cn/a/7f3k' },
        recipient: { name: '张三', mobile: '13800000000' },
      });
    } finally {
      await fake.close();
    }
  });

  it('a receiver with another secret rejects the signature: permanent', async () => {
    const fake = await startWebhookFake({ secret: 'a-different-secret-value' });
    try {
      const d = await webhook.send(sampleMessage(), {}, config(fake.url), ctxWith());
      expect(d).toMatchObject({ status: 'failed', retryable: false });
      expect(fake.problems()).toContain('X-Lifeline-Signature mismatch');
    } finally {
      await fake.close();
    }
  });

  it('sends configured extra headers and refuses to override its own', async () => {
    const fake = await startWebhookFake({ secret, requireHeader: ['authorization', 'Bearer t0ken-value'] });
    try {
      const d = await webhook.send(sampleMessage(), {}, config(fake.url, { headers: { Authorization: 'Bearer t0ken-value' } }), ctxWith());
      expect(d.status).toBe('sent');
      expect(webhook.configSchema.safeParse({ url: 'https://x.example', headers: { 'X-Lifeline-Signature': 'forged' } }).success).toBe(false);
      expect(webhook.configSchema.safeParse({ url: 'ftp://x.example' }).success).toBe(false);
    } finally {
      await fake.close();
    }
  });

  it('treats 4xx as permanent and 429 as retryable', async () => {
    const fake = await startWebhookFake({ secret });
    try {
      fake.behave('reject-auth', 1);
      expect(await webhook.send(sampleMessage(), {}, config(fake.url), ctxWith())).toMatchObject({ status: 'failed', retryable: false, reason: expect.stringContaining('403') });
      fake.behave('rate-limit', 1);
      expect(await webhook.send(sampleMessage(), {}, config(fake.url), ctxWith())).toMatchObject({ status: 'failed', retryable: true, reason: expect.stringContaining('429') });
    } finally {
      await fake.close();
    }
  });

  it('carries the SMS wording as short and the voice wording as spoken (short when the message has none)', async () => {
    const fake = await startWebhookFake({ secret });
    try {
      await webhook.send(sampleMessage(), { name: '张三' }, config(fake.url), ctxWith());
      await webhook.send(sampleMessage({ short: '【演练】HIS中断', spoken: '这是一次应急演练。HIS中断' }), { name: '张三' }, config(fake.url), ctxWith());
      expect(fake.problems()).toEqual([]);
      expect(fake.requests[0].json).toMatchObject({ short: 'HIS中断12分钟，请立即确认', spoken: 'HIS中断12分钟，请立即确认' });
      expect(fake.requests[1].json).toMatchObject({ short: '【演练】HIS中断', spoken: '这是一次应急演练。HIS中断' });
    } finally {
      await fake.close();
    }
  });
});
