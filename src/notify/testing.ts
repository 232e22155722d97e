/**
 * Test-only: moves a virtual clock through both the engine's due instants (deadlines, grade changes) and the
 * paging worker's (retries, repeats, rate-limit budgets), in order, letting each instant's pages go out before
 * the clock moves on — as the two schedulers would in real time.
 */
import type { IncidentEngine } from '../incidents/engine.js';
import type { VirtualClock } from '../shared/clock.js';
import type { PagingService } from './service.js';

export async function advancePaging(p: { clock: VirtualClock; engine: IncidentEngine }, paging: PagingService, ms: number): Promise<void> {
  const target = p.clock.now() + ms;
  for (;;) {
    await p.engine.fireDue(p.clock.now());
    await paging.worker.runDue();
    const now = p.clock.now();
    const due = [...(await p.engine.dueInstants()), ...(await paging.worker.dueInstants())];
    const next = due.filter((t) => t > now && t <= target).sort((a, b) => a - b)[0];
    if (next === undefined) break;
    p.clock.set(next);
  }
  p.clock.set(Math.max(p.clock.now(), target));
  await p.engine.fireDue(p.clock.now());
  await paging.worker.runDue();
}
