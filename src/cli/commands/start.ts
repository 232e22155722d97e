import { loadConfig } from '../../config/index.js';
import { buildApp } from '../../http/app.js';
import { createLogger } from '../../log/logger.js';
import { composeLifeline } from '../../app/compose.js';
import { loadPlan } from '../../plan/load.js';
import { offsetClock } from '../../shared/clock.js';
import { appExtensions } from '../../http/extensions.js';
import type { CliCommand } from '../command.js';

export const startCommand: CliCommand = {
  name: 'start',
  summary: 'start the server (API, web app) on the configured database',
  usage: 'start',
  async run() {
    const config = loadConfig();
    const log = createLogger(config.log.level);
    const plan = loadPlan(config.plan.path);
    const platform = await composeLifeline({ config, plan, clock: offsetClock(config.clockOffsetMs), log, mode: 'server' });
    const app = await buildApp(platform, { extensions: appExtensions, auth: true });
    await platform.start();
    await app.listen({ host: config.server.host, port: config.server.port });
    log.info({ url: config.server.publicUrl, database: platform.dbKind, plan: `${plan.plan.id}@${plan.plan.version}` }, 'Lifeline is up');
    const shutdown = async (signal: string) => {
      log.info({ signal }, 'shutting down');
      await app.close();
      await platform.stop();
      process.exit(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    return new Promise<number>(() => undefined);
  },
};
