import { composeLifeline, type ComposeOptions, type Lifeline } from '../../src/app/compose.js';
import { createLogger } from '../../src/log/logger.js';
import { loadDefaultPlan } from '../../src/plan/load.js';
import type { Plan } from '../../src/plan/types.js';
import { VirtualClock } from '../../src/shared/clock.js';
import { advanceTo } from '../../src/simulate/run.js';
import { freshDatabase, type DialectName } from './databases.js';

export const T0 = Date.parse('2026-03-02T09:00:00+08:00');
export const minutes = (n: number) => n * 60_000;

export interface TestPlatform extends Lifeline {
  clock: VirtualClock;
  /** Moves the virtual clock, firing every timer in order on the way (as the scheduler would). */
  advance(ms: number): Promise<void>;
  dispose(): Promise<void>;
}

/** Lifeline built by the composition root on a fresh database, with time driven by the test (`manual` mode). */
export async function testPlatform(
  dialect: DialectName,
  plan: Plan = loadDefaultPlan(),
  { publicUrl, ...options }: Pick<ComposeOptions, 'notify' | 'secret' | 'noise' | 'overrideHooks' | 'publicity'> & { publicUrl?: string } = {},
): Promise<TestPlatform> {
  const { db, drop } = await freshDatabase(dialect);
  const clock = new VirtualClock(T0);
  const config = {
    server: { host: '127.0.0.1', port: 0, publicUrl: publicUrl ?? 'http://127.0.0.1:8080', publicUrlSet: publicUrl !== undefined },
    db,
    dataDir: '.',
    plan: {},
    log: { level: 'silent' as const },
    timezone: 'Asia/Shanghai',
    clockOffsetMs: 0,
  };
  const p = await composeLifeline({ config, plan, clock, log: createLogger('silent'), mode: 'manual', ...options });
  return Object.assign(p, {
    clock,
    advance: (ms: number) => advanceTo(p, clock, clock.now() + ms),
    async dispose() {
      await p.stop();
      await drop();
    },
  });
}
