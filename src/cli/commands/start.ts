import { loadConfig } from '../../config/index.js';
import { buildApp } from '../../http/app.js';
import { createLogger } from '../../log/logger.js';
import { composeLifeline } from '../../app/compose.js';
import type { Config } from '../../config/index.js';
import type { Logger } from '../../log/logger.js';
import { loadPlan, parsePlanText } from '../../plan/load.js';
import type { Plan } from '../../plan/types.js';
import { activeStoredPlan, fileSource, type PlanSource } from '../../plan/versions.js';
import { migrate, openDatabase } from '../../storage/index.js';
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
    const { plan, source: planSource } = await planToRun(config, log);
    const platform = await composeLifeline({ config, plan, planSource, clock: offsetClock(config.clockOffsetMs), log, mode: 'server' });
    const app = await buildApp(platform, { extensions: appExtensions, auth: true });
    await platform.start();
    await app.listen({ host: config.server.host, port: config.server.port });
    log.info({ url: config.server.publicUrl, database: platform.dbKind, plan: `${plan.plan.id}@${plan.plan.version}`, planSource: planSource.origin }, 'Lifeline is up');
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

/**
 * The plan this start runs: the version last activated in the browser (src/plan/versions.ts) when there is one,
 * else the file LIFELINE_PLAN names, else the built-in default. A stored version that no longer passes the checks
 * (a newer Lifeline checks more) is not run: the file is, and the log says why.
 */
async function planToRun(config: Config, log: Logger): Promise<{ plan: Plan; source: PlanSource }> {
  const opened = openDatabase(config.db);
  let stored: PlanSource | null;
  try {
    await migrate(opened.db, opened.kind);
    stored = await activeStoredPlan(opened.db);
  } finally {
    await opened.close();
  }
  if (stored) {
    const { plan, issues } = parsePlanText(stored.text, 'active plan version');
    if (plan) return { plan, source: stored };
    log.error({ version: stored.versionId, errors: issues.filter((i) => i.severity !== 'warning').slice(0, 5) }, 'the active plan version does not pass the checks: running the plan file instead');
  }
  return { plan: loadPlan(config.plan.path), source: fileSource(config.plan.path) };
}
