/**
 * Messages are rendered once per page, here, and then formatted per channel by the adapters
 * (src/notify/channels). A page says: the incident, its level with the plan rule that decided it, the
 * systems and their state, why this person is paged, what is asked of them and by when (their role's
 * pending obligations), and the acknowledgement link. Chinese by default. Patient data is never included:
 * no tallies, no names of patients; ID-card and phone numbers in free text (titles) are masked. Pure.
 */
import type { Plan, Text } from '../plan/types.js';
import { localTime } from '../people/zoned.js';
import type { RenderedMessage } from './types.js';

export type Language = 'zh' | 'en';

export interface IncidentFacts {
  id: string;
  title: string;
  level: string;
  provisional: boolean;
  decidedBy: string;
  state: string;
  systems: { system: string; component: string; state: string }[];
  obligations: { id: string; ruleId: string; actorRole: string; state: string; dueAt: number | null }[];
  /** A drill's incident (src/drills): every message about it is marked with the plan's drill prefix. */
  drill?: boolean;
}

export interface PageFacts {
  language: Language;
  timezone: string;
  plan: Plan;
  incident: IncidentFacts | null;
  /** deputyFor: the name of the person this page stands in for; '' when nobody held the role. */
  page: { step: string; reason: string; role: string; obligationId: string | null; deputyFor?: string | null };
  person: { name: string };
  links: { ack?: string; incident?: string };
}

/** Components a message names at most. */
const LISTED_COMPONENTS = 8;

const SENSITIVE = [/\b\d{17}[\dXx]\b/g, /\b\d{15}\b/g, /(?<!\d)(?:\+?86)?1[3-9]\d{9}(?!\d)/g];

/** Masks ID-card and mobile numbers that a person may have typed into a title. */
export function scrubFreeText(text: string): string {
  return SENSITIVE.reduce((t, re) => t.replace(re, '***'), text);
}

const L = (language: Language, t: Text) => (language === 'zh' ? t.zh : t.en);

const WORDS = {
  zh: {
    level: '级别',
    systems: '系统',
    why: '原因',
    ask: '请您',
    by: '截止',
    link: '确认收到 / 已到场',
    incident: '事件',
    provisional: '暂定',
    acknowledge: '确认收到',
    opened: '新事件，请响应',
    relapsed: '已恢复的故障再次发生，请响应',
    started: (rule: string, action: string, due: string) => `新职责 ${rule}「${action}」${due ? `，请于 ${due} 前完成` : ''}`,
    breach: (rule: string, action: string, due: string) => `${rule}「${action}」已超时（应于 ${due} 前完成）`,
    levelReached: (level: string) => `事件已达到${level}`,
    escalation: (id: string) => `升级规则 ${id}`,
    deputy: (name: string) => `${name} 未能联系上，由您代为处理`,
    unstaffed: '此岗位当前无人值班，由您代为处理',
    rule: '依据',
    states: { down: '中断', degraded: '降级', up: '已恢复' } as Record<string, string>,
    none: '无',
    more: (n: number) => `等另外 ${n} 项`,
    digest: (n: number) => `【呼叫汇总】${n} 条未单独发送的呼叫`,
    digestNote: '本群机器人发送频率受限，以下呼叫合并发送：',
    round: (n: number) => `（第${n}次呼叫）`,
    colon: '：',
    open: '（',
    close: '）',
    sep: '；',
    manual: '指挥部手动定级',
    test: '【测试】Lifeline 通知渠道测试',
    testBody: (name: string, ch: string) => `${name}：这是一条测试消息，用于确认渠道 ${ch} 能送达。无需任何操作。`,
  },
  en: {
    level: 'Level',
    systems: 'Systems',
    why: 'Why',
    ask: 'Please',
    by: 'by',
    link: 'Acknowledge / on site',
    incident: 'Incident',
    provisional: 'provisional',
    acknowledge: 'acknowledge',
    opened: 'new incident, please respond',
    relapsed: 'the fault is back after recovery, please respond',
    started: (rule: string, action: string, due: string) => `new duty ${rule} "${action}"${due ? `, due ${due}` : ''}`,
    breach: (rule: string, action: string, due: string) => `${rule} "${action}" is overdue (due ${due})`,
    levelReached: (level: string) => `the incident reached ${level}`,
    escalation: (id: string) => `escalation ${id}`,
    deputy: (name: string) => `${name} could not be reached; you stand in`,
    unstaffed: 'nobody holds this role now; you stand in',
    rule: 'by rule',
    states: { down: 'down', degraded: 'degraded', up: 'restored' } as Record<string, string>,
    none: 'none',
    more: (n: number) => `and ${n} more`,
    digest: (n: number) => `[Pages] ${n} pages sent together`,
    digestNote: 'This robot is rate-limited; these pages are sent together:',
    round: (n: number) => ` (page ${n})`,
    colon: ': ',
    open: ' (',
    close: ')',
    sep: '; ',
    manual: 'set by the HQ',
    test: '[TEST] Lifeline channel test',
    testBody: (name: string, ch: string) => `${name}: a test message to check that channel ${ch} reaches you. Nothing to do.`,
  },
};

/** 二级 from 二级事件（较大故障）; L2 in English. */
export function levelShort(plan: Plan, level: string, language: Language): string {
  const l = plan.levels.find((x) => x.id === level);
  if (!l) return level;
  return language === 'zh' ? l.name.zh.replace(/事件.*$/, '').replace(/（.*$/, '') : level;
}

function ruleText(plan: Plan, rule: string, language: Language): string {
  for (const l of plan.levels) {
    const c = l.criteria.find((x) => x.id === rule);
    if (c) return `${rule}${WORDS[language].colon}${L(language, c.summary)}`;
  }
  if (rule === 'manual') return WORDS[language].manual;
  const e = plan.escalations.find((x) => x.id === rule);
  if (e) return `${rule}${e.when.obligation_breached ? ` (${e.when.obligation_breached})` : ''}`;
  return rule.replace(/\?$/, '');
}

interface Ask {
  text: string;
  due: number | null;
}

/** What is asked of this role: acknowledge (by the acknowledge deadline), then the role's own pending duties. */
export function asksOf(f: PageFacts): Ask[] {
  const w = WORDS[f.language];
  const inc = f.incident;
  const asks: Ask[] = [];
  const ackDue = inc?.obligations
    .filter((o) => o.state === 'pending' && f.plan.obligations.find((r) => r.id === o.ruleId)?.evidence === 'acknowledge')
    .map((o) => o.dueAt)
    .filter((d): d is number => d !== null)
    .sort((a, b) => a - b)[0];
  asks.push({ text: w.acknowledge, due: ackDue ?? null });
  for (const o of inc?.obligations ?? []) {
    if (o.state !== 'pending' || o.actorRole !== f.page.role) continue;
    const rule = f.plan.obligations.find((r) => r.id === o.ruleId);
    if (!rule || rule.evidence === 'acknowledge') continue;
    asks.push({ text: L(f.language, rule.action), due: o.dueAt });
  }
  return asks;
}

function reasonText(f: PageFacts): string {
  const w = WORDS[f.language];
  const [kind, arg] = [f.page.reason.split(':')[0], f.page.reason.split(':').slice(1).join(':')];
  let text: string;
  if (kind === 'incident.opened') text = w.opened;
  else if (kind === 'incident.relapsed') text = w.relapsed;
  else if (kind === 'obligation.started') {
    const rule = f.plan.obligations.find((r) => r.id === arg);
    const o = f.incident?.obligations.find((x) => x.id === f.page.obligationId) ?? f.incident?.obligations.find((x) => x.ruleId === arg);
    text = w.started(arg, rule ? L(f.language, rule.action) : arg, o?.dueAt != null ? localTime(o.dueAt, f.timezone) : '');
  } else if (kind === 'obligation.breached') {
    const rule = f.plan.obligations.find((r) => r.id === arg);
    const o = f.incident?.obligations.find((x) => x.id === f.page.obligationId) ?? f.incident?.obligations.find((x) => x.ruleId === arg);
    const due = o?.dueAt != null ? localTime(o.dueAt, f.timezone) : '—';
    text = w.breach(arg, rule ? L(f.language, rule.action) : arg, due);
  } else if (kind === 'level.reached') text = w.levelReached(f.language === 'zh' ? levelShort(f.plan, arg, 'zh') : arg);
  else if (kind === 'escalation') text = w.escalation(arg);
  else text = f.page.reason;
  if (f.page.deputyFor === '') return `${w.unstaffed}${w.sep}${text}`;
  return f.page.deputyFor ? `${w.deputy(f.page.deputyFor)}${w.sep}${text}` : text;
}

const truncate = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** The drill mark for template variables: carriers reserve 【】 for the sender's signature, so 【演练】 becomes （演练）. */
const variableMark = (prefix: string) => prefix.trim().replaceAll('【', '（').replaceAll('】', '）');

/**
 * A drill's page: the plan's prefix before the subject (in the text and markdown too), its SMS template around the
 * short text (`short`), its voice template around it (`spoken`), the template variables marked, and `drill` set so that
 * SMS/voice channels use their drill template when they have one.
 */
function markDrill(msg: RenderedMessage, f: PageFacts): RenderedMessage {
  const marking = f.plan.drills?.marking;
  const prefix = marking ? L(f.language, marking.prefix) : f.language === 'zh' ? '【演练】' : '[DRILL] ';
  const subject = `${prefix}${msg.subject}`;
  const around = (template: Text | undefined) => (template ? L(f.language, template) : `${prefix}{{text}}`).replaceAll('{{text}}', msg.short);
  const short = around(marking?.sms_template);
  const mark = variableMark(prefix);
  const params = msg.templateParams ?? {};
  return {
    ...msg,
    drill: true,
    subject,
    text: msg.text.replace(msg.subject, subject),
    markdown: msg.markdown.replace(msg.subject, subject),
    short,
    spoken: marking?.voice_template ? around(marking.voice_template) : short,
    // vendor SMS/voice templates are registered in advance: their first parameters carry the mark
    templateParams: { ...params, level: truncate(`${mark}${params.level ?? ''}`, 20), title: truncate(`${mark}${params.title ?? ''}`, 20) },
  };
}

export function renderPage(f: PageFacts): RenderedMessage {
  const msg = renderPlainPage(f);
  return f.incident?.drill ? markDrill(msg, f) : msg;
}

function renderPlainPage(f: PageFacts): RenderedMessage {
  const w = WORDS[f.language];
  const inc = f.incident;
  const tz = f.timezone;
  const title = inc ? scrubFreeText(inc.title) : (f.plan.roles.find((r) => r.id === f.page.role)?.name.zh ?? f.page.role);
  const short = inc ? levelShort(f.plan, inc.level, f.language) : '';
  const tag = inc ? `【${short}${inc.provisional ? `·${w.provisional}` : ''}】` : '';
  // the title is the sender's words; lead with the plan's name of the first system, in the reader's language
  const first = inc?.systems[0] ? f.plan.systems.find((p) => p.id === inc.systems[0].system) : undefined;
  const lead = first && !title.includes(L(f.language, first.name)) ? `${L(f.language, first.name)}${w.colon}` : '';
  const subject = truncate(`${tag}${lead}${title}`, 80);
  const levelName = inc ? f.plan.levels.find((l) => l.id === inc.level) : undefined;
  const { colon, open, close, sep } = w;
  const levelLine = inc
    ? `${levelName ? L(f.language, levelName.name) : inc.level}${inc.provisional ? `${open}${w.provisional}${close}` : ''} — ${w.rule} ${ruleText(f.plan, inc.decidedBy, f.language)}`
    : '';
  // a storm's incident may hold thousands of components: a message names the first few and counts the rest
  const components = inc?.systems ?? [];
  const systemNames = components.slice(0, LISTED_COMPONENTS).map((s) => {
    const name = f.plan.systems.find((p) => p.id === s.system)?.name;
    return `${name ? L(f.language, name) : s.system}${s.component ? `/${s.component}` : ''}${open}${w.states[s.state] ?? s.state}${close}`;
  });
  if (components.length > LISTED_COMPONENTS) systemNames.push(w.more(components.length - LISTED_COMPONENTS));
  const asks = asksOf(f);
  const askLine = (a: Ask) => (a.due !== null ? `${a.text}${open}${w.by} ${localTime(a.due, tz)}${close}` : a.text);
  const why = reasonText(f);
  const lines = [
    subject,
    inc ? `${w.level}${colon}${levelLine}` : '',
    inc ? `${w.systems}${colon}${systemNames.join(sep) || w.none}` : '',
    `${w.why}${colon}${why}`,
    `${w.ask}${open}${f.person.name}${close}${colon}${asks.map(askLine).join(sep)}`,
    f.links.ack ? `${w.link}${colon}${f.links.ack}` : '',
  ].filter(Boolean);
  const md = [
    `### ${subject}`,
    inc ? `**${w.level}**${colon}${levelLine}` : '',
    inc ? `**${w.systems}**${colon}${systemNames.join(sep) || w.none}` : '',
    `**${w.why}**${colon}${why}`,
    `**${w.ask}**${open}${f.person.name}${close}${colon}`,
    ...asks.map((a) => `- ${askLine(a)}`),
    f.links.ack ? `\n[${w.link}](${f.links.ack})` : '',
  ].filter(Boolean);
  const firstDue = asks.find((a) => a.due !== null)?.due ?? null;
  const systemIds = [...new Set(components.map((s) => s.system))].join('、');
  const state = inc?.systems.find((s) => s.state !== 'up')?.state;
  const deadline = firstDue !== null ? localTime(firstDue, tz) : '';
  const comma = f.language === 'zh' ? '，' : ', ';
  const space = f.language === 'zh' ? '' : ' ';
  const shortText = truncate(
    `${short}${inc?.provisional ? `(${w.provisional})` : ''}${colon}${systemIds}${state ? space + w.states[state] : ''}${comma}${asks[0].text}${deadline ? `${comma}${w.by}${space}${deadline}` : ''}`,
    70,
  );
  return {
    subject,
    text: lines.join('\n'),
    markdown: md.join('\n'),
    short: shortText,
    links: f.links,
    templateParams: {
      level: truncate(`${short}${inc?.provisional ? `(${w.provisional})` : ''}`, 20),
      system: truncate(systemIds || title, 20),
      state: state ? (w.states[state] ?? state) : '',
      title: truncate(title, 20),
      reason: truncate(why, 20),
      ask: truncate(asks.map((a) => a.text).join('、'), 20),
      deadline,
      role: truncate(f.plan.roles.find((r) => r.id === f.page.role)?.name.zh ?? f.page.role, 20),
      name: truncate(f.person.name, 20),
      incident: inc ? inc.id.slice(-6) : '',
    },
  };
}

/** A repeat of a page is the same message, marked with its round. */
export function repeatMessage(msg: RenderedMessage, round: number, language: Language): RenderedMessage {
  if (round <= 1) return msg;
  const mark = WORDS[language].round(round);
  return {
    ...msg,
    subject: msg.subject + mark,
    text: msg.text.replace(msg.subject, msg.subject + mark),
    markdown: msg.markdown.replace(msg.subject, msg.subject + mark),
    short: truncate(mark + msg.short, 70),
    ...(msg.spoken ? { spoken: mark + msg.spoken } : {}),
  };
}

/** Several pages in one message, for a rate-limited robot: one line each, with its acknowledgement link. */
export function renderDigest(items: { name: string; message: RenderedMessage }[], language: Language): RenderedMessage {
  const w = WORDS[language];
  const subject = w.digest(items.length);
  const line = (i: { name: string; message: RenderedMessage }, md: boolean) => {
    const link = i.message.links.ack;
    const ask =
      i.message.text
        .split('\n')
        .find((l) => l.startsWith(`${w.ask}${w.open}`))
        ?.slice(`${w.ask}${w.open}`.length)
        .replace(/^[^）)]*[）)](：|: )/, '') ?? '';
    return md ? `- **${i.name}** ${i.message.subject}${w.colon}${ask}${link ? ` [${w.acknowledge}](${link})` : ''}` : `${i.name} ${i.message.subject}${w.colon}${ask}${link ? ` ${link}` : ''}`;
  };
  return {
    subject,
    text: [subject, w.digestNote, ...items.map((i) => line(i, false))].join('\n'),
    markdown: [`### ${subject}`, w.digestNote, ...items.map((i) => line(i, true))].join('\n'),
    short: truncate(subject, 70),
    links: {},
  };
}

export function renderTest(personName: string, channel: string, language: Language): RenderedMessage {
  const w = WORDS[language];
  return {
    subject: w.test,
    text: `${w.test}\n${w.testBody(personName, channel)}`,
    markdown: `### ${w.test}\n${w.testBody(personName, channel)}`,
    short: truncate(w.testBody(personName, channel), 70),
    links: {},
    templateParams: { level: '测试', system: 'Lifeline', state: '', title: '渠道测试', reason: '测试', ask: '无需操作', deadline: '', role: '', name: truncate(personName, 20), incident: '' },
    test: true,
  };
}
