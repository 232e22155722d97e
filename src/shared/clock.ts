/** The one source of time for every rule. Tests and `lifeline simulate` use VirtualClock. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** The system clock shifted by a fixed amount (LIFELINE_CLOCK_OFFSET). */
export const offsetClock = (offsetMs: number): Clock => (offsetMs ? { now: () => Date.now() + offsetMs } : systemClock);

export class VirtualClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  set(at: number): void {
    if (at < this.current) throw new Error('virtual clock cannot go backwards');
    this.current = at;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
