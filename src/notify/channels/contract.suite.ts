/**
 * Test-only: the contract every notification channel satisfies (style guide §3.4). Each channel's
 * `<name>.test.ts` calls `runNotifierContract` with its notifier, a config builder pointed at a local fake,
 * a recipient and the fake's starter, then adds channel-specific cases.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Delivery, Notifier, Recipient, RenderedMessage, SendContext } from '../types.js';
import type { ChannelFake } from './fakes/http-fake.js';

export interface NotifierContractOptions<C> {
  notifier: Notifier<C>;
  /** A valid config whose endpoint is the fake's URL. */
  makeConfig(endpoint: string): C;
  /** A recipient carrying the address this channel needs. */
  recipient: Recipient;
  startFake(): Promise<ChannelFake>;
  /**
   * Values that must never appear in a `reason`. Default: the config's string values under keys that
   * name a secret (`*secret*`, `*token*`, `*password*`, `pass`, `key`).
   */
  secrets?: (config: C) => string[];
  /**
   * True when the channel needs an address from the recipient (SMS, voice, e-mail, WeCom app): the suite
   * then checks that a recipient without one fails permanently without a request. False for group robots.
   */
  needsAddress?: boolean;
  /** A message for the run; the default is a representative incident page. */
  message?: RenderedMessage;
}

export function sampleMessage(overrides: Partial<RenderedMessage> = {}): RenderedMessage {
  return {
    subject: '【二级·暂定】HIS 医院信息系统 中断',
    text: '门诊挂号/收费中断 12 分钟，影响门诊、急诊。\n请值班工程师立即确认并处置。',
    markdown: '**门诊挂号/收费中断 12 分钟**\n> 影响：门诊、急诊\n\n请值班工程师立即确认并处置。',
    short: 'HIS中断12分钟，请立即确认',
    links: { ack: 'https://lifeline.example.cn/a/7f3k', incident: 'https://lifeline.example.cn/i/42' },
    templateParams: { system: 'HIS', level: '二级', minutes: '12' },
    ...overrides,
  };
}

/** Config keys holding secrets; identifiers such as `secretId`/`accessKeyId` are not secrets. */
const SECRET_KEY = /secret|token|password|^pass$|^key$/i;
const IDENTIFIER_KEY = /Id$/;

function defaultSecrets(config: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key: string) => {
    if (typeof v === 'string' && SECRET_KEY.test(key) && !IDENTIFIER_KEY.test(key)) out.push(v);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(config, '');
  return out;
}

export function ctxWith(signal: AbortSignal = new AbortController().signal, extra: Partial<SendContext> = {}): SendContext {
  return { signal, dryRun: false, ...extra };
}

export function runNotifierContract<C>(opts: NotifierContractOptions<C>): void {
  const { notifier } = opts;
  const message = opts.message ?? sampleMessage();

  describe(`${notifier.kind}: notifier contract`, () => {
    let fake: ChannelFake;
    let config: C;
    let secrets: string[];

    beforeEach(async () => {
      fake = await opts.startFake();
      config = opts.makeConfig(fake.url);
      secrets = (opts.secrets ?? defaultSecrets)(config);
    });
    afterEach(async () => {
      await fake.close();
    });

    function expectNoSecret(d: Delivery): void {
      if (d.status !== 'failed') return;
      for (const s of secrets) expect(d.reason, `reason leaks a secret: ${d.reason}`).not.toContain(s);
      for (const s of secrets) expect(d.reason).not.toContain(encodeURIComponent(s));
    }

    async function sendFails(retryable: boolean, ctx = ctxWith()): Promise<Delivery> {
      const d = await notifier.send(message, opts.recipient, config, ctx);
      expect(d.status).toBe('failed');
      if (d.status === 'failed') {
        expect(d.retryable, `retryable for: ${d.reason}`).toBe(retryable);
        expect(d.reason.length).toBeGreaterThan(0);
      }
      expectNoSecret(d);
      return d;
    }

    it('the config schema rejects {} and accepts the test config', () => {
      expect(notifier.configSchema.safeParse({}).success).toBe(false);
      const parsed = notifier.configSchema.safeParse(config);
      expect(parsed.success, JSON.stringify(!parsed.success && parsed.error.issues)).toBe(true);
    });

    it('sends to the healthy vendor, which finds the request exactly as documented', async () => {
      const d = await notifier.send(message, opts.recipient, config, ctxWith());
      expect(d).toMatchObject({ status: 'sent' });
      expect(fake.requests.length).toBeGreaterThan(0);
      expect(fake.problems()).toEqual([]);
      const last = fake.requests[fake.requests.length - 1];
      expect(last.content).not.toContain('测试');
    });

    it('marks test messages as tests', async () => {
      const d = await notifier.send({ ...message, test: true }, opts.recipient, config, ctxWith());
      expect(d.status).toBe('sent');
      expect(fake.problems()).toEqual([]);
      expect(fake.requests[fake.requests.length - 1].content).toContain('测试');
    });

    it('resolves to a retryable failure (never throws) when the vendor fails with a server error', async () => {
      fake.behave('unavailable');
      await sendFails(true);
      expect(fake.requests.length).toBeGreaterThan(0);
    });

    it('treats the vendor rate limit as retryable', async () => {
      fake.behave('rate-limit');
      await sendFails(true);
    });

    it('treats rejected credentials as permanent', async () => {
      fake.behave('reject-auth');
      await sendFails(false);
    });

    it('gives up with a retryable failure when the vendor hangs and the signal aborts', async () => {
      fake.behave('hang');
      const started = Date.now();
      const d = await sendFails(true, ctxWith(AbortSignal.timeout(150)));
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(d.status === 'failed' && d.reason).toMatch(/abort|time/i);
    });

    it('reports an unreachable vendor as retryable', async () => {
      await fake.close();
      await sendFails(true);
      fake = await opts.startFake(); // for afterEach
    });

    it('resolves (never throws) to a permanent failure, with no request, for a malformed config', async () => {
      const d = await notifier.send(message, opts.recipient, {} as C, ctxWith());
      expect(d).toMatchObject({ status: 'failed', retryable: false, reason: expect.stringContaining('invalid config') });
      const wrongTypes = Object.fromEntries(Object.keys(config as object).map((k) => [k, 42])) as C;
      expect(await notifier.send(message, opts.recipient, wrongTypes, ctxWith())).toMatchObject({ status: 'failed', retryable: false });
      expect(fake.requests).toHaveLength(0);
    });

    it('makes no network call in dry-run mode', async () => {
      const d = await notifier.send(message, opts.recipient, config, ctxWith(undefined, { dryRun: true }));
      expect(d).toEqual({ status: 'sent', providerRef: 'dry-run' });
      expect(fake.requests).toHaveLength(0);
    });

    if (opts.needsAddress) {
      it('fails permanently, without calling the vendor, when the recipient has no address', async () => {
        const d = await notifier.send(message, { name: '张三' }, config, ctxWith());
        expect(d).toMatchObject({ status: 'failed', retryable: false });
        expect(fake.requests).toHaveLength(0);
      });
    }
  });
}
