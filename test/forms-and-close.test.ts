// Forms that refuse bad input, long titles, checklist assignees from the people directory, the blocked close as a
// code with params, and manual mode's close rule — over a real Fastify app on real SQLite with a virtual clock.
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { printForms } from '../src/downtime/forms.js';
import { startSession } from '../src/downtime/sessions.js';
import { buildApp } from '../src/http/app.js';
import { routeSets } from '../src/http/extensions.js';
import { TITLE_MAX } from '../src/incidents/engine.js';
import { minutes, testPlatform, type TestPlatform } from './support/platform.js';

describe('forms and the close gate over HTTP (sqlite)', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let incidentId: string;
  beforeEach(async () => {
    p = await testPlatform('sqlite');
    app = await buildApp(p, { logger: false, extensions: [routeSets.checklists, routeSets.downtime] });
    incidentId = await p.engine.openIncident({ title: 'HIS 数据库宕机', systems: [{ system: 'HIS', state: 'down' }] }, 'tech_oncall');
  });
  afterEach(async () => {
    await app.close();
    await p.dispose();
  });
  const post = (url: string, payload: unknown = {}) => app.inject({ method: 'POST', url, payload: payload as object });
  const get = (url: string) => app.inject({ method: 'GET', url });

  it('refuses a negative, fractional or non-numeric patient tally with 400 naming the field, and stores nothing', async () => {
    for (const bad of [-5, 2.5, 'abc']) {
      const res = await post(`/api/v1/incidents/${incidentId}/impact`, { tally: { emergency: bad }, scope: 'department' });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json().errors.map((e: { path: string }) => e.path)).toContain('tally.emergency');
    }
    const after = (await get(`/api/v1/incidents/${incidentId}`)).json();
    expect(after.tallies.emergency ?? null).toBeNull();
    expect(after.scope).toBe('hospital_wide'); // the refused request changed nothing
    // the engine refuses it too (scenarios, the CLI and drills call it directly)
    await expect(p.engine.recordImpact(incidentId, { tally: { emergency: -1 } }, 'x')).rejects.toMatchObject({ status: 400, code: 'TALLY_INVALID', issues: [{ path: 'tally.emergency' }] });
    expect((await post(`/api/v1/incidents/${incidentId}/impact`, { tally: { emergency: 12 } })).json().tallies.emergency).toBe(12);
  });

  it('shortens a 2,000-character signal summary as a title and keeps it whole on the timeline and in the signal', async () => {
    const summary = `HIS 核心数据库连接池耗尽 ${'x'.repeat(2000)}`;
    await p.signals.append([{ source: 'zabbix', system: 'PACS', component: 'db', severity: 'red', status: 'firing', summary, dedupKey: 'long-1', at: new Date(p.clock.now()).toISOString() }]);
    await p.engine.processPending();
    const opened = (await p.incidents.list({ state: 'all' })).find((i) => i.id !== incidentId)!;
    expect([...opened.title].length).toBe(TITLE_MAX);
    expect(opened.title.endsWith('…')).toBe(true);
    expect(summary.startsWith(opened.title.slice(0, -1))).toBe(true);
    const full = await p.incidents.get(opened.id);
    expect(full.timeline.find((t) => t.kind === 'incident.opened')?.data).toMatchObject({ summary });
    const signal = await p.db.selectFrom('signals').select('summary').where('dedup_key', '=', 'long-1').executeTakeFirst();
    expect(signal?.summary).toBe(summary);
  });

  it('assigns checklist items to people of the group only: picked by id, shown by name, anything else 400', async () => {
    const lead = await p.people.store.create({ name: '王主任', department: '信息中心' });
    const deputy = await p.people.store.create({ name: '李工', department: '信息中心' });
    const other = await p.people.store.create({ name: '赵护士长', department: '护理部' });
    await p.people.store.assign('tech_lead', [lead.id], [deputy.id]);
    await p.people.store.assign('publicity_lead', [other.id], []);
    const people = (await get(`/api/v1/incidents/${incidentId}/checklists/people`)).json().groups;
    expect(people.tech.map((x: { name: string }) => x.name)).toEqual(['王主任', '李工']);
    expect(people.tech[1]).toMatchObject({ id: deputy.id, deputy: true, roles: ['tech_lead'] });
    expect(people.tech.some((x: { id: string }) => x.id === other.id)).toBe(false);

    const ok = await post(`/api/v1/incidents/${incidentId}/checklists/T3.4`, { assignee: deputy.id, done: true });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ assignee: deputy.id, assigneeName: '李工' });
    const refused = await post(`/api/v1/incidents/${incidentId}/checklists/T3.4`, { assignee: '不存在的人', done: false });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'CHECKLIST_ASSIGNEE_UNKNOWN', errors: [{ path: 'assignee' }], params: { assignee: '不存在的人' } });
    const list = (await get(`/api/v1/incidents/${incidentId}/checklists`)).json().groups.find((g: { group: string }) => g.group === 'tech');
    expect(list.items.find((i: { itemId: string }) => i.itemId === 'T3.4')).toMatchObject({ assignee: deputy.id, assigneeName: '李工', doneBy: 'api' }); // nothing written
    const timeline = (await p.incidents.get(incidentId)).timeline.find((t) => t.kind === 'checklist.assigned');
    expect(timeline?.data).toMatchObject({ assignee: '李工', assigneeId: deputy.id });
  });

  it('refuses a close blocked by paper as INCIDENT_CLOSE_BLOCKED with ids and counts per session, once', async () => {
    const ctx = p.downtime;
    const reg = await startSession(ctx, incidentId, { businessLine: 'registration', department: 'OPD_REG' }, 'liaison');
    const empty = await startSession(ctx, incidentId, { businessLine: 'pharmacy', department: 'OPD_PHARMACY' }, 'liaison');
    await printForms(ctx, { type: 'registration_slip', count: 2, sessionId: reg }, 'liaison');
    const res = await post(`/api/v1/incidents/${incidentId}/actions`, { type: 'close', reason: '误报', by: 'commander' });
    expect(res.statusCode).toBe(409);
    const problem = res.json();
    expect(problem.code).toBe('INCIDENT_CLOSE_BLOCKED');
    expect(problem.params).toMatchObject({
      blocking: [reg],
      checks: ['forms_vs_entries'],
      [`line.${reg}`]: 'registration',
      [`department.${reg}`]: 'OPD_REG',
      [`state.${reg}`]: 'active',
      [`verified.${reg}`]: 0,
      [`total.${reg}`]: 0,
      [`checks.${reg}`]: ['forms_vs_entries'],
    });
    expect(problem.params[`state.${empty}`]).toBeUndefined(); // nothing issued: never blocks
    expect(problem.errors).toHaveLength(1);
    expect((await get(`/api/v1/incidents/${incidentId}`)).json().state).not.toBe('closed');
  });

  it('closes without a waiver when manual mode issued nothing, and ends the session with the incident', async () => {
    const ctx = p.downtime;
    const sid = await startSession(ctx, incidentId, { businessLine: 'pharmacy', department: 'OPD_PHARMACY' }, 'liaison');
    await p.advance(minutes(5));
    const closed = await post(`/api/v1/incidents/${incidentId}/actions`, { type: 'close', reason: '误报，未使用纸质单据', by: 'commander' });
    expect(closed.statusCode).toBe(200);
    expect(closed.json().state).toBe('closed');
    const session = (await get(`/api/v1/downtime/sessions/${sid}`)).json();
    expect(session.state).toBe('reconciled');
    expect(session.waivedAt ?? null).toBeNull();
    const timeline = (await p.incidents.get(incidentId)).timeline;
    expect(timeline.find((t) => t.kind === 'downtime.state')).toMatchObject({ actor: 'commander', data: { from: 'active', to: 'reconciled', businessLine: 'pharmacy' } });
    const log = await p.db.selectFrom('downtime_events').select(['kind', 'actor']).where('session_id', '=', sid).where('kind', '=', 'downtime.state').execute();
    expect(log).toEqual([{ kind: 'downtime.state', actor: 'commander' }]);
  });

  it('rolls the session back with a refused close (a responding incident needs a reason)', async () => {
    const sid = await startSession(p.downtime, incidentId, { businessLine: 'pharmacy', department: 'OPD_PHARMACY' }, 'liaison');
    const refused = await post(`/api/v1/incidents/${incidentId}/actions`, { type: 'close', by: 'commander' });
    expect(refused.statusCode).toBe(400);
    expect((await get(`/api/v1/downtime/sessions/${sid}`)).json().state).toBe('active');
  });
});
