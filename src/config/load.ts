import path from 'node:path';
import { AppError, type Issue } from '../shared/errors.js';
import { parseShortDuration } from '../shared/time.js';
import { configSchema, type Config } from './schema.js';

export class ConfigError extends AppError {
  constructor(issues: Issue[]) {
    super('CONFIG_INVALID', 500, `invalid configuration:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`, issues);
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Reads the configuration once; throws one ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(Object.keys(configSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const parsed = configSchema.safeParse(known);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  }
  const raw = parsed.data;
  const dataDir = path.resolve(raw.LIFELINE_DATA_DIR);
  return deepFreeze({
    server: {
      host: raw.LIFELINE_HOST,
      port: raw.LIFELINE_PORT,
      publicUrl: raw.LIFELINE_PUBLIC_URL ?? `http://${raw.LIFELINE_HOST}:${raw.LIFELINE_PORT}`,
      publicUrlSet: raw.LIFELINE_PUBLIC_URL !== undefined,
    },
    db: raw.LIFELINE_DATABASE_URL ? { kind: 'postgres', url: raw.LIFELINE_DATABASE_URL } : { kind: 'sqlite', file: path.join(dataDir, 'lifeline.sqlite') },
    dataDir,
    plan: { path: raw.LIFELINE_PLAN },
    log: { level: raw.LIFELINE_LOG_LEVEL },
    timezone: raw.LIFELINE_TIMEZONE,
    clockOffsetMs: raw.LIFELINE_CLOCK_OFFSET ? (parseShortDuration(raw.LIFELINE_CLOCK_OFFSET) ?? 0) : 0,
    secret: raw.LIFELINE_SECRET,
    ...(raw.LIFELINE_STATUS_PUSH_URL ? { statusPush: { url: raw.LIFELINE_STATUS_PUSH_URL, secret: raw.LIFELINE_STATUS_PUSH_SECRET } } : {}),
  } satisfies Config);
}
