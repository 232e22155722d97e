import { composeLifeline, type Lifeline } from '../app/compose.js';
import { loadConfig, type Config } from '../config/index.js';
import { createLogger } from '../log/logger.js';
import { loadPlan } from '../plan/load.js';
import { offsetClock } from '../shared/clock.js';

/** Builds Lifeline on the server's database and plan, from the same configuration, with nothing running in the background. */
export async function openPlatform(options: { logLevel?: string } = {}): Promise<Lifeline> {
  const config: Config = loadConfig();
  const log = createLogger(options.logLevel ?? (config.log.level === 'info' ? 'warn' : config.log.level));
  const plan = loadPlan(config.plan.path);
  return composeLifeline({ config, plan, clock: offsetClock(config.clockOffsetMs), log, mode: 'cli' });
}
