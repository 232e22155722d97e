import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/http/app.js';
import { routeSets } from '../src/http/extensions.js';
import { parseOnCall } from '../src/downtime/kit-routes.js';
import { sampleRosterWorkbook } from '../src/people/sample-roster.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { T0, minutes, testPlatform, type TestPlatform } from './support/platform.js';

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`downtime HTTP API on ${dialect}`, () => {
    let p: TestPlatform;
    let app: FastifyInstance;
    let incidentId: string;
    beforeEach(async () => {
      p = await testPlatform(dialect);
      app = await buildApp(p, { logger: false, extensions: [routeSets.downtime] });
      incidentId = await p.engine.openIncident({ title: 'HIS down', systems: [{ system: 'HIS', state: 'down' }] }, 'tech_oncall');
    });
    afterEach(async () => {
      await app.close();
      await p.dispose();
    });
    const post = async (url: string, payload: unknown = {}) => app.inject({ method: 'POST', url, payload: payload as object });
    const get = async (url: string) => app.inject({ method: 'GET', url });

    it('runs manual mode end to end over HTTP, with the closure gate in problem+json', async () => {
      const catalogue = (await get('/api/v1/downtime/catalogue')).json();
      expect(catalogue.businessLines.map((b: { id: string }) => b.id)).toContain('pharmacy');
      expect(catalogue.forms).toHaveLength(10);
      const overview = (await get(`/api/v1/incidents/${incidentId}/downtime`)).json();
      expect(overview.proposals.length).toBeGreaterThan(10);

      const bad = await post(`/api/v1/incidents/${incidentId}/downtime/sessions`, { businessLine: 'registration' });
      expect(bad.statusCode).toBe(400);
      expect(bad.headers['content-type']).toMatch(/problem\+json/);
      expect(bad.json().errors[0].path).toBe('department');
      const started = await post(`/api/v1/incidents/${incidentId}/downtime/sessions`, { businessLine: 'registration', department: 'OPD_REG', by: 'liaison' });
      expect(started.statusCode).toBe(201);
      const sid = started.json().id;
      expect(started.json().checklist.filter((c: { band: string }) => c.band === 'during')).toHaveLength(4);

      const block = (await post('/api/v1/downtime/blocks', { kind: 'mrn', start: 1, end: 100, department: 'OPD_REG', window: '1' })).json();
      expect(block).toMatchObject({ first: 'TM000001', last: 'TM000100', left: 100 });
      const issued = await post(`/api/v1/downtime/blocks/${block.id}/issue`, { count: 3, sessionId: sid, by: 'liaison' });
      expect(issued.statusCode).toBe(201);
      const numbers = issued.json().items;
      const printed = (await post('/api/v1/downtime/forms', { type: 'registration_slip', numbers: numbers.map((n: { id: string }) => n.id), sessionId: sid })).json();
      expect(printed.items.map((f: { number: string }) => f.number)).toEqual(['TM000001', 'TM000002', 'TM000003']);
      const html = await get(printed.printUrl);
      expect(html.headers['content-type']).toMatch(/text\/html/);
      for (const f of printed.items) expect(html.body).toContain(f.serial);
      expect(html.body.match(/<svg/g)?.length).toBe(3);
      expect(html.body).toContain('@page { size: A5 portrait');
      expect((await get(`${printed.printUrl}?paper=A4`)).body).toContain('@page { size: A4 landscape');

      const closing = await post(`/api/v1/incidents/${incidentId}/actions`, { type: 'close', reason: 'done', by: 'commander' });
      expect(closing.statusCode).toBe(409);
      expect(closing.headers['content-type']).toMatch(/problem\+json/);
      expect(closing.json()).toMatchObject({ code: 'INCIDENT_CLOSE_BLOCKED', errors: [{ path: 'close' }] });
      expect(closing.json().detail).toMatch(/still open: 挂号\/Registration @ 门诊挂号收费处 \(OPD_REG\) is active/);

      await p.clock.advance(minutes(40));
      await post(`/api/v1/incidents/${incidentId}/actions`, { type: 'restore', by: 'tech_oncall' });
      expect((await post(`/api/v1/downtime/sessions/${sid}/state`, { to: 'recovery' })).statusCode).toBe(200);
      expect((await post(`/api/v1/downtime/sessions/${sid}/state`, { to: 'back_entry' })).json().state).toBe('back_entry');
      for (const [k, f] of printed.items.entries()) {
        const reg = await post('/api/v1/downtime/items', { serial: f.serial.toLowerCase(), eventAt: new Date(T0 + minutes(5)).toISOString(), by: 'clerk' });
        expect(reg.statusCode).toBe(201);
        const entered = await post(`/api/v1/downtime/items/${reg.json().id}/enter`, { hospitalId: `P-${k}`, by: 'clerk' });
        expect(entered.json()).toMatchObject({ state: 'entered', enteredBy: 'clerk', lateEntry: true });
        const same = await post(`/api/v1/downtime/items/${reg.json().id}/verify`, { by: 'clerk' });
        expect(same.statusCode).toBe(409);
        expect(same.json().code).toBe('SAME_PERSON');
        expect((await post(`/api/v1/downtime/items/${reg.json().id}/verify`, { by: 'checker' })).json().state).toBe('verified');
      }
      const rec = await post(`/api/v1/downtime/sessions/${sid}/reconcile`, { by: 'lead' });
      expect(rec.json()).toMatchObject({ state: 'reconciled', progress: { total: 3, verified: 3, open: 0 } });
      expect(rec.json().checks.every((c: { ok: boolean }) => c.ok)).toBe(true);
      expect((await post(`/api/v1/incidents/${incidentId}/actions`, { type: 'close', by: 'commander' })).statusCode).toBe(200);

      const lookup = (await get(`/api/v1/downtime/forms/${printed.items[0].serial}`)).json();
      expect(lookup.item).toMatchObject({ state: 'verified', hospitalId: 'P-0', verifiedBy: 'checker' });
      const exported = (await get(`/api/v1/downtime/export?incident=${incidentId}`)).json();
      expect(exported.items).toHaveLength(3);
      expect(exported.items[0].retainUntil).toBe(new Date(T0 + minutes(5) + 15 * 365 * 86_400_000).toISOString());
      expect(exported.reconciliations).toHaveLength(1);
    });

    it('never deletes: DELETE/PUT/PATCH answer 405 problem+json, and rows stay', async () => {
      const started = (await post(`/api/v1/incidents/${incidentId}/downtime/sessions`, { businessLine: 'pharmacy', department: 'OPD_PHARMACY' })).json();
      for (const url of [`/api/v1/downtime/sessions/${started.id}`, `/api/v1/incidents/${incidentId}/downtime`, '/api/v1/downtime/blocks/x', '/api/v1/downtime/items/x']) {
        const res = await app.inject({ method: 'DELETE', url });
        expect(res.statusCode, url).toBe(405);
        expect(res.json()).toMatchObject({ code: 'RETAINED_NEVER_DELETED' });
      }
      expect((await get(`/api/v1/downtime/sessions/${started.id}`)).statusCode).toBe(200);
    });

    it('records the tally per department and feeds the incident grading', async () => {
      const res = await post(`/api/v1/incidents/${incidentId}/downtime/tally`, { department: 'LAB', counts: { emergency: 30, inpatient: 25, critically_ill: 3 } });
      expect(res.json().tallies).toEqual({ emergency: 30, inpatient: 25 });
      expect((await get(`/api/v1/incidents/${incidentId}`)).json().tallies).toEqual({ emergency: 30, inpatient: 25 });
      expect((await post(`/api/v1/incidents/${incidentId}/downtime/tally`, { department: 'LAB', counts: { zombies: 1 } })).statusCode).toBe(400);
    });

    it('serves the offline kit (stable serials for a day) and the HQ waiver', async () => {
      const index = await get('/downtime-kit/');
      expect(index.statusCode).toBe(200);
      expect(index.body).toContain('data-testid="kit-generated"');
      expect(index.body).toContain('未取得值班表'); // no on-call route here: said so
      const kit = (await get('/downtime-kit/kit.json')).json();
      expect(kit.files).toContain('forms/registration_slip.html');
      const form = await get('/downtime-kit/forms/registration_slip.html');
      expect(form.body).toContain(`RG-${kit.kit}-01`);
      expect((await get('/downtime-kit/kit.json')).json().kit).toBe(kit.kit);
      await p.clock.advance(25 * 60 * minutes(1));
      expect((await get('/downtime-kit/kit.json')).json().kit).not.toBe(kit.kit);
      expect((await get('/downtime-kit/forms/nope.html')).statusCode).toBe(404);

      await post(`/api/v1/incidents/${incidentId}/downtime/sessions`, { businessLine: 'pharmacy', department: 'OPD_PHARMACY' });
      const w = await post(`/api/v1/incidents/${incidentId}/downtime/waiver`, { reason: 'paper kept by pharmacy, entered by hand later', by: 'commander' });
      expect(w.json()).toMatchObject({ waived: 1, overview: { openForClose: [] } });
      expect((await post(`/api/v1/incidents/${incidentId}/actions`, { type: 'close', reason: 'restored', by: 'commander' })).statusCode).toBe(200);
    });
  });
}

describe('on-call parsing for the kit', () => {
  it('reads lists and { items } with person objects, names or nobody', () => {
    expect(
      parseOnCall({ items: [{ role: 'tech_oncall', person: { id: 'p1', name: '李工', phone: '13800000000' }, until: '2026-03-02T18:00:00+08:00', deputies: [{ id: 'p2', name: '王工' }] }] }),
    ).toEqual([{ role: 'tech_oncall', roleName: undefined, name: '李工', phone: '13800000000', until: '2026-03-02T18:00:00+08:00', personId: 'p1', deputyIds: ['p2'], deputies: [{ name: '王工' }] }]);
    expect(parseOnCall([{ role: 'commander', person: '王院长' }, { role: 'hq_member', person: null }, 7]).map((c) => c.name)).toEqual(['王院长', '—']);
    expect(parseOnCall('nope')).toEqual([]);
  });
});

describe('the kit with the people directory', () => {
  it('lists who is on duty now with their phone numbers and deputies', async () => {
    const p = await testPlatform('sqlite');
    const app = await buildApp(p, { logger: false, extensions: [routeSets.downtime, routeSets.people, routeSets.paging] });
    try {
      const imported = await app.inject({
        method: 'POST',
        url: '/api/v1/people/import',
        headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
        payload: await sampleRosterWorkbook('2026-03-02'),
      });
      expect(imported.statusCode).toBeLessThan(300);
      const index = (await app.inject({ method: 'GET', url: '/downtime-kit/index.html' })).body;
      expect(index).toContain('赵刚'); // the commander (role holder)
      expect(index).toContain('13800000007');
      expect(index).toContain('张伟'); // on duty on the Monday of the sample week
      expect(index).toMatch(/13800000005/); // a deputy's number
    } finally {
      await app.close();
      await p.dispose();
    }
  });
});
