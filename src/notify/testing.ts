/**
 * Test-only: moves a virtual clock through both the engine's due instants and the paging worker's (retries,
 * repeats), in order, sending what falls due at each instant — as the schedulers would in real time.
 */
import type { Platform } from '../platform.js';
import type { VirtualClock } from '../shared/clock.js';
import { advanceTo } from '../simulate/run.js';
import type { PagingService } from './service.js';

export async function advancePaging(p: Platform & { clock: VirtualClock }, paging: PagingService, ms: number): Promise<void> {
  const target = p.clock.now() + ms;
  await paging.worker.runDue();
  for (;;) {
    const now = p.clock.now();
    const next = (await paging.worker.dueInstants()).filter((t) => t > now && t <= target).sort((a, b) => a - b)[0];
    await advanceTo(p, p.clock, next ?? target);
    await paging.worker.runDue();
    if (next === undefined) break;
  }
}
