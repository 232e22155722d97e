// The patient status page (src/publicity/status): what patients can do now, derived from the plan's business
// lines and the open incidents; public, no internal detail, served from memory (no database work per request).
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { appExtensions } from '../src/http/extensions.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { minutes, testPlatform, type TestPlatform } from './support/platform.js';

const HIS = { source: 'zabbix', system: 'HIS', component: 'db', severity: 'red', status: 'firing', summary: 'HIS 数据库服务中断 his-db-01.hosp.local', dedupKey: 'z-1', host: 'his-db-01.hosp.local' };

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`status page on ${dialect}`, () => {
    let p: TestPlatform;
    let app: FastifyInstance;

    beforeEach(async () => {
      p = await testPlatform(dialect);
      app = await buildApp(p, { logger: false, auth: true, extensions: appExtensions });
    });
    afterEach(async () => {
      await app.close();
      await p.dispose();
    });

    const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });
    /** The page is rebuilt on the engine's bus events, after the change commits: wait until it shows `overall`. */
    const shows = (overall: string) => expect.poll(async () => (await get('/api/v1/status')).json().overall, { timeout: 10_000 }).toBe(overall);
    const openHis = async () => {
      await p.signals.append([HIS as never]);
      await p.engine.processPending();
      await shows('down');
      return (await p.incidents.list({ state: 'open', limit: 10 }))[0]!.id;
    };
    const services = (plan = p.plan) => plan.patient_services!;
    const byId = (doc: { services: { id: string; state: string }[] }) => Object.fromEntries(doc.services.map((s) => [s.id, s.state]));

    it('with no incident, every service is available, without sign-in', async () => {
      const json = await get('/api/v1/status');
      expect(json.statusCode).toBe(200);
      const doc = json.json();
      expect(doc.overall).toBe('normal');
      expect(doc.services.map((s: { id: string }) => s.id)).toEqual(services().map((s) => s.id));
      expect(new Set(doc.services.map((s: { state: string }) => s.state))).toEqual(new Set(['normal']));
      const html = await get('/status');
      expect(html.statusCode).toBe(200);
      expect(html.headers['content-type']).toMatch(/^text\/html/);
      expect(html.body).toContain('<html lang="zh-CN"');
      expect(html.body).toContain('各项就医服务运行正常');
    });

    it('an open incident on HIS names the affected patient services and their alternatives, with no internal detail; closing it turns the page back to normal', async () => {
      const id = await openHis();
      const doc = (await get('/api/v1/status')).json();
      expect(doc.overall).toBe('down');
      const states = byId(doc);
      // HIS carries registration, charging, pharmacy, admission; appointments and MI settlement depend on it (hard)
      for (const s of ['registration', 'payment', 'pharmacy', 'admission', 'mi_settlement', 'lab_reports', 'imaging']) expect(states[s], s).toBe('down');
      const html = (await get('/status')).body;
      for (const name of ['挂号', '缴费', '取药', '医保结算', '住院办理']) expect(html).toContain(name);
      for (const svc of services()) for (const alt of svc.alternatives) expect(html, alt.zh).toContain(alt.zh);
      expect(html).toContain('暂停');
      expect(html).toContain('正在抢修，恢复后将另行通知');
      // no level, no hostname, no system id, no staff or plan role, no summary from the monitoring
      for (const body of [html, JSON.stringify(doc)]) {
        expect(body).not.toMatch(/\bL[123]\b/);
        expect(body).not.toContain('his-db-01');
        expect(body).not.toMatch(/\bHIS\b/);
        expect(body).not.toContain('数据库服务中断');
        expect(body).not.toContain(id);
        for (const role of p.plan.roles) expect(body).not.toContain(role.name.zh);
      }
      const en = await get('/status?lang=en');
      expect(en.body).toContain('<html lang="en"');
      expect(en.body).toContain('Paying fees');
      expect(en.body).toContain('Suspended');
      expect(en.body).toContain(services()[0].alternatives[0].en);

      await p.signals.append([{ ...HIS, status: 'resolved' } as never]);
      await p.engine.processPending();
      await shows('recovering');
      await p.engine.act(id, { type: 'close', reason: 'restored' }, 'commander');
      await shows('normal');
      const after = (await get('/api/v1/status')).json();
      expect(after.overall).toBe('normal');
      expect(new Set(Object.values(byId(after)))).toEqual(new Set(['normal']));
      expect((await get('/status')).body).toContain('各项就医服务运行正常');
    });

    it('a hard dependency carries an outage to the services (the core database down ⇒ HIS ⇒ registration)', async () => {
      await p.signals.append([{ ...HIS, system: 'DB_PRIMARY', summary: 'db down', dedupKey: 'db-1', host: undefined } as never]);
      await p.engine.processPending();
      await shows('down');
      const states = byId((await get('/api/v1/status')).json());
      expect(states.registration).toBe('down');
      expect(states.payment).toBe('down');
    });

    it('serves from memory: no database work per request, even with the database closed', async () => {
      await openHis();
      await get('/status');
      const executor = p.db.getExecutor();
      const spy = vi.spyOn(Object.getPrototypeOf(executor), 'executeQuery');
      for (let i = 0; i < 50; i++) {
        expect((await get(i % 2 ? '/status' : '/api/v1/status')).statusCode).toBe(200);
      }
      expect(spy).not.toHaveBeenCalled();
      await p.incidents.list({ state: 'open' }); // the spy does see database work
      expect(spy).toHaveBeenCalled();
      spy.mockRestore();
      // the page still answers when the database cannot
      const before = (await get('/status')).body;
      await p.db.destroy().catch(() => undefined);
      const res = await get('/status');
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe(before);
    });

    it('answers 304 to a matching If-None-Match, with a short Cache-Control; a change gives a new ETag', async () => {
      const first = await get('/status');
      const etag = String(first.headers.etag);
      expect(etag).toMatch(/^"[\w-]+"$/);
      expect(first.headers['cache-control']).toMatch(/max-age=\d{1,2}\b/);
      expect(first.headers['content-security-policy']).toMatch(/default-src 'none'/);
      const again = await get('/status', { 'if-none-match': etag });
      expect(again.statusCode).toBe(304);
      expect(again.body).toBe('');
      const jsonTag = String((await get('/api/v1/status')).headers.etag);
      expect((await get('/api/v1/status', { 'if-none-match': jsonTag })).statusCode).toBe(304);
      expect(jsonTag).not.toBe(etag);
      const builds = p.statusPage.page.builds;
      await p.advance(minutes(1));
      await p.statusPage.page.refresh(); // nothing changed: the same page, the same ETag
      expect(String((await get('/status')).headers.etag)).toBe(etag);
      await openHis();
      expect(p.statusPage.page.builds).toBeGreaterThan(builds);
      const changed = await get('/status', { 'if-none-match': etag });
      expect(changed.statusCode).toBe(200);
      expect(String(changed.headers.etag)).not.toBe(etag);
      const doc = (await get('/api/v1/status')).json();
      expect(Date.parse(doc.updatedAt)).toBe(p.clock.now());
    });

    it('shows published announcements newest first with the expected recovery time (Beijing time)', async () => {
      const { StatusPage } = await import('../src/publicity/status/page.js');
      const at = p.clock.now();
      const page = new StatusPage({
        plan: p.plan,
        clock: p.clock,
        log: p.log,
        bus: p.bus,
        timezone: 'Asia/Shanghai',
        openIncidents: () => p.incidents.list({ state: 'open' }),
        published: async () => [
          {
            id: 'a1',
            incidentId: null,
            kind: 'initial',
            publishedAt: at,
            title: { zh: '系统故障公告' },
            body: { zh: '挂号暂停，请到人工窗口。' },
            expectedRecoveryAt: null,
            services: ['registration'],
          },
          {
            id: 'a2',
            incidentId: null,
            kind: 'update',
            publishedAt: at + minutes(10),
            title: { zh: '进展通报', en: 'Update' },
            body: { zh: '正在抢修', en: 'Repairs under way' },
            expectedRecoveryAt: at + minutes(90),
            services: [],
          },
        ],
      });
      await openHis();
      await page.refresh();
      const snap = page.peek()!;
      expect(snap.doc.announcements.map((a) => a.id)).toEqual(['a2', 'a1']);
      expect(snap.doc.expectedRecoveryAt).toBe(new Date(at + minutes(90)).toISOString());
      expect(snap.html.zh.body).toContain('2026-03-02 10:30'); // T0 = 09:00 Beijing time, + 90 min
      expect(snap.html.zh.body.indexOf('进展通报')).toBeLessThan(snap.html.zh.body.indexOf('系统故障公告'));
      expect(snap.html.en.body).toContain('Repairs under way');
      await page.stop();
    });
  });
}
