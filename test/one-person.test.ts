// One person (docs/paging.md): a sign-in account is linked to its person of the directory, and an answer counts for
// that person wherever it is given (the web app, an ack link, a monitoring tool): their pages stop at once, while a
// repeat to anyone else says the incident's current level. Real SQLite and PostgreSQL, the assembled app, a virtual clock.
import fs from 'node:fs';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { appExtensions } from '../src/http/extensions.js';
import { clearWecomAppTokenCache } from '../src/notify/channels/index.js';
import { startWecomAppFake, type WecomAppFake } from '../src/notify/channels/fakes/wecom-app-fake.js';
import { parseNotifyConfig, type PagingService } from '../src/notify/index.js';
import { advancePaging } from '../src/notify/testing.js';
import { importRoster } from '../src/people/importer.js';
import { SAMPLE_PEOPLE } from '../src/people/sample-roster.js';
import type { NormalisedSignal } from '../src/signals/types.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { T0, minutes, testPlatform, type TestPlatform } from './support/platform.js';

const sample = fs.readFileSync(new URL('../docs/samples/roster.xlsx', import.meta.url));
const PASSWORD = 'correct horse battery staple';
const WECOM = { corpId: 'wwlifelinetest', corpSecret: 'corp-secret-0123456789', agentId: 1000002 };
const iso = (ms: number) => new Date(ms).toISOString();
const hisDown: NormalisedSignal = { source: 'zabbix', system: 'HIS', component: 'db', severity: 'red', status: 'firing', summary: 'HIS 数据库服务中断', dedupKey: 'zbx-his' };
type Session = { cookie: string; csrf: string };

const cookieOf = (res: LightMyRequestResponse) => String([res.headers['set-cookie']].flat()[0]).split(';')[0]!;

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`one person on ${dialect}`, () => {
    let p: TestPlatform;
    let app: FastifyInstance;
    let paging: PagingService;
    let wecom: WecomAppFake;

    beforeEach(async () => {
      clearWecomAppTokenCache();
      wecom = await startWecomAppFake({ ...WECOM, users: SAMPLE_PEOPLE.map((x) => x.wecom) });
      const config = parseNotifyConfig({ channels: { wecom: { kind: 'wecom-app', config: { ...WECOM, endpoint: wecom.url } } }, routing: { default: ['wecom'] } });
      p = await testPlatform(dialect, undefined, { notify: config, secret: 'test-secret-0123456789' });
      paging = p.paging;
      app = await buildApp(p, { logger: false, auth: true, extensions: appExtensions });
      await app.ready();
      await paging.start();
    });
    afterEach(async () => {
      await app.close();
      await p.dispose();
      await wecom.close();
    });

    const importSample = async () => {
      const report = await importRoster(p.db, paging.people.store, p.plan, sample, { filename: 'roster.xlsx' });
      expect(report).toMatchObject({ applied: true, errors: [] });
      return report;
    };
    const addUser = (username: string, role: string, extra: { name?: string; personId?: string } = {}) => p.auth.accounts.addUser({ username, password: PASSWORD, role, ...extra });
    const signIn = async (username: string): Promise<Session> => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
      expect(res.statusCode, res.body).toBe(200);
      return { cookie: cookieOf(res), csrf: res.json().csrfToken };
    };
    const as = (s: Session, method: InjectOptions['method'], url: string, payload?: object) =>
      app.inject({ method, url, headers: { cookie: s.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': s.csrf }) }, ...(payload ? { payload } : {}) });
    const signal = async (s: NormalisedSignal) => {
      await p.signals.append([{ ...s, at: iso(p.clock.now()) }]);
      await p.engine.processPending();
      await paging.worker.idle();
      return (await p.incidents.list({ state: 'all' }))[0]!.id;
    };
    const wecomTo = (user: string) => wecom.requests.filter((r) => r.path === '/cgi-bin/message/send' && (r.json as { touser?: string }).touser === user).map((r) => r.content);
    const personId = async (no: string) => (await paging.people.store.find(no)).id;

    // The three places a person answers; each acknowledges for 张伟 (工号 1001, on duty Monday 09:00 as tech_oncall).
    const answers: Record<string, (incidentId: string) => Promise<void>> = {
      'the web app, signed in with the account linked to them': async (incidentId) => {
        const created = await addUser('1001', 'coordination', { name: '张伟（账号）' }); // linked on creation: the user name is his 工号
        expect(created.person).toEqual({ id: await personId('1001'), name: '张伟' });
        const session = await signIn('1001');
        expect((await as(session, 'GET', '/api/v1/session')).json().user.person).toEqual({ id: await personId('1001'), name: '张伟' });
        const res = await as(session, 'POST', `/api/v1/incidents/${incidentId}/actions`, { type: 'acknowledge' });
        expect(res.statusCode, res.body).toBe(200);
        // the account's own plan role is coordination_lead; the answer counts for the role he was paged for
        expect(res.json().obligations.find((o: { ruleId: string }) => o.ruleId === 'O3.1')).toMatchObject({ state: 'met', metBy: '张伟（账号）' });
      },
      'the ack link of his page': async () => {
        const token = /\/a\/([A-Za-z0-9_.-]+)/.exec(wecomTo('ZhangWei')[0]!)![1]!;
        const res = await app.inject({ method: 'POST', url: `/api/v1/ack/${token}`, payload: { action: 'acknowledge' } });
        expect(res.statusCode, res.body).toBe(200);
      },
      'the monitoring tool, its author naming him': async () => {
        await signal({ ...hisDown, dedupKey: 'zbx-his-ack', labels: { lifeline_ack: 'true', lifeline_ack_of: 'zbx-his', author: '张伟' }, summary: '已知，处理中' });
      },
    };

    for (const [where, answer] of Object.entries(answers)) {
      it(`an acknowledgement in ${where} stops his pages at once; the others' repeats say the current level`, async () => {
        await importSample();
        const id = await signal(hisDown);
        const pagedFor = async () => Object.fromEntries((await paging.pages(id)).map((x) => [`${x.person_id}:${x.step}`, x]));
        const zhang = await personId('1001');
        const chen = await personId('1005');
        // 张伟 is paged as tech_oncall; 陈静 (tech_lead, another role) is paged too
        expect((await paging.pages(id)).filter((x) => x.person_id === zhang).map((x) => `${x.step}:${x.role}`)).toEqual(['opened:tech_oncall']);
        expect((await paging.pages(id)).filter((x) => x.person_id === chen && x.role === 'tech_lead')).not.toEqual([]);
        expect(wecomTo('ZhangWei')).toHaveLength(1);

        await p.advance(minutes(2));
        await answer(id);
        const mine = (await pagedFor())[`${zhang}:opened`]!;
        expect(mine).toMatchObject({ state: 'acked', acked_at: T0 + minutes(2) });
        expect((await paging.deliveries(id)).filter((d) => d.personId === zhang && d.status === 'pending')).toEqual([]);
        const timeline = (await p.incidents.get(id)).timeline;
        expect(timeline.filter((t) => t.actor === '张伟' && (t.kind === 'page.acknowledged' || t.kind === 'page.answered'))).toHaveLength(1);

        // the level changes after the first round: the HQ raises it to L1
        await p.advance(minutes(1));
        await p.engine.act(id, { type: 'set_level', level: 'L1', reason: '演练：全院响应' }, '赵刚', 'commander');
        await advancePaging(p, paging, minutes(30));

        // several repeat intervals later: nothing more for 张伟, not a repeat nor anything queued
        expect(wecomTo('ZhangWei')).toHaveLength(1);
        const his = (await paging.deliveries(id)).filter((d) => d.personId === zhang);
        expect(his.map((d) => `${d.step}#${d.round}:${d.status}`)).toEqual(['opened#1:sent']);
        expect((await pagedFor())[`${zhang}:opened`]).toMatchObject({ state: 'acked', round: 1 });

        // 陈静 (tech_lead) never answered: her L2 page repeats, each repeat rendered from the incident as it is now
        const chens = wecomTo('ChenJing');
        const repeats = chens.filter((text) => /第[23]次呼叫/.test(text!));
        expect(repeats.length).toBeGreaterThanOrEqual(2);
        for (const text of repeats) {
          expect(text).toContain('【一级】');
          // the level line says the level now; only the reason may recall that the page was for reaching 二级
          expect(text!.split('\n').find((l) => l.startsWith('级别'))).not.toContain('二级');
        }
        expect(chens[0]).toContain('【二级·暂定】');
      });
    }

    it('a monitoring tool acknowledgement whose author names nobody answers for whoever is on call for the role', async () => {
      await importSample();
      const id = await signal(hisDown);
      await p.advance(minutes(1));
      await signal({ ...hisDown, dedupKey: 'zbx-his-ack', labels: { lifeline_ack: 'true', lifeline_ack_of: 'zbx-his', author: 'ops-bot' } });
      const pages = await paging.pages(id);
      expect(pages.filter((x) => x.state === 'acked').map((x) => `${x.person_id}:${x.role}`)).toEqual([`${await personId('1001')}:tech_oncall`]);
      expect(pages.filter((x) => x.role !== 'tech_oncall' && x.person_id).every((x) => x.state === 'queued')).toBe(true);
    });

    it('an account not linked to anyone stops nobody’s pages', async () => {
      await importSample();
      const id = await signal(hisDown);
      await addUser('zhangwei', 'technical', { name: '张伟' }); // the user name is neither 工号 nor mobile
      const res = await as(await signIn('zhangwei'), 'POST', `/api/v1/incidents/${id}/actions`, { type: 'acknowledge' });
      expect(res.statusCode).toBe(200);
      const pages = (await paging.pages(id)).filter((x) => x.person_id);
      expect(pages.length).toBeGreaterThan(0);
      expect(pages.filter((x) => x.state === 'acked' || x.acked_at !== null)).toEqual([]);
    });

    it('a roster import links accounts by 工号 and by mobile; an ambiguous match links nothing and says so', async () => {
      await addUser('1002', 'technical'); // 李娜's 工号
      await addUser('13800000003', 'technical'); // 王强's mobile
      await addUser('1004', 'technical'); // 刘洋's 工号 …
      await addUser('13800000004', 'technical'); // … and his mobile: two accounts claim one person
      await addUser('nobody', 'viewer');
      expect((await p.auth.accounts.listUsers()).every((u) => u.person === null)).toBe(true); // nobody in the directory yet
      const report = await importSample();
      expect(report.accounts.linked.map((l) => `${l.username}→${l.person.name} by ${l.by}`).sort()).toEqual(['1002→李娜 by employee_no', '13800000003→王强 by mobile']);
      expect(report.accounts.unlinked.map((u) => u.username).sort()).toEqual(['1004', '13800000004']);
      expect(report.accounts.unlinked[0]!.message).toMatch(/2 accounts match 刘洋/);
      const linked = Object.fromEntries((await p.auth.accounts.listUsers()).map((u) => [u.username, u.person?.name ?? null]));
      expect(linked).toEqual({ '1002': '李娜', '13800000003': '王强', '1004': null, '13800000004': null, nobody: null });

      // one user name matching two people (one's 工号, the other's mobile) links nothing either
      const other = await paging.people.store.create({ name: '郑华', employeeNo: '13800000009' });
      const ambiguous = await addUser('13800000009', 'technical'); // 郑华's 工号 and 吴磊's mobile
      expect(ambiguous.person).toBeNull();
      expect(ambiguous.unlinked).toMatch(/2 people match/);
      // a second import changes nothing already decided
      expect((await importSample()).accounts.linked).toEqual([]);
      await p.auth.accounts.setPerson('13800000009', other.id);
      expect((await p.auth.accounts.userByRef('13800000009')).person).toEqual({ id: other.id, name: '郑华' });
    });

    it('an administrator links and unlinks an account; bad requests name the field', async () => {
      await importSample();
      await addUser('root', 'admin');
      const eng = await addUser('eng', 'technical');
      await addUser('1001', 'technical'); // linked to 张伟 on creation
      const admin = await signIn('root');
      const zhang = await personId('1001');
      const chen = await personId('1005');

      const list = (await as(admin, 'GET', '/api/v1/accounts')).json().items as { username: string; person: unknown }[];
      expect(list.find((a) => a.username === '1001')!.person).toEqual({ id: zhang, name: '张伟' });

      const linked = await as(admin, 'PATCH', `/api/v1/accounts/${eng.id}`, { personId: chen });
      expect(linked.statusCode, linked.body).toBe(200);
      expect(linked.json()).toMatchObject({ username: 'eng', person: { id: chen, name: '陈静' } });
      expect((await as(await signIn('eng'), 'GET', '/api/v1/session')).json().user.person).toEqual({ id: chen, name: '陈静' });
      // by user name too; the same link again is fine
      expect((await as(admin, 'PATCH', '/api/v1/accounts/eng', { personId: chen })).statusCode).toBe(200);

      const unknown = await as(admin, 'PATCH', `/api/v1/accounts/${eng.id}`, { personId: 'per_nobody' });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(unknown.json()).toMatchObject({ code: 'PERSON_NOT_FOUND', errors: [expect.objectContaining({ path: 'personId' })] });

      const taken = await as(admin, 'PATCH', `/api/v1/accounts/${eng.id}`, { personId: zhang });
      expect(taken.statusCode).toBe(409);
      expect(taken.json()).toMatchObject({ code: 'PERSON_ALREADY_LINKED', errors: [expect.objectContaining({ path: 'personId' })] });

      const missing = await as(admin, 'PATCH', `/api/v1/accounts/${eng.id}`, {});
      expect(missing.statusCode).toBe(400);
      expect(missing.json().errors).toEqual([expect.objectContaining({ path: 'personId' })]);
      expect((await as(admin, 'PATCH', `/api/v1/accounts/${eng.id}`, { personId: chen, role: 'admin' })).statusCode).toBe(400);
      expect((await as(admin, 'PATCH', '/api/v1/accounts/usr_nobody', { personId: chen })).statusCode).toBe(404);

      // only the directory's keepers may link: a technician may not, not even himself
      const self = await as(await signIn('1001'), 'PATCH', `/api/v1/accounts/${eng.id}`, { personId: null });
      expect(self.statusCode).toBe(403);

      const unlinked = await as(admin, 'PATCH', `/api/v1/accounts/${eng.id}`, { personId: null });
      expect(unlinked.json().person).toBeNull();
      // 陈静 is free again, for another account
      expect((await as(admin, 'PATCH', '/api/v1/accounts/1001', { personId: chen })).json().person).toEqual({ id: chen, name: '陈静' });
    });
  });
}
