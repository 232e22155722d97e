/**
 * Pushes the status JSON to a webhook (the hospital's website or CDN) on every change:
 * `POST <url>` with `X-Lifeline-Timestamp: <unix seconds>` and
 * `X-Lifeline-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the secret>`.
 * Retries with exponential back-off; the latest state wins (a newer state replaces one still waiting to be
 * sent); a failure is logged and shown in `GET /api/v1/status/push`; it never holds the page up.
 */
import { createHmac } from 'node:crypto';
import type { Logger } from '../../log/logger.js';

export interface StatusPushOptions {
  url: string;
  secret?: string;
  now: () => number;
  log: Logger;
  /** Back-off: first wait, the most it grows to (ms). */
  firstDelayMs?: number;
  maxDelayMs?: number;
  timeoutMs?: number;
  /** How to wait between attempts (tests pass one that records and returns at once). */
  wait?: (ms: number) => Promise<void>;
}

export interface PushStatus {
  configured: boolean;
  url: string | null;
  signed: boolean;
  /** The state waiting to be sent (or being sent) is newer than the last delivered. */
  pending: boolean;
  attempts: number;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
  nextRetryAt: string | null;
  delivered: number;
}

export const pushSignature = (secret: string, timestamp: string, body: string): string => `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
/** The URL without credentials or query (it may carry a token): what the status shows. */
const shownUrl = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
};

export class StatusPush {
  private latest: string | null = null;
  private running: Promise<void> | null = null;
  private attempts = 0;
  private delivered = 0;
  private lastAttemptAt: number | null = null;
  private lastSuccessAt: number | null = null;
  private lastFailureAt: number | null = null;
  private lastError: string | null = null;
  private nextRetryAt: number | null = null;
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly o: StatusPushOptions) {}

  /** Queues a state; returns at once. */
  push(json: string): void {
    if (this.stopped) return;
    this.latest = json;
    this.running ??= this.loop().finally(() => {
      this.running = null;
    });
  }

  /** Resolves when nothing is waiting to be sent (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  status(): PushStatus {
    return {
      configured: true,
      url: shownUrl(this.o.url),
      signed: Boolean(this.o.secret),
      pending: this.latest !== null,
      attempts: this.attempts,
      lastAttemptAt: iso(this.lastAttemptAt),
      lastSuccessAt: iso(this.lastSuccessAt),
      lastFailureAt: iso(this.lastFailureAt),
      lastError: this.lastError,
      nextRetryAt: iso(this.nextRetryAt),
      delivered: this.delivered,
    };
  }

  private wait(ms: number): Promise<void> {
    if (this.o.wait) return this.o.wait(ms);
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      t.unref?.();
      this.timers.add(t);
    });
  }

  private async loop(): Promise<void> {
    let delay = this.o.firstDelayMs ?? 2_000;
    const max = this.o.maxDelayMs ?? 5 * 60_000;
    while (this.latest !== null && !this.stopped) {
      const body = this.latest;
      const ok = await this.send(body);
      if (ok) {
        if (this.latest === body) this.latest = null; // a newer state arrived while sending: send that next
        delay = this.o.firstDelayMs ?? 2_000;
        continue;
      }
      this.nextRetryAt = this.o.now() + delay;
      await this.wait(delay);
      this.nextRetryAt = null;
      delay = Math.min(max, delay * 2);
    }
  }

  private async send(body: string): Promise<boolean> {
    const now = this.o.now();
    const timestamp = String(Math.floor(now / 1000));
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Lifeline status push', 'x-lifeline-timestamp': timestamp };
    if (this.o.secret) headers['x-lifeline-signature'] = pushSignature(this.o.secret, timestamp, body);
    this.attempts += 1;
    this.lastAttemptAt = now;
    try {
      const res = await fetch(this.o.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(this.o.timeoutMs ?? 10_000) });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      this.lastSuccessAt = this.o.now();
      this.lastError = null;
      this.delivered += 1;
      return true;
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      this.lastFailureAt = this.o.now();
      this.lastError = e.cause?.code ? `${e.message} (${e.cause.code})` : e.message;
      this.o.log.warn({ url: shownUrl(this.o.url), err: this.lastError }, 'status page push failed; retrying with back-off');
      return false;
    }
  }
}

/** What `GET /api/v1/status/push` says when no webhook is configured. */
export const NO_PUSH: PushStatus = {
  configured: false,
  url: null,
  signed: false,
  pending: false,
  attempts: 0,
  lastAttemptAt: null,
  lastSuccessAt: null,
  lastFailureAt: null,
  lastError: null,
  nextRetryAt: null,
  delivered: 0,
};
