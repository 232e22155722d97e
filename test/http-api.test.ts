import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/http/app.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { T0, minutes, testPlatform, type TestPlatform } from './support/platform.js';

const HIS = { source: 'zabbix', system: 'HIS', component: 'db', severity: 'red', status: 'firing', summary: 'HIS 数据库服务中断', dedupKey: 'z-1' };

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`HTTP API on ${dialect}`, () => {
    let p: TestPlatform;
    let app: FastifyInstance;
    beforeEach(async () => {
      p = await testPlatform(dialect);
      app = await buildApp(p, { logger: false });
    });
    afterEach(async () => {
      await app.close();
      await p.dispose();
    });

    const incidents = async () => (await app.inject({ method: 'GET', url: '/api/v1/incidents' })).json().items;

    it('accepts a signal with 202 once stored, and shows the incident', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/signals', payload: HIS });
      expect(res.statusCode).toBe(202);
      expect(res.json().accepted).toBe(1);
      await p.engine.processPending();
      const [incident] = await incidents();
      expect(incident).toMatchObject({ level: 'L2', provisional: true, state: 'responding' });
      expect(incident.obligations.filter((o: { ruleId: string }) => /^O3\./.test(o.ruleId)).map((o: { state: string; dueAt: string }) => [o.state, o.dueAt])).toEqual([
        ['pending', new Date(T0 + minutes(5)).toISOString()],
        ['pending', new Date(T0 + minutes(15)).toISOString()],
        ['pending', new Date(T0 + minutes(35)).toISOString()],
      ]);
    });

    it('rejects a malformed signal with problem+json naming the field, storing nothing', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/signals', payload: { ...HIS, severity: 'purple' } });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', errors: [{ path: 'severity' }] });
      const bad = await app.inject({ method: 'POST', url: '/api/v1/signals', headers: { 'content-type': 'application/json' }, payload: '{"source": ' });
      expect(bad.statusCode).toBe(400);
      expect(bad.headers['content-type']).toMatch(/problem\+json/);
      expect(await p.db.selectFrom('signals').selectAll().execute()).toHaveLength(0);
    });

    it('runs actions and impact changes, refusing bad ones with named fields', async () => {
      await app.inject({ method: 'POST', url: '/api/v1/signals', payload: HIS });
      await p.engine.processPending();
      const [{ id }] = await incidents();
      const ack = await app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/actions`, payload: { type: 'acknowledge', by: 'tech_oncall' } });
      expect(ack.statusCode).toBe(200);
      expect(ack.json().obligations.find((o: { ruleId: string }) => o.ruleId === 'O3.1').state).toBe('met');
      const noReason = await app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/actions`, payload: { type: 'set_level', level: 'L1', by: 'commander' } });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.json().errors[0].path).toBe('reason');
      const unknown = await app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/actions`, payload: { type: 'dance' } });
      expect(unknown.json()).toMatchObject({ status: 400, errors: [{ path: 'type' }] });
      const tally = await app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/impact`, payload: { tally: { zombies: 3 } } });
      expect(tally.statusCode).toBe(400);
      expect(tally.json().errors[0].path).toMatch(/^tally/);
      const impact = await app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/impact`, payload: { scope: 'department', tally: { emergency: 12 } } });
      expect(impact.json()).toMatchObject({ scope: 'department', tallies: { emergency: 12 } });
      const missing = await app.inject({ method: 'GET', url: '/api/v1/incidents/inc_nope' });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().code).toBe('INCIDENT_NOT_FOUND');
    });

    it('opens an incident by hand (staff report) and validates its systems', async () => {
      const bad = await app.inject({ method: 'POST', url: '/api/v1/incidents', payload: { title: '挂号慢', systems: ['NOPE'] } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].path).toBe('systems');
      const res = await app.inject({ method: 'POST', url: '/api/v1/incidents', payload: { title: '三楼医生工作站登录缓慢', systems: [{ system: 'HIS', state: 'degraded' }], scope: 'floor' } });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ level: 'L3', provisional: false, scope: 'floor' });
    });

    it('maps an unmapped signal to a system, which then opens an incident', async () => {
      await app.inject({ method: 'POST', url: '/api/v1/signals', payload: { ...HIS, system: undefined, host: 'his-db-01' } });
      await p.engine.processPending();
      const unmapped = (await app.inject({ method: 'GET', url: '/api/v1/signals?unmapped=true' })).json().items;
      expect(unmapped).toHaveLength(1);
      const mapped = await app.inject({ method: 'POST', url: `/api/v1/signals/${unmapped[0].id}/map`, payload: { system: 'HIS' } });
      expect(mapped.statusCode).toBe(200);
      expect(mapped.json().outcome).toBe('opened');
      expect(await incidents()).toHaveLength(1);
    });

    it('reports database and scheduler state on /healthz and the plan on /api/v1/plan', async () => {
      const health = await app.inject({ method: 'GET', url: '/healthz' });
      expect(health.json()).toMatchObject({ status: 'ok', database: { ok: true, kind: dialect }, scheduler: { pendingWakeups: 0 } });
      const plan = (await app.inject({ method: 'GET', url: '/api/v1/plan' })).json();
      expect(plan.levels.flatMap((l: { criteria: { id: string }[] }) => l.criteria.map((c) => c.id))).toEqual(['L1.a', 'L1.b', 'L1.c', 'L2.a', 'L2.b', 'L3.a']);
    });
  });
}
