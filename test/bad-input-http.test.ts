// Issue 15 item 5: every bad input is a 4xx application/problem+json naming what is wrong, and writes nothing.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/http/app.js';
import { appExtensions } from '../src/http/extensions.js';
import { attachmentDisposition } from '../src/downtime/export.js';
import { fixture } from '../src/intake/formats/fixture.js';
import { readJournal } from '../src/intake/journal/signal-log.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { testPlatform, type TestPlatform } from './support/platform.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const expectProblem = (res: LightMyRequestResponse, status: number, code?: string, field?: string) => {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json();
  expect(body.status).toBe(status);
  if (code) expect(body.code).toBe(code);
  if (field) expect(body.errors.map((e: { path: string }) => e.path)).toContain(field);
  return body;
};

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`bad input is a 4xx problem and writes nothing, on ${dialect}`, () => {
    let p: TestPlatform;
    let app: FastifyInstance;
    let admin: Record<string, string>;

    beforeEach(async () => {
      p = await testPlatform(dialect);
      app = await buildApp(p, { logger: false, auth: true, extensions: appExtensions });
      await app.ready();
      admin = { authorization: `Bearer ${(await p.auth.accounts.addToken({ name: 'bad-input', role: 'admin' })).value}` };
    });
    afterEach(async () => {
      await app.close();
      await p.dispose();
    });

    const inject = (o: InjectOptions) => app.inject(o);
    const addSource = async (name: string, type: string): Promise<string> => {
      const res = await inject({ method: 'POST', url: '/api/v1/sources', headers: admin, payload: { name, type } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().key;
    };
    const post = (url: string, key: string, payload: string) => inject({ method: 'POST', url, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, payload });

    it('Nagios: a timestamp past year 9999 (1e20) is a 400 naming timestamp, not a 503 the sender retries forever', async () => {
      const key = await addSource('nagios-1', 'nagios');
      for (const timestamp of [1e20, 1e21, '99999999999999999999']) {
        const res = await post('/api/v1/intake/nagios', key, JSON.stringify({ ...(fixture('nagios/service-problem.json') as object), timestamp }));
        expectProblem(res, 400, 'INTAKE_BODY_INVALID', 'timestamp');
      }
      expect(await readJournal(p)).toHaveLength(0);
      const ok = await post('/api/v1/intake/nagios', key, JSON.stringify({ ...(fixture('nagios/service-problem.json') as object), timestamp: 1772413200 }));
      expect(ok.statusCode, ok.body).toBe(202);
    });

    it('downtime export: an unknown incident (any characters) is a 404 problem; a known one is named in an RFC 6266 header', async () => {
      for (const incident of ['%E4%B8%AD', 'a%22b', 'a%0D%0Ab']) {
        expectProblem(await inject({ method: 'GET', url: `/api/v1/downtime/export?incident=${incident}`, headers: admin }), 404, 'INCIDENT_NOT_FOUND');
      }
      const all = await inject({ method: 'GET', url: '/api/v1/downtime/export', headers: admin });
      expect(all.statusCode).toBe(200);
      expect(all.headers['content-disposition']).toBe(`attachment; filename="lifeline-downtime-all.json"; filename*=UTF-8''lifeline-downtime-all.json`);
      expect(attachmentDisposition('报告 "a"\\b.json')).toBe(`attachment; filename="__ _a__b.json"; filename*=UTF-8''%E6%8A%A5%E5%91%8A%20%22a%22%5Cb.json`);
    });

    it('a body nested 5,000 deep is a 400 naming the depth on the PagerDuty endpoint, an intake endpoint and a JSON API route', async () => {
      const key = await addSource('pd-1', 'pagerduty');
      const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
      const pd = await inject({ method: 'POST', url: '/v2/enqueue', headers: { 'content-type': 'application/json' }, payload: `{"routing_key":"${key}","event_action":"trigger","payload":${deep}}` });
      expect(expectProblem(pd, 400).detail).toMatch(/nested deeper than 64/);
      const generic = await addSource('gen-1', 'generic');
      expect(expectProblem(await post('/api/v1/intake/generic', generic, `[${'['.repeat(5000)}${']'.repeat(5000)}]`), 400).detail).toMatch(/deeper/);
      expect(expectProblem(await inject({ method: 'POST', url: '/api/v1/sources', headers: { ...admin, 'content-type': 'application/json' }, payload: deep }), 400).detail).toMatch(/deeper/);
      expect(await readJournal(p)).toHaveLength(0);
    });

    it('a corrupted .xlsx roster is a 400 naming the file', async () => {
      const res = await inject({
        method: 'POST',
        url: '/api/v1/people/import?filename=rota.xlsx',
        headers: { ...admin, 'content-type': XLSX },
        payload: Buffer.from('PK\x03\x04 not really a workbook'),
      });
      const body = expectProblem(res, 400, 'VALIDATION_FAILED', 'body');
      expect(body.detail).toContain('rota.xlsx');
      expect(await p.db.selectFrom('people').select('id').execute()).toHaveLength(0);
    });

    it("Fastify's own refusals are problem+json: long path parameter 414, bad %-encoding 400, 415, 413, malformed JSON 400", async () => {
      expectProblem(await inject({ method: 'GET', url: `/api/v1/incidents/${'a'.repeat(300)}`, headers: admin }), 414, 'URI_TOO_LONG', 'url');
      expectProblem(await inject({ method: 'GET', url: '/api/v1/incidents/%E0%A4%A', headers: admin }), 400, 'BAD_URL', 'url');
      expectProblem(await inject({ method: 'POST', url: '/api/v1/sources', headers: { ...admin, 'content-type': 'application/x-nope' }, payload: 'x' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
      expectProblem(
        await inject({ method: 'POST', url: '/api/v1/sources', headers: { ...admin, 'content-type': 'application/json' }, payload: `"${'x'.repeat(6 * 1024 * 1024)}"` }),
        413,
        'BODY_TOO_LARGE',
        'body',
      );
      expectProblem(await inject({ method: 'POST', url: '/api/v1/sources', headers: { ...admin, 'content-type': 'application/json' }, payload: '{"name":' }), 400, 'BODY_NOT_JSON', 'body');
      expectProblem(await inject({ method: 'GET', url: '/api/v1/nowhere', headers: admin }), 404, 'ROUTE_NOT_FOUND');
      expect(await p.db.selectFrom('sources').select('id').execute()).toHaveLength(0);
    });

    it("headers over Node's limit (431) are answered problem+json by the server itself", async () => {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      const raw = (headers: Record<string, string>) =>
        new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
          const req = http.request({ host: '127.0.0.1', port, path: '/api/v1/health', headers }, (res) => {
            let body = '';
            res.on('data', (c) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
          });
          req.on('error', reject);
          req.end();
        });
      const big = await raw({ 'x-big': 'x'.repeat(20_000) });
      expect(big.status).toBe(431);
      expect(big.type).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(big.body)).toMatchObject({ status: 431, code: 'HEADERS_TOO_LARGE' });
    });

    it('metric.value 1e309 (Infinity) is refused 400 naming metric.value on /api/v1/signals and on the generic intake', async () => {
      const signal = '{"source":"x","system":"HIS","severity":"red","status":"firing","summary":"s","metric":{"name":"m","value":1e309}}';
      for (const payload of [signal, signal.replace('1e309', '"1e309"'), `{"signals":[${signal}]}`]) {
        const res = await inject({ method: 'POST', url: '/api/v1/signals', headers: { ...admin, 'content-type': 'application/json' }, payload });
        const body = expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(body.errors.map((e: { path: string }) => e.path.replace(/^signals\.0\./, ''))).toContain('metric.value');
        expect(body.detail).toMatch(/not a finite number/);
      }
      const key = await addSource('gen-2', 'generic');
      const res = await post('/api/v1/intake/generic', key, '{"system":"HIS","severity":"red","status":"firing","summary":"s","metric":{"name":"m","value":1e309}}');
      expect(expectProblem(res, 400, 'INTAKE_BODY_INVALID', 'metric.value').detail).toMatch(/not a finite number/);
      await p.engine.processPending();
      expect(await readJournal(p)).toHaveLength(0);
      expect(await p.db.selectFrom('signals').select('id').execute()).toHaveLength(0);
    });

    it("a source's key posts to its own format's endpoint only: a zabbix key on Alertmanager is 403 SOURCE_FORMAT_MISMATCH", async () => {
      const zabbix = await addSource('zbx-1', 'zabbix');
      expectProblem(await post('/api/v1/intake/alertmanager', zabbix, JSON.stringify(fixture('alertmanager/firing.json'))), 403, 'SOURCE_FORMAT_MISMATCH');
      expectProblem(await post('/api/v2/alerts', zabbix, JSON.stringify(fixture('alertmanager-v2/firing.json'))), 403, 'SOURCE_FORMAT_MISMATCH');
      const pd = fixture('pagerduty/alertmanager-trigger.json') as Record<string, unknown>;
      expectProblem(
        await inject({ method: 'POST', url: '/v2/enqueue', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ ...pd, routing_key: zabbix }) }),
        403,
        'SOURCE_FORMAT_MISMATCH',
      );
      expect(await readJournal(p)).toHaveLength(0);
      expect((await post('/api/v1/intake/zabbix', zabbix, JSON.stringify(fixture('zabbix/problem.json')))).statusCode).toBe(202);
    });

    it('prototype keys are refused however spelled ("\\u005f_proto__", constructor, prototype), on intake and API routes', async () => {
      const key = await addSource('gen-3', 'generic');
      const base = '"system":"HIS","severity":"red","status":"firing","summary":"s"';
      for (const poison of ['"\\u005f_proto__":{"admin":true}', '"labels":{"constructor":{"prototype":{}}}', '"labels":{"\\u0070rototype":"x"}']) {
        expectProblem(await post('/api/v1/intake/generic', key, `{${poison},${base}}`), 400, 'INTAKE_BODY_INVALID');
        expectProblem(
          await inject({ method: 'POST', url: '/api/v1/signals', headers: { ...admin, 'content-type': 'application/json' }, payload: `{${poison},${base},"source":"x"}` }),
          400,
          'VALIDATION_FAILED',
        );
      }
      const pd = await addSource('pd-2', 'pagerduty');
      expectProblem(
        await inject({ method: 'POST', url: '/v2/enqueue', headers: { 'content-type': 'application/json' }, payload: `{"routing_key":"${pd}","\\u005f_proto__":{},"event_action":"trigger"}` }),
        400,
      );
      expect(await readJournal(p)).toHaveLength(0);
    });

    it('a NUL character in a path parameter, a query value or a JSON string is a 400 (PostgreSQL cannot store one), not a 500', async () => {
      expectProblem(await inject({ method: 'GET', url: '/api/v1/incidents/%00', headers: admin }), 400, 'VALIDATION_FAILED', 'params.id');
      expectProblem(await inject({ method: 'GET', url: '/api/v1/signals?system=a%00', headers: admin }), 400, 'VALIDATION_FAILED', 'query.system');
      const res = await inject({ method: 'POST', url: '/api/v1/sources', headers: { ...admin, 'content-type': 'application/json' }, payload: '{"name":"a\\u0000","type":"generic"}' });
      expectProblem(res, 400, 'VALIDATION_FAILED', 'name');
      const key = await addSource('gen-4', 'generic');
      expectProblem(await post('/api/v1/intake/generic', key, '{"system":"HIS","severity":"red","status":"firing","summary":"a\\u0000"}'), 400, 'INTAKE_BODY_INVALID', 'summary');
      expect(await readJournal(p)).toHaveLength(0);
    });

    it('a session cookie the server clears keeps HttpOnly and SameSite=Strict (on logout and when a stale cookie is refused)', async () => {
      await p.auth.accounts.addUser({ username: 'li', password: 'correct horse battery staple', role: 'admin' });
      const login = await inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'li', password: 'correct horse battery staple' } });
      const cookie = String(login.headers['set-cookie']).split(';')[0]!;
      const out = await inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': login.json().csrfToken }, payload: {} });
      const stale = await inject({ method: 'GET', url: '/api/v1/incidents', headers: { cookie: 'lifeline_session=stale' } });
      expect(stale.statusCode).toBe(401);
      for (const res of [out, stale]) {
        const set = String(res.headers['set-cookie']);
        expect(set).toMatch(/^lifeline_session=;/);
        expect(set).toMatch(/HttpOnly/);
        expect(set).toMatch(/SameSite=Strict/);
        expect(set).toMatch(/Max-Age=0/);
      }
    });
  });
}
