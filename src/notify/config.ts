/**
 * Paging configuration: which channels exist (with their credentials), who gets which channels, how often
 * unanswered pages repeat, retry back-off, link lifetime. Read once at start-up from a YAML/JSON file —
 * `LIFELINE_NOTIFY_CONFIG`, else `<data dir>/notify.yaml` when present — and validated completely: every
 * problem is listed in one ConfigError, which stops start-up. Secrets may stay out of the file: any string
 * value `${NAME}` is taken from the environment, and a variable that is not set is an error, never a default.
 * Without a file, pages are recorded (outbox, timeline) but nothing is sent.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../config/index.js';
import type { Issue } from '../shared/errors.js';
import { parseDuration } from '../shared/time.js';
import { isNotifierKind, notifierByKind } from './channels/index.js';
import type { Notifier, Recipient } from './types.js';

const duration = z
  .string()
  .refine((s) => parseDuration(s) !== undefined, 'a duration like PT5M or 5m')
  .transform((s) => parseDuration(s)!);
const channelId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/i, 'letters, digits, - and _');
const repeatSchema = z.object({ every: duration, limit: z.number().int().min(1).max(50) }).strict();

const fileSchema = z
  .object({
    channels: z
      .record(
        channelId,
        z
          .object({
            kind: z.string().refine(isNotifierKind, (k) => ({ message: `unknown channel kind ${JSON.stringify(k)}` })),
            enabled: z.boolean().default(true),
            /** Messages per minute this channel accepts (robots: 20); over it, pages are coalesced into digests. */
            perMinute: z.number().int().min(1).optional(),
            /** The most bytes one digest message may carry (robots cut longer messages). */
            digestBytes: z.number().int().min(500).optional(),
            config: z.record(z.unknown()),
          })
          .strict(),
      )
      .default({}),
    routing: z
      .object({
        /** Channels used for everyone, in order (each only when the person has the address it needs). */
        default: z.array(channelId).default([]),
        /** Channels for the holders of a role, instead of the person's own list or the default. */
        roles: z.record(z.array(channelId)).default({}),
      })
      .strict()
      .default({}),
    repeat: z
      .object({
        default: repeatSchema.default({ every: 'PT5M', limit: 3 } as never),
        roles: z.record(repeatSchema).default({}),
      })
      .strict()
      .default({}),
    retry: z
      .object({ first: duration.default('PT5S'), max: duration.default('PT5M'), attempts: z.number().int().min(1).max(50).default(6) })
      .strict()
      .default({}),
    links: z
      .object({ ttl: duration.default('PT24H') })
      .strict()
      .default({}),
    language: z.enum(['zh', 'en']).default('zh'),
    sendTimeout: duration.default('PT15S'),
    concurrency: z.number().int().min(1).max(256).default(16),
  })
  .strict();

/** Which recipient address a channel kind needs (null: a group robot or webhook, which needs none). */
export const ADDRESS_OF: Record<string, keyof Recipient | null> = {
  'wecom-robot': null,
  'dingtalk-robot': null,
  'feishu-bot': null,
  webhook: null,
  'wecom-app': 'wecomUserId',
  'sms-aliyun': 'mobile',
  'sms-tencent': 'mobile',
  'voice-aliyun': 'mobile',
  'voice-tencent': 'mobile',
  email: 'email',
};
const DEFAULT_PER_MINUTE: Record<string, number> = { 'wecom-robot': 20, 'dingtalk-robot': 20, 'feishu-bot': 100 };
const DEFAULT_DIGEST_BYTES: Record<string, number> = { 'wecom-robot': 1800, 'dingtalk-robot': 15000, 'feishu-bot': 15000 };

export interface ChannelSetup {
  id: string;
  kind: string;
  notifier: Notifier<unknown>;
  config: unknown;
  perMinute: number | null;
  digestBytes: number;
  address: keyof Recipient | null;
  /** Where it is defined: notify.yaml (read-only in the browser) or the browser (src/notify/channel-store.ts). */
  origin?: 'file' | 'browser';
}

export interface RepeatPolicy {
  everyMs: number;
  limit: number; // pages in all, the first included
}

export interface NotifyConfig {
  source: string | null;
  channels: ReadonlyMap<string, ChannelSetup>;
  routing: { default: string[]; roles: Record<string, string[]> };
  repeat: { default: RepeatPolicy; roles: Record<string, RepeatPolicy> };
  retry: { firstMs: number; maxMs: number; attempts: number };
  linkTtlMs: number;
  language: 'zh' | 'en';
  sendTimeoutMs: number;
  concurrency: number;
  /** Test and drill switch (LIFELINE_NOTIFY_WORKER_DELAY): the sender starts this long after the server. */
  workerDelayMs: number;
  /** Every channel id notify.yaml declares, disabled ones included: the browser may not take these names. */
  fileChannelIds?: readonly string[];
}

/** A channel set up in the browser, its secrets already opened (src/notify/channel-store.ts). */
export interface BrowserChannel {
  id: string;
  kind: string;
  config: Record<string, unknown>;
  enabled: boolean;
  routeDefault: boolean;
  routeRoles: string[];
}

const ENV_REF = /\$\{([A-Z_][A-Z0-9_]*)\}/g;

function interpolate(value: unknown, at: string, env: Record<string, string | undefined>, issues: Issue[]): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_REF, (_m, name: string) => {
      const v = env[name];
      if (v === undefined || v === '') issues.push({ path: at, message: `environment variable ${name} is not set` });
      return v ?? '';
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, `${at}.${i}`, env, issues));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, `${at}.${k}`, env, issues)]));
  return value;
}

/** Validates a parsed config document; throws one ConfigError listing every problem. */
export function parseNotifyConfig(doc: unknown, options: { env?: Record<string, string | undefined>; source?: string | null; workerDelayMs?: number } = {}): NotifyConfig {
  const env = options.env ?? {};
  const where = options.source ? `${options.source}: ` : '';
  const parsed = fileSchema.safeParse(doc ?? {});
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ path: `${where}${i.path.join('.')}`, message: i.message })));
  }
  const raw = parsed.data;
  const issues: Issue[] = [];
  const channels = new Map<string, ChannelSetup>();
  for (const [id, c] of Object.entries(raw.channels)) {
    if (!c.enabled) continue;
    const notifier = notifierByKind(c.kind)!;
    const config = interpolate(c.config, `channels.${id}.config`, env, issues);
    const check = notifier.configSchema.safeParse(config);
    if (!check.success) {
      for (const i of check.error.issues)
        issues.push({ path: `channels.${id}.config${i.path.length ? '.' + i.path.join('.') : ''}`, message: i.message === 'Required' ? `required for a ${c.kind} channel` : i.message });
      continue;
    }
    channels.set(id, { ...setupOf(id, c.kind, notifier, check.data, c), origin: 'file' });
  }
  const known = (list: string[], at: string) =>
    list.forEach((ch, i) => {
      if (!raw.channels[ch]) issues.push({ path: `${at}.${i}`, message: `no channel ${JSON.stringify(ch)} in channels` });
    });
  known(raw.routing.default, 'routing.default');
  for (const [role, list] of Object.entries(raw.routing.roles)) known(list, `routing.roles.${role}`);
  if (issues.length) throw new ConfigError(issues.map((i) => ({ ...i, path: `${where}${i.path}` })));
  const enabled = (list: string[]) => list.filter((ch) => channels.has(ch));
  const policy = (r: { every: number; limit: number }): RepeatPolicy => ({ everyMs: r.every, limit: r.limit });
  return {
    source: options.source ?? null,
    channels,
    routing: { default: enabled(raw.routing.default), roles: Object.fromEntries(Object.entries(raw.routing.roles).map(([k, v]) => [k, enabled(v)])) },
    repeat: { default: policy(raw.repeat.default as unknown as { every: number; limit: number }), roles: Object.fromEntries(Object.entries(raw.repeat.roles).map(([k, v]) => [k, policy(v)])) },
    retry: { firstMs: raw.retry.first, maxMs: raw.retry.max, attempts: raw.retry.attempts },
    linkTtlMs: raw.links.ttl,
    language: raw.language,
    sendTimeoutMs: raw.sendTimeout,
    concurrency: raw.concurrency,
    workerDelayMs: options.workerDelayMs ?? 0,
    fileChannelIds: Object.keys(raw.channels),
  };
}

function setupOf(id: string, kind: string, notifier: Notifier<unknown>, config: unknown, limits: { perMinute?: number; digestBytes?: number } = {}): ChannelSetup {
  return {
    id,
    kind,
    notifier,
    config,
    perMinute: limits.perMinute ?? DEFAULT_PER_MINUTE[kind] ?? null,
    digestBytes: limits.digestBytes ?? DEFAULT_DIGEST_BYTES[kind] ?? 15000,
    address: ADDRESS_OF[kind] ?? null,
  };
}

/**
 * The file's configuration with the browser's channels added: each enabled one joins the channels, the default
 * routing when it is for everyone, and the routing of the roles it names. A browser channel whose id the file
 * already declares is left out (the file wins; the browser refuses such a name when it is saved). A browser
 * channel whose stored config no longer passes its kind's schema is left out and reported through `skipped`.
 */
export function withBrowserChannels(file: NotifyConfig, browser: readonly BrowserChannel[], skipped: (id: string, why: string) => void = () => undefined): NotifyConfig {
  const channels = new Map(file.channels);
  const routing = { default: [...file.routing.default], roles: Object.fromEntries(Object.entries(file.routing.roles).map(([k, v]) => [k, [...v]])) };
  const taken = new Set([...(file.fileChannelIds ?? []), ...file.channels.keys()]);
  for (const b of browser) {
    if (!b.enabled) continue;
    if (taken.has(b.id)) {
      skipped(b.id, 'notify.yaml defines a channel of that name');
      continue;
    }
    const notifier = notifierByKind(b.kind);
    const check = notifier?.configSchema.safeParse(b.config);
    if (!notifier || !check?.success) {
      skipped(b.id, notifier ? "its settings do not pass the kind's checks" : `unknown kind ${b.kind}`);
      continue;
    }
    channels.set(b.id, { ...setupOf(b.id, b.kind, notifier, check.data), origin: 'browser' });
    if (b.routeDefault) routing.default.push(b.id);
    for (const role of b.routeRoles) (routing.roles[role] ??= []).push(b.id);
  }
  return { ...file, channels, routing };
}

/** An empty configuration: pages are recorded, nothing is sent. */
export const noChannels = (): NotifyConfig => parseNotifyConfig({});

/**
 * Reads the paging configuration at start-up. `env` is the process environment (the only other place that
 * reads it besides src/config): LIFELINE_NOTIFY_CONFIG, LIFELINE_NOTIFY_WORKER_DELAY and `${NAME}` references.
 */
export function loadNotifyConfig(options: { dataDir: string; env: Record<string, string | undefined> }): NotifyConfig {
  const env = options.env;
  const delayText = env.LIFELINE_NOTIFY_WORKER_DELAY;
  const workerDelayMs = delayText ? parseDuration(delayText) : 0;
  if (workerDelayMs === undefined) throw new ConfigError([{ path: 'LIFELINE_NOTIFY_WORKER_DELAY', message: 'a duration like 10s or PT10S' }]);
  const explicit = env.LIFELINE_NOTIFY_CONFIG;
  const file = explicit ? path.resolve(explicit) : path.join(options.dataDir, 'notify.yaml');
  if (!fs.existsSync(file)) {
    if (explicit) throw new ConfigError([{ path: 'LIFELINE_NOTIFY_CONFIG', message: `${file} does not exist` }]);
    return { ...noChannels(), workerDelayMs };
  }
  let doc: unknown;
  try {
    doc = parseYaml(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError([{ path: file, message: `not valid YAML/JSON: ${(err as Error).message}` }]);
  }
  return parseNotifyConfig(doc, { env, source: file, workerDelayMs });
}
