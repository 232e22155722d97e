// The audit hash chains (src/storage/chain.ts): entries written by the real services, then edited, deleted and
// reordered behind Lifeline's back; `lifeline audit verify` names the first broken link and exits 1.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { buildApp } from '../src/http/app.js';
import { createBlock } from '../src/downtime/numbers.js';
import { startSession } from '../src/downtime/sessions.js';
import { openDatabase, type OpenedDb } from '../src/storage/index.js';
import { DIALECTS, freshDatabase, postgresUnavailable } from './support/databases.js';
import { testPlatform, type TestPlatform } from './support/platform.js';

const caller = { ip: '10.0.0.9', userAgent: 'test' };

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`audit chains on ${dialect}`, () => {
    let p: TestPlatform;
    let raw: OpenedDb | undefined;
    const env: Record<string, string> = {};

    beforeEach(async () => {
      p = await testPlatform(dialect);
      const db = p.config.db;
      if (db.kind === 'sqlite') env.LIFELINE_DATA_DIR = path.dirname(db.file);
      else env.LIFELINE_DATABASE_URL = db.url;
    });
    afterEach(async () => {
      await raw?.close();
      raw = undefined;
      for (const k of Object.keys(env)) delete process.env[k];
      await p.dispose();
    });

    /** `lifeline audit verify` as the operator runs it, on the platform's database: exit code and what it printed. */
    async function verify(): Promise<{ code: number; out: string }> {
      Object.assign(process.env, env, { LIFELINE_LOG_LEVEL: 'silent' });
      const lines: string[] = [];
      const log = vi.spyOn(console, 'log').mockImplementation((...a) => void lines.push(a.join(' ')));
      const err = vi.spyOn(console, 'error').mockImplementation((...a) => void lines.push(a.join(' ')));
      try {
        return { code: await main(['audit', 'verify']), out: lines.join('\n') };
      } finally {
        log.mockRestore();
        err.mockRestore();
      }
    }

    const dropTrigger = (name: string, table: string) =>
      dialect === 'postgres' ? sql`drop trigger ${sql.id(name)} on ${sql.table(table)}`.execute(raw!.db) : sql`drop trigger ${sql.id(name)}`.execute(raw!.db);

    /** Writes through the services: an incident (engine timeline), a failed sign-in (auth audit), downtime records. */
    async function writeEntries(): Promise<void> {
      const incidentId = await p.engine.openIncident({ title: 'HIS 数据库宕机', systems: [{ system: 'HIS', state: 'down' }] }, 'tech_oncall');
      await p.engine.act(incidentId, { type: 'acknowledge' }, 'tech_oncall');
      await p.auth.accounts.addUser({ username: 'alice', password: 'correct horse battery staple', role: 'admin' });
      await expect(p.auth.login('alice', 'wrong password!!', caller)).rejects.toThrow(/wrong user name or password/);
      await p.auth.login('alice', 'correct horse battery staple', caller);
      await startSession(p.downtime, incidentId, { businessLine: 'registration', department: 'ED_REG' }, 'clerk-a');
      await createBlock(p.downtime, { kind: 'mrn', start: 1, end: 100 }, 'admin');
    }

    it('is intact when written through Lifeline; an edit, a deletion and a swap are each found, named and exit 1', async () => {
      await writeEntries();
      const intact = await verify();
      expect(intact.code, intact.out).toBe(0);
      expect(intact.out).toMatch(/^timeline: intact, \d+ entries/m);
      expect(intact.out).toMatch(/^auth_signins: intact, 2 entries/m);
      expect(intact.out).toMatch(/^downtime_events: intact, [1-9]\d* entr/m);

      const app = await buildApp(p, { logger: false });
      expect((await app.inject({ method: 'GET', url: '/healthz' })).json().audit).toEqual({ ok: true });
      await app.close();

      raw = openDatabase(p.config.db);
      const db = raw.db;
      const timeline = await db.selectFrom('timeline').selectAll().orderBy('chain_seq').execute();
      expect(timeline.length).toBeGreaterThanOrEqual(3);
      expect(timeline.map((t) => t.chain_seq)).toEqual(timeline.map((_, i) => i + 1));

      // the database itself refuses changes to audit records
      await expect(db.updateTable('timeline').set({ message: 'x' }).where('id', '=', timeline[1]!.id).execute()).rejects.toThrow(/append-only/);
      await expect(db.deleteFrom('auth_signins').execute()).rejects.toThrow(/append-only/);

      // someone with the database's own rights drops the guards and edits one entry's message
      await dropTrigger('timeline_no_update', 'timeline');
      await dropTrigger('timeline_no_delete', 'timeline');
      const victim = timeline[1]!;
      await db
        .updateTable('timeline')
        .set({ message: `${victim.message} (edited)` })
        .where('id', '=', victim.id)
        .execute();
      const edited = await verify();
      expect(edited.code).toBe(1);
      expect(edited.out).toContain(`timeline: BROKEN at sequence 2, id ${victim.id}: edited`);
      // the server says so too, on /healthz (it checks each chain's tail)
      const server = await buildApp(p, { logger: false });
      const health = (await server.inject({ method: 'GET', url: '/healthz' })).json();
      await server.close();
      expect(health.audit).toMatchObject({ ok: false, firstBroken: { table: 'timeline', seq: 2, id: victim.id, problem: 'edited' } });
      await db.updateTable('timeline').set({ message: victim.message }).where('id', '=', victim.id).execute();
      expect((await verify()).code).toBe(0);

      // deletes one
      await db.deleteFrom('timeline').where('id', '=', victim.id).execute();
      const deleted = await verify();
      expect(deleted.code).toBe(1);
      expect(deleted.out).toContain(`timeline: BROKEN at sequence 3, id ${timeline[2]!.id}`);
      expect(deleted.out).toMatch(/sequence 2 missing before it \(deleted\)/);
      // put back as it was: intact again
      await db.insertInto('timeline').values(victim).execute();
      expect((await verify()).code).toBe(0);

      // swaps two entries' contents (reorders the timeline)
      const [a, b] = [timeline[0]!, timeline[1]!];
      const content = (r: typeof a) => ({ at: r.at, actor: r.actor, kind: r.kind, message: r.message, data: r.data });
      await db.updateTable('timeline').set(content(b)).where('id', '=', a.id).execute();
      await db.updateTable('timeline').set(content(a)).where('id', '=', b.id).execute();
      const swapped = await verify();
      expect(swapped.code).toBe(1);
      expect(swapped.out).toContain(`timeline: BROKEN at sequence 1, id ${a.id}: edited`);
    });

    it('a plan activation is append-only too: the database refuses to change or remove it (migration 024)', async () => {
      const text = fs.readFileSync('src/plan/default-plan.yaml', 'utf8').replace(/^( {2}version: )1\.0\.0$/m, '$11.0.1');
      const version = await p.planVersions.upload(text, '预案管理员');
      await p.planVersions.activate(version.id, '通知时限按院务会决定调整', '预案管理员');
      await expect(p.db.updateTable('plan_activations').set({ reason: '改写的原因' }).execute()).rejects.toThrow(/append-only/);
      await expect(p.db.deleteFrom('plan_activations').execute()).rejects.toThrow(/append-only/);
      expect((await p.planVersions.activations()).map((a) => a.reason)).toEqual(['通知时限按院务会决定调整']);
    });

    it('finds a deletion hidden by renumbering, and an edit of the sign-in audit or the downtime log', async () => {
      await writeEntries();
      raw = openDatabase(p.config.db);
      const db = raw.db;
      await dropTrigger('timeline_no_update', 'timeline');
      await dropTrigger('timeline_no_delete', 'timeline');
      const timeline = await db.selectFrom('timeline').selectAll().orderBy('chain_seq').execute();
      const last = timeline.at(-1)!;
      // delete entry 2, then move the last entry into its place so the sequence has no gap
      await db.deleteFrom('timeline').where('id', '=', timeline[1]!.id).execute();
      await db.deleteFrom('timeline').where('id', '=', last.id).execute();
      await db
        .insertInto('timeline')
        .values({ ...last, chain_seq: 2 })
        .execute();
      const moved = await verify();
      expect(moved.code).toBe(1);
      expect(moved.out).toContain(`timeline: BROKEN at sequence 2, id ${last.id}`);

      await dropTrigger('auth_signins_no_update', 'auth_signins');
      const signin = await db.selectFrom('auth_signins').selectAll().orderBy('chain_seq').executeTakeFirstOrThrow();
      await db.updateTable('auth_signins').set({ outcome: 'success' }).where('id', '=', signin.id).execute();
      await dropTrigger('downtime_events_no_update', 'downtime_events');
      const event = await db.selectFrom('downtime_events').selectAll().orderBy('chain_seq').executeTakeFirstOrThrow();
      await db.updateTable('downtime_events').set({ actor: 'someone else' }).where('id', '=', event.id).execute();
      const out = (await verify()).out;
      expect(out).toContain(`auth_signins: BROKEN at sequence 1, id ${signin.id}: edited`);
      expect(out).toContain(`downtime_events: BROKEN at sequence 1, id ${event.id}: edited`);
    });
  });
}

describe('the migration chains rows written before it', () => {
  it('chains existing rows in id order and continues the chain from them', async () => {
    const { db: config, drop } = await freshDatabase('sqlite');
    const { migrate } = await import('../src/storage/index.js');
    const { migrations } = await import('../src/storage/migrations/index.js');
    const { Migrator } = await import('kysely');
    const opened = openDatabase(config);
    try {
      const migrator = new Migrator({
        db: opened.db,
        provider: { getMigrations: async () => migrations },
        migrationTableName: 'lifeline_migrations',
        migrationLockTableName: 'lifeline_migrations_lock',
      });
      const names = Object.keys(migrations);
      await migrator.migrateTo(names[names.indexOf('013_audit_chain') - 1]!);
      const old = { incident_id: null, at: 1, actor: 'x', kind: 'note', data: null };
      await sql`insert into timeline (id, incident_id, at, actor, kind, message, data) values ('tl_b', ${old.incident_id}, 1, 'x', 'note', 'second', null), ('tl_a', null, 2, 'x', 'note', 'first', null)`.execute(
        opened.db,
      );
      await migrate(opened.db);
      const rows = await opened.db.selectFrom('timeline').selectAll().orderBy('chain_seq').execute();
      expect(rows.map((r) => [r.id, r.chain_seq])).toEqual([
        ['tl_a', 1],
        ['tl_b', 2],
      ]);
      const { appendChained, verifyChains } = await import('../src/storage/index.js');
      await appendChained(opened.db, 'timeline', [{ id: 'tl_c', ...old, message: 'third' }]);
      expect((await verifyChains(opened.db)).every((r) => r.ok)).toBe(true);
      expect((await opened.db.selectFrom('timeline').select('chain_seq').where('id', '=', 'tl_c').executeTakeFirstOrThrow()).chain_seq).toBe(3);
    } finally {
      await opened.close();
      await drop();
    }
  });
});
