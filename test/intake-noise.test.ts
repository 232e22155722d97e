import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/http/app.js';
import { routeSets } from '../src/http/extensions.js';
import { readJournal } from '../src/intake/journal/signal-log.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { T0, minutes, testPlatform, type TestPlatform } from './support/platform.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** An Alertmanager webhook body with one alert per label set. */
function amBody(status: 'firing' | 'resolved', alerts: Record<string, string>[], at: number) {
  return {
    version: '4',
    status,
    receiver: 'lifeline',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://am',
    alerts: alerts.map((labels, i) => ({
      status,
      labels: { severity: 'critical', ...labels },
      annotations: { summary: `${labels.alertname} ${i}` },
      startsAt: iso(at),
      endsAt: status === 'resolved' ? iso(at) : '0001-01-01T00:00:00Z',
      fingerprint: `fp-${Object.values(labels).join('-')}`,
    })),
  };
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`noise control on ${dialect}`, () => {
    let p: TestPlatform;
    let app: FastifyInstance;
    let key: string;
    beforeEach(async () => {
      p = await testPlatform(dialect);
      app = await buildApp(p, { logger: false, extensions: [routeSets.intake] });
      key = (await app.inject({ method: 'POST', url: '/api/v1/sources', payload: { name: 'prom', type: 'alertmanager' } })).json().key;
    });
    afterEach(async () => {
      await app.close();
      await p.dispose();
    });

    const post = async (body: unknown) => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/intake/alertmanager', headers: { authorization: `Bearer ${key}` }, payload: body as object });
      expect(res.statusCode, res.body).toBe(202);
      await p.engine.processPending();
    };
    const incidents = async (state = 'all') => (await app.inject({ method: 'GET', url: `/api/v1/incidents?state=${state}` })).json().items;
    const outcomes = async () => (await p.db.selectFrom('signals').select('outcome').orderBy('id').execute()).map((r) => r.outcome);
    const close = async (id: string) => {
      const res = await app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/actions`, payload: { type: 'close', reason: 'done', by: 'commander' } });
      expect(res.statusCode, res.body).toBe(200);
    };
    const his = { alertname: 'HISDown', system: 'HIS' };

    it('maintenance window: firing signals of the system inside it are recorded as maintenance and open nothing', async () => {
      const bad = await app.inject({ method: 'POST', url: '/api/v1/maintenance', payload: { system: 'NOPE', duration: '1h', reason: 'x' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].path).toBe('system');
      const neither = await app.inject({ method: 'POST', url: '/api/v1/maintenance', payload: { system: 'HIS', reason: 'x' } });
      expect(neither.json().errors[0].path).toBe('endsAt');
      const created = await app.inject({ method: 'POST', url: '/api/v1/maintenance', payload: { system: 'HIS', startsAt: iso(T0 + minutes(10)), duration: '1h', reason: '数据库补丁', by: 'ops' } });
      expect(created.statusCode, created.body).toBe(201);
      const pacsDb = await app.inject({ method: 'POST', url: '/api/v1/maintenance', payload: { system: 'PACS', component: 'db', endsAt: iso(T0 + minutes(30)), reason: 'index rebuild' } });
      expect(pacsDb.statusCode).toBe(201);
      expect((await app.inject({ method: 'GET', url: '/api/v1/maintenance?state=active' })).json().items.map((w: { system: string }) => w.system)).toEqual(['PACS']);

      await p.advance(minutes(15));
      await post(amBody('firing', [his], p.clock.now()));
      await post(amBody('firing', [{ alertname: 'PACSdb', system: 'PACS', component: 'db' }], p.clock.now()));
      expect(await incidents()).toHaveLength(0);
      await post(amBody('firing', [{ alertname: 'PACSweb', system: 'PACS', component: 'web' }], p.clock.now())); // other component: not in maintenance
      expect(await outcomes()).toEqual(['maintenance', 'maintenance', 'opened']);

      // after the window (or once it is cancelled) the same alert opens an incident
      const cancel = await app.inject({ method: 'DELETE', url: `/api/v1/maintenance/${created.json().id}` });
      expect(cancel.json().cancelledAt).toBe(iso(p.clock.now()));
      await post(amBody('firing', [his], p.clock.now()));
      expect((await outcomes()).at(-1)).toBe('opened');
      expect((await incidents()).flatMap((i: { systems: { system: string }[] }) => i.systems.map((s) => s.system)).sort()).toEqual(['HIS', 'PACS']);
    });

    it('flapping while its incident is open: N state changes make one incident, not N', async () => {
      for (let i = 0; i < 10; i++) {
        await post(amBody(i % 2 ? 'resolved' : 'firing', [his], p.clock.now()));
        await p.advance(minutes(1));
      }
      const all = await incidents();
      expect(all).toHaveLength(1);
      expect(all[0].state).toBe('recovering');
      expect(await outcomes()).toEqual(['opened', ...Array(9).fill('attached')]);
    });

    it('flapping: an alert that keeps re-opening closed incidents re-opens its last one, marked flapping, never swallowed', async () => {
      const cycle = async () => {
        await post(amBody('firing', [his], p.clock.now()));
        await p.advance(minutes(1));
        await post(amBody('resolved', [his], p.clock.now()));
        const open = await incidents('open');
        for (const i of open) await close(i.id);
        await p.advance(minutes(1));
      };
      await cycle(); // opens #1
      await cycle(); // re-opens: #2
      await cycle(); // re-opens: #3
      expect(await incidents()).toHaveLength(3);
      await post(amBody('firing', [his], p.clock.now())); // a third re-opening within 30 min: flapping
      expect(await incidents()).toHaveLength(3);
      expect((await outcomes()).at(-1)).toBe('attached');
      const [reopened] = await incidents('open');
      const view = await p.incidents.get(reopened!.id);
      expect(view).toMatchObject({ state: 'responding', outage: 2, flapping: { reopens: 1 } });
      const relapsePages = await p.db.selectFrom('notify_pages').select('reason').where('incident_id', '=', reopened!.id).where('reason', '=', 'incident.relapsed').execute();
      expect(relapsePages).toHaveLength(1); // it reached the on-duty engineer
      await post(amBody('resolved', [his], p.clock.now()));
      await close(reopened!.id);

      await p.advance(minutes(31)); // quiet for longer than the window: it opens a new incident again
      await post(amBody('firing', [his], p.clock.now()));
      expect(await incidents()).toHaveLength(4);
      expect((await outcomes()).at(-1)).toBe('attached'); // the engine's word for a known alert on a (new) incident
    });

    it('an alert storm on one system makes one incident with many alerts', async () => {
      const storm = Array.from({ length: 300 }, (_, i) => ({ alertname: 'HISSlow', system: 'HIS', instance: `his-app-${i}:9100` }));
      await post(amBody('firing', storm.slice(0, 120), p.clock.now()));
      await post(amBody('firing', storm.slice(120), p.clock.now()));
      await post(amBody('firing', storm.slice(0, 50), p.clock.now())); // re-sends
      const [incident, ...rest] = await incidents();
      expect(rest).toHaveLength(0);
      const alerts = await p.db.selectFrom('alerts').select(['incident_id', 'status']).execute();
      expect(alerts).toHaveLength(300);
      expect(new Set(alerts.map((a) => a.incident_id))).toEqual(new Set([incident.id]));
      const counts: Record<string, number> = {};
      for (const o of await outcomes()) counts[o!] = (counts[o!] ?? 0) + 1;
      expect(counts).toEqual({ opened: 1, attached: 299 }); // the 50 exact re-sends change nothing and are not written again
      expect(await readJournal(p)).toHaveLength(300);
    });

    it('acknowledgement signals never open an incident', async () => {
      await post(amBody('firing', [{ ...his, lifeline_ack: 'true' }], p.clock.now()));
      expect(await incidents()).toHaveLength(0);
      expect(await outcomes()).toEqual(['acknowledged']);
    });
  });
}
