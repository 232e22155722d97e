import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { routeSets } from '../src/http/extensions.js';
import type { NormalisedSignal } from '../src/signals/types.js';
import { clearWecomAppTokenCache } from '../src/notify/channels/index.js';
import { startAliyunFake, type AliyunFake } from '../src/notify/channels/fakes/aliyun-fake.js';
import type { ChannelFake } from '../src/notify/channels/fakes/http-fake.js';
import { startDingtalkFake } from '../src/notify/channels/fakes/robots-fake.js';
import { startWecomAppFake, type WecomAppFake } from '../src/notify/channels/fakes/wecom-app-fake.js';
import { parseNotifyConfig, type PagingService } from '../src/notify/index.js';
import { writePages } from '../src/notify/paging.js';
import { advancePaging } from '../src/notify/testing.js';
import { importRoster } from '../src/people/importer.js';
import { SAMPLE_PEOPLE } from '../src/people/sample-roster.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { T0, minutes, testPlatform, type TestPlatform } from './support/platform.js';

const sample = fs.readFileSync(new URL('../docs/samples/roster.xlsx', import.meta.url));
const SECRET = 'test-secret-0123456789';
const iso = (ms: number) => new Date(ms).toISOString();
const hisDown: NormalisedSignal = { source: 'zabbix', system: 'HIS', component: 'db', severity: 'red', status: 'firing', summary: 'HIS 数据库服务中断', dedupKey: 'zbx-his' };
const lisSlow: NormalisedSignal = { source: 'zabbix', system: 'LIS', component: 'app', severity: 'orange', status: 'firing', summary: 'LIS 响应慢', dedupKey: 'zbx-lis' };
const WECOM = { corpId: 'wwlifelinetest', corpSecret: 'corp-secret-0123456789', agentId: 1000002 };
const ALIYUN = { accessKeyId: 'LTAI5tLifelineTest', accessKeySecret: 'aliyun-secret-0123456789' };
const DING = { accessToken: 'dingtalk-token-0123', secret: 'SEC0123456789abcdef' };
type Delivery = { person: string; channel: string; step: string; round: number; status: string; sentAt: string | null; error: string | null; digest: string | null; deputyRank: number };

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`paging on ${dialect}`, () => {
    let p: TestPlatform;
    let app: FastifyInstance;
    let paging: PagingService;
    let wecom: WecomAppFake;
    let sms: AliyunFake;
    let ding: ChannelFake | undefined;

    beforeEach(async () => {
      clearWecomAppTokenCache();
      wecom = await startWecomAppFake({ ...WECOM, users: SAMPLE_PEOPLE.map((x) => x.wecom) });
      sms = await startAliyunFake(ALIYUN);
      ding = undefined;
    });
    afterEach(async () => {
      await app?.close();
      await p?.dispose();
      await Promise.all([wecom.close(), sms.close(), ding?.close()]);
    });

    async function start(extra: Record<string, unknown> = {}, routing: unknown = { default: ['wecom', 'sms'] }) {
      const config = parseNotifyConfig({
        channels: {
          wecom: { kind: 'wecom-app', config: { ...WECOM, endpoint: wecom.url } },
          sms: { kind: 'sms-aliyun', config: { ...ALIYUN, signName: '测试医院', templateCode: 'SMS_123456789', endpoint: sms.url } },
          ...extra,
        },
        routing,
        retry: { first: 'PT5S', max: 'PT1M', attempts: 4 },
      });
      p = await testPlatform(dialect, undefined, { notify: config, secret: SECRET });
      paging = p.paging;
      app = await buildApp(p, { logger: false, extensions: [routeSets.paging] });
      await app.ready();
      await paging.start(); // the outbox worker (its timers are the test's)
      const report = await importRoster(p.db, paging.people.store, p.plan, sample, { filename: 'roster.xlsx' });
      expect(report).toMatchObject({ applied: true, errors: [] });
    }
    async function signal(s: NormalisedSignal) {
      await p.signals.append([{ ...s, at: iso(p.clock.now()) }]);
      await p.engine.processPending();
      await paging.worker.idle();
      return (await p.incidents.list({ state: 'all' }))[0].id;
    }
    const deliveries = async (id: string) => (await app.inject({ method: 'GET', url: `/api/v1/incidents/${id}/deliveries` })).json().items as Delivery[];
    const wecomTo = (user: string) => wecom.requests.filter((r) => r.path === '/cgi-bin/message/send' && (r.json as { touser?: string }).touser === user);
    const smsTo = (mobile: string) => sms.params().filter((x) => x.PhoneNumbers === mobile);
    const linkIn = (text: string) => /\/a\/([A-Za-z0-9_.-]+)/.exec(text)?.[1];
    const ack = (token: string, action: string) => app.inject({ method: 'POST', url: `/api/v1/ack/${token}`, payload: { action } });

    it('a red HIS signal pages the on-duty technician on two channels at once; the link acknowledges and meets O3.1', async () => {
      await start();
      const id = await signal(hisDown); // how fast: `npm run bench` (paging: red alarm to first page), not a timed test

      // Monday 09:00: 张伟 is on duty (sample 值班表); WeCom app message and SMS, both at the instant of the signal
      expect(wecomTo('ZhangWei')).toHaveLength(1);
      expect(smsTo('13800000001')).toHaveLength(1);
      expect([...wecom.problems(), ...sms.problems()]).toEqual([]);
      const mine = (await deliveries(id)).filter((d) => d.person === '张伟');
      expect(mine.map((d) => `${d.channel} ${d.step} ${d.status} ${d.sentAt}`).sort()).toEqual([`sms opened sent ${iso(T0)}`, `wecom opened sent ${iso(T0)}`]);

      const text = wecomTo('ZhangWei')[0].content;
      expect(text).toContain('【二级·暂定】医院信息系统（HIS）：HIS 数据库服务中断');
      expect(text).toContain('依据 L1.a');
      expect(text).toContain('请您（张伟）：确认收到（截止 09:05）；赶到现场（截止 09:15）');
      expect(JSON.parse(smsTo('13800000001')[0].TemplateParam)).toMatchObject({ level: '二级(暂定)', system: 'HIS', deadline: '09:05', name: '张伟' });

      // provisional L2 from the first instant: the tech lead and the deputy commander are paged too, and the
      // coordination lead for the duty L2 starts (O2.3: the affected departments go manual within 15 min)
      const people = new Set((await deliveries(id)).map((d) => `${d.person}:${d.step.replace(/@\d+$/, '')}`));
      expect(people).toEqual(new Set(['张伟:opened', '陈静:level:L2', '杨明:level:L2', '周敏:obligation.started:O2.3']));

      // the link, opened on the phone: who it is for, then acknowledge
      const token = linkIn(text)!;
      const info = (await app.inject({ method: 'GET', url: `/api/v1/ack/${token}` })).json();
      expect(info).toMatchObject({
        incident: { id, level: 'L2', provisional: true },
        recipient: { name: '张伟' },
        role: { id: 'tech_oncall' },
        actions: [
          { action: 'acknowledge', done: false },
          { action: 'check_in', done: false },
        ],
      });
      await p.advance(minutes(2));
      const res = await ack(token, 'acknowledge');
      expect(res.statusCode).toBe(200);
      expect(res.json().obligations).toEqual([expect.objectContaining({ ruleId: 'O3.1', state: 'met', metBy: '张伟' })]);
      const incident = await p.incidents.get(id);
      expect(incident.obligations.find((o) => o.ruleId === 'O3.1')).toMatchObject({ state: 'met', metBy: '张伟', metAt: iso(T0 + minutes(2)) });
      expect(incident.timeline.map((t) => t.kind)).toEqual(expect.arrayContaining(['page.queued', 'page.sent', 'action.acknowledge', 'page.answered']));

      // once per action; check_in is its own action and meets O3.2
      expect((await ack(token, 'acknowledge')).json()).toMatchObject({ status: 409, code: 'ACK_ALREADY_USED' });
      expect((await ack(token, 'check_in')).json().obligations).toEqual([expect.objectContaining({ ruleId: 'O3.2', state: 'met', metBy: '张伟' })]);
      expect((await app.inject({ method: 'GET', url: `/api/v1/ack/${token}` })).json().actions.map((a: { done: boolean }) => a.done)).toEqual([true, true]);
      // a changed token is refused; nobody else's name can be used with it
      expect((await ack(token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA'), 'acknowledge')).json()).toMatchObject({ status: 404, code: 'ACK_LINK_INVALID' });
    });

    it('with nobody acknowledging, the tech lead is paged at 5 min and the deputy commander when L2 begins', async () => {
      await start();
      const id = await signal(lisSlow); // LIS orange: L3, only the on-duty technician is paged
      expect((await p.incidents.get(id)).level).toBe('L3');
      await advancePaging(p, paging, minutes(40));
      const all = await deliveries(id);
      const first = (person: string) =>
        all
          .filter((d) => d.person === person && d.status === 'sent')
          .map((d) => Date.parse(d.sentAt!))
          .sort((a, b) => a - b)[0];
      const stepsOf = (person: string) => [...new Set(all.filter((d) => d.person === person).map((d) => d.step))];

      expect(first('张伟')).toBe(T0);
      // O3.1 (notify the technician within 5 min) missed: the plan pages tech_lead
      expect(first('陈静') - T0).toBeGreaterThanOrEqual(minutes(5));
      expect(first('陈静') - T0).toBeLessThan(minutes(5) + 1000);
      expect(stepsOf('陈静')[0]).toMatch(/^breach:O3\.1:/);
      // O3.3 (restore within 30 min of the 5-min mark) missed: E3to2 raises to L2, whose notice pages the deputy commander
      const incident = await p.incidents.get(id);
      const l2 = incident.levelHistory.find((h) => h.level === 'L2')!;
      expect(l2.rule).toBe('E3to2');
      expect(first('杨明')).toBeGreaterThanOrEqual(Date.parse(l2.at));
      expect(first('杨明') - Date.parse(l2.at)).toBeLessThan(1000);
      expect(first('杨明') - T0).toBeGreaterThanOrEqual(minutes(35));
      expect(stepsOf('杨明')).toEqual(['level:L2']);
      expect(stepsOf('陈静')).toEqual(expect.arrayContaining(['level:L2']));
      // 张伟's page repeated every 5 min, three pages in all (default policy), since he never answered
      expect(all.filter((d) => d.person === '张伟' && d.channel === 'wecom').map((d) => [d.round, d.sentAt])).toEqual([
        [1, iso(T0)],
        [2, iso(T0 + minutes(5))],
        [3, iso(T0 + minutes(10))],
      ]);
      expect(wecomTo('ZhangWei').at(-1)!.content).toContain('（第3次呼叫）');
    });

    it('repeats stop once the person answers', async () => {
      await start();
      const id = await signal(lisSlow);
      await advancePaging(p, paging, minutes(6)); // round 2 went out at 5 min
      const token = linkIn(wecomTo('ZhangWei')[0].content)!;
      expect((await ack(token, 'acknowledge')).statusCode).toBe(200);
      await advancePaging(p, paging, minutes(20));
      expect((await deliveries(id)).filter((d) => d.person === '张伟' && d.channel === 'wecom').map((d) => d.round)).toEqual([1, 2]);
    });

    it('an acknowledgement under the person’s name stops their repeats only while nobody else in the directory bears that name', async () => {
      await start();
      const acknowledgeAs = async (id: string, by: string) =>
        expect((await app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/actions`, payload: { type: 'acknowledge', by } })).statusCode).toBe(200);
      const rounds = async (id: string) => (await deliveries(id)).filter((d) => d.person === '张伟' && d.channel === 'wecom').map((d) => d.round);

      const first = await signal(lisSlow);
      await advancePaging(p, paging, minutes(6));
      await acknowledgeAs(first, '张伟');
      await advancePaging(p, paging, minutes(20));
      expect(await rounds(first)).toEqual([1, 2]);
      await p.engine.act(first, { type: 'close', reason: 'test' }, 'test');

      // another 张伟 joins: an action signed only with the name can no longer be told apart
      await paging.people.store.create({ name: '张伟', department: '门诊部' });
      const second = await signal({ ...lisSlow, dedupKey: 'zbx-lis-2', component: 'db' });
      expect(second).not.toBe(first);
      await advancePaging(p, paging, minutes(6));
      await acknowledgeAs(second, '张伟');
      await advancePaging(p, paging, minutes(20));
      expect((await rounds(second)).length).toBeGreaterThan(2);
    });

    it('pages the deputy when the holder is unreachable: marked inactive, or every channel failing for good', async () => {
      await start();
      const zhang = await paging.people.store.find('1001');
      await paging.people.store.update(zhang.id, { active: false });
      const id = await signal(lisSlow);
      const all = await deliveries(id);
      expect(all.map((d) => `${d.person}:${d.step}:${d.deputyRank}:${d.status}`).sort()).toEqual(['陈静:opened~d1:1:sent', '陈静:opened~d1:1:sent']);
      expect(wecomTo('ChenJing')[0].content).toContain('张伟 未能联系上，由您代为处理');
      const timeline = (await p.incidents.get(id)).timeline;
      expect(timeline.find((t) => t.kind === 'page.unreachable')?.message).toMatch(/cannot page 张伟 \(tech_oncall\): marked inactive; paging the deputy/);
    });

    it('pages the deputy after every channel of the holder failed permanently', async () => {
      await start();
      wecom.behave('reject-auth', 1); // 张伟's token request is refused: a credential error, not retried
      sms.behave('reject-auth', 1);
      const id = await signal(lisSlow);
      const all = await deliveries(id);
      expect(all.filter((d) => d.person === '张伟').map((d) => d.status)).toEqual(['failed', 'failed']);
      expect(all.filter((d) => d.person === '陈静').map((d) => `${d.step}:${d.status}`)).toEqual(['opened~d1:sent', 'opened~d1:sent']);
      const kinds = (await p.incidents.get(id)).timeline.map((t) => t.kind);
      expect(kinds.filter((k) => k === 'page.failed')).toHaveLength(2);
    });

    it('retries a retryable failure with exponential back-off, recording every attempt in the timeline', async () => {
      await start();
      sms.behave('unavailable', 2);
      const id = await signal(lisSlow);
      await advancePaging(p, paging, 20_000);
      const smsRow = (await deliveries(id)).find((d) => d.channel === 'sms' && d.person === '张伟')!;
      expect(smsRow).toMatchObject({ status: 'sent', sentAt: iso(T0 + 15_000) });
      const attempts = (await p.incidents.get(id)).timeline.filter((t) => (t.data as { channel?: string } | null)?.channel === 'sms').reverse();
      expect(attempts.map((t) => [t.kind, t.at, (t.data as { retryAt?: number }).retryAt ?? null])).toEqual([
        ['page.retry', iso(T0), T0 + 5000],
        ['page.retry', iso(T0 + 5000), T0 + 15_000],
        ['page.sent', iso(T0 + 15_000), null],
      ]);
      for (const t of attempts) expect(JSON.stringify(t)).not.toContain(ALIYUN.accessKeySecret);
    });

    it('keeps a rate-limited robot within its budget by coalescing pages into digests, dropping none', async () => {
      ding = await startDingtalkFake(DING);
      await start({ group: { kind: 'dingtalk-robot', perMinute: 2, digestBytes: 3000, config: { ...DING, endpoint: ding.url } } }, { default: ['group'] });
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) ids.push((await paging.people.store.create({ name: `科室主任${String(i).padStart(2, '0')}`, mobile: `139000000${String(i).padStart(2, '0')}` })).id);
      await paging.people.store.assign('hq_member', ids, []);
      const id = await signal(lisSlow); // 张伟, alone: one message
      await p.engine.act(id, { type: 'set_level', level: 'L1', reason: '演练：全院响应' }, '赵刚', 'commander');
      await paging.worker.idle();
      await advancePaging(p, paging, minutes(3));
      const posts = ding.requests.map((r, n) => ({ n, at: r.query.get('timestamp') ?? '', content: r.content }));
      expect(ding.problems()).toEqual([]);
      // every paged person appears in some message; no minute saw more than two posts on the virtual clock
      const all = await deliveries(id);
      const paged = [...new Set(all.map((d) => d.person))];
      expect(paged.length).toBe(1 + 40 + 5); // 张伟; 40 HQ members; commander, deputy, tech lead, coordination and logistics leads
      expect(all.filter((d) => d.round === 1).every((d) => d.status === 'sent')).toBe(true);
      for (const name of paged)
        expect(
          posts.some((x) => x.content.includes(name)),
          name,
        ).toBe(true);
      const sentAt = [...new Set(all.filter((d) => d.round === 1).map((d) => `${d.digest ?? d.person}@${d.sentAt}`))].map((s) => Date.parse(s.split('@')[1]));
      for (const t of sentAt) expect(sentAt.filter((u) => u > t - 60_000 && u <= t).length).toBeLessThanOrEqual(2);
      expect(all.some((d) => d.digest)).toBe(true);
      expect(posts.length).toBeLessThan(paged.length);
    });

    it('writes a cause once: the same page requests written again add no page and no delivery', async () => {
      await start();
      const id = await signal(lisSlow);
      const before = await p.db.selectFrom('notify_deliveries').select('id').execute();
      const request = { incidentId: id, role: 'tech_oncall', reason: 'incident.opened', at: T0 };
      for (let i = 0; i < 2; i++) {
        await p.db.transaction().execute((trx) => writePages(trx, [request, request], { plan: p.plan, config: paging.config, timezone: 'Asia/Shanghai', now: p.clock.now() }));
      }
      await paging.worker.runDue();
      expect(await p.db.selectFrom('notify_deliveries').select('id').execute()).toHaveLength(before.length);
      expect(wecomTo('ZhangWei')).toHaveLength(1);
    });

    it('pages the deputies of a role nobody holds, saying so', async () => {
      await start();
      const id = await signal(lisSlow);
      const later = T0 + 10 * 24 * 3600_000; // after the sample week: no duty entry covers it
      await p.db
        .transaction()
        .execute((trx) =>
          writePages(trx, [{ incidentId: id, role: 'tech_oncall', reason: 'incident.opened', at: later }], { plan: p.plan, config: paging.config, timezone: 'Asia/Shanghai', now: p.clock.now() }),
        );
      await paging.worker.runDue();
      const pages = await paging.pages(id);
      expect(pages.map((x) => `${x.step}:${x.state}:${x.deputy_rank}`)).toEqual(['opened:queued:0', 'opened:unstaffed:0', 'opened~d1:queued:1']);
      expect(wecomTo('ChenJing')[0].content).toContain('此岗位当前无人值班，由您代为处理');
    });

    it('a page without an incident (a missed standing duty) can be acknowledged, which stops its repeats', async () => {
      await start();
      await p.db.transaction().execute((trx) =>
        writePages(trx, [{ incidentId: null, role: 'tech_lead', reason: 'obligation.breached:OM.1', obligationId: 'obl_duty', at: T0 }], {
          plan: p.plan,
          config: paging.config,
          timezone: 'Asia/Shanghai',
          now: p.clock.now(),
        }),
      );
      await paging.worker.runDue();
      const text = wecomTo('ChenJing')[0].content;
      expect(text).toContain('OM.1「巡查机房环境（温湿度、设备指示灯）」已超时');
      const token = linkIn(text)!;
      expect((await ack(token, 'check_in')).json()).toMatchObject({ status: 409, code: 'ACK_NO_INCIDENT' });
      expect((await ack(token, 'acknowledge')).json()).toMatchObject({ ok: true, recipient: { name: '陈静' } });
      await advancePaging(p, paging, minutes(15));
      expect(wecomTo('ChenJing')).toHaveLength(1);
    });

    it('links expire', async () => {
      await start();
      await signal(lisSlow);
      const token = linkIn(wecomTo('ZhangWei')[0].content)!;
      p.clock.advance(24 * 3600_000);
      expect((await ack(token, 'acknowledge')).json()).toMatchObject({ status: 410, code: 'ACK_LINK_EXPIRED' });
    });

    it('sends a clearly marked test message to one person', async () => {
      await start();
      const res = await app.inject({ method: 'POST', url: '/api/v1/notify/test', payload: { channel: 'sms', to: '1002' } });
      expect(res.json()).toMatchObject({ person: { name: '李娜' }, delivery: { status: 'sent' } });
      expect(JSON.parse(smsTo('13800000002')[0].TemplateParam).level).toMatch(/^（测试）/);
      expect((await app.inject({ method: 'POST', url: '/api/v1/notify/test', payload: { channel: 'pager', to: '1002' } })).json()).toMatchObject({ status: 404, code: 'CHANNEL_NOT_CONFIGURED' });
    });
  });
}
