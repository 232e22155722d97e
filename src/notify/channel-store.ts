/**
 * Channels set up in the browser, kept in `notify_channel_settings`: the non-secret fields in clear, the secret
 * fields sealed (src/notify/secret-box.ts). Input is checked field by field against the kind's form and then with
 * the kind's own schema, exactly as notify.yaml is; a name notify.yaml declares is refused. Secrets never leave
 * here except, opened, towards the paging configuration: views say only which are set.
 */
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError, type Issue } from '../shared/errors.js';
import { isNotifierKind, notifierByKind } from './channels/index.js';
import { channelForm, type ChannelField } from './channel-catalog.js';
import type { BrowserChannel } from './config.js';
import type { SecretBox } from './secret-box.js';
import type { Db, NotifyChannelSettingsTable } from '../storage/index.js';

const fieldValue = z.union([z.string().max(20_000), z.number(), z.array(z.string().max(200)).max(20), z.null()]);
export const channelBody = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/i, 'letters, digits, - and _ (at most 63)'),
    kind: z.string().min(1),
    config: z.record(fieldValue).default({}),
    enabled: z.boolean().default(true),
    routeDefault: z.boolean().default(false),
    routeRoles: z.array(z.string().min(1).max(100)).max(50).default([]),
  })
  .strict();
export const channelUpdateBody = channelBody.omit({ id: true, kind: true });
export type ChannelInput = z.infer<typeof channelBody>;
export type ChannelUpdate = z.infer<typeof channelUpdateBody>;

/** A browser channel as the API answers it: secret fields only say whether they are set. */
export interface StoredChannelView {
  id: string;
  kind: string;
  enabled: boolean;
  routeDefault: boolean;
  routeRoles: string[];
  config: Record<string, unknown>;
  secretsSet: string[];
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

export interface ChannelStoreDeps {
  db: Db;
  box: SecretBox;
  now: () => number;
  /** ids notify.yaml declares (refused here) */
  fileIds: () => readonly string[];
  /** role ids of the plan (routing may name only these) */
  roles: () => readonly string[];
}

const iso = (ms: number) => new Date(ms).toISOString();

export class ChannelStore {
  constructor(private readonly d: ChannelStoreDeps) {}

  async list(): Promise<StoredChannelView[]> {
    const rows = await this.d.db.selectFrom('notify_channel_settings').selectAll().orderBy('id').execute();
    return rows.map((r) => this.view(r));
  }

  /** Every browser channel with its secrets opened, for the paging configuration. */
  async opened(): Promise<BrowserChannel[]> {
    const rows = await this.d.db.selectFrom('notify_channel_settings').selectAll().orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      config: { ...(JSON.parse(r.config) as Record<string, unknown>), ...this.secretsOf(r) },
      enabled: r.enabled === 1,
      routeDefault: r.route_default === 1,
      routeRoles: JSON.parse(r.route_roles) as string[],
    }));
  }

  async create(input: ChannelInput, actor: string): Promise<StoredChannelView> {
    if (!isNotifierKind(input.kind))
      throw new ValidationError(`unknown channel kind ${input.kind}`, [{ path: 'kind', message: 'not a channel kind' }], 'CHANNEL_KIND_UNKNOWN').with({ kind: input.kind });
    if (this.d.fileIds().includes(input.id)) throw nameInFile(input.id);
    const exists = await this.d.db.selectFrom('notify_channel_settings').select('id').where('id', '=', input.id).executeTakeFirst();
    if (exists) throw new ConflictError(`a channel ${input.id} exists already`, 'CHANNEL_EXISTS', [{ path: 'id', message: 'taken' }]).with({ id: input.id });
    const { plain, secrets } = this.checked(input.id, input.kind, input, {});
    const now = this.d.now();
    const row: NotifyChannelSettingsTable = {
      id: input.id,
      kind: input.kind,
      config: JSON.stringify(plain),
      secrets: Object.keys(secrets).length ? this.d.box.seal(JSON.stringify(secrets), input.id) : null,
      route_default: input.routeDefault ? 1 : 0,
      route_roles: JSON.stringify(input.routeRoles),
      enabled: input.enabled ? 1 : 0,
      created_at: now,
      created_by: actor,
      updated_at: now,
      updated_by: actor,
    };
    await this.d.db.insertInto('notify_channel_settings').values(row).execute();
    return this.view(row);
  }

  /** A secret field left out or empty keeps its value; `null` clears it. */
  async update(id: string, input: ChannelUpdate, actor: string): Promise<StoredChannelView> {
    const row = await this.row(id);
    const { plain, secrets } = this.checked(id, row.kind, input, this.secretsOf(row));
    const next: Partial<NotifyChannelSettingsTable> = {
      config: JSON.stringify(plain),
      secrets: Object.keys(secrets).length ? this.d.box.seal(JSON.stringify(secrets), id) : null,
      route_default: input.routeDefault ? 1 : 0,
      route_roles: JSON.stringify(input.routeRoles),
      enabled: input.enabled ? 1 : 0,
      updated_at: this.d.now(),
      updated_by: actor,
    };
    await this.d.db.updateTable('notify_channel_settings').set(next).where('id', '=', id).execute();
    return this.view({ ...row, ...next });
  }

  async remove(id: string): Promise<void> {
    await this.row(id);
    await this.d.db.deleteFrom('notify_channel_settings').where('id', '=', id).execute();
  }

  async has(id: string): Promise<boolean> {
    return !!(await this.d.db.selectFrom('notify_channel_settings').select('id').where('id', '=', id).executeTakeFirst());
  }

  private async row(id: string): Promise<NotifyChannelSettingsTable> {
    const row = await this.d.db.selectFrom('notify_channel_settings').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) {
      if (this.d.fileIds().includes(id)) throw new ConflictError(`channel ${id} is defined in notify.yaml: change it there`, 'CHANNEL_READ_ONLY').with({ id });
      throw new NotFoundError(`channel ${id}`, 'CHANNEL_NOT_FOUND').with({ id });
    }
    return row;
  }

  private secretsOf(row: Pick<NotifyChannelSettingsTable, 'id' | 'secrets'>): Record<string, unknown> {
    return row.secrets ? (JSON.parse(this.d.box.open(row.secrets, row.id)) as Record<string, unknown>) : {};
  }

  /** Every field checked (its form, then the kind's schema); every problem in one ValidationError naming `config.<field>`. */
  private checked(id: string, kind: string, input: ChannelUpdate, keptSecrets: Record<string, unknown>): { plain: Record<string, unknown>; secrets: Record<string, unknown> } {
    const form = channelForm(kind)!;
    const issues: Issue[] = [];
    const plain: Record<string, unknown> = {};
    const secrets: Record<string, unknown> = {};
    for (const name of Object.keys(input.config)) if (!form.some((f) => f.name === name)) issues.push({ path: `config.${name}`, message: `not a setting of a ${kind} channel` });
    for (const field of form) {
      const given = input.config[field.name];
      if (field.input === 'secret') {
        if (given === null) continue;
        const value = typeof given === 'string' && given !== '' ? given : keptSecrets[field.name];
        if (value !== undefined) secrets[field.name] = value;
        continue;
      }
      const value = coerce(field, given, issues);
      if (value !== undefined) plain[field.name] = value;
    }
    const roles = new Set(this.d.roles());
    input.routeRoles.forEach((r, i) => {
      if (!roles.has(r)) issues.push({ path: `routeRoles.${i}`, message: `no role ${r} in the plan` });
    });
    if (!issues.length) {
      const check = notifierByKind(kind)!.configSchema.safeParse({ ...plain, ...secrets });
      if (!check.success)
        for (const i of check.error.issues.filter((x, n, all) => all.findIndex((y) => y.path.join('.') === x.path.join('.')) === n))
          issues.push({ path: `config${i.path.length ? `.${i.path.join('.')}` : ''}`, message: i.message === 'Required' ? `required for a ${kind} channel` : i.message });
    }
    if (issues.length)
      throw new ValidationError(`channel ${id}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues, 'CHANNEL_SETTINGS_INVALID').with({ fields: issues.map((i) => i.path) });
    return { plain, secrets };
  }

  private view(r: NotifyChannelSettingsTable): StoredChannelView {
    const secretNames = (channelForm(r.kind) ?? []).filter((f) => f.input === 'secret').map((f) => f.name);
    const set = r.secrets ? Object.keys(this.secretsOf(r)) : [];
    return {
      id: r.id,
      kind: r.kind,
      enabled: r.enabled === 1,
      routeDefault: r.route_default === 1,
      routeRoles: JSON.parse(r.route_roles) as string[],
      config: JSON.parse(r.config) as Record<string, unknown>,
      secretsSet: secretNames.filter((n) => set.includes(n)),
      createdAt: iso(Number(r.created_at)),
      createdBy: r.created_by,
      updatedAt: iso(Number(r.updated_at)),
      updatedBy: r.updated_by,
    };
  }
}

export const nameInFile = (id: string) =>
  new ConflictError(`notify.yaml defines a channel ${id}: choose another name`, 'CHANNEL_NAME_IN_FILE', [{ path: 'id', message: 'defined in notify.yaml' }]).with({ id });

/** A form value as the kind's schema wants it: numbers as numbers, lists as arrays; empty means not set. */
function coerce(field: ChannelField, given: unknown, issues: Issue[]): unknown {
  if (given === undefined || given === null || given === '') return undefined;
  if (field.input === 'number') {
    const n = typeof given === 'number' ? given : Number(String(given).trim());
    if (!Number.isFinite(n)) issues.push({ path: `config.${field.name}`, message: 'a number' });
    return n;
  }
  if (field.input === 'list') {
    const list = Array.isArray(given) ? given : String(given).split(/[,，\s]+/);
    const items = list.map((s) => String(s).trim()).filter(Boolean);
    return items.length ? items : undefined;
  }
  if (typeof given !== 'string') {
    issues.push({ path: `config.${field.name}`, message: 'text' });
    return undefined;
  }
  if (field.input === 'select' && !field.options!.includes(given)) issues.push({ path: `config.${field.name}`, message: `one of ${field.options!.join(', ')}` });
  return field.input === 'textarea' ? given : given.trim();
}
