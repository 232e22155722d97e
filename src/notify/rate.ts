/**
 * Per-channel send budgets (DingTalk and WeCom robots accept about 20 messages a minute; more throttles the
 * robot for ten minutes) and retry back-off. Pure: the caller passes the clock's instants.
 */
import { Minute } from '../shared/time.js';

/** A sliding window of send instants: at most `limit` in any `windowMs`. */
export class RateWindow {
  private readonly sent: number[] = [];
  constructor(
    readonly limit: number,
    readonly windowMs = Minute.ms,
  ) {}

  private prune(now: number): void {
    while (this.sent.length && this.sent[0] <= now - this.windowMs) this.sent.shift();
  }

  available(now: number): number {
    this.prune(now);
    return Math.max(0, this.limit - this.sent.length);
  }

  take(now: number, n = 1): void {
    for (let i = 0; i < n; i++) this.sent.push(now);
    this.sent.sort((a, b) => a - b);
  }

  /** When the next slot frees (now when one is free). */
  freeAt(now: number): number {
    this.prune(now);
    if (this.sent.length < this.limit) return now;
    return this.sent[this.sent.length - this.limit] + this.windowMs;
  }
}

/** Exponential back-off: first, 2×first, 4×first … capped at max. `attempt` counts from 1. */
export function retryDelay(attempt: number, firstMs: number, maxMs: number): number {
  return Math.min(maxMs, firstMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * Splits lines into groups whose joined UTF-8 size stays under `maxBytes` (a line longer than that is a
 * group of its own; the channel cuts it). Used to digest many pages into as few robot messages as fit.
 */
export function packByBytes<T>(items: T[], size: (item: T) => number, maxBytes: number): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const n = size(item);
    if (current.length && bytes + n > maxBytes) {
      groups.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += n;
  }
  if (current.length) groups.push(current);
  return groups;
}
