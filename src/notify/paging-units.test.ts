import { describe, expect, it } from 'vitest';
import { loadDefaultPlan } from '../plan/load.js';
import { ConfigError } from '../config/index.js';
import { parseNotifyConfig } from './config.js';
import { signToken, verifyToken } from './links.js';
import { channelsFor, stepOf } from './paging.js';
import { packByBytes, RateWindow, retryDelay } from './rate.js';
import { renderDigest, renderPage, repeatMessage, scrubFreeText, type PageFacts } from './render.js';

const plan = loadDefaultPlan();
const T0 = Date.parse('2026-03-02T09:00:00+08:00');
const min = 60_000;

describe('signed links', () => {
  const secret = 's3cret-s3cret-s3cret';
  it('verify their own tokens only, for their purpose, until they expire', () => {
    const token = signToken(secret, 'ack', 'pg_abc123', T0 + 60 * min);
    expect(token.length).toBeLessThan(60);
    expect(verifyToken(secret, 'ack', token, T0)).toEqual({ ok: true, id: 'pg_abc123', expiresAt: T0 + 60 * min });
    expect(verifyToken(secret, 'ical', token, T0)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyToken('another-secret-123', 'ack', token, T0)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyToken(secret, 'ack', token.replace('pg_abc123', 'pg_abc124'), T0)).toEqual({ ok: false, reason: 'invalid' });
    expect(verifyToken(secret, 'ack', token, T0 + 61 * min)).toEqual({ ok: false, reason: 'expired' });
    expect(verifyToken(secret, 'ack', 'garbage', T0)).toEqual({ ok: false, reason: 'invalid' });
  });
});

describe('rate window and back-off', () => {
  it('allows `limit` sends in any minute and says when the next slot frees', () => {
    const w = new RateWindow(20);
    expect(w.available(0)).toBe(20);
    w.take(0, 15);
    w.take(10_000, 5);
    expect(w.available(30_000)).toBe(0);
    expect(w.freeAt(30_000)).toBe(60_000);
    expect(w.available(60_000)).toBe(15);
    expect(w.available(70_000)).toBe(20);
  });
  it('doubles the retry delay up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((a) => retryDelay(a, 5000, 60_000))).toEqual([5000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
  });
  it('packs lines into messages under a byte budget', () => {
    expect(packByBytes([5, 5, 5, 5, 12], (n) => n, 10)).toEqual([[5, 5], [5, 5], [12]]);
  });
});

describe('config', () => {
  const robot = { kind: 'dingtalk-robot', config: { accessToken: 'abcdefgh1234', secret: '${DING_SECRET}' } };
  it('takes secrets from the environment and refuses a missing one with its path', () => {
    const cfg = parseNotifyConfig({ channels: { it: robot }, routing: { default: ['it'] } }, { env: { DING_SECRET: 'SECabc' } });
    expect(cfg.channels.get('it')).toMatchObject({ kind: 'dingtalk-robot', perMinute: 20, config: { secret: 'SECabc' } });
    expect(() => parseNotifyConfig({ channels: { it: robot } }, { env: {} })).toThrow(/channels\.it\.config\.secret: environment variable DING_SECRET is not set/);
  });
  it('lists every problem at once: a missing credential, an unknown kind, an unknown channel in routing', () => {
    let error: ConfigError | undefined;
    try {
      parseNotifyConfig({
        channels: { sms: { kind: 'sms-aliyun', config: { accessKeyId: 'id', signName: '医院', templateCode: 'SMS_1' } }, x: { kind: 'pager', config: {} } },
        routing: { default: ['nope'] },
      });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.message).toMatch(/unknown channel kind "pager"/);
    const second = (() => {
      try {
        parseNotifyConfig({ channels: { sms: { kind: 'sms-aliyun', config: { accessKeyId: 'id', signName: '医院', templateCode: 'SMS_1' } } }, routing: { default: ['nope'] } });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(second!.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['channels.sms.config.accessKeySecret', 'routing.default.0']));
    expect(second!.message).toMatch(/accessKeySecret: required for a sms-aliyun channel/);
  });
  it('has no channels, no default secrets, and repeat defaults without a file', () => {
    const cfg = parseNotifyConfig({});
    expect(cfg.channels.size).toBe(0);
    expect(cfg.repeat.default).toEqual({ everyMs: 5 * min, limit: 3 });
  });
});

describe('routing', () => {
  const cfg = parseNotifyConfig({
    channels: {
      wecom: { kind: 'wecom-app', config: { corpId: 'ww1', corpSecret: 'x'.repeat(10), agentId: 1 } },
      sms: { kind: 'sms-tencent', config: { secretId: 'AKID1', secretKey: 'k'.repeat(10), smsSdkAppId: '1400000000', templateId: '1', signName: '医院' } },
      mail: { kind: 'email', config: { host: 'smtp.example', from: 'it@example.org' } },
    },
    routing: { default: ['wecom', 'sms'], roles: { commander: ['sms', 'mail'] } },
  });
  const person = { channels: null, mobile: '13800000001', email: null, wecomUserId: null, dingtalkUserId: null, feishuOpenId: null };
  it('uses the channels whose address the person has', () => {
    expect(channelsFor(person, 'tech_oncall', cfg)).toEqual({ use: ['sms'], lacking: ['wecom'] });
    expect(channelsFor({ ...person, wecomUserId: 'zw' }, 'tech_oncall', cfg)).toEqual({ use: ['wecom', 'sms'], lacking: [] });
    expect(channelsFor(person, 'commander', cfg)).toEqual({ use: ['sms'], lacking: ['mail'] });
    expect(channelsFor({ ...person, channels: ['mail', 'sms'], email: 'a@b.cn' }, 'tech_oncall', cfg).use).toEqual(['mail', 'sms']);
  });
  it('names each cause once: an escalation to a level and the level notice share a step', () => {
    expect(stepOf({ reason: 'incident.opened', at: 1 }, plan)).toBe('opened');
    expect(stepOf({ reason: 'obligation.breached:O3.1', obligationId: 'obl_1', at: 1 }, plan)).toBe('breach:O3.1:obl_1');
    expect(stepOf({ reason: 'level.reached:L1', at: 1 }, plan)).toBe('level:L1');
    expect(stepOf({ reason: 'escalation:E_auto_L1', at: 1 }, plan)).toBe('level:L1');
  });
});

describe('render', () => {
  const facts = (over: Partial<PageFacts> = {}): PageFacts => ({
    language: 'zh',
    timezone: 'Asia/Shanghai',
    plan,
    incident: {
      id: 'inc_00000000000000abcdef',
      title: 'HIS 数据库中断，患者身份证 110101199003071234 电话 13912345678',
      level: 'L2',
      provisional: true,
      decidedBy: 'L1.a',
      state: 'responding',
      systems: [{ system: 'HIS', component: 'db', state: 'down' }],
      obligations: [
        { id: 'o1', ruleId: 'O3.1', actorRole: 'monitoring_post', state: 'pending', dueAt: T0 + 5 * min },
        { id: 'o2', ruleId: 'O3.2', actorRole: 'tech_oncall', state: 'pending', dueAt: T0 + 15 * min },
        { id: 'o3', ruleId: 'O3.3', actorRole: 'tech_oncall', state: 'pending', dueAt: T0 + 35 * min },
        { id: 'o4', ruleId: 'O2.1', actorRole: 'tech_lead', state: 'pending', dueAt: T0 + 10 * min },
      ],
    },
    page: { step: 'opened', reason: 'incident.opened', role: 'tech_oncall', obligationId: null },
    person: { name: '张伟' },
    links: { ack: 'https://lifeline.example/a/pg_x.abc.0123456789012345678901' },
    ...over,
  });
  it('says incident, level with its rule, systems, why, what is asked by when, and the link — in Chinese', () => {
    const m = renderPage(facts());
    expect(m.subject).toMatch(/^【二级·暂定】医院信息系统（HIS）：HIS 数据库中断/); // the system's plan name leads the sender's words
    expect(m.text).toContain('级别：二级事件（较大故障）（暂定） — 依据 L1.a：全院范围核心系统');
    expect(m.text).toContain('系统：医院信息系统（HIS）/db（中断）');
    expect(m.text).toContain('原因：新事件，请响应');
    expect(m.text).toContain('请您（张伟）：确认收到（截止 09:05）；赶到现场（截止 09:15）；查明故障并恢复（如重启服务、修复链路）（截止 09:35）');
    expect(m.text).toContain('https://lifeline.example/a/pg_x');
    expect(m.markdown).toContain('- 赶到现场（截止 09:15）');
    expect(m.short.length).toBeLessThanOrEqual(70);
    expect(m.templateParams).toMatchObject({ level: '二级(暂定)', system: 'HIS', ask: expect.stringMatching(/^确认收到/), deadline: '09:05', name: '张伟' });
  });
  it('a storm incident of thousands of components names the first few and counts the rest', () => {
    const base = facts();
    const systems = Array.from({ length: 30_000 }, (_, i) => ({ system: 'EMR', component: `node-${i}`, state: 'degraded' }));
    const m = renderPage({ ...base, incident: { ...base.incident!, systems } });
    expect(m.text).toContain('电子病历');
    expect(m.text).toContain('node-7（降级）');
    expect(m.text).not.toContain('node-8');
    expect(m.text).toContain('等另外 29992 项');
    expect(m.text.length).toBeLessThan(2_000);
    expect(renderPage({ ...base, language: 'en', incident: { ...base.incident!, systems } }).text).toContain('and 29992 more');
  });
  it("marks a drill's page: drill set, the prefix, the plan's SMS and voice templates, variables marked without 【】", () => {
    const base = facts();
    const real = renderPage(base);
    const m = renderPage({ ...base, incident: { ...base.incident!, drill: true } });
    expect(m.drill).toBe(true);
    expect(real.drill).toBeUndefined();
    expect(m.subject).toBe(`【演练】${real.subject}`);
    expect(m.text.startsWith(`【演练】${real.subject}`)).toBe(true);
    expect(m.short).toBe(`【演练】${real.short}（本条为应急演练消息，请按演练要求响应）`);
    expect(m.spoken).toBe(`这是一次应急演练。${real.short}`);
    expect(real.spoken).toBeUndefined();
    // carriers reserve 【】 for the signature: the variables carry （演练）
    expect(m.templateParams).toMatchObject({ level: '（演练）二级(暂定)', system: 'HIS', title: expect.stringMatching(/^（演练）HIS 数据库中断/) });
    expect(repeatMessage(m, 2, 'zh').spoken).toBe(`（第2次呼叫）这是一次应急演练。${real.short}`);
    const en = renderPage({ ...base, language: 'en', incident: { ...base.incident!, drill: true } });
    expect(en.spoken).toMatch(/^This is an emergency drill\. /);
    expect(en.templateParams?.level).toMatch(/^\[DRILL\]L2/);
  });
  it('never carries patient data: ID-card and phone numbers in a title are masked', () => {
    const m = renderPage(facts());
    for (const part of [m.subject, m.text, m.markdown, m.short, ...Object.values(m.templateParams ?? {})]) {
      expect(part).not.toMatch(/110101199003071234|13912345678/);
    }
    expect(scrubFreeText('身份证11010119900307123X')).toBe('身份证***');
  });
  it('a breach page says which duty is overdue; a deputy page says whom it stands in for', () => {
    const m = renderPage(facts({ page: { step: 'breach:O3.1:o1', reason: 'obligation.breached:O3.1', role: 'tech_lead', obligationId: 'o1', deputyFor: '陈静' }, person: { name: '张伟' } }));
    expect(m.text).toContain('原因：陈静 未能联系上，由您代为处理；O3.1「通知技术保障组值班人员」已超时（应于 09:05 前完成）');
    expect(m.text).toContain('向指挥部副总指挥报告（截止 09:10）');
  });
  it('renders English when asked, marks repeats, and digests several pages', () => {
    const en = renderPage(facts({ language: 'en' }));
    expect(en.text).toContain('Level: Level 2 — significant failure (provisional) — by rule L1.a: a core system');
    expect(en.text).toContain('Please (张伟): acknowledge (by 09:05); get on site (by 09:15)');
    const again = repeatMessage(renderPage(facts()), 2, 'zh');
    expect(again.subject).toMatch(/（第2次呼叫）$/);
    const d = renderDigest(
      [
        { name: '张伟', message: renderPage(facts()) },
        { name: '李娜', message: renderPage(facts({ person: { name: '李娜' } })) },
      ],
      'zh',
    );
    expect(d.subject).toBe('【呼叫汇总】2 条未单独发送的呼叫');
    expect(d.text.split('\n')).toHaveLength(4);
    expect(d.text).toContain('张伟 【二级·暂定】');
    expect(d.text).toMatch(/李娜 .*：确认收到（截止 09:05）；赶到现场/);
    expect(d.markdown).toContain('[确认收到](https://lifeline.example/a/pg_x');
  });
});
