/**
 * Settings of the public channels: read once from `LIFELINE_PUBLICITY_CONFIG`, else `<data dir>/publicity.yaml` when
 * present, validated completely (one ConfigError lists every problem). Any string value `${NAME}` is taken from the
 * environment (a variable that is not set is an error, never a default), so secrets may stay out of the file.
 * A channel without settings is not configured: it is shown so and skipped with that reason, never silently.
 * Secrets are never logged nor returned by the API.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../../config/index.js';
import type { Issue } from '../../shared/errors.js';
import { parseDuration } from '../../shared/time.js';

const duration = z
  .string()
  .refine((s) => parseDuration(s) !== undefined, 'a duration like PT30S or 30s')
  .transform((s) => parseDuration(s)!);
const url = z
  .string()
  .url('an http(s) URL')
  .refine((u) => /^https?:\/\//.test(u), 'an http(s) URL');

const fileSchema = z
  .object({
    /** The hospital's name in announcements ({hospital}). */
    hospital: z
      .object({ zh: z.string().min(1), en: z.string().min(1).optional() })
      .strict()
      .optional(),
    /** The public status page's address (QR code, links, SMS); default: <server.publicUrl>/status. */
    statusPageUrl: url.optional(),
    /** The hospital website: announcements are POSTed as signed JSON to this URL. */
    website: z
      .object({ url, secret: z.string().min(16, 'at least 16 characters') })
      .strict()
      .optional(),
    /** The WeChat Official Account (公众号): its AppID/AppSecret and the cover image's permanent media id. */
    wechat: z
      .object({
        appid: z.string().min(1),
        secret: z.string().min(1),
        thumbMediaId: z.string().min(1),
        author: z.string().max(16).optional(),
        /** The API's base URL (default https://api.weixin.qq.com; a test points it at a local fake). */
        apiBase: url.default('https://api.weixin.qq.com'),
      })
      .strict()
      .optional(),
    retry: z
      .object({ first: duration.default('PT30S'), max: duration.default('PT10M'), attempts: z.number().int().min(1).max(50).default(8) })
      .strict()
      .default({}),
    sendTimeout: duration.default('PT15S'),
  })
  .strict();

export interface PublicityConfig {
  source: string | null;
  hospital: { zh: string; en: string };
  statusPageUrl: string | null;
  website: { url: string; secret: string } | null;
  wechat: { appid: string; secret: string; thumbMediaId: string; author?: string; apiBase: string } | null;
  retry: { firstMs: number; maxMs: number; attempts: number };
  sendTimeoutMs: number;
}

const ENV_REF = /\$\{([A-Z_][A-Z0-9_]*)\}/g;
function interpolate(value: unknown, at: string, env: Record<string, string | undefined>, issues: Issue[]): unknown {
  if (typeof value === 'string')
    return value.replace(ENV_REF, (_m, name: string) => {
      const v = env[name];
      if (v === undefined || v === '') issues.push({ path: at, message: `environment variable ${name} is not set` });
      return v ?? '';
    });
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, `${at}.${i}`, env, issues));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, at ? `${at}.${k}` : k, env, issues)]));
  return value;
}

/** Validates a parsed publicity document; throws one ConfigError listing every problem. */
export function parsePublicityConfig(doc: unknown, options: { env?: Record<string, string | undefined>; source?: string | null } = {}): PublicityConfig {
  const where = options.source ? `${options.source}: ` : '';
  const issues: Issue[] = [];
  const resolved = interpolate(doc ?? {}, '', options.env ?? {}, issues);
  const parsed = fileSchema.safeParse(resolved);
  if (!parsed.success) for (const i of parsed.error.issues) issues.push({ path: i.path.join('.') || 'publicity', message: i.message });
  if (issues.length || !parsed.success) throw new ConfigError(issues.map((i) => ({ ...i, path: `${where}${i.path}` })));
  const raw = parsed.data;
  return {
    source: options.source ?? null,
    hospital: { zh: raw.hospital?.zh ?? '我院', en: raw.hospital?.en ?? 'the hospital' },
    statusPageUrl: raw.statusPageUrl ?? null,
    website: raw.website ?? null,
    wechat: raw.wechat ?? null,
    retry: { firstMs: raw.retry.first, maxMs: raw.retry.max, attempts: raw.retry.attempts },
    sendTimeoutMs: raw.sendTimeout,
  };
}

/** No file: the status page, SMS (if notify.yaml has an SMS channel) and the printed notice work; website and WeChat are not configured. */
export const defaultPublicityConfig = (): PublicityConfig => parsePublicityConfig({});

/** Reads the publicity settings at start-up (LIFELINE_PUBLICITY_CONFIG, else <data dir>/publicity.yaml, else defaults). */
export function loadPublicityConfig(options: { dataDir: string; env: Record<string, string | undefined> }): PublicityConfig {
  const explicit = options.env.LIFELINE_PUBLICITY_CONFIG;
  const file = explicit ? path.resolve(explicit) : path.join(options.dataDir, 'publicity.yaml');
  if (!fs.existsSync(file)) {
    if (explicit) throw new ConfigError([{ path: 'LIFELINE_PUBLICITY_CONFIG', message: `${file} does not exist` }]);
    return defaultPublicityConfig();
  }
  let doc: unknown;
  try {
    doc = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError([{ path: file, message: `not valid YAML/JSON: ${(err as Error).message}` }]);
  }
  return parsePublicityConfig(doc, { env: options.env, source: file });
}
