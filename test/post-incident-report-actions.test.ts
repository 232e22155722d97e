// The post-incident review and its corrective actions over HTTP, signed in (issue 16, deliverable 4): the review is
// written and kept with who/when; corrective actions are added with an owner of the directory and a due day, edited,
// marked done and reopened, each change a timeline entry of the incident; bad input is a 400 problem naming the
// field and stores nothing; without review.edit it is a 403; the open ones across incidents are listed, overdue
// first, until done — closed incidents included. SQLite and PostgreSQL.
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { appExtensions } from '../src/http/extensions.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { testPlatform, type TestPlatform } from './support/platform.js';

const DAY = 24 * 3600_000;
/** Who an API token acts as (src/auth/service.ts): its name, marked as a token. */
const ACTOR = 'token:it-director';

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`post-incident review and corrective actions on ${dialect}`, () => {
    let p: TestPlatform;
    let app: FastifyInstance;
    let editor = '';
    let viewer = '';
    let incidentId = '';
    let ownerId = '';

    beforeEach(async () => {
      p = await testPlatform(dialect);
      app = await buildApp(p, { logger: false, auth: true, extensions: appExtensions });
      editor = (await p.auth.accounts.addToken({ name: 'it-director', role: 'technical' })).value;
      viewer = (await p.auth.accounts.addToken({ name: 'wall', role: 'viewer' })).value;
      incidentId = await p.engine.openIncident({ title: 'PACS 影像调阅缓慢', systems: [{ system: 'PACS', state: 'degraded' }] }, 'tech_oncall');
      ownerId = (await p.people.store.create({ name: '王工', department: '信息中心' })).id;
    });
    afterEach(async () => {
      await app.close();
      await p.dispose();
    });

    const call = (token: string, method: InjectOptions['method'], url: string, payload?: unknown) =>
      app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
    const timeline = async () => (await p.incidents.get(incidentId)).timeline;
    const rowCount = async () =>
      Number(
        (
          await p.db
            .selectFrom('corrective_actions')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('writes the review with who and when; a second save changes only what changed', async () => {
      const empty = await call(viewer, 'GET', `/incidents/${incidentId}/review`);
      expect(empty.json()).toMatchObject({ summary: '', rootCause: '', lessons: '', updatedAt: null, updatedBy: null });
      const saved = await call(editor, 'PUT', `/incidents/${incidentId}/review`, { summary: '影像服务器存储 I/O 饱和', rootCause: '备份任务与业务高峰重叠' });
      expect(saved.statusCode).toBe(200);
      expect(saved.json()).toMatchObject({
        summary: '影像服务器存储 I/O 饱和',
        rootCause: '备份任务与业务高峰重叠',
        lessons: '',
        createdBy: ACTOR,
        updatedBy: ACTOR,
        updatedAt: new Date(p.clock.now()).toISOString(),
      });
      await p.advance(60_000);
      const again = await call(editor, 'PUT', `/incidents/${incidentId}/review`, { rootCause: '备份任务与业务高峰重叠', lessons: '备份改到夜间' });
      expect(again.json()).toMatchObject({ summary: '影像服务器存储 I/O 饱和', lessons: '备份改到夜间', updatedAt: new Date(p.clock.now()).toISOString() });
      const entries = (await timeline()).filter((t) => t.kind === 'review.updated');
      expect(entries.map((e) => (e.data as { fields: string[] }).fields).reverse()).toEqual([['summary', 'rootCause'], ['lessons']]);
      expect(entries.every((e) => e.actor === ACTOR)).toBe(true);
      // too long: 400 naming the field, nothing changed
      const long = await call(editor, 'PUT', `/incidents/${incidentId}/review`, { lessons: 'x'.repeat(10_001) });
      expect(long.statusCode).toBe(400);
      expect(long.headers['content-type']).toMatch(/problem\+json/);
      expect(long.json().errors[0].path).toBe('lessons');
      expect((await call(viewer, 'GET', `/incidents/${incidentId}/review`)).json().lessons).toBe('备份改到夜间');
      // a viewer may read, not write
      const denied = await call(viewer, 'PUT', `/incidents/${incidentId}/review`, { summary: 'x' });
      expect(denied.statusCode).toBe(403);
      expect(denied.json().code).toBe('PERMISSION_DENIED');
    });

    it('adds, edits, completes and reopens corrective actions, each change on the timeline; listed open across incidents until done', async () => {
      const today = new Date(p.clock.now() + 8 * 3600_000).toISOString().slice(0, 10);
      const added = await call(editor, 'POST', `/incidents/${incidentId}/corrective-actions`, { title: '调整备份窗口到夜间', ownerPersonId: ownerId, due: today });
      expect(added.statusCode).toBe(201);
      const a = added.json();
      expect(a).toMatchObject({ incidentId, title: '调整备份窗口到夜间', owner: { id: ownerId, name: '王工' }, due: today, state: 'open', overdue: false, createdBy: ACTOR });
      // a second incident, closed, with its own action: reviews happen after the close
      const other = await p.engine.openIncident({ title: 'LIS 接口中断', systems: [{ system: 'LIS', state: 'down' }] }, 'tech_oncall');
      await p.engine.act(other, { type: 'close', reason: '误报' }, '赵院长', 'commander');
      const b = await call(editor, 'POST', `/incidents/${other}/corrective-actions`, { title: '核对接口监控阈值', ownerPersonId: ownerId, due: '2026-03-20' });
      expect(b.statusCode).toBe(201);

      // two days on: the first is overdue and listed first
      await p.advance(2 * DAY);
      let open = (await call(viewer, 'GET', '/corrective-actions?state=open')).json();
      expect(open.items.map((x: { id: string; overdue: boolean }) => [x.id, x.overdue])).toEqual([
        [a.id, true],
        [b.json().id, false],
      ]);
      expect(open.items[1].incident).toMatchObject({ id: other, title: 'LIS 接口中断', state: 'closed' });

      // edit: a new due day and owner
      const owner2 = (await p.people.store.create({ name: '陈工', department: '信息中心' })).id;
      const edited = await call(editor, 'PATCH', `/corrective-actions/${a.id}`, { due: '2026-03-31', ownerPersonId: owner2 });
      expect(edited.statusCode).toBe(200);
      expect(edited.json()).toMatchObject({ due: '2026-03-31', owner: { id: owner2, name: '陈工' }, overdue: false });
      // done: no longer listed; reopened: listed again
      const done = await call(editor, 'PATCH', `/corrective-actions/${a.id}`, { state: 'done', note: '已改到 02:00' });
      expect(done.json()).toMatchObject({ state: 'done', doneBy: ACTOR, doneAt: new Date(p.clock.now()).toISOString(), note: '已改到 02:00' });
      open = (await call(viewer, 'GET', '/corrective-actions?state=open')).json();
      expect(open.items.map((x: { id: string }) => x.id)).toEqual([b.json().id]);
      await call(editor, 'PATCH', `/corrective-actions/${a.id}`, { state: 'open' });
      open = (await call(viewer, 'GET', '/corrective-actions?state=open')).json();
      expect(open.items.map((x: { id: string }) => x.id).sort()).toEqual([a.id, b.json().id].sort());
      // per incident: all of them, done or not
      const list = (await call(viewer, 'GET', `/incidents/${incidentId}/corrective-actions`)).json();
      expect(list.items).toHaveLength(1);
      expect(list.items[0]).toMatchObject({ id: a.id, state: 'open', doneAt: null });

      const kinds = (await timeline())
        .filter((t) => t.kind.startsWith('corrective_action.'))
        .map((t) => [t.kind, t.actor, t.data])
        .reverse();
      expect(kinds).toEqual([
        ['corrective_action.added', ACTOR, { action: a.id, title: '调整备份窗口到夜间', owner: ownerId, ownerName: '王工', due: today }],
        ['corrective_action.changed', ACTOR, { action: a.id, title: '调整备份窗口到夜间', fields: ['owner', 'due'], owner: owner2, ownerName: '陈工', due: '2026-03-31' }],
        ['corrective_action.changed', ACTOR, { action: a.id, title: '调整备份窗口到夜间', fields: ['note'] }],
        ['corrective_action.done', ACTOR, { action: a.id, title: '调整备份窗口到夜间', note: '已改到 02:00' }],
        ['corrective_action.reopened', ACTOR, { action: a.id, title: '调整备份窗口到夜间' }],
      ]);
      // the owners a form offers: active people, names only
      const owners = (await call(editor, 'GET', '/corrective-actions/owners')).json();
      expect(owners.items.map((o: { name: string }) => o.name).sort()).toEqual(['王工', '陈工'].sort());
      expect(Object.keys(owners.items[0]).sort()).toEqual(['department', 'id', 'name']);
    });

    it('refuses bad input with a 400 naming the field and stores nothing; 403 without review.edit; 404 for unknown ids', async () => {
      const url = `/incidents/${incidentId}/corrective-actions`;
      const cases: [unknown, string][] = [
        [{ title: '', ownerPersonId: ownerId, due: '2026-03-10' }, 'title'],
        [{ title: 'x'.repeat(201), ownerPersonId: ownerId, due: '2026-03-10' }, 'title'],
        [{ title: '演练', ownerPersonId: 'nobody', due: '2026-03-10' }, 'ownerPersonId'],
        [{ title: '演练', due: '2026-03-10' }, 'ownerPersonId'],
        [{ title: '演练', ownerPersonId: ownerId, due: '2026-02-30' }, 'due'],
        [{ title: '演练', ownerPersonId: ownerId, due: '10/03/2026' }, 'due'],
        [{ title: '演练', ownerPersonId: ownerId, due: '2026-03-01' }, 'due'], // before the incident's day (2026-03-02)
        [{ title: '演练', ownerPersonId: ownerId, due: '2026-03-10', by: 'someone else' }, 'body'],
      ];
      for (const [body, field] of cases) {
        const res = await call(editor, 'POST', url, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.headers['content-type']).toMatch(/problem\+json/);
        expect(
          res.json().errors.map((e: { path: string }) => e.path),
          JSON.stringify(body),
        ).toContain(field);
      }
      expect(await rowCount()).toBe(0);
      // an inactive person cannot own an action
      await p.people.store.deactivate(ownerId);
      const inactive = await call(editor, 'POST', url, { title: '演练', ownerPersonId: ownerId, due: '2026-03-10' });
      expect(inactive.json()).toMatchObject({ status: 400, code: 'OWNER_INACTIVE', errors: [{ path: 'ownerPersonId' }] });
      const active = (await p.people.store.create({ name: '刘工' })).id;
      // the day of the incident itself is fine
      const ok = await call(editor, 'POST', url, { title: '演练', ownerPersonId: active, due: '2026-03-02' });
      expect(ok.statusCode).toBe(201);
      // PATCH: bad state, bad due, nothing changed
      const bad = await call(editor, 'PATCH', `/corrective-actions/${ok.json().id}`, { state: 'finished' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].path).toBe('state');
      const early = await call(editor, 'PATCH', `/corrective-actions/${ok.json().id}`, { due: '2026-02-01', title: '改名' });
      expect(early.json().errors[0].path).toBe('due');
      expect((await call(viewer, 'GET', url)).json().items[0]).toMatchObject({ title: '演练', due: '2026-03-02', state: 'open' });
      // 403 for a viewer on every write; reading is allowed
      expect((await call(viewer, 'POST', url, { title: '演练', ownerPersonId: active, due: '2026-03-10' })).statusCode).toBe(403);
      expect((await call(viewer, 'PATCH', `/corrective-actions/${ok.json().id}`, { state: 'done' })).statusCode).toBe(403);
      expect((await call(viewer, 'GET', '/corrective-actions/owners')).statusCode).toBe(403);
      expect((await call(viewer, 'GET', '/corrective-actions?state=open')).statusCode).toBe(200);
      expect(await rowCount()).toBe(1);
      // unknown ids
      expect((await call(editor, 'PATCH', '/corrective-actions/ca_nope', { state: 'done' })).json().code).toBe('CORRECTIVE_ACTION_NOT_FOUND');
      expect((await call(editor, 'POST', '/incidents/inc_nope/corrective-actions', { title: 'x', ownerPersonId: active, due: '2026-03-10' })).json().code).toBe('INCIDENT_NOT_FOUND');
      expect((await call(viewer, 'GET', '/incidents/inc_nope/review')).statusCode).toBe(404);
    });
  });
}
