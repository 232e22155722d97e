import { AppError } from '../../shared/errors.js';

/** Too many requests: 429 problem+json; the route sets Retry-After from `retryAfterSeconds`. */
export class RateLimitedError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    code = 'RATE_LIMITED',
  ) {
    super(code, 429, message);
  }
}

/**
 * A fixed number of events per window per key (a client, a phone) in memory: each key keeps the times of its
 * last `limit` events. Keys whose window has passed are swept, so a flood of new keys cannot grow it without bound
 * (at most `maxKeys`; when full, the oldest keys go first).
 */
export class WindowLimiter {
  private readonly hits = new Map<string, number[]>();
  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly maxKeys = 50_000,
  ) {}

  /** Seconds until `key` may act again, or 0 (and the event is counted). */
  take(key: string, now: number): number {
    const since = now - this.windowMs;
    const times = (this.hits.get(key) ?? []).filter((t) => t > since);
    if (times.length >= this.limit) {
      this.hits.set(key, times);
      return Math.max(1, Math.ceil((times[0] + this.windowMs - now) / 1000));
    }
    times.push(now);
    this.hits.delete(key); // re-insert: the map's order is the order of last use
    this.hits.set(key, times);
    if (this.hits.size > this.maxKeys) this.sweep(now);
    return 0;
  }

  /** Seconds until `key` may act again, without counting. */
  peek(key: string, now: number): number {
    const times = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    return times.length >= this.limit ? Math.max(1, Math.ceil((times[0] + this.windowMs - now) / 1000)) : 0;
  }

  private sweep(now: number): void {
    for (const [k, times] of this.hits) if (times[times.length - 1] <= now - this.windowMs) this.hits.delete(k);
    for (const k of this.hits.keys()) {
      if (this.hits.size <= this.maxKeys) break;
      this.hits.delete(k);
    }
  }
}
