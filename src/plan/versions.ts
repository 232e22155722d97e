/**
 * Plan versions uploaded from the browser: each is checked exactly as `lifeline plan check` checks a file (schema,
 * lint, dead rules; every finding with line:column), stored with who uploaded it, when and its SHA-256, and may be
 * activated when it has no error. Activation is recorded in `plan_activations`, an append-only hash chain naming who
 * activated which text and why; its newest entry is the active version. A running server keeps the plan it started
 * with: `lifeline start` loads the active version (`activeStoredPlan`), so an activation takes effect at the next
 * start, and until then the running and the active version differ (`status().pending`).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConflictError, NotFoundError, ValidationError, type Issue } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { Db, PlanVersionsTable } from '../storage/index.js';
import { diffPlans, type PlanDiff } from './diff.js';
import { DEFAULT_PLAN_PATH, hasErrors, parsePlanText } from './load.js';

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const GENESIS = '0'.repeat(64);
/** The largest plan text accepted (the default plan is about 100 kB). */
export const MAX_PLAN_BYTES = 2_000_000;

/** The text a server runs: a file (LIFELINE_PLAN), the built-in default, or a stored version. */
export interface PlanSource {
  origin: 'file' | 'default' | 'stored';
  text: string;
  sha256: string;
  path: string | null;
  versionId: string | null;
}

/** The source of a plan file (or the default plan when `path` is absent or "default"). */
export function fileSource(path?: string): PlanSource {
  const isDefault = path === undefined || path === 'default';
  const file = isDefault ? DEFAULT_PLAN_PATH : path;
  const text = readFileSync(file, 'utf8');
  return { origin: isDefault ? 'default' : 'file', text, sha256: sha256(text), path: isDefault ? null : file, versionId: null };
}

/** The active stored version (the newest activation), if any: what `lifeline start` loads. */
export async function activeStoredPlan(db: Db): Promise<PlanSource | null> {
  const last = await db.selectFrom('plan_activations').select('version_id').orderBy('seq', 'desc').limit(1).executeTakeFirst();
  if (!last) return null;
  const v = await db.selectFrom('plan_versions').select(['id', 'text', 'sha256']).where('id', '=', last.version_id).executeTakeFirst();
  return v ? { origin: 'stored', text: v.text, sha256: v.sha256, path: null, versionId: v.id } : null;
}

export type PlanVersionState = 'running' | 'pending' | 'rejected' | 'ready' | 'previous';

export interface PlanVersionView {
  id: string;
  seq: number;
  sha256: string;
  planId: string | null;
  planVersion: string | null;
  uploadedAt: string;
  uploadedBy: string;
  errors: number;
  warnings: number;
  /** running: the server runs it; pending: active, takes effect at the next start; rejected: has errors; ready: may be activated; previous: was active once */
  state: PlanVersionState;
  activatedAt: string | null;
  activatedBy: string | null;
}

export interface PlanVersionDetail extends PlanVersionView {
  text: string;
  findings: Issue[];
  /** against the active plan (the newest activation, else the running plan); the active version itself, against the running plan */
  diff: PlanDiff;
  /** what the diff compares with */
  against: { origin: PlanSource['origin']; versionSeq: number | null };
}

export interface PlanActivationView {
  seq: number;
  versionId: string;
  versionSeq: number | null;
  at: string;
  actor: string;
  reason: string;
  hash: string;
}

export interface PlanStatus {
  running: { origin: PlanSource['origin']; sha256: string; versionId: string | null; versionSeq: number | null };
  active: { versionId: string; versionSeq: number; sha256: string; at: string; actor: string } | null;
  /** an activated version the server does not run yet: it takes effect at the next start */
  pending: boolean;
}

export interface PlanVersionsDeps {
  db: Db;
  now: () => number;
  /** the text this server runs (read on first use) */
  running: () => PlanSource;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

function chainHash(e: Omit<PlanActivationView, 'hash' | 'versionSeq' | 'at'> & { id: string; sha256: string; at: number }, prev: string): string {
  return sha256(`${JSON.stringify([e.seq, e.id, e.versionId, e.sha256, e.at, e.actor, e.reason])}\n${prev}`);
}

export class PlanVersions {
  constructor(private readonly d: PlanVersionsDeps) {}

  private get running(): PlanSource {
    return this.d.running();
  }

  async status(): Promise<PlanStatus> {
    const last = await this.lastActivation();
    const runningSeq = this.running.versionId ? ((await this.d.db.selectFrom('plan_versions').select('seq').where('id', '=', this.running.versionId).executeTakeFirst())?.seq ?? null) : null;
    const activeSeq = last ? ((await this.d.db.selectFrom('plan_versions').select('seq').where('id', '=', last.version_id).executeTakeFirst())?.seq ?? 0) : 0;
    return {
      running: { origin: this.running.origin, sha256: this.running.sha256, versionId: this.running.versionId, versionSeq: runningSeq },
      active: last ? { versionId: last.version_id, versionSeq: activeSeq, sha256: last.sha256, at: iso(last.at)!, actor: last.actor } : null,
      pending: !!last && last.version_id !== this.running.versionId,
    };
  }

  async list(): Promise<PlanVersionView[]> {
    const rows = await this.d.db
      .selectFrom('plan_versions')
      .select(['id', 'seq', 'sha256', 'plan_id', 'plan_version', 'uploaded_at', 'uploaded_by', 'errors', 'warnings', 'activated_at', 'activated_by'])
      .orderBy('seq', 'desc')
      .execute();
    const activeId = (await this.lastActivation())?.version_id ?? null;
    return rows.map((r) => this.view(r, activeId));
  }

  /** Checks and stores a text; the same text uploaded again answers the version already stored. */
  async upload(text: string, actor: string, fileName = 'plan.yaml'): Promise<PlanVersionDetail> {
    if (!text.trim()) throw new ValidationError('the plan text is empty', [{ path: 'text', message: 'empty' }], 'PLAN_TEXT_EMPTY');
    if (Buffer.byteLength(text) > MAX_PLAN_BYTES)
      throw new ValidationError('the plan text is too large', [{ path: 'text', message: `at most ${MAX_PLAN_BYTES} bytes` }], 'PLAN_TEXT_TOO_LARGE').with({ max: MAX_PLAN_BYTES });
    const hash = sha256(text);
    const same = await this.d.db.selectFrom('plan_versions').select('id').where('sha256', '=', hash).executeTakeFirst();
    if (same) return this.detail(same.id);
    const { plan, issues } = parsePlanText(text, fileName);
    const findings = issues.map((i) => ({ ...i, file: fileName }));
    const doc = plan?.plan ?? rawPlanHeader(text);
    await this.d.db.transaction().execute(async (trx) => {
      const last = await trx
        .selectFrom('plan_versions')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .executeTakeFirst();
      const row: PlanVersionsTable = {
        id: newId('pv_'),
        seq: Number(last?.seq ?? 0) + 1,
        sha256: hash,
        text,
        plan_id: doc.id,
        plan_version: doc.version,
        uploaded_at: this.d.now(),
        uploaded_by: actor,
        errors: findings.filter((i) => i.severity !== 'warning').length,
        warnings: findings.filter((i) => i.severity === 'warning').length,
        findings: JSON.stringify(findings),
        activated_at: null,
        activated_by: null,
      };
      await trx.insertInto('plan_versions').values(row).execute();
    });
    const stored = await this.d.db.selectFrom('plan_versions').select('id').where('sha256', '=', hash).executeTakeFirstOrThrow();
    return this.detail(stored.id);
  }

  async detail(id: string): Promise<PlanVersionDetail> {
    const row = await this.row(id);
    const last = await this.lastActivation();
    // the active version itself is compared with what the server runs (what it changes at the next start)
    const baseId = last && last.version_id !== id ? last.version_id : last ? this.running.versionId : null;
    const base = baseId ? await this.d.db.selectFrom('plan_versions').select(['text', 'seq']).where('id', '=', baseId).executeTakeFirst() : undefined;
    return {
      ...this.view(row, last?.version_id ?? null),
      text: row.text,
      findings: JSON.parse(row.findings) as Issue[],
      diff: diffPlans(base?.text ?? this.running.text, row.text),
      against: base ? { origin: 'stored', versionSeq: base.seq } : { origin: this.running.origin, versionSeq: null },
    };
  }

  /** Makes a version without errors the active one, recorded in the activation chain under `actor` with `reason`. */
  async activate(id: string, reason: string, actor: string): Promise<{ activation: PlanActivationView; status: PlanStatus }> {
    const row = await this.row(id);
    if (row.errors > 0) throw new ConflictError(`plan version ${row.seq} has ${row.errors} error(s): it cannot be activated`, 'PLAN_VERSION_HAS_ERRORS').with({ version: row.seq, errors: row.errors });
    // checked again with today's rules: a version stored under older checks must still pass
    if (hasErrors(parsePlanText(row.text).issues)) throw new ConflictError(`plan version ${row.seq} no longer passes the checks`, 'PLAN_VERSION_HAS_ERRORS').with({ version: row.seq, errors: 1 });
    const why = reason.trim();
    if (!why) throw new ValidationError('a reason is required', [{ path: 'reason', message: 'required' }], 'PLAN_ACTIVATION_REASON_REQUIRED');
    const last = await this.lastActivation();
    if (last?.version_id === id) throw new ConflictError(`plan version ${row.seq} is already the active one`, 'PLAN_VERSION_ALREADY_ACTIVE').with({ version: row.seq });
    const at = this.d.now();
    const entry = await this.d.db.transaction().execute(async (trx) => {
      const prev = await trx.selectFrom('plan_activations').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
      const e = { seq: Number(prev?.seq ?? 0) + 1, id: newId('pa_'), versionId: id, sha256: row.sha256, at, actor, reason: why };
      const hash = chainHash(e, prev?.hash ?? GENESIS);
      await trx
        .insertInto('plan_activations')
        .values({ seq: e.seq, id: e.id, version_id: id, sha256: row.sha256, at, actor, reason: why, prev_hash: prev?.hash ?? GENESIS, hash })
        .execute();
      await trx.updateTable('plan_versions').set({ activated_at: at, activated_by: actor }).where('id', '=', id).execute();
      return { seq: e.seq, versionId: id, versionSeq: row.seq, at: iso(at)!, actor, reason: why, hash };
    });
    return { activation: entry, status: await this.status() };
  }

  async activations(): Promise<PlanActivationView[]> {
    const rows = await this.d.db
      .selectFrom('plan_activations')
      .leftJoin('plan_versions', 'plan_versions.id', 'plan_activations.version_id')
      .select([
        'plan_activations.seq',
        'plan_activations.version_id',
        'plan_versions.seq as version_seq',
        'plan_activations.at',
        'plan_activations.actor',
        'plan_activations.reason',
        'plan_activations.hash',
      ])
      .orderBy('plan_activations.seq', 'desc')
      .execute();
    return rows.map((r) => ({
      seq: Number(r.seq),
      versionId: r.version_id,
      versionSeq: r.version_seq === null ? null : Number(r.version_seq),
      at: iso(r.at)!,
      actor: r.actor,
      reason: r.reason,
      hash: r.hash,
    }));
  }

  /** Walks the activation chain: the first entry whose hash or link does not hold, or null when all hold. */
  async verifyChain(): Promise<{ seq: number; problem: 'hash' | 'link' } | null> {
    const rows = await this.d.db.selectFrom('plan_activations').selectAll().orderBy('seq').execute();
    let prev = GENESIS;
    for (const r of rows) {
      if (r.prev_hash !== prev) return { seq: Number(r.seq), problem: 'link' };
      const expected = chainHash({ seq: Number(r.seq), id: r.id, versionId: r.version_id, sha256: r.sha256, at: Number(r.at), actor: r.actor, reason: r.reason }, prev);
      if (expected !== r.hash) return { seq: Number(r.seq), problem: 'hash' };
      prev = r.hash;
    }
    return null;
  }

  private lastActivation() {
    return this.d.db.selectFrom('plan_activations').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirst();
  }

  private async row(id: string): Promise<PlanVersionsTable> {
    const row = await this.d.db.selectFrom('plan_versions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(`plan version ${id}`, 'PLAN_VERSION_NOT_FOUND');
    return row;
  }

  private view(r: Omit<PlanVersionsTable, 'text' | 'findings'>, activeId: string | null): PlanVersionView {
    const state: PlanVersionState = r.id === this.running.versionId ? 'running' : r.id === activeId ? 'pending' : r.errors > 0 ? 'rejected' : r.activated_at !== null ? 'previous' : 'ready';
    return {
      id: r.id,
      seq: Number(r.seq),
      sha256: r.sha256,
      planId: r.plan_id,
      planVersion: r.plan_version,
      uploadedAt: iso(r.uploaded_at)!,
      uploadedBy: r.uploaded_by,
      errors: Number(r.errors),
      warnings: Number(r.warnings),
      state,
      activatedAt: iso(r.activated_at),
      activatedBy: r.activated_by,
    };
  }
}

/** plan.id / plan.version of a document that did not pass the checks, when they can be read. */
function rawPlanHeader(text: string): { id: string | null; version: string | null } {
  const id = /^\s{2}id:\s*["']?([^"'\n#]+?)["']?\s*(#.*)?$/m.exec(text)?.[1] ?? null;
  const version = /^\s{2}version:\s*["']?([^"'\n#]+?)["']?\s*(#.*)?$/m.exec(text)?.[1] ?? null;
  return { id: id?.slice(0, 200) ?? null, version: version?.slice(0, 200) ?? null };
}
