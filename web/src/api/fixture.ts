// DEV ONLY (VITE_LIFELINE_FIXTURE=1 with `vite` dev server): a tiny in-browser stand-in for /api/v1 with the
// binding shapes, so screens can be built before the server lands. Never bundled into `vite build`
// (client.ts imports it behind `import.meta.env.DEV`).
import type { AckInfo, Delivery, Incident, LoginResponse, Plan, Session, SessionUser, Signal } from './types';

const MIN = 60_000;
const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
const T = (zh: string, en: string) => ({ zh, en });

// The parts of the contract's shapes these screens do not show get their plain defaults here.
type Ob = Incident['obligations'][number];
const obligation = (o: Pick<Ob, 'id' | 'ruleId' | 'actorRole' | 'action' | 'dueAt' | 'state'> & Partial<Ob>): Ob => ({
  scaledFrom: null,
  metAt: null,
  metBy: null,
  breachedAt: null,
  lateMs: null,
  reason: null,
  sequence: 0,
  triggeredAt: iso(now - 37 * MIN),
  ...o,
});
type Change = Incident['levelHistory'][number];
const change = (c: Omit<Change, 'actor' | 'reason'> & Partial<Change>): Change => ({ actor: null, reason: null, ...c });
type Entry = Incident['timeline'][number];
const entry = (e: Omit<Entry, 'data'>): Entry => ({ data: null, ...e });
const signal = (x: Pick<Signal, 'id' | 'source' | 'severity' | 'status' | 'summary' | 'host' | 'at'> & Partial<Signal>): Signal => ({
  system: null,
  component: '',
  dedupKey: x.id,
  labels: {},
  metric: null,
  receivedAt: x.at,
  processed: true,
  outcome: x.system ? 'attached' : 'unmapped',
  incidentId: null,
  ...x,
});

const plan: Plan = {
  id: 'hospital-it-emergency',
  version: '0.1.0-draft',
  title: T('医院信息化应急预案（默认）', 'Hospital IT emergency plan (default)'),
  systems: [
    { id: 'HIS', name: T('医院信息系统', 'Hospital information system'), category: 'core', patientFacing: true, prov: 'typical' },
    { id: 'EMR', name: T('电子病历系统', 'Electronic medical record'), category: 'core', patientFacing: false, prov: 'typical' },
    { id: 'MI_SETTLEMENT', name: T('医保结算系统', 'Medical-insurance settlement'), category: 'core', patientFacing: true, prov: 'typical' },
    { id: 'PACS', name: T('影像归档与通信系统', 'PACS'), category: 'key', patientFacing: false, prov: 'typical' },
    { id: 'LIS', name: T('检验信息系统', 'Laboratory information system'), category: 'medtech', patientFacing: false, prov: 'typical' },
    { id: 'APPOINTMENT', name: T('预约挂号平台', 'Appointment platform'), category: 'business', patientFacing: true, prov: 'typical' },
    { id: 'MOBILE_NURSING', name: T('移动护理系统', 'Mobile nursing'), category: 'business', patientFacing: false, prov: 'typical' },
    { id: 'DB_PRIMARY', name: T('核心数据库', 'Core database'), category: 'infra', patientFacing: false, prov: 'typical' },
    { id: 'NET_CORE', name: T('核心网络', 'Core network'), category: 'infra', patientFacing: false, prov: 'typical' },
  ],
  roles: [
    { id: 'commander', name: T('总指挥', 'Commander'), prov: 'seed' },
    { id: 'deputy_commander', name: T('副总指挥', 'Deputy commander'), prov: 'seed' },
    { id: 'monitoring_post', name: T('监控岗', 'Monitoring post'), prov: 'seed' },
    { id: 'tech_oncall', name: T('技术保障组值班人员', 'Technical on-duty engineer'), prov: 'seed' },
    { id: 'tech_lead', name: T('技术保障组组长', 'Technical group lead'), prov: 'seed' },
  ],
  groups: [{ id: 'tech', name: T('技术保障组', 'Technical support group'), lead: 'tech_lead', duties: [] }],
  scenarios: [
    { id: 'HARDWARE', name: T('硬件故障', 'Hardware failure') },
    { id: 'SOFTWARE', name: T('软件异常', 'Software abnormality') },
    { id: 'CYBER', name: T('网络安全事件', 'Cyber-security event') },
  ],
  levels: [
    {
      id: 'L1',
      default: false,
      name: T('一级事件（重大故障）', 'Level 1 — major failure'),
      criteria: [
        { id: 'L1.a', prov: 'seed:二(二) 一级①', summary: T('全院核心系统全面瘫痪超过2小时', 'hospital-wide core systems totally down for more than 2 h'), duration: { gt: 'PT2H' }, when: {} },
        { id: 'L1.c', prov: 'seed:二(二) 一级③', summary: T('数据泄露、勒索等网络安全事件', 'data leak, ransomware or similar security event'), when: {} },
      ],
    },
    {
      id: 'L2',
      default: false,
      name: T('二级事件（较大故障）', 'Level 2 — significant failure'),
      criteria: [
        { id: 'L2.a', prov: 'seed:二(二) 二级①', summary: T('部分业务系统异常影响部分科室运转超过1小时', 'some business systems abnormal for more than 1 h'), duration: { gt: 'PT1H' }, when: {} },
      ],
    },
    {
      id: 'L3',
      default: true,
      name: T('三级事件（一般故障）', 'Level 3 — ordinary failure'),
      criteria: [{ id: 'L3.a', prov: 'seed:二(二) 三级', summary: T('局部功能异常，30分钟内可恢复', 'local malfunction, fixed within 30 min'), when: {} }],
    },
  ],
  evidence: [
    { id: 'acknowledge', name: T('收到并确认通知', 'Acknowledge the notification') },
    { id: 'check_in', name: T('到场签到', 'Check in on site') },
    { id: 'restore', name: T('恢复服务', 'Restore service') },
    { id: 'report', name: T('口头或书面报告', 'Report') },
    { id: 'backup_started', name: T('启用备用设备或说明无需启用', 'Start backup equipment') },
    { id: 'announcement_published', name: T('发布公告', 'Publish an announcement') },
  ],
  thresholds: [],
  escalations: [{ id: 'E3to2', prov: 'seed:三(二)1', when: { obligation_breached: 'O3.3' }, then: { set_level_at_least: 'L2' } }],
  obligations: [
    {
      id: 'O3.1',
      prov: 'seed:三(二)1',
      trigger: 'incident.opened',
      actor: 'monitoring_post',
      action: T('通知技术保障组值班人员', 'notify the technical on-duty engineer'),
      anchor: 'detected_at',
      within: 'PT5M',
      evidence: 'notification_acknowledged',
    },
    { id: 'O3.2', prov: 'seed:三(二)1', trigger: 'incident.opened', actor: 'tech_oncall', action: T('到达现场', 'arrive on site'), anchor: 'notified_at', within: 'PT10M', evidence: 'onsite_checkin' },
    { id: 'O2.5', prov: 'inferred', trigger: 'level.reached:L2', actor: 'tech_lead', action: T('定时向指挥部报告进展', 'report progress to HQ'), recurring: 'PT30M' },
  ],
};

const incidents: Incident[] = [
  {
    id: '1',
    drill: null,
    title: 'HIS 挂号模块中断',
    state: 'responding',
    level: 'L2',
    provisional: true,
    decidedBy: 'L2.a',
    nextChange: { at: iso(now + 83 * MIN), level: 'L1', rule: 'L1.a' },
    systems: [
      { system: 'HIS', component: 'registration', state: 'down', since: iso(now - 37 * MIN) },
      { system: 'APPOINTMENT', state: 'degraded', since: iso(now - 30 * MIN) },
    ],
    scope: 'hospital_wide',
    scopeAssumed: true,
    flagsSince: { department_operations_affected: iso(now - 35 * MIN) },
    outage: 1,
    recoveryClaim: null,
    flapping: null,
    flags: ['department_operations_affected'],
    nationalGrade: null,
    tallies: { outpatient: 120, emergency: 8 },
    scenario: 'SOFTWARE',
    detectedAt: iso(now - 37 * MIN),
    openedAt: iso(now - 36 * MIN),
    recoveredAt: null,
    closedAt: null,
    planVersion: '0.1.0-draft',
    alerts: [],
    levelHistory: [
      change({ at: iso(now - 36 * MIN), level: 'L3', provisional: false, rule: 'L3.a' }),
      change({ at: iso(now - 6 * MIN), level: 'L2', provisional: true, rule: 'E3to2', reason: 'O3.3 breached' }),
    ],
    obligations: [
      obligation({
        id: 'ob1',
        ruleId: 'O3.1',
        actorRole: 'monitoring_post',
        action: T('通知技术保障组值班人员', 'notify the technical on-duty engineer'),
        dueAt: iso(now - 32 * MIN),
        state: 'met',
        metAt: iso(now - 34 * MIN),
        metBy: '张伟',
      }),
      obligation({ id: 'ob2', ruleId: 'O3.2', actorRole: 'tech_oncall', action: T('到达现场', 'arrive on site'), dueAt: iso(now - 2 * MIN), state: 'pending' }),
      obligation({ id: 'ob3', ruleId: 'O2.1', actorRole: 'tech_lead', action: T('向副总指挥报告', 'report to the deputy commander'), dueAt: iso(now + 4 * MIN), state: 'pending' }),
      obligation({
        id: 'ob4',
        ruleId: 'O3.3',
        actorRole: 'tech_oncall',
        action: T('完成故障排查并恢复', 'finish troubleshooting'),
        dueAt: iso(now - 6 * MIN),
        state: 'breached',
        breachedAt: iso(now - 6 * MIN),
        lateMs: 6 * MIN,
      }),
    ],
    timeline: [
      entry({ id: 't1', at: iso(now - 37 * MIN), actor: 'zabbix', kind: 'signal.firing', message: 'HIS-APP-01 挂号服务无响应（红色）' }),
      entry({ id: 't2', at: iso(now - 36 * MIN), actor: 'system', kind: 'incident.opened', message: '立案：三级（L3.a）' }),
      entry({ id: 't3', at: iso(now - 34 * MIN), actor: '张伟', kind: 'action.acknowledge', message: '值班工程师确认收到' }),
      entry({ id: 't4', at: iso(now - 6 * MIN), actor: 'system', kind: 'level.changed', message: 'O3.3 超时，升级为二级（暂定）' }),
    ],
  },
  {
    id: '2',
    drill: null,
    title: '三楼医生工作站登录缓慢',
    state: 'responding',
    level: 'L3',
    provisional: false,
    decidedBy: 'L3.a',
    nextChange: null,
    systems: [{ system: 'EMR', component: '3F workstations', state: 'degraded', since: iso(now - 4 * MIN) }],
    scope: 'floor',
    scopeAssumed: false,
    flagsSince: {},
    outage: 1,
    recoveryClaim: null,
    flapping: null,
    flags: [],
    nationalGrade: null,
    tallies: {},
    scenario: null,
    detectedAt: iso(now - 4 * MIN),
    openedAt: iso(now - 4 * MIN),
    recoveredAt: null,
    closedAt: null,
    planVersion: '0.1.0-draft',
    alerts: [],
    levelHistory: [change({ at: iso(now - 4 * MIN), level: 'L3', provisional: false, rule: 'L3.a' })],
    obligations: [
      obligation({
        id: 'ob5',
        ruleId: 'O3.1',
        actorRole: 'monitoring_post',
        action: T('通知技术保障组值班人员', 'notify the technical on-duty engineer'),
        dueAt: iso(now + 1 * MIN),
        state: 'pending',
      }),
    ],
    timeline: [entry({ id: 't5', at: iso(now - 4 * MIN), actor: '李娜', kind: 'incident.opened', message: '护士站报告登录缓慢' })],
  },
];

const deliveries: Record<string, Delivery[]> = {
  '1': [
    {
      id: 'd1',
      channel: 'sms',
      kind: 'sms-aliyun',
      person: '张伟',
      personId: 'p1',
      role: 'tech_oncall',
      step: 'opened',
      deputyRank: 0,
      round: 1,
      status: 'sent',
      attempts: 1,
      at: iso(now - 36 * MIN),
      sentAt: iso(now - 36 * MIN),
      ackAt: iso(now - 34 * MIN),
      error: null,
      digest: null,
    },
    {
      id: 'd2',
      channel: 'wecom',
      kind: 'wecom-app',
      person: '李强',
      personId: 'p2',
      role: 'tech_lead',
      step: 'breach:O3.3:ob4',
      deputyRank: 0,
      round: 1,
      status: 'failed',
      attempts: 3,
      at: iso(now - 6 * MIN),
      sentAt: null,
      ackAt: null,
      error: 'timeout',
      digest: null,
    },
  ],
};

const signals: Signal[] = [
  signal({ id: 's1', source: 'zabbix', system: 'HIS', severity: 'red', status: 'firing', summary: '挂号服务无响应', host: 'his-app-01', at: iso(now - 37 * MIN), incidentId: '1' }),
  signal({ id: 's2', source: 'alertmanager', severity: 'orange', status: 'firing', summary: 'CPU 使用率 93%', host: 'srv-unknown-17', at: iso(now - 9 * MIN) }),
];

const userNamed = (name: string): SessionUser => ({
  name,
  username: name,
  role: 'admin',
  roleName: { zh: '系统管理员', en: 'Administrator' },
  planRole: 'deputy_commander',
  person: null,
  kind: 'session',
  permissions: ['*'],
});
let sessionUser: SessionUser | null = userNamed('王主任');

const ackInfo = (): AckInfo => {
  const i = incidents[0];
  return {
    incident: { id: i.id, title: i.title, level: i.level, provisional: i.provisional, state: i.state },
    recipient: { name: '张伟' },
    role: { id: 'tech_oncall', name: T('技术保障组值班人员', 'Technical on-duty engineer') },
    actions: [
      { action: 'acknowledge', label: T('收到', 'Acknowledge'), done: false, at: null },
      { action: 'check_in', label: T('已到场', 'On site'), done: false, at: null },
    ],
    expiresAt: iso(Date.now() + 60 * MIN),
  };
};

function json(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
}
const problem = (status: number, code: string, detail: string) => json(status, { title: code, status, code, detail });

export async function fixtureFetch(url: string, init: RequestInit): Promise<Response> {
  await new Promise((r) => setTimeout(r, 80));
  const u = new URL(url, window.location.origin);
  const path = u.pathname.replace(/^\/api\/v1/, '');
  const method = init.method ?? 'GET';
  const body = init.body ? JSON.parse(String(init.body)) : {};
  if (path === '/auth/login' && method === 'POST') {
    if (body.password !== 'lifeline') return problem(401, 'UNAUTHORIZED', '用户名或密码错误');
    sessionUser = userNamed(body.username);
    return json(200, { csrfToken: 'fixture-csrf', user: sessionUser, expiresAt: iso(Date.now() + 12 * 60 * MIN) } satisfies LoginResponse);
  }
  if (path === '/auth/logout') {
    sessionUser = null;
    return json(204, undefined);
  }
  if (path.startsWith('/ack/')) return method === 'POST' ? json(200, { ok: true }) : json(200, ackInfo());
  if (!sessionUser) return problem(401, 'UNAUTHORIZED', 'not signed in');
  if (path === '/session') return json(200, { user: sessionUser, csrfToken: 'fixture-csrf' } satisfies Session);
  if (path === '/plan') return json(200, plan);
  if (path === '/plan/check') return json(200, { errors: [], warnings: [{ path: 'obligations[O1.4].within', message: 'no sector deadline verified — hospital must set' }] });
  if (path === '/oncall/now') return problem(404, 'NOT_FOUND', 'not yet');
  if (path === '/incidents' && method === 'GET') return json(200, { items: u.searchParams.get('state') === 'all' ? incidents : incidents.filter((i) => i.state !== 'closed') });
  if (path === '/signals') return json(200, { items: u.searchParams.get('unmapped') ? signals.filter((s) => !s.system) : signals });
  const sm = /^\/signals\/([^/]+)\/map$/.exec(path);
  if (sm) {
    const s = signals.find((x) => x.id === sm[1]);
    if (s) s.system = body.system;
    return json(200, s);
  }
  const m = /^\/incidents\/([^/]+)(\/actions|\/impact|\/deliveries)?$/.exec(path);
  const incident = m && incidents.find((i) => i.id === m[1]);
  if (m && !incident) return problem(404, 'INCIDENT_NOT_FOUND', `incident ${m[1]} not found`);
  if (incident && !m![2]) return json(200, incident);
  if (incident && m![2] === '/deliveries') return json(200, { items: deliveries[incident.id] ?? [] });
  if (incident && m![2] === '/actions') {
    const at = iso(Date.now());
    if (body.type === 'set_level') {
      incident.level = body.level;
      incident.provisional = false;
      incident.decidedBy = 'manual';
      incident.levelHistory.push({ at, level: body.level, provisional: false, rule: 'manual', actor: sessionUser.name, reason: body.reason });
    }
    if (body.type === 'waive') {
      const o = incident.obligations.find((x) => x.id === body.obligation);
      if (o) o.state = 'waived';
    }
    if (body.type === 'close') {
      incident.state = 'closed';
      incident.closedAt = at;
    }
    if (body.type === 'restore') incident.state = 'recovering';
    incident.timeline.push(entry({ id: `t${Date.now()}`, at, actor: sessionUser.name, kind: `action.${body.type}`, message: body.reason ?? body.type }));
    return json(200, incident);
  }
  if (incident && m![2] === '/impact') {
    Object.assign(incident, {
      scope: body.scope ?? incident.scope,
      flags: body.flags ?? incident.flags,
      scenario: body.scenario ?? incident.scenario,
      tallies: { ...incident.tallies, ...body.tally },
    });
    for (const sys of body.systems ?? []) {
      const row = incident.systems.find((x) => x.system === sys.system);
      if (row) row.state = sys.state;
      else incident.systems.push(sys);
    }
    return json(200, incident);
  }
  return problem(404, 'NOT_FOUND', `${method} ${path} is not in the fixture`);
}
