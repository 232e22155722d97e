// "My duties" (GET /api/v1/me/duties): what the signed-in person must do now across open incidents — their pending
// obligations (by the account's plan role, the roles they hold or stand in for, on duty now) and the checklist items
// assigned to them. The assembled app with sign-in, real SQLite, the sample roster, a virtual clock.
import fs from 'node:fs';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { appExtensions } from '../src/http/extensions.js';
import type { MyDutiesResponse } from '../src/http/routes/my-duties.js';
import { importRoster } from '../src/people/importer.js';
import { minutes, testPlatform, type TestPlatform } from './support/platform.js';

const sample = fs.readFileSync(new URL('../docs/samples/roster.xlsx', import.meta.url));
const PASSWORD = 'correct horse battery staple';
type Session = { cookie: string; csrf: string };
const cookieOf = (res: LightMyRequestResponse) => String([res.headers['set-cookie']].flat()[0]).split(';')[0]!;

describe('my duties', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let tech: Session;
  let hq: Session;
  let incidentId: string;

  const signIn = async (username: string): Promise<Session> => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
    expect(res.statusCode, res.body).toBe(200);
    return { cookie: cookieOf(res), csrf: res.json().csrfToken };
  };
  const as = (s: Session, method: InjectOptions['method'], url: string, payload?: object) =>
    app.inject({ method, url, headers: { cookie: s.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': s.csrf }) }, ...(payload ? { payload } : {}) });
  const duties = async (s: Session): Promise<MyDutiesResponse> => {
    const res = await as(s, 'GET', '/api/v1/me/duties');
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const keys = (d: MyDutiesResponse) => d.items.filter((i) => i.incident.id === incidentId).map((i) => `${i.kind}:${i.ruleId ?? ''}:${i.itemId ?? ''}`);

  beforeAll(async () => {
    p = await testPlatform('sqlite');
    app = await buildApp(p, { logger: false, auth: true, extensions: appExtensions });
    await app.ready();
    expect(await importRoster(p.db, p.people.store, p.plan, sample, { filename: 'roster.xlsx' })).toMatchObject({ applied: true, errors: [] });
    // 张伟 (工号 1001) is on duty as tech_oncall on Monday 2026-03-02 09:00 (T0); the user name links the account to him
    await p.auth.accounts.addUser({ username: '1001', password: PASSWORD, role: 'technical', name: '张伟' });
    await p.auth.accounts.addUser({ username: 'hq', password: PASSWORD, role: 'hq_member', name: '指挥部成员甲' });
    tech = await signIn('1001');
    hq = await signIn('hq');
    await p.signals.append([
      { source: 'zabbix', system: 'HIS', component: 'db', severity: 'red', status: 'firing', summary: 'HIS 数据库服务中断', dedupKey: 'zbx-his', at: new Date(p.clock.now()).toISOString() },
    ]);
    await p.engine.processPending();
    incidentId = (await p.incidents.list({ state: 'open' }))[0]!.id;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await p?.dispose();
  });

  it('shows the on-duty technician the acknowledgement (O3.1, item T3.1) of a new red incident, with its countdown', async () => {
    const mine = await duties(tech);
    expect(mine.person?.name).toBe('张伟');
    expect(mine.roles).toContainEqual({ role: 'tech_oncall', as: 'account' });
    expect(mine.roles).toContainEqual({ role: 'tech_lead', as: 'deputy' }); // 张伟 stands in for 陈静
    const ack = mine.items.find((i) => i.ruleId === 'O3.1' && i.incident.id === incidentId);
    expect(ack).toMatchObject({ kind: 'obligation', itemId: 'T3.1', evidence: 'acknowledge', breached: false, incident: { level: 'L2', drill: null } });
    expect(Date.parse(ack!.dueAt!)).toBe(p.clock.now() + minutes(5));
    expect(keys(mine)).toContain('obligation:O3.2:T3.2');
    // due first
    const dues = mine.items.map((i) => (i.dueAt ? Date.parse(i.dueAt) : Number.POSITIVE_INFINITY));
    expect(dues).toEqual([...dues].sort((a, b) => a - b));
  });

  it('does not show the HQ member the technician’s items', async () => {
    const theirs = await duties(hq);
    expect(theirs.person).toBeNull();
    expect(theirs.roles).toEqual([{ role: 'hq_member', as: 'account' }]);
    expect(keys(theirs).filter((k) => /O3\.|T3\./.test(k))).toEqual([]);
  });

  it('lists a checklist item assigned to the person, and only to them', async () => {
    const res = await as(hq, 'POST', `/api/v1/incidents/${incidentId}/checklists/T3.4`, { assignee: '张伟' });
    expect(res.statusCode, res.body).toBe(200);
    expect(keys(await duties(tech))).toContain('checklist::T3.4');
    expect(keys(await duties(hq))).not.toContain('checklist::T3.4');
  });

  it('drops the acknowledgement once he has acknowledged', async () => {
    await p.advance(minutes(1));
    const res = await as(tech, 'POST', `/api/v1/incidents/${incidentId}/actions`, { type: 'acknowledge' });
    expect(res.statusCode, res.body).toBe(200);
    const after = keys(await duties(tech));
    expect(after).not.toContain('obligation:O3.1:T3.1');
    expect(after).toContain('obligation:O3.2:T3.2'); // getting on site is still his
  });

  it('refuses without sign-in', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/me/duties' })).statusCode).toBe(401);
  });
});
