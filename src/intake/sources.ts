import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Plan } from '../plan/types.js';
import type { Clock } from '../shared/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { parseDuration } from '../shared/time.js';
import type { Db, SourcesTable } from '../storage/index.js';
import type { IntakeKind } from './format.js';
import type { Colour } from '../shared/colour.js';
import { COLOURS } from '../shared/colour.js';

/** What a source sends: one of the intake formats, or a dead-man heartbeat. */
export const SOURCE_TYPES = ['alertmanager', 'alertmanager-v2', 'zabbix', 'nagios', 'grafana', 'pagerduty', 'generic', 'heartbeat'] as const satisfies readonly (IntakeKind | 'heartbeat')[];
export type SourceType = (typeof SOURCE_TYPES)[number];

/**
 * A source's key works on its own format's endpoint only (a zabbix key on the Alertmanager endpoint is refused
 * 403 SOURCE_FORMAT_MISMATCH): a leaked or mis-pasted key cannot post alerts the source's mapping was not written for.
 */
export function sourceSends(source: Pick<Source, 'type'>, kind: IntakeKind): boolean {
  return source.type === kind;
}

/** A glob (`his-*`, `db?`; case-insensitive) or a regular expression written `/…/`. */
const pattern = z.string().min(1).max(300).refine(compilable, { message: 'not a valid /regular expression/' });

/** One mapping rule: every condition given must hold; the first rule that matches wins. */
export const mappingRuleSchema = z
  .object({
    match: z
      .object({
        labels: z.record(pattern).optional(),
        tags: z.record(pattern).optional(),
        host: pattern.optional(),
        hostGroup: pattern.optional(),
      })
      .strict()
      .refine((m) => Object.values(m).some((v) => v !== undefined), { message: 'name at least one of labels, tags, host, hostGroup' }),
    system: z.string().min(1).max(100),
    component: z.string().max(200).optional(),
  })
  .strict();
export type MappingRule = z.infer<typeof mappingRuleSchema>;

const duration = (what: string) => z.string().refine((t) => (parseDuration(t) ?? 0) > 0, { message: `${what}: a duration like 5m, 90s or PT5M` });

export const sourceOptionsSchema = z
  .object({
    /** heartbeat: a beat is expected at least this often. */
    period: duration('period').optional(),
    /** alertmanager-v2: an alert not re-sent for this long (and without endsAt) resolves; default 5m. */
    resolveTimeout: duration('resolveTimeout').optional(),
    /** Default system and component for signals no rule maps (a heartbeat's system). */
    system: z.string().min(1).max(100).optional(),
    component: z.string().max(200).optional(),
  })
  .strict();
export type SourceOptions = z.infer<typeof sourceOptionsSchema>;

export const severityMapSchema = z.record(z.string().min(1), z.enum(COLOURS));

export const createSourceSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, dot, dash and underscore; at most 100'),
    type: z.enum(SOURCE_TYPES),
    severityMap: severityMapSchema.default({}),
    rules: z.array(mappingRuleSchema).max(500).default([]),
    options: sourceOptionsSchema.default({}),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.type === 'heartbeat' && !s.options.period) ctx.addIssue({ code: 'custom', path: ['options', 'period'], message: 'a heartbeat source needs a period, e.g. 5m' });
  });
export type CreateSource = z.input<typeof createSourceSchema>;

export const updateSourceSchema = z.object({ severityMap: severityMapSchema.optional(), rules: z.array(mappingRuleSchema).max(500).optional(), options: sourceOptionsSchema.optional() }).strict();

export interface Source {
  id: string;
  name: string;
  type: SourceType;
  severityMap: Record<string, Colour>;
  rules: MappingRule[];
  options: SourceOptions;
  createdAt: number;
  revokedAt: number | null;
}

/** A new random key: 32 bytes, base64url (43 characters). Only its hash is stored. */
export const newSourceKey = (): string => randomBytes(32).toString('base64url');
export const hashKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('base64url');

function compilable(text: string): boolean {
  if (!(text.length > 2 && text.startsWith('/') && text.endsWith('/'))) return true;
  try {
    new RegExp(text.slice(1, -1));
    return true;
  } catch {
    return false;
  }
}

export function toSource(row: SourcesTable): Source {
  return {
    id: row.id,
    name: row.name,
    type: row.type as SourceType,
    severityMap: JSON.parse(row.severity_map),
    rules: JSON.parse(row.rules),
    options: JSON.parse(row.options),
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

/** What the API and the CLI show of a source: never the key or its hash. */
export function sourceView(s: Source) {
  return {
    name: s.name,
    type: s.type,
    createdAt: new Date(s.createdAt).toISOString(),
    revokedAt: s.revokedAt === null ? null : new Date(s.revokedAt).toISOString(),
    severityMap: s.severityMap,
    rules: s.rules,
    options: s.options,
  };
}

const CACHE_TTL_MS = 1000;
const CACHE_MAX = 10_000;

/** Sources and their keys. Intake asks `authenticate` on every request; answers are cached (in memory) for a second. */
export class SourceStore {
  private readonly db: Db;
  private readonly cache = new Map<string, { source: Source | null; until: number }>();

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly plan: Plan,
  ) {
    this.db = db;
  }

  private checkSystems(rules: MappingRule[], options: SourceOptions, at: string): void {
    const known = new Set(this.plan.systems.map((s) => s.id));
    const issues = rules.flatMap((r, i) => (known.has(r.system) ? [] : [{ path: `${at}rules.${i}.system`, message: `${r.system} is not a system of the plan` }]));
    if (options.system && !known.has(options.system)) issues.push({ path: `${at}options.system`, message: `${options.system} is not a system of the plan` });
    if (issues.length) throw new ValidationError(`unknown system: ${issues.map((i) => i.path).join(', ')}`, issues);
  }

  /** Creates a source; the key is returned here and never again. */
  async create(input: z.output<typeof createSourceSchema>): Promise<{ source: Source; key: string }> {
    this.checkSystems(input.rules, input.options, '');
    const existing = await this.db.selectFrom('sources').select('name').where('name', '=', input.name).executeTakeFirst();
    if (existing) throw new ConflictError(`a source named ${input.name} exists (revoked sources keep their name)`, 'SOURCE_EXISTS');
    const key = newSourceKey();
    const row: SourcesTable = {
      id: newId('src_'),
      name: input.name,
      type: input.type,
      key_hash: hashKey(key),
      created_at: this.clock.now(),
      revoked_at: null,
      severity_map: JSON.stringify(input.severityMap),
      rules: JSON.stringify(input.rules),
      options: JSON.stringify(input.options),
    };
    await this.db.insertInto('sources').values(row).execute();
    this.cache.clear();
    return { source: toSource(row), key };
  }

  async list(): Promise<Source[]> {
    return (await this.db.selectFrom('sources').selectAll().orderBy('name').execute()).map(toSource);
  }

  async get(name: string): Promise<Source> {
    const row = await this.db.selectFrom('sources').selectAll().where('name', '=', name).executeTakeFirst();
    if (!row) throw new NotFoundError(`source ${name}`, 'SOURCE_NOT_FOUND');
    return toSource(row);
  }

  async update(name: string, patch: z.output<typeof updateSourceSchema>): Promise<Source> {
    const current = await this.get(name);
    const next = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as Source;
    this.checkSystems(next.rules, next.options, '');
    await this.db
      .updateTable('sources')
      .set({ severity_map: JSON.stringify(next.severityMap), rules: JSON.stringify(next.rules), options: JSON.stringify(next.options) })
      .where('name', '=', name)
      .execute();
    this.cache.clear();
    return next;
  }

  /** Revokes the source's key at once (for this process; other processes within a second). Idempotent. */
  async revoke(name: string): Promise<Source> {
    const current = await this.get(name);
    if (current.revokedAt === null) {
      const at = this.clock.now();
      await this.db.updateTable('sources').set({ revoked_at: at }).where('name', '=', name).where('revoked_at', 'is', null).execute();
      current.revokedAt = at;
    }
    this.cache.clear();
    return current;
  }

  /** Gives a live source a new key (the old one is refused from now on); the new key is returned here and never again. */
  async rotateKey(name: string): Promise<{ source: Source; key: string }> {
    const current = await this.get(name);
    if (current.revokedAt !== null) throw new ConflictError(`source ${name} is revoked; add a new source`, 'SOURCE_REVOKED');
    const key = newSourceKey();
    await this.db
      .updateTable('sources')
      .set({ key_hash: hashKey(key) })
      .where('name', '=', name)
      .where('revoked_at', 'is', null)
      .execute();
    this.cache.clear();
    return { source: current, key };
  }

  /** The live source a key belongs to, or null for a missing, unknown or revoked key. */
  async authenticate(key: string | undefined): Promise<Source | null> {
    if (!key || key.length > 200) return null;
    const now = performance.now();
    const hit = this.cache.get(key); // in memory only, for a second: hashing on every request costs more than the rest
    if (hit && hit.until > now) return hit.source;
    const row = await this.db.selectFrom('sources').selectAll().where('key_hash', '=', hashKey(key)).executeTakeFirst();
    const source = row && row.revoked_at === null ? toSource(row) : null;
    if (this.cache.size >= CACHE_MAX) this.cache.clear();
    this.cache.set(key, { source, until: now + CACHE_TTL_MS });
    return source;
  }
}
