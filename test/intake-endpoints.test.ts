import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { buildApp } from '../src/http/app.js';
import { routeSets } from '../src/http/extensions.js';
import { fixture } from '../src/intake/formats/fixture.js';
import { readJournal } from '../src/intake/journal/signal-log.js';
import { journalFileFor } from '../src/intake/journal/store.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { T0, minutes, testPlatform, type TestPlatform } from './support/platform.js';

/** One row per endpoint: a valid body, a malformed one and the field the 400 must name. */
interface Endpoint {
  type: string;
  url: string;
  ok: () => unknown;
  okStatus: number;
  bad: () => unknown;
  field: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const ENDPOINTS: Endpoint[] = [
  {
    type: 'alertmanager',
    url: '/api/v1/intake/alertmanager',
    ok: () => fixture('alertmanager/firing.json'),
    okStatus: 202,
    bad: () => ({ ...fixture('alertmanager/firing.json'), alerts: [{ status: 'burning', labels: {} }] }),
    field: 'alerts[0].status',
  },
  { type: 'alertmanager-v2', url: '/api/v2/alerts', ok: () => fixture('alertmanager-v2/firing.json'), okStatus: 200, bad: () => [{ annotations: { summary: 'no labels' } }], field: '[0].labels' },
  { type: 'zabbix', url: '/api/v1/intake/zabbix', ok: () => fixture('zabbix/problem.json'), okStatus: 202, bad: () => ({ ...fixture('zabbix/problem.json'), event_value: '7' }), field: 'event_value' },
  {
    type: 'nagios',
    url: '/api/v1/intake/nagios',
    ok: () => fixture('nagios/service-problem.json'),
    okStatus: 202,
    bad: () => ({ ...fixture('nagios/service-problem.json'), host: '' }),
    field: 'host',
  },
  { type: 'grafana', url: '/api/v1/intake/grafana', ok: () => fixture('grafana/firing.json'), okStatus: 202, bad: () => ({ ...fixture('grafana/firing.json'), alerts: 'none' }), field: 'alerts' },
  { type: 'generic', url: '/api/v1/intake/generic', ok: () => fixture('generic/firing.json'), okStatus: 202, bad: () => ({ severity: 'red', system: 'HIS' }), field: 'summary' },
  {
    type: 'pagerduty',
    url: '/v2/enqueue',
    ok: () => fixture('pagerduty/alertmanager-trigger.json'),
    okStatus: 202,
    bad: () => ({ ...fixture('pagerduty/alertmanager-trigger.json'), event_action: 'explode' }),
    field: 'event_action',
  },
];

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`intake endpoints on ${dialect}`, () => {
    let p: TestPlatform;
    let app: FastifyInstance;
    beforeEach(async () => {
      p = await testPlatform(dialect);
      app = await buildApp(p, { logger: false, extensions: [routeSets.intake] });
      await app.ready();
    });
    afterEach(async () => {
      await app.close();
      await p.dispose();
    });

    const addSource = async (body: Record<string, unknown>): Promise<string> => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/sources', payload: body });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().key;
    };
    /** Posts `body` with the key where the format carries it (PagerDuty: routing_key; others: Bearer). */
    const send = (e: Endpoint, body: unknown, key?: string) => {
      let withKey = body;
      if (e.type === 'pagerduty' && typeof body === 'object' && body !== null) {
        const { routing_key: _, ...rest } = body as Record<string, unknown>;
        withKey = key === undefined ? rest : { ...rest, routing_key: key };
      }
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (key !== undefined && e.type !== 'pagerduty') headers.authorization = `Bearer ${key}`;
      return app.inject({ method: 'POST', url: e.url, headers, payload: JSON.stringify(withKey) });
    };
    /** What a 2xx promises: the signals are in the durable journal (admitted into `signals` by processing). */
    const journal = () => readJournal(p);
    const stored = async () => p.db.selectFrom('signals').selectAll().orderBy('id').execute();
    const incidents = async () => (await app.inject({ method: 'GET', url: '/api/v1/incidents' })).json().items;

    for (const e of ENDPOINTS) {
      it(`${e.url}: stores a valid body (2xx after commit), 400 names the field, 401 for a bad key; nothing stored for either`, async () => {
        const key = await addSource({ name: `src-${e.type}`, type: e.type });
        const good = await send(e, e.ok(), key);
        expect(good.statusCode, good.body).toBe(e.okStatus);
        const rows = await journal();
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.every((r) => r.source === `src-${e.type}`)).toBe(true);

        const before = rows.length;
        const bad = await send(e, e.bad(), key);
        expect(bad.statusCode, bad.body).toBe(400);
        expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(bad.json().errors.map((i: { path: string }) => i.path)).toContain(e.field);
        expect(bad.json().detail).toContain(e.field);

        const notJson = await app.inject({ method: 'POST', url: e.url, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, payload: '{"alerts": [' });
        expect(notJson.statusCode).toBe(400);
        expect(notJson.headers['content-type']).toMatch(/problem\+json/);
        const poisoned = await app.inject({
          method: 'POST',
          url: e.url,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          payload: '{"__proto__": {"admin": true}, "alerts": []}',
        });
        expect(poisoned.statusCode).toBe(400);
        expect(poisoned.headers['content-type']).toMatch(/problem\+json/);

        for (const wrong of ['not-a-key', undefined]) {
          const res = await send(e, e.ok(), wrong);
          expect(res.statusCode, res.body).toBe(401);
          expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
          expect(res.json()).toMatchObject({ status: 401, code: wrong ? 'INTAKE_KEY_INVALID' : 'INTAKE_KEY_MISSING' });
        }
        await app.inject({ method: 'DELETE', url: `/api/v1/sources/src-${e.type}` });
        const revoked = await send(e, e.ok(), key);
        expect(revoked.statusCode).toBe(401);
        expect(await journal()).toHaveLength(before);
        await p.engine.processPending();
        expect(await stored()).toHaveLength(before);
      });
    }

    it('a sender posting without a JSON content type is still read (and a non-JSON body is a 400 naming the body)', async () => {
      const key = await addSource({ name: 'zbx', type: 'zabbix' });
      const plain = await app.inject({
        method: 'POST',
        url: '/api/v1/intake/zabbix',
        headers: { 'content-type': 'text/plain', authorization: `Bearer ${key}` },
        payload: JSON.stringify(fixture('zabbix/problem.json')),
      });
      expect(plain.statusCode, plain.body).toBe(202);
      const junk = await app.inject({ method: 'POST', url: '/api/v1/intake/zabbix', headers: { 'content-type': 'text/plain', authorization: `Bearer ${key}` }, payload: 'event_id=1' });
      expect(junk.statusCode).toBe(400);
      expect(junk.json().errors[0].path).toBe('');
      const basic = await app.inject({
        method: 'POST',
        url: '/api/v1/intake/zabbix',
        headers: { authorization: `Basic ${Buffer.from(`lifeline:${key}`).toString('base64')}` },
        payload: fixture('zabbix/recovery.json'),
      });
      expect(basic.statusCode, basic.body).toBe(202);
      expect(await journal()).toHaveLength(2);
    });

    it('a transient storage fault answers 503 (the sender retries), never 2xx; the retry is stored', async () => {
      const key = await addSource({ name: 'prom', type: 'alertmanager' });
      const v2 = await addSource({ name: 'prom-v2', type: 'alertmanager-v2' });
      // the journal's table goes away: on SQLite in the journal's own file (written by its thread), else in the database
      const renameJournal = async (from: string, to: string) => {
        if (p.config.db.kind === 'postgres') return void (await sql.raw(`alter table ${from} rename to ${to}`).execute(p.db));
        const file = new SQLite(journalFileFor(p.config.db.file));
        file.exec(`alter table ${from} rename to ${to}`);
        file.close();
      };
      await p.signals.ready(); // the journal's threads have created its table
      await renameJournal('signal_batches', 'signal_batches_away');
      const down = await send(ENDPOINTS[0]!, fixture('alertmanager/firing.json'), key);
      expect(down.statusCode).toBe(503);
      expect(down.headers['content-type']).toMatch(/problem\+json/);
      await renameJournal('signal_batches_away', 'signal_batches');
      await sql`alter table am_alerts rename to am_alerts_away`.execute(p.db);
      expect((await send(ENDPOINTS[1]!, fixture('alertmanager-v2/firing.json'), v2)).statusCode).toBe(503);
      await sql`alter table am_alerts_away rename to am_alerts`.execute(p.db);
      expect(await journal()).toHaveLength(0);
      expect((await send(ENDPOINTS[0]!, fixture('alertmanager/firing.json'), key)).statusCode).toBe(202);
      expect(await journal()).toHaveLength(1);
    });

    it('an Alertmanager critical alert with system="HIS" opens a HIS incident at provisional L2; its resolve makes it recovering', async () => {
      const key = await addSource({ name: 'prom', type: 'alertmanager' });
      const e = ENDPOINTS[0]!;
      expect((await send(e, fixture('alertmanager/firing.json'), key)).statusCode).toBe(202);
      await p.engine.processPending();
      expect((await send(e, fixture('alertmanager/firing.json'), key)).statusCode).toBe(202); // a re-send changes nothing
      await p.engine.processPending();
      let [incident] = await incidents();
      expect(incident).toMatchObject({ level: 'L2', provisional: true, state: 'responding' });
      expect(incident.systems.map((s: { system: string }) => s.system)).toEqual(['HIS']);
      // the re-send repeats exactly the state the incident already holds: acknowledged, not written again
      expect(await journal()).toHaveLength(1);
      expect((await stored()).map((r) => r.outcome)).toEqual(['opened']);
      expect((await send(e, fixture('alertmanager/resolved.json'), key)).statusCode).toBe(202);
      await p.engine.processPending();
      [incident] = await incidents();
      expect(incident.state).toBe('recovering');
    });

    it("maps by the source's rules (first match wins), a plan system label directly, else stores it unmapped", async () => {
      const key = await addSource({
        name: 'gen',
        type: 'generic',
        severityMap: { P1: 'red', P3: 'yellow' },
        rules: [
          { match: { host: 'pacs-*' }, system: 'PACS', component: 'archive' },
          { match: { labels: { team: 'lab' }, host: '/^lis-\\d+$/' }, system: 'LIS' },
          { match: { hostGroup: 'Hospital/HIS*' }, system: 'HIS', component: 'app' },
          { match: { host: 'pacs-01' }, system: 'EMR' },
        ],
      });
      const post = (body: unknown) => app.inject({ method: 'POST', url: '/api/v1/intake/generic', headers: { authorization: `Bearer ${key}` }, payload: body as object });
      const res = await post({
        signals: [
          { summary: 'PACS archive full', host: 'PACS-01', severity: 'P1' },
          { summary: 'LIS 接口', host: 'lis-7', labels: { team: 'lab' }, severity: 'P3' },
          { summary: 'LIS wrong team', host: 'lis-7', labels: { team: 'ops' } },
          { summary: 'HIS app', host: 'x', labels: { host_groups: 'Linux servers, Hospital/HIS 应用' } },
          { summary: 'named', system: 'emr' },
          { summary: 'nobody knows', host: 'printer-3', dedupKey: 'printer-3' },
        ],
      });
      expect(res.statusCode, res.body).toBe(202);
      const rows = await journal();
      expect(rows.map((r) => [r.system, r.component, r.severity])).toEqual([
        ['PACS', 'archive', 'red'],
        ['LIS', '', 'yellow'],
        [null, '', 'orange'],
        ['HIS', 'app', 'orange'],
        ['EMR', '', 'orange'],
        [null, '', 'orange'],
      ]);
      await p.engine.processPending();
      const unmapped = (await app.inject({ method: 'GET', url: '/api/v1/signals?unmapped=true' })).json().items;
      expect(unmapped.map((s: { summary: string }) => s.summary).sort()).toEqual(['LIS wrong team', 'nobody knows']);
      const printer = unmapped.find((s: { summary: string }) => s.summary === 'nobody knows');
      const mapped = await app.inject({ method: 'POST', url: `/api/v1/signals/${printer.id}/map`, payload: { system: 'HIS' } });
      expect(mapped.json()).toMatchObject({ system: 'HIS', outcome: 'attached' });
    });

    it('rejects rules naming an unknown system, and duplicate source names', async () => {
      const bad = await app.inject({ method: 'POST', url: '/api/v1/sources', payload: { name: 'x', type: 'zabbix', rules: [{ match: { host: 'a' }, system: 'NOPE' }] } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].path).toBe('rules.0.system');
      const noMatch = await app.inject({ method: 'POST', url: '/api/v1/sources', payload: { name: 'x', type: 'zabbix', rules: [{ match: {}, system: 'HIS' }] } });
      expect(noMatch.json().errors[0].path).toBe('rules.0.match');
      await addSource({ name: 'x', type: 'zabbix' });
      expect((await app.inject({ method: 'POST', url: '/api/v1/sources', payload: { name: 'x', type: 'nagios' } })).statusCode).toBe(409);
      const list = (await app.inject({ method: 'GET', url: '/api/v1/sources' })).json().items;
      expect(list).toEqual([expect.objectContaining({ name: 'x', type: 'zabbix', revokedAt: null })]);
      expect(JSON.stringify(list)).not.toMatch(/key/i);
      const hash = (await p.db
        .selectFrom('sources' as never)
        .select('key_hash' as never)
        .executeTakeFirst()) as { key_hash: string };
      expect(hash.key_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    });

    it('PagerDuty: trigger, acknowledge (never opens an incident), resolve; answers like PagerDuty', async () => {
      const key = await addSource({ name: 'pd', type: 'pagerduty' });
      const event = (action: string, extra: object = {}) => app.inject({ method: 'POST', url: '/v2/enqueue', payload: { routing_key: key, event_action: action, dedup_key: 'his-1', ...extra } });
      const ackFirst = await app.inject({ method: 'POST', url: '/v2/enqueue', payload: { routing_key: key, event_action: 'acknowledge', dedup_key: 'lis-9' } });
      expect(ackFirst.statusCode).toBe(202);
      await p.engine.processPending();
      expect(await incidents()).toHaveLength(0);
      const trigger = await event('trigger', { payload: { summary: 'HIS down', source: 'his-db-01', severity: 'critical', group: 'HIS' } });
      expect(trigger.statusCode).toBe(202);
      expect(trigger.json()).toEqual({ status: 'success', message: 'Event processed', dedup_key: 'his-1' });
      const noDedup = await app.inject({ method: 'POST', url: '/v2/enqueue', payload: { routing_key: key, event_action: 'trigger', payload: { summary: 'x', source: 'y', severity: 'info' } } });
      expect(noDedup.json().dedup_key).toMatch(/\w{8,}/);
      await p.engine.processPending();
      expect((await event('acknowledge')).statusCode).toBe(202);
      await p.engine.processPending();
      const [incident] = await incidents();
      expect(incident.state).toBe('responding');
      const detail = (await app.inject({ method: 'GET', url: `/api/v1/incidents/${incident.id}` })).json();
      expect(detail.timeline.map((t: { kind: string }) => t.kind)).toContain('signal.acknowledged');
      expect((await event('resolve')).statusCode).toBe(202);
      await p.engine.processPending();
      expect((await incidents())[0].state).toBe('recovering');
      expect((await stored()).map((r) => r.outcome)).toEqual(['unmapped', 'opened', 'unmapped', 'acknowledged', 'attached']); // an ack naming no system waits, unmapped, for a person;
    });

    it('Alertmanager API v2: re-sends refresh, endsAt in the past resolves, a silent alert expires after the resolve timeout', async () => {
      const key = await addSource({ name: 'prom-v2', type: 'alertmanager-v2', options: { resolveTimeout: '2m' } });
      const push = (alerts: unknown) => app.inject({ method: 'POST', url: '/api/v2/alerts', headers: { authorization: `Bearer ${key}` }, payload: alerts as object });
      const his = { labels: { alertname: 'HISDown', system: 'HIS', severity: 'critical' }, annotations: { summary: 'HIS 不可达' } };
      const pacs = { labels: { alertname: 'PACSEcho', system: 'PACS', severity: 'warning' }, endsAt: iso(T0 + minutes(10)) };
      const first = await push([his, pacs]);
      expect(first.statusCode).toBe(200);
      expect(first.body).toBe('');
      await p.engine.processPending();
      expect((await incidents()).map((i: { systems: { system: string }[] }) => i.systems[0]!.system).sort()).toEqual(['HIS', 'PACS']);

      await p.advance(minutes(1));
      expect((await push([his])).statusCode).toBe(200); // refresh: HIS now expires at +3m
      await p.engine.processPending();
      await p.advance(minutes(1.5)); // +2.5m: the first expiry (+2m) has passed, but HIS was refreshed
      await p.intake.fireDue(p.clock.now());
      await p.engine.processPending();
      expect((await stored()).filter((r) => r.status === 'resolved')).toHaveLength(0);

      await p.advance(minutes(1)); // +3.5m: HIS not re-sent for 2.5m > 2m → resolved at +3m
      await p.intake.fireDue(p.clock.now());
      await p.engine.processPending();
      let resolved = (await stored()).filter((r) => r.status === 'resolved');
      expect(resolved.map((r) => [r.system, r.at])).toEqual([['HIS', T0 + minutes(3)]]);
      const hisIncident = (await incidents()).find((i: { systems: { system: string }[] }) => i.systems[0]!.system === 'HIS');
      expect(hisIncident.state).toBe('recovering');

      // PACS: endsAt in the past on a re-send resolves at once
      const gone = await push([{ ...pacs, endsAt: iso(p.clock.now() - 1000) }]);
      expect(gone.statusCode).toBe(200);
      await p.engine.processPending();
      resolved = (await stored()).filter((r) => r.status === 'resolved');
      expect(resolved.map((r) => r.system)).toEqual(['HIS', 'PACS']);
      await p.advance(minutes(10));
      await p.intake.fireDue(p.clock.now()); // nothing more to expire
      expect((await stored()).filter((r) => r.status === 'resolved')).toHaveLength(2);
    });

    it('heartbeat: no beat within the period raises a signal on its system; the next beat resolves it', async () => {
      const key = await addSource({ name: 'his-cron', type: 'heartbeat', options: { period: '5m', system: 'HIS', component: 'nightly-export' } });
      const other = await addSource({ name: 'zbx', type: 'zabbix' });
      expect((await app.inject({ method: 'GET', url: `/api/v1/heartbeat/${other}` })).statusCode).toBe(401); // only heartbeat keys beat
      expect((await app.inject({ method: 'GET', url: '/api/v1/heartbeat/nope' })).statusCode).toBe(401);
      expect((await app.inject({ method: 'POST', url: '/api/v1/intake/generic', headers: { authorization: `Bearer ${key}` }, payload: { summary: 'x' } })).statusCode).toBe(401);
      const badBody = await app.inject({ method: 'POST', url: `/api/v1/heartbeat/${key}`, payload: { message: 5 } });
      expect(badBody.statusCode).toBe(400);
      expect(badBody.json().errors[0].path).toBe('message');

      const beat = await app.inject({ method: 'GET', url: `/api/v1/heartbeat/${key}` });
      expect(beat.statusCode).toBe(200);
      expect(beat.json()).toMatchObject({ status: 'ok', nextBeatBy: iso(T0 + minutes(5)), resolved: false });
      await p.advance(minutes(4));
      expect((await app.inject({ method: 'POST', url: `/api/v1/heartbeat/${key}` })).statusCode).toBe(200); // due at +9m now
      await p.advance(minutes(4.5));
      await p.intake.fireDue(p.clock.now());
      expect(await stored()).toHaveLength(0);
      await p.advance(minutes(1));
      await p.intake.fireDue(p.clock.now());
      await p.engine.processPending();
      let rows = await stored();
      expect(rows.map((r) => [r.system, r.component, r.status, r.severity, r.at])).toEqual([['HIS', 'nightly-export', 'firing', 'orange', T0 + minutes(9)]]);
      expect((await incidents())[0]).toMatchObject({ state: 'responding' });
      await p.intake.fireDue(p.clock.now()); // fires once, not again
      expect(await stored()).toHaveLength(1);

      const back = await app.inject({ method: 'POST', url: `/api/v1/heartbeat/${key}`, payload: { message: 'export done' } });
      expect(back.json()).toMatchObject({ resolved: true });
      await p.engine.processPending();
      rows = await stored();
      expect(rows.map((r) => r.status)).toEqual(['firing', 'resolved']);
      expect((await incidents())[0].state).toBe('recovering');
    });
  });
}
