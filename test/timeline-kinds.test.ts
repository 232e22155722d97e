// The timeline's vocabulary (src/shared/timeline-kinds.ts) holds the server's writers and the web app together:
// every kind the server writes has a renderer in the web app and a label and sentence in both locales, and every
// entry the server writes carries the parameters that sentence needs, so no screen shows the English `message`.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import i18next, { type i18n } from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportTally } from '../src/downtime/tally.js';
import { moveSession, startSession, waive } from '../src/downtime/sessions.js';
import { parseNotifyConfig } from '../src/notify/index.js';
import { writePages } from '../src/notify/paging.js';
import { advancePaging } from '../src/notify/testing.js';
import { importRoster } from '../src/people/importer.js';
import type { NormalisedSignal } from '../src/signals/types.js';
import { DELIVERY_FAILURES, DOWNTIME_CAUSES, isTimelineKind, STATE_CAUSES, TIMELINE_KINDS, timelineParams, UNREACHABLE_WHY, type TimelineKind } from '../src/shared/timeline-kinds.js';
import { RENDERED_KINDS, timelineKindLabel, timelineText, type TimelineEntryLike, type TimelineHelpers } from '../web/src/lib/timeline.js';
import en from '../web/src/i18n/en.json' with { type: 'json' };
import zhCN from '../web/src/i18n/zh-CN.json' with { type: 'json' };
import { minutes, T0, testPlatform, type TestPlatform } from './support/platform.js';

type Data = Record<string, unknown>;
const LOCALES = { 'zh-CN': zhCN, en } as const;
type Lang = keyof typeof LOCALES;
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/;
const ENGLISH = 'THE SERVER MESSAGE, IN ENGLISH';

const flat = (o: object, p = ''): string[] => Object.entries(o).flatMap(([k, v]) => (typeof v === 'object' && v ? flat(v, `${p}${k}.`) : [`${p}${k}`]));
const keys = Object.fromEntries(Object.entries(LOCALES).map(([lang, res]) => [lang, new Set(flat(res))])) as Record<Lang, Set<string>>;

/** An i18next of the web app's locales with no fallback language: a key missing in one locale is reported, not covered. */
async function translator(lang: Lang): Promise<{ i18n: i18n; missing: string[] }> {
  const missing: string[] = [];
  const instance = i18next.createInstance();
  await instance.init({
    resources: { [lang]: { translation: LOCALES[lang] } },
    lng: lang,
    fallbackLng: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    saveMissing: true,
    missingKeyHandler: (_lngs, _ns, key) => void missing.push(key),
  });
  return { i18n: instance, missing };
}

const text = (v: unknown) => (v && typeof v === 'object' && 'zh' in v ? (v as { zh: string; en: string }) : undefined);
function helpers(tr: i18n, lang: Lang): TimelineHelpers {
  const pick = (v: unknown) => (text(v) ? (lang === 'en' ? text(v)!.en : text(v)!.zh) : '');
  const names: Record<string, { zh: string; en: string }> = { HIS: { zh: '医院信息系统', en: 'Hospital information system' }, tech_oncall: { zh: '值班技术员', en: 'On-call technician' } };
  const name = (id: string) => (names[id] ? pick(names[id]) : undefined);
  return {
    t: (key, options) => String(typeof options === 'string' ? tr.t(key, { defaultValue: options }) : tr.t(key, options ?? {})),
    exists: (key) => tr.exists(key),
    pick,
    systemName: name,
    roleName: name,
    scenarioName: () => undefined,
    evidenceName: () => undefined,
    duration: (ms) => `${Math.round(ms / 1000)}s`,
    time: (ms) => new Date(ms).toISOString().slice(11, 16),
  };
}

/** One entry of each kind the way its writer makes it (the server test below checks the writers themselves). */
const SAMPLES: Record<TimelineKind, Data> = {
  'incident.opened': {},
  'incident.state': { from: 'recovering', to: 'responding', cause: 'alert_firing_again' },
  'incident.reported': { title: '门诊挂号又打不开了' },
  'incident.flapping': { reopens: 3, windowMs: 30 * 60_000, paged: false },
  'recovery.contradicted': { claimAt: T0, claimBy: '张伟', signal: 'sig_4', source: 'zabbix', system: 'HIS', component: 'db', severity: 'red', summary: 'HIS 数据库服务中断' },
  'recovery.confirmed': { claimAt: T0, claimBy: '张伟' },
  'signal.firing': { signal: 'sig_1', source: 'zabbix', severity: 'red', system: 'HIS', component: 'db', summary: 'HIS 数据库服务中断' },
  'signal.resolved': { signal: 'sig_2', source: 'zabbix', severity: 'red', system: 'HIS', component: 'db', summary: '' },
  'system.state': { system: 'HIS', component: '', state: 'down' },
  'impact.scope': { scope: 'department', since: T0 },
  'impact.scope_confirmed': { scope: 'hospital_wide' },
  'impact.scenario': { scenario: 'SOFTWARE' },
  'impact.flag': { flag: 'reports_blocked', on: true },
  'impact.tally': { category: 'emergency', count: 3 },
  'impact.national_grade': { grade: '较大' },
  'regulator.report_submitted': { obligation: 'RR.mi', to: '医保局', reference: '医保函〔2026〕12号', submittedAt: T0 },
  'level.manual': { level: 'L1', reason: '演练' },
  'level.changed': { from: 'L3', to: 'L2', provisional: true, rule: 'L2.a' },
  escalation: { escalation: 'E3to2', level: 'L2' },
  'obligation.met': { obligation: 'O3.1', by: '张伟' },
  'obligation.met_late': { obligation: 'O3.1', by: '张伟' },
  'obligation.waived': { obligation: 'O3.1', reason: '演练' },
  'obligation.ended': { obligation: 'OR.1' },
  'obligation.reopened': { obligation: 'O3.4' },
  'obligation.breached': { obligation: 'O3.1', lateMs: 65_000 },
  'duty.done': { obligation: 'OM.1', note: null },
  'page.requested': { role: 'tech_oncall', obligation: 'O3.1' },
  'page.queued': { role: 'tech_oncall', person: 'p1', name: '陈静', channels: ['wecom', 'sms'], deputyRank: 1, deputyFor: '张伟', deputyForRole: null },
  'page.not_sent': { role: 'tech_oncall', person: 'p1', name: '张伟' },
  'page.unreachable': { role: 'tech_oncall', person: 'p1', name: '张伟', why: 'no_address', lacking: ['sms'], deputies: 1 },
  'page.unstaffed': { role: 'tech_oncall', deputies: 0 },
  'page.sent': { channel: 'wecom', kind: 'wecom-app', person: 'p1', name: '张伟', round: 2 },
  'page.retry': { channel: 'sms', kind: 'sms-aliyun', person: 'p1', name: '张伟', failure: 'channel', reason: 'HTTP 503', retryAt: T0 },
  'page.failed': { channel: 'sms', kind: 'sms-aliyun', person: 'p1', name: '张伟', failure: 'channel', reason: 'Aliyun SMS: HTTP 403' },
  'page.repeat': { role: 'tech_oncall', person: 'p1', round: 2, limit: 3 },
  'page.answered': { person: 'p1', role: 'tech_oncall', action: 'acknowledge' },
  'page.acknowledged': { person: 'p1', name: '张伟', role: 'tech_oncall', action: 'acknowledge', via: 'app', pages: 1 },
  'signal.acknowledged': { signal: 'sig_3', source: 'zabbix', author: 'ops', summary: null },
  'checklist.done': { item: 'T3.1', group: 'tech', text: { zh: '确认故障范围', en: 'Confirm the scope' } },
  'checklist.undone': { item: 'T3.1', group: 'tech', text: { zh: '确认故障范围', en: 'Confirm the scope' } },
  'checklist.assigned': { item: 'T3.1', group: 'tech', text: { zh: '确认故障范围', en: 'Confirm the scope' }, assignee: '张伟' },
  'downtime.started': { businessLine: 'registration', line: { zh: '挂号', en: 'Registration' }, department: 'OPD_REG', departmentName: { zh: '门诊挂号收费处', en: 'Outpatient registration' } },
  'downtime.state': {
    from: 'reconciled',
    to: 'back_entry',
    cause: 'late_record',
    record: 'RG-000001',
    businessLine: 'registration',
    line: { zh: '挂号', en: 'Registration' },
    department: 'OPD_REG',
    departmentName: { zh: '门诊挂号收费处', en: 'Outpatient registration' },
  },
  'downtime.waived': {
    state: 'back_entry',
    reason: '演练',
    businessLine: 'registration',
    line: { zh: '挂号', en: 'Registration' },
    department: 'OPD_REG',
    departmentName: { zh: '门诊挂号收费处', en: 'Outpatient registration' },
  },
  'downtime.tally': { department: 'OPD_REG', departmentName: { zh: '门诊挂号收费处', en: 'Outpatient registration' }, counts: { emergency: 2, outpatient: 10 } },
  'review.updated': { fields: ['summary', 'rootCause'] },
  'corrective_action.added': { action: 'ca_1', title: '为 HIS 数据库增加主备切换演练', owner: 'p1', ownerName: '张伟', due: '2026-04-01' },
  'corrective_action.changed': { action: 'ca_1', title: '为 HIS 数据库增加主备切换演练', fields: ['due'], due: '2026-04-15' },
  'corrective_action.done': { action: 'ca_1', title: '为 HIS 数据库增加主备切换演练', note: '已完成演练' },
  'corrective_action.reopened': { action: 'ca_1', title: '为 HIS 数据库增加主备切换演练' },
  'feedback.answered': { feedback: 'fb_1', service: 'payment', answer: '已加开两个人工收费窗口' },
  'drill.started': { runId: 'drr_1', timeFactor: 10 },
  'drill.paused': { runId: 'drr_1' },
  'drill.resumed': { runId: 'drr_1' },
  'drill.ended': { runId: 'drr_1' },
};

/** The parameters of `kind` missing from `data` (`a|b`: one of them). */
function missingParams(kind: string, data: unknown): string[] {
  const d = data && typeof data === 'object' ? (data as Data) : {};
  return (timelineParams(kind) ?? []).filter((p) => !p.split('|').some((k) => Object.hasOwn(d, k)));
}

describe('timeline kinds: the server list, the web renderer and both locales agree', () => {
  it('the web app renders exactly the kinds the server writes', () => {
    expect([...RENDERED_KINDS].sort()).toEqual([...TIMELINE_KINDS].sort());
    expect(new Set(TIMELINE_KINDS).size).toBe(TIMELINE_KINDS.length);
  });

  it.each(Object.keys(LOCALES) as Lang[])('%s has a label for every kind, the generic label, and every code a sentence names', (lang) => {
    const k = keys[lang];
    expect(TIMELINE_KINDS.filter((kind) => !k.has(`timelineKind.${kind}`))).toEqual([]);
    expect(k.has('timelineKind.unknown') && k.has('tl.unknown')).toBe(true);
    expect(STATE_CAUSES.filter((c) => !k.has(`tl.stateCause.${c}`))).toEqual([]);
  });

  it.each(Object.keys(LOCALES) as Lang[])('%s: every kind is said from kind + data, with no key missing and never the English message', async (lang) => {
    const { i18n: tr, missing } = await translator(lang);
    const h = helpers(tr, lang);
    for (const kind of TIMELINE_KINDS) {
      expect(missingParams(kind, SAMPLES[kind]), `sample of ${kind}`).toEqual([]);
      const said = timelineText({ kind, actor: 'paging', message: ENGLISH, data: SAMPLES[kind] } as TimelineEntryLike, h);
      expect(said, kind).not.toContain(ENGLISH);
      expect(said.trim(), kind).not.toBe('');
      if (lang === 'zh-CN') expect(said, `${kind}: ${said}`).toMatch(CJK);
      expect(timelineKindLabel(kind, h), kind).not.toBe(tr.t('timelineKind.unknown'));
    }
    // every code of a parameter, and an action
    const variants: TimelineEntryLike[] = [
      ...UNREACHABLE_WHY.map((why) => ({ kind: 'page.unreachable', actor: 'paging', data: { ...SAMPLES['page.unreachable'], why, lacking: [] } })),
      ...DELIVERY_FAILURES.map((failure) => ({
        kind: 'page.failed',
        actor: 'paging',
        data: { ...SAMPLES['page.failed'], failure, ...(failure === 'channel_removed' && { reason: 'channel sms is no longer configured' }) },
      })),
      ...DOWNTIME_CAUSES.map((cause) => ({ kind: 'downtime.state', actor: 'a', data: { ...SAMPLES['downtime.state'], cause } })),
      { kind: 'page.queued', actor: 'paging', data: { ...SAMPLES['page.queued'], deputyFor: null, deputyForRole: 'tech_oncall' } },
      { kind: 'checklist.assigned', actor: 'a', data: { ...SAMPLES['checklist.assigned'], assignee: null } },
      { kind: 'action.acknowledge', actor: '张伟', data: { action: 'acknowledge', note: '在路上' } },
    ];
    for (const e of variants) {
      const said = timelineText(e, h);
      if (lang === 'zh-CN') expect(said, `${e.kind}: ${said}`).toMatch(CJK);
      if (lang === 'zh-CN') expect(said).not.toMatch(/not in the directory|marked inactive|no address|no longer configured|late paper record/);
    }
    expect(missing).toEqual([]);
  });

  it.each(Object.keys(LOCALES) as Lang[])('%s: the response loop says who claimed a recovery, what contradicts it, and since when a fact holds', async (lang) => {
    const { i18n: tr, missing } = await translator(lang);
    const h = helpers(tr, lang);
    const say = (kind: string, data: Data) => timelineText({ kind, actor: '张伟', data }, h);
    // a person's claim contradicted by live evidence: who, when, which tool, what it still reports
    const contradicted = say('recovery.contradicted', SAMPLES['recovery.contradicted']);
    for (const part of ['张伟', '01:00', 'zabbix', 'HIS 数据库服务中断', lang === 'en' ? 'Hospital information system' : '医院信息系统']) expect(contradicted).toContain(part);
    expect(say('recovery.confirmed', SAMPLES['recovery.confirmed'])).toContain('01:00');
    // a back-dated fact says since when; one recorded as of now does not
    const since = lang === 'en' ? '(since 01:00)' : '（自 01:00 起）';
    for (const kind of ['impact.scope', 'impact.flag', 'impact.scenario'] as const) {
      const data = { ...SAMPLES[kind], since: T0 };
      expect(say(kind, data), kind).toContain(since);
      expect(say(kind, { ...data, since: undefined }), kind).not.toContain(since);
    }
    // each automatic cause of a state change has its own words; an escalation without a level still reads
    const causes = STATE_CAUSES.map((cause) => say('incident.state', { from: 'recovering', to: 'responding', cause }));
    expect(new Set(causes).size).toBe(STATE_CAUSES.length);
    STATE_CAUSES.forEach((cause, i) => expect(causes[i].endsWith(` — ${cause}`), causes[i]).toBe(false));
    expect(say('escalation', { escalation: 'E3to2', level: null })).toContain('E3to2');
    const flapping = say('incident.flapping', SAMPLES['incident.flapping']);
    expect(flapping).toContain('3');
    expect(flapping).not.toBe(say('incident.flapping', { ...SAMPLES['incident.flapping'], paged: true }));
    expect(missing).toEqual([]);
  });

  it('a kind of a newer server is shown as the generic label with its code, not its message', async () => {
    const { i18n: tr } = await translator('zh-CN');
    const h = helpers(tr, 'zh-CN');
    const e = { kind: 'quantum.entangled', actor: 'system', message: ENGLISH, data: { x: 1 } };
    expect(timelineText(e, h)).toBe(tr.t('tl.unknown', { kind: 'quantum.entangled' }));
    expect(timelineText(e, h)).toMatch(CJK);
    expect(timelineKindLabel(e.kind, h)).toBe(zhCN.timelineKind.unknown);
    expect(isTimelineKind(e.kind)).toBe(false);
  });
});

// ---- the writers --------------------------------------------------------------------------------------------

const iso = (ms: number) => new Date(ms).toISOString();
const hisDown: NormalisedSignal = { source: 'zabbix', system: 'HIS', component: 'db', severity: 'red', status: 'firing', summary: 'HIS 数据库服务中断', dedupKey: 'zbx-his' };

describe('every timeline entry the server writes is of a listed kind and carries its parameters (sqlite)', () => {
  let p: TestPlatform;
  let hook: http.Server;
  let calls = 0;
  let entries: { kind: string; actor: string; message: string; data: string | null }[] = [];

  beforeAll(async () => {
    // a paging gateway behind a webhook: the first request is refused (a retry), the rest accepted
    hook = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        calls++;
        res.writeHead(calls === 1 ? 503 : 200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}`;
    const notify = parseNotifyConfig({
      channels: {
        hook: { kind: 'webhook', config: { url } },
        sms: { kind: 'sms-aliyun', config: { accessKeyId: 'LTAI5tTimelineTest', accessKeySecret: 'timeline-secret-0123456789', signName: '测试医院', templateCode: 'SMS_123456789', endpoint: url } },
      },
      routing: { default: ['hook'], roles: { hq_member: ['sms'] } },
      retry: { first: 'PT5S', max: 'PT1M', attempts: 4 },
    });
    p = await testPlatform('sqlite', undefined, { notify, secret: 'timeline-secret-0123456789' });
    const paging = p.paging;
    await paging.start();
    const roster = fs.readFileSync(new URL('../docs/samples/roster.xlsx', import.meta.url));
    expect(await importRoster(p.db, paging.people.store, p.plan, roster, { filename: 'roster.xlsx' })).toMatchObject({ applied: true, errors: [] });
    await p.engine.ensureDuties();
    const signal = async (s: NormalisedSignal) => {
      await p.signals.append([{ ...s, at: iso(p.clock.now()) }]);
      await p.engine.processPending();
      await paging.worker.idle();
    };
    const write = (role: string, at: number, reason = 'incident.opened', incidentId: string | null = his) =>
      p.db.transaction().execute((trx) => writePages(trx, [{ incidentId, role, reason, at }], { plan: p.plan, config: paging.config, timezone: 'Asia/Shanghai', now: p.clock.now() }));

    // an alert opens an incident and pages the on-call technician (the first delivery is retried)
    await signal(hisDown);
    const his = (await p.incidents.list({ state: 'all' }))[0].id;
    await advancePaging(p, paging, 10_000);
    // a person opens one, with its impact; actions, a waiver, a level set by hand
    const lis = await p.engine.openIncident(
      { title: 'LIS 报告无法出具', systems: [{ system: 'LIS', state: 'degraded' }], impact: { scope: 'department', scenario: 'SOFTWARE', flags: ['reports_blocked'], tally: { emergency: 3 } } },
      '值班主任',
    );
    await p.engine.act(lis, { type: 'acknowledge', note: '在处理' } as never, '张伟', 'tech_oncall');
    await p.engine.act(lis, { type: 'waive', obligation: 'O3.2', reason: '远程处理' } as never, '赵刚', 'commander');
    await p.engine.act(lis, { type: 'set_level', level: 'L1', reason: '演练：全院响应' } as never, '赵刚', 'commander');
    // the page link answered
    const page = await p.db
      .selectFrom('notify_pages')
      .select(['id', 'expires_at'])
      .where('incident_id', '=', his)
      .where('state', '=', 'queued')
      .where('person_id', 'is not', null)
      .executeTakeFirstOrThrow();
    await paging.answer(paging.ackLink(page.id, page.expires_at).split('/a/')[1], 'acknowledge');
    // nobody holds the role (after the sample week); the holder is inactive; a holder with no address for the role's channel
    await write('tech_oncall', T0 + 10 * 24 * 3600_000);
    const zhang = await paging.people.store.find('1001');
    await paging.people.store.update(zhang.id, { active: false });
    await write('tech_oncall', T0, 'level.reached:L1');
    const nobody = await paging.people.store.create({ name: '无手机号' });
    await paging.people.store.assign('hq_member', [nobody.id], []);
    await write('hq_member', T0, 'level.reached:L1');
    // the monitoring tool: acknowledged, resolved, firing again
    await signal({ ...hisDown, dedupKey: 'zbx-his-ack', labels: { lifeline_ack: 'true', lifeline_ack_of: 'zbx-his', author: 'ops' }, summary: '已知，处理中' });
    await signal({ ...hisDown, status: 'resolved' });
    await signal(hisDown);
    // checklists
    const groups = (await p.checklists.list(his)).groups;
    const item = groups.flatMap((g) => g.items).find((i) => !i.obligation)!; // an obligation's item is ticked by its evidence
    await p.checklists.change(his, item.itemId, { done: true, assignee: nobody.id }, '陈静'); // an active person of the directory (张伟 was made inactive above)
    await p.checklists.change(his, item.itemId, { done: false, assignee: null }, '陈静');
    // manual mode
    const sid = await startSession(p.downtime, his, { businessLine: 'registration', department: 'OPD_REG' }, 'liaison-a');
    await reportTally(p.downtime, his, { department: 'OPD_REG', counts: { emergency: 2 } }, 'liaison-a');
    await p.engine.act(his, { type: 'restore' } as never, '张伟', 'tech_oncall');
    await moveSession(p.downtime, sid, 'recovery', 'liaison-a');
    await waive(p.downtime, his, { reason: '演练' }, '赵刚');
    // time: deadlines missed, escalations, repeats, the hourly round missed, then done
    await advancePaging(p, paging, minutes(70));
    await p.engine.completeDuty('OM.1', '陈静');
    entries = await p.db.selectFrom('timeline').select(['kind', 'actor', 'message', 'data']).execute();
  }, 120_000);
  afterAll(async () => {
    await p?.dispose();
    await new Promise((r) => hook?.close(r));
  });

  it('covers the kinds of these flows', () => {
    const written = new Set(entries.map((e) => e.kind));
    const expected: TimelineKind[] = [
      'incident.opened',
      'incident.state',
      'signal.firing',
      'signal.resolved',
      'signal.acknowledged',
      'system.state',
      'impact.scope',
      'impact.scenario',
      'impact.flag',
      'impact.tally',
      'level.manual',
      'level.changed',
      'escalation',
      'obligation.met',
      'obligation.waived',
      'obligation.breached',
      'duty.done',
      'page.requested',
      'page.queued',
      'page.unreachable',
      'page.unstaffed',
      'page.sent',
      'page.retry',
      'page.repeat',
      'page.answered',
      'checklist.done',
      'checklist.undone',
      'checklist.assigned',
      'downtime.started',
      'downtime.state',
      'downtime.waived',
      'downtime.tally',
    ];
    expect(expected.filter((k) => !written.has(k))).toEqual([]);
    expect([...written].some((k) => k.startsWith('action.'))).toBe(true);
  });

  it('each entry is of a listed kind, with data holding every parameter its sentence needs', () => {
    expect(entries.length).toBeGreaterThan(50);
    const bad = entries.flatMap((e) => {
      if (!isTimelineKind(e.kind)) return [`${e.kind}: not in TIMELINE_PARAMS`];
      if (e.data === null) return [`${e.kind}: data is null (${e.message})`];
      const miss = missingParams(e.kind, JSON.parse(e.data));
      return miss.length ? [`${e.kind}: no ${miss.join(', ')} in ${e.data}`] : [];
    });
    expect(bad).toEqual([]);
  });

  it('codes, not English, say why: the paging reasons and the automatic state change', () => {
    const data = (kind: string) => entries.filter((e) => e.kind === kind).map((e) => JSON.parse(e.data!) as Data);
    expect(new Set(data('page.unreachable').map((d) => d.why))).toEqual(new Set(['inactive', 'no_address']));
    expect(data('page.unreachable').find((d) => d.why === 'no_address')).toMatchObject({ lacking: ['sms'] });
    expect(data('incident.state')).toContainEqual(expect.objectContaining({ to: 'responding', cause: 'alert_firing_again' }));
    expect(data('page.retry')[0]).toMatchObject({ failure: 'channel' });
    for (const e of entries) expect(e.data, e.kind).not.toMatch(/not in the directory|marked inactive|no address for|alert firing again|late paper record/);
  });

  it.each(Object.keys(LOCALES) as Lang[])('%s: the web app says each written entry without its message and without a missing key', async (lang) => {
    const { i18n: tr, missing } = await translator(lang);
    const h = helpers(tr, lang);
    for (const e of entries) {
      const said = timelineText({ kind: e.kind, actor: e.actor, data: e.data ? JSON.parse(e.data) : null }, h);
      if (lang === 'zh-CN') expect(said, `${e.kind}: ${said}`).toMatch(CJK);
      if (lang === 'zh-CN') expect(said.includes(e.message), `${e.kind}: "${said}" holds "${e.message}"`).toBe(false);
    }
    expect([...new Set(missing)]).toEqual([]);
  });
});
