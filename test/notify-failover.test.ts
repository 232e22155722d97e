/**
 * Paging retries only what can succeed (issue 14, item 8), through the outbox worker on both databases: a
 * daily-limit answer fails the delivery at its first attempt and the deputy is paged at the same instant; a
 * per-minute limit is retried with back-off. And a DingTalk action card's 已到场 button checks the person in.
 */
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { routeSets } from '../src/http/extensions.js';
import { startAliyunFake, type AliyunFake } from '../src/notify/channels/fakes/aliyun-fake.js';
import type { FakeReply, HttpChannelFake } from '../src/notify/channels/fakes/http-fake.js';
import { startDingtalkFake } from '../src/notify/channels/fakes/robots-fake.js';
import { parseNotifyConfig, type PagingService } from '../src/notify/index.js';
import { advancePaging } from '../src/notify/testing.js';
import { importRoster } from '../src/people/importer.js';
import type { NormalisedSignal } from '../src/signals/types.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { T0, testPlatform, type TestPlatform } from './support/platform.js';

const sample = fs.readFileSync(new URL('../docs/samples/roster.xlsx', import.meta.url));
const iso = (ms: number) => new Date(ms).toISOString();
const lisSlow: NormalisedSignal = { source: 'zabbix', system: 'LIS', component: 'app', severity: 'orange', status: 'firing', summary: 'LIS 响应慢', dedupKey: 'zbx-lis' };
const ALIYUN = { accessKeyId: 'LTAI5tFailoverTest', accessKeySecret: 'aliyun-failover-secret-0123' };
const DING = { accessToken: 'dingtalk-failover-token-0123', secret: 'SECfailover0123456789abcdef' };
const ZHANG = '13800000001'; // 张伟, on duty as tech_oncall on Monday 09:00 (sample 值班表); deputy 陈静
const limited = (message: string): FakeReply => ({ status: 200, body: { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: message, RequestId: 'R1' } });
const accepted: FakeReply = { status: 200, body: { Code: 'OK', Message: 'OK', BizId: '900^0', RequestId: 'R2' } };

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`paging fail-over on ${dialect}`, () => {
    let p: TestPlatform;
    let app: FastifyInstance;
    let paging: PagingService;
    let sms: AliyunFake;
    let ding: HttpChannelFake;

    beforeEach(async () => {
      sms = await startAliyunFake(ALIYUN);
      ding = await startDingtalkFake(DING);
    });
    afterEach(async () => {
      await app?.close();
      await p?.dispose();
      await Promise.all([sms.close(), ding.close()]);
    });

    async function start(routing: string[]) {
      const config = parseNotifyConfig({
        channels: {
          sms: { kind: 'sms-aliyun', config: { ...ALIYUN, signName: '测试医院', templateCode: 'SMS_123456789', endpoint: sms.url } },
          ding: { kind: 'dingtalk-robot', config: { ...DING, message: 'actionCard', endpoint: ding.url } },
        },
        routing: { default: routing },
        retry: { first: 'PT5S', max: 'PT1M', attempts: 6 },
      });
      p = await testPlatform(dialect, undefined, { notify: config, secret: 'failover-test-secret-0123' });
      paging = p.paging;
      app = await buildApp(p, { logger: false, extensions: [routeSets.paging] });
      await app.ready();
      await paging.start();
      expect(await importRoster(p.db, paging.people.store, p.plan, sample, { filename: 'roster.xlsx' })).toMatchObject({ applied: true, errors: [] });
    }
    async function signal(s: NormalisedSignal) {
      await p.signals.append([{ ...s, at: iso(p.clock.now()) }]);
      await p.engine.processPending();
      await paging.worker.idle();
      return (await p.incidents.list({ state: 'all' }))[0].id;
    }
    const rows = (incidentId: string) =>
      p.db
        .selectFrom('notify_deliveries')
        .innerJoin('people', 'people.id', 'notify_deliveries.person_id')
        .select(['people.name as name', 'notify_deliveries.status', 'notify_deliveries.attempts', 'notify_deliveries.last_error', 'notify_deliveries.sent_at'])
        .where('notify_deliveries.incident_id', '=', incidentId)
        .where('people.name', 'in', ['张伟', '陈静'])
        .orderBy('notify_deliveries.created_at')
        .orderBy('people.name')
        .execute();

    it('a daily limit fails the delivery at its first attempt and pages the deputy at the same instant', async () => {
      await start(['sms']);
      sms.answer((req) => (req.query.get('PhoneNumbers') === ZHANG ? limited('触发号码天级流控Permits:10') : accepted));
      const id = await signal(lisSlow);
      const all = await rows(id);
      expect(all.map((r) => `${r.name}:${r.status}:${r.attempts}`)).toEqual(['张伟:failed:1', '陈静:sent:1']);
      expect(all[0].last_error).toContain('isv.BUSINESS_LIMIT_CONTROL');
      expect(all[0].last_error).toMatch(/daily/);
      expect(Number(all[1].sent_at)).toBe(T0);
      const failed = (await p.incidents.get(id)).timeline.find((t) => t.kind === 'page.failed');
      expect(failed?.data).toMatchObject({ retryable: false, attempt: 1, reason: expect.stringContaining('天级流控') });
      expect(JSON.stringify((await p.incidents.get(id)).timeline)).not.toContain(ALIYUN.accessKeySecret);
    });

    it('a per-minute limit is retried with back-off, and nobody else is paged meanwhile', async () => {
      await start(['sms']);
      let refused = 0;
      sms.answer((req) => (req.query.get('PhoneNumbers') === ZHANG && refused++ === 0 ? limited('触发号码分钟级流控Permits:1') : accepted));
      const id = await signal(lisSlow);
      expect((await rows(id)).map((r) => `${r.name}:${r.status}:${r.attempts}`)).toEqual(['张伟:pending:1']);
      expect((await rows(id))[0].last_error).toContain('isv.BUSINESS_LIMIT_CONTROL');
      await advancePaging(p, paging, 5_000);
      const all = await rows(id);
      expect(all.map((r) => `${r.name}:${r.status}:${r.attempts}`)).toEqual(['张伟:sent:2']);
      expect(Number(all[0].sent_at)).toBe(T0 + 5_000);
      const kinds = (await p.incidents.get(id)).timeline.map((t) => t.kind);
      expect(kinds).toContain('page.retry');
      expect(kinds).not.toContain('page.failed');
    });

    it("a DingTalk action card's 已到场 button records check_in for the paged role, as the ack page does", async () => {
      await start(['ding']);
      const id = await signal(lisSlow);
      expect(ding.problems()).toEqual([]);
      const card = (ding.requests[0].json as { msgtype: string; actionCard: { btns: { title: string; actionURL: string }[] } }).actionCard;
      const [ack, checkIn] = card.btns;
      expect(ack.title).toBe('确认收到');
      expect(checkIn.title).toBe('已到场');
      const token = new URL(ack.actionURL).pathname.replace('/a/', '');
      expect(new URL(checkIn.actionURL).pathname).toBe(`/api/v1/check-in/${token}`);

      const tap = await app.inject({ method: 'GET', url: new URL(checkIn.actionURL).pathname });
      expect(tap.statusCode).toBe(303);
      expect(tap.headers.location).toBe(`/a/${token}`);
      const incident = await p.incidents.get(id);
      expect(incident.timeline.find((t) => t.kind === 'action.check_in')).toMatchObject({ actor: '张伟' });
      const info = (await app.inject({ method: 'GET', url: `/api/v1/ack/${token}` })).json();
      expect(info.actions).toEqual([expect.objectContaining({ action: 'acknowledge', done: false }), expect.objectContaining({ action: 'check_in', done: true })]);

      const again = await app.inject({ method: 'GET', url: new URL(checkIn.actionURL).pathname });
      expect(again.statusCode).toBe(303); // a second tap shows the page again and records nothing
      expect((await p.incidents.get(id)).timeline.filter((t) => t.kind === 'action.check_in')).toHaveLength(1);

      const forged = await app.inject({ method: 'GET', url: `/api/v1/check-in/${token.slice(0, -2)}xx` });
      expect(forged.statusCode).toBe(404);
      expect(forged.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(forged.json()).toMatchObject({ code: 'ACK_LINK_INVALID' });
    });
  });
}
