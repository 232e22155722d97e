import type { Clock } from '../shared/clock.js';
import { MinHeap } from './heap.js';

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Wakes once for the earliest due instant it has been told about, never polls. The database stays the
 * truth: on waking, `fire(now)` asks it for everything due; an instant that became stale only costs a
 * spurious wake.
 */
export class Scheduler {
  private readonly heap = new MinHeap();
  private timer: NodeJS.Timeout | null = null;
  private armedFor: number | null = null;
  private running = false;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly fire: (now: number) => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  get pending(): number {
    return this.heap.size;
  }

  get nextAt(): number | null {
    return this.heap.peek() ?? null;
  }

  add(at: number): void {
    if (this.stopped) return;
    this.heap.push(at);
    if (this.armedFor === null || at < this.armedFor) this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    if (this.running || this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const next = this.heap.peek();
    if (next === undefined) {
      this.timer = null;
      this.armedFor = null;
      return;
    }
    this.armedFor = next;
    const delay = Math.min(Math.max(0, next - this.clock.now()), MAX_TIMEOUT_MS);
    this.timer = setTimeout(() => void this.wake(), delay);
  }

  private async wake(): Promise<void> {
    this.timer = null;
    this.armedFor = null;
    const now = this.clock.now();
    let due = false;
    while ((this.heap.peek() ?? Infinity) <= now) {
      this.heap.pop();
      due = true;
    }
    if (due) {
      this.running = true;
      try {
        await this.fire(now);
      } catch (err) {
        this.onError(err);
      } finally {
        this.running = false;
      }
    }
    this.arm();
  }
}
