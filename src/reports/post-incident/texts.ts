/**
 * The report's words in its language. Timeline entries are said by the web app's own renderer
 * (web/src/lib/timeline.ts: kind + data, never the server's English message) with the web app's locale files, so a
 * report says each entry exactly as the incident room does. The labels of the document itself are below.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plan, Text } from '../../plan/types.js';
import { type TimelineHelpers, timelineActor, timelineKindLabel, timelineText } from '../../../web/src/lib/timeline.js';
import { hmm, localTime } from './format.js';

export type ReportLang = 'zh-CN' | 'en';
export const REPORT_LANGS: readonly ReportLang[] = ['zh-CN', 'en'];

const I18N_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/src/i18n');
type Tree = { [key: string]: string | Tree };
const cache = new Map<ReportLang, Tree>();

/** The web app's texts of a language: its main file and every feature's own (`<feature>.<lang>.json`). */
function texts(lang: ReportLang): Tree {
  let tree = cache.get(lang);
  if (!tree) {
    tree = {};
    let names: string[] = [];
    try {
      names = fs.readdirSync(I18N_DIR).filter((n) => n === `${lang}.json` || n.endsWith(`.${lang}.json`));
    } catch {
      // no web sources beside the server: codes instead of sentences
    }
    for (const n of names.sort()) Object.assign(tree, JSON.parse(fs.readFileSync(path.join(I18N_DIR, n), 'utf8')) as Tree);
    cache.set(lang, tree);
  }
  return tree;
}

function lookup(tree: Tree, key: string): string | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, part)) return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** i18next's `t` as the renderer uses it: a key, `{{name}}` values or a default value. */
export function translator(lang: ReportLang) {
  const tree = texts(lang);
  const t = (key: string, options?: Record<string, unknown> | string): string => {
    const found = lookup(tree, key);
    const values = typeof options === 'object' && options ? options : {};
    const fallback = typeof options === 'string' ? options : typeof values.defaultValue === 'string' ? values.defaultValue : key;
    return (found ?? fallback).replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => (values[name] === undefined || values[name] === null ? '' : String(values[name])));
  };
  return { t, exists: (key: string) => lookup(tree, key) !== undefined };
}

export const pickText = (text: Text | null | undefined, lang: ReportLang): string => (text ? (lang === 'en' ? text.en : text.zh) : '');

/** Says timeline entries in `lang` the way the web app does, with the plan's names and the hospital's clock. */
export function timelineSayer(plan: Plan, lang: ReportLang, timezone: string) {
  const { t, exists } = translator(lang);
  const isText = (v: unknown): v is Text => typeof v === 'object' && v !== null && 'zh' in v && 'en' in v;
  const helpers: TimelineHelpers = {
    t,
    exists,
    pick: (v) => (isText(v) ? pickText(v, lang) : ''),
    systemName: (id) => pickText(plan.systems.find((s) => s.id === id)?.name, lang) || undefined,
    roleName: (id) => pickText(plan.roles.find((r) => r.id === id)?.name ?? plan.org.groups.find((g) => g.id === id)?.name, lang) || undefined,
    scenarioName: (id) => pickText(plan.scenarios.find((s) => s.id === id)?.name, lang) || undefined,
    evidenceName: (id) => pickText(plan.evidence?.find((e) => e.id === id)?.name, lang) || undefined,
    duration: (ms) => hmm(ms),
    time: (ms) => localTime(ms, timezone).slice(11),
  };
  return {
    text: (e: { kind: string; actor: string; data: unknown }) => timelineText(e, helpers),
    kind: (kind: string) => timelineKindLabel(kind, helpers),
    actor: (actor: string) => timelineActor(actor, helpers),
  };
}

/** The document's own labels. */
export const LABELS = {
  'zh-CN': {
    title: '信息系统突发事件事后报告',
    generated: '生成时间',
    summary: '一、事件概要',
    incidentId: '事件编号',
    incidentTitle: '事件名称',
    state: '状态',
    level: '最终级别',
    highestLevel: '最高级别',
    scope: '影响范围',
    scenario: '风险场景',
    systems: '受影响系统',
    detectedAt: '发现时间',
    openedAt: '立案时间',
    recoveredAt: '恢复时间',
    closedAt: '关闭时间',
    outage: '中断时长',
    planVersion: '应急预案版本',
    reviewSummary: '概述',
    levels: '二、级别变化',
    time: '时间',
    rule: '判定规则',
    reason: '原因',
    actor: '操作人',
    provisional: '（暂定）',
    obligations: '三、处置时限完成情况',
    obligationRule: '条款',
    task: '要求',
    owner: '责任角色',
    due: '时限',
    outcome: '结果',
    doneAt: '完成时间',
    doneBy: '完成人',
    lateBy: '超时',
    whoDidWhat: '四、人员与处置',
    entries: '记录数',
    firstAt: '最早',
    lastAt: '最晚',
    kinds: '事项',
    downtime: '五、手工流程（停机）数据',
    department: '科室',
    numbersIssued: '发放临时号',
    formsPrinted: '打印表单',
    records: '纸质记录',
    backEntered: '已补录',
    verified: '已核对',
    reconciled: '核对签字',
    noDowntime: '本事件未启动手工流程。',
    patients: '六、受影响患者',
    category: '类别',
    count: '人数',
    noPatients: '未登记受影响患者。',
    rootCause: '七、根本原因',
    lessons: '经验教训',
    notWritten: '（尚未填写）',
    actions: '八、整改措施',
    actionTitle: '措施',
    actionOwner: '负责人',
    actionDue: '完成期限',
    actionState: '状态',
    noActions: '无整改措施。',
    timeline: '附：事件时间线',
    what: '内容',
    yes: '是',
    no: '否',
    none: '—',
  },
  en: {
    title: 'Post-incident report: information system emergency',
    generated: 'Generated',
    summary: '1. Summary',
    incidentId: 'Incident',
    incidentTitle: 'Title',
    state: 'State',
    level: 'Final level',
    highestLevel: 'Highest level',
    scope: 'Scope',
    scenario: 'Scenario',
    systems: 'Systems affected',
    detectedAt: 'Detected',
    openedAt: 'Opened',
    recoveredAt: 'Recovered',
    closedAt: 'Closed',
    outage: 'Outage',
    planVersion: 'Plan version',
    reviewSummary: 'Summary',
    levels: '2. Level changes',
    time: 'Time',
    rule: 'Rule',
    reason: 'Reason',
    actor: 'By',
    provisional: ' (provisional)',
    obligations: '3. Deadlines',
    obligationRule: 'Rule',
    task: 'Duty',
    owner: 'Role',
    due: 'Due',
    outcome: 'Outcome',
    doneAt: 'Done',
    doneBy: 'Done by',
    lateBy: 'late',
    whoDidWhat: '4. Who did what',
    entries: 'Entries',
    firstAt: 'First',
    lastAt: 'Last',
    kinds: 'What',
    downtime: '5. Manual mode (downtime)',
    department: 'Department',
    numbersIssued: 'Numbers issued',
    formsPrinted: 'Forms printed',
    records: 'Paper records',
    backEntered: 'Back-entered',
    verified: 'Verified',
    reconciled: 'Reconciliation signed off',
    noDowntime: 'No manual mode was started for this incident.',
    patients: '6. Patients affected',
    category: 'Category',
    count: 'Patients',
    noPatients: 'No affected patients were recorded.',
    rootCause: '7. Root cause',
    lessons: 'Lessons',
    notWritten: '(not written yet)',
    actions: '8. Corrective actions',
    actionTitle: 'Action',
    actionOwner: 'Owner',
    actionDue: 'Due',
    actionState: 'State',
    noActions: 'No corrective actions.',
    timeline: 'Appendix: timeline',
    what: 'What',
    yes: 'yes',
    no: 'no',
    none: '—',
  },
} as const satisfies Record<ReportLang, Record<string, string>>;

export type Labels = (typeof LABELS)[ReportLang];

/** Words for the codes the report shows (outcomes, states, scopes, tally categories). */
export const CODES: Record<ReportLang, Record<string, string>> = {
  'zh-CN': {
    met: '按时完成',
    met_late: '逾期完成',
    missed: '超时未完成',
    waived: '豁免',
    pending: '进行中',
    ended: '已结束',
    cancelled: '已取消',
    responding: '处置中',
    recovering: '恢复中',
    closed: '已关闭',
    open: '未完成',
    done: '已完成',
    overdue: '已逾期',
    department: '单个科室',
    floor: '楼层',
    terminal: '个别终端',
    hospital_wide: '全院',
    emergency: '急诊',
    inpatient: '住院',
    outpatient: '门诊',
    medical_insurance: '医保',
    critically_ill: '危重',
    down: '中断',
    degraded: '降级',
    up: '正常',
  },
  en: {
    met: 'met',
    met_late: 'met late',
    missed: 'missed',
    waived: 'waived',
    pending: 'pending',
    ended: 'ended',
    cancelled: 'cancelled',
    responding: 'responding',
    recovering: 'recovering',
    closed: 'closed',
    open: 'open',
    done: 'done',
    overdue: 'overdue',
    department: 'one department',
    floor: 'one floor',
    terminal: 'single terminals',
    hospital_wide: 'hospital-wide',
    emergency: 'emergency',
    inpatient: 'inpatient',
    outpatient: 'outpatient',
    medical_insurance: 'medical insurance',
    critically_ill: 'critically ill',
    down: 'down',
    degraded: 'degraded',
    up: 'up',
  },
};

export const code = (lang: ReportLang, value: string | null | undefined): string => (value ? (CODES[lang][value] ?? value) : LABELS[lang].none);
