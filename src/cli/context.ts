import { loadConfig, type Config } from '../config/index.js';
import { createLogger } from '../log/logger.js';
import { createPlatform, type Platform } from '../platform.js';
import { loadPlan } from '../plan/load.js';
import { offsetClock } from '../shared/clock.js';

/** Opens the same database and plan as the server, from the same configuration. */
export async function openPlatform(options: { logLevel?: string } = {}): Promise<Platform> {
  const config: Config = loadConfig();
  const log = createLogger(options.logLevel ?? (config.log.level === 'info' ? 'warn' : config.log.level));
  const plan = loadPlan(config.plan.path);
  return createPlatform({ config, plan, clock: offsetClock(config.clockOffsetMs), log });
}
