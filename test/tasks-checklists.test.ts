import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/http/app.js';
import { routeSets } from '../src/http/extensions.js';
import type { NormalisedSignal } from '../src/signals/types.js';
import { loadDefaultPlan } from '../src/plan/load.js';
import { checklistItemsFor } from '../src/tasks/index.js';
const iso = (ms: number) => new Date(ms).toISOString();
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { minutes, testPlatform, type TestPlatform } from './support/platform.js';

const hisDown: NormalisedSignal = { source: 'zabbix', system: 'HIS', component: 'db', severity: 'red', status: 'firing', summary: 'HIS 数据库服务中断', dedupKey: 'zbx-tasks' };

describe('checklistItemsFor (pure)', () => {
  const plan = loadDefaultPlan();
  const ids = (level: 'L1' | 'L2' | 'L3', scenario: string | null, state: 'responding' | 'recovering' | 'closed' = 'responding') =>
    checklistItemsFor(plan, { level, scenario, state }).map((i) => i.id);

  it('takes the bands at or below the level, any_level, and recovery once recovering', () => {
    const l3 = ids('L3', null);
    expect(l3).toContain('T3.1');
    expect(l3).toContain('G.1');
    expect(l3).not.toContain('T2.1');
    const l1 = ids('L1', 'HARDWARE');
    for (const id of ['T3.1', 'T2.1', 'T1.1', 'B2.1', 'B1.1', 'P1.1', 'G.3']) expect(l1).toContain(id);
    expect(l1).not.toContain('BR.1');
    expect(ids('L2', null, 'recovering')).toContain('BR.1');
  });

  it('keeps the CYBER-only item T1.2 for CYBER L1 incidents only', () => {
    expect(ids('L1', 'CYBER')).toContain('T1.2');
    expect(ids('L1', 'HARDWARE')).not.toContain('T1.2');
    expect(ids('L1', null)).not.toContain('T1.2');
    expect(ids('L2', 'CYBER')).not.toContain('T1.2');
  });
});

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`incident checklists over HTTP (${dialect})`, () => {
    let p: TestPlatform;
    let app: FastifyInstance;
    beforeEach(async () => {
      p = await testPlatform(dialect);
      app = await buildApp(p, { logger: false, extensions: [routeSets.checklists] });
    });
    afterEach(async () => {
      await app.close();
      await p.dispose();
    });

    const openHis = async () => {
      await p.signals.append([{ ...hisDown, at: iso(p.clock.now()) }]);
      await p.engine.processPending();
      const [incident] = await p.incidents.list({ state: 'all' });
      return incident;
    };
    type Group = {
      group: string;
      name: { zh: string; en: string };
      items: { id: string; itemId: string; band: string; text: { zh: string; en: string }; assignee: string | null; doneAt: string | null; doneBy: string | null; dueAt?: string }[];
    };
    const lists = async (id: string): Promise<Group[]> => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/incidents/${id}/checklists` });
      expect(res.statusCode).toBe(200);
      return res.json().groups;
    };
    const itemIds = (groups: Group[], group: string) => groups.find((g) => g.group === group)?.items.map((i) => i.itemId) ?? [];

    it('an L2 HIS incident has the tech L3 and L2 items but no L1 items; reading twice adds nothing', async () => {
      const incident = await openHis();
      expect(incident.level).toBe('L2');
      const groups = await lists(incident.id);
      const tech = itemIds(groups, 'tech');
      expect(tech).toEqual(['T3.1', 'T3.2', 'T3.3', 'T3.4', 'T2.1', 'T2.2', 'T2.3', 'T2.4']);
      expect(groups.find((g) => g.group === 'tech')!.name.en).toBe('Technical support group');
      expect(itemIds(groups, 'coordination')).not.toContain('B1.1');
      expect(itemIds(groups, 'logistics')).toEqual(['G.1', 'G.2', 'G.3']);
      const t31 = groups[0].items[0];
      expect(t31).toMatchObject({ itemId: 'T3.1', band: 'L3', assignee: null, doneAt: null, doneBy: null, text: { en: 'acknowledge the alarm and take the incident' } });
      expect(t31.dueAt).toBe(new Date(Date.parse(incident.detectedAt) + minutes(5)).toISOString());
      const again = await lists(incident.id);
      expect(again.flatMap((g) => g.items.map((i) => i.id))).toEqual(groups.flatMap((g) => g.items.map((i) => i.id)));
    });

    it('a CYBER incident at L1 gets T1.2; the same incident before L1 does not', async () => {
      const incident = await openHis();
      await p.engine.recordImpact(incident.id, { scenario: 'CYBER' }, 'tester');
      expect(itemIds(await lists(incident.id), 'tech')).not.toContain('T1.2');
      await p.engine.act(incident.id, { type: 'set_level', level: 'L1', reason: 'ransomware' }, 'tester');
      const tech = itemIds(await lists(incident.id), 'tech');
      expect(tech).toContain('T1.1');
      expect(tech).toContain('T1.2');
    });

    it('ticks, assigns and unticks a plain item with timeline entries and incident.updated events (T3.4; items that are obligations: test/response-duties.test.ts)', async () => {
      const incident = await openHis();
      const events: { type: string; incidentId?: string }[] = [];
      p.bus.subscribe((e) => events.push(e));
      await p.advance(minutes(2));
      const zhang = await p.people.store.create({ name: '张工', department: '信息中心' });
      const done = await app.inject({ method: 'POST', url: `/api/v1/incidents/${incident.id}/checklists/T3.4`, payload: { done: true, assignee: zhang.id } });
      expect(done.statusCode).toBe(200);
      expect(done.json()).toMatchObject({ itemId: 'T3.4', doneBy: 'api', assignee: zhang.id, assigneeName: '张工', doneAt: iso(p.clock.now()) });
      const item = (await lists(incident.id))[0].items.find((x: { itemId: string }) => x.itemId === 'T3.4');
      expect(item).toMatchObject({ itemId: 'T3.4', doneBy: 'api', assignee: zhang.id, assigneeName: '张工' });
      expect(events.some((e) => e.type === 'incident.updated' && e.incidentId === incident.id)).toBe(true);
      let timeline = (await p.incidents.get(incident.id)).timeline;
      expect(timeline.find((t) => t.kind === 'checklist.done')).toMatchObject({ actor: 'api', data: { item: 'T3.4', group: 'tech' } });
      expect(timeline.find((t) => t.kind === 'checklist.assigned')).toMatchObject({ data: { item: 'T3.4', assignee: '张工', assigneeId: zhang.id } });

      const repeat = await app.inject({ method: 'POST', url: `/api/v1/incidents/${incident.id}/checklists/T3.4`, payload: { done: true } });
      expect(repeat.statusCode).toBe(200);
      timeline = (await p.incidents.get(incident.id)).timeline;
      expect(timeline.filter((t) => t.kind === 'checklist.done')).toHaveLength(1);

      const undone = await app.inject({ method: 'POST', url: `/api/v1/incidents/${incident.id}/checklists/T3.4`, payload: { done: false, assignee: null } });
      expect(undone.json()).toMatchObject({ doneAt: null, doneBy: null, assignee: null });
      timeline = (await p.incidents.get(incident.id)).timeline;
      expect(timeline.some((t) => t.kind === 'checklist.undone')).toBe(true);
    });

    it('answers 400 naming the field for a bad body, 404 for an unknown item or incident', async () => {
      const incident = await openHis();
      const bad = await app.inject({ method: 'POST', url: `/api/v1/incidents/${incident.id}/checklists/T3.1`, payload: { done: 'yes' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.headers['content-type']).toMatch(/problem\+json/);
      expect(bad.json().errors[0].path).toBe('done');
      const extra = await app.inject({ method: 'POST', url: `/api/v1/incidents/${incident.id}/checklists/T3.1`, payload: { assignee: 5 } });
      expect(extra.json().errors[0].path).toBe('assignee');
      const l1Item = await app.inject({ method: 'POST', url: `/api/v1/incidents/${incident.id}/checklists/T1.1`, payload: { done: true } });
      expect(l1Item.statusCode).toBe(404);
      const unknown = await app.inject({ method: 'POST', url: `/api/v1/incidents/${incident.id}/checklists/NOPE`, payload: { done: true } });
      expect(unknown.statusCode).toBe(404);
      const noIncident = await app.inject({ method: 'GET', url: '/api/v1/incidents/inc_missing/checklists' });
      expect(noIncident.statusCode).toBe(404);
    });
  });
}
