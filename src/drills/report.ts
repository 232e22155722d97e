/**
 * The drill report: the same blocks and renderers as the post-incident report (src/reports/post-incident), marked
 * 演练 on every page — the run, the scores with their formula and the comparison, every obligation met/late/missed,
 * the pages and their answers, checklist and manual mode, the observers' marks (photos small) and the corrective
 * actions.
 */
import type { Plan } from '../plan/types.js';
import type { Block, ReportDocument } from '../reports/post-incident/document.js';
import { renderDocx } from '../reports/post-incident/docx.js';
import { hmm, lateness, localDay, localTime } from '../reports/post-incident/format.js';
import { renderHtml } from '../reports/post-incident/html.js';
import type { PdfPrinter } from '../reports/pdf.js';
import type { DrillActionView } from './actions.js';
import type { RunFacts } from './run-facts.js';
import { type DrillScore, WEIGHTS } from './scoring.js';

export type DrillReportLang = 'zh-CN' | 'en';

export interface DrillReportFacts {
  run: RunFacts;
  score: DrillScore;
  marks: { step_key: string; group_id: string; outcome: string; note: string | null; photo: Uint8Array | null; photo_type: string | null; marked_at: number; marked_by: string }[];
  stepTexts: Map<string, { zh: string; en: string }>;
  actions: DrillActionView[];
  timezone: string;
  generatedAt: number;
}

const LABELS = {
  'zh-CN': {
    title: '应急演练报告',
    mark: '演练',
    run: '演练概况',
    name: '演练名称',
    entry: '演练目录',
    timeFactor: '时间压缩倍数',
    organiser: '组织者',
    state: '状态',
    started: '开始时间',
    ended: '结束时间',
    incidents: '演练事件数',
    scores: '评分',
    overall: '总分',
    group: '小组',
    score: '得分',
    notExercised: '未涉及',
    formula: `评分方法：每项事实按 0–1 计分（时限按时完成 1、超时完成 0.5、未完成 0；呼叫已应答 1、未应答 0；检查项已完成 1；达到二级或一级时启动手工流程 1；观察员评核 完成 1、延迟 0.5、未完成 0）。小组得分 = 100 × Σ(权重 × 该部分得分率) ÷ Σ(有事实的部分的权重)，权重：时限 ${WEIGHTS.obligations}、呼叫应答 ${WEIGHTS.pages}、检查单 ${WEIGHTS.checklist}、手工流程 ${WEIGHTS.downtime}、观察员 ${WEIGHTS.observers}；总分为各参与小组得分的平均值。`,
    comparison: '与以往演练比较',
    sameEntry: '同一演练项目',
    allDrills: '全部演练',
    runs: '次数',
    average: '平均分',
    last: '上次得分',
    obligations: '时限完成情况',
    rule: '规则',
    task: '任务',
    role: '责任角色',
    due: '时限',
    outcome: '结果',
    doneAt: '完成时间',
    doneBy: '完成人',
    pages: '呼叫与应答',
    person: '人员',
    sent: '发出时间',
    answered: '应答时间',
    response: '应答用时',
    steps: '检查单与手工流程',
    checklistDone: '检查项完成',
    manualMode: '手工流程',
    manualStarted: (n: number, after: string | null) => `已启动 ${n} 个科室会话${after ? `（事件开始后 ${after}）` : ''}`,
    manualNone: '未启动',
    manualNotNeeded: '本次演练未要求',
    observers: '观察员评核',
    step: '步骤',
    markedBy: '评核人',
    markedAt: '评核时间',
    note: '备注',
    photos: '现场照片',
    noMarks: '无观察员评核记录。',
    actions: '整改措施',
    actionTitle: '措施',
    owner: '责任人',
    actionDue: '完成期限',
    actionState: '状态',
    noActions: '暂无整改措施。',
    none: '—',
    generated: '生成于',
    outcomes: { met: '按时完成', late: '超时完成', missed: '未完成', done: '完成', open: '未完成', overdue: '已逾期', running: '进行中', paused: '已暂停', ended: '已结束' } as Record<string, string>,
  },
  en: {
    title: 'Emergency drill report',
    mark: 'DRILL',
    run: 'The drill',
    name: 'Drill',
    entry: 'Catalogue entry',
    timeFactor: 'Time factor',
    organiser: 'Organiser',
    state: 'State',
    started: 'Started',
    ended: 'Ended',
    incidents: 'Drill incidents',
    scores: 'Scores',
    overall: 'Overall',
    group: 'Group',
    score: 'Score',
    notExercised: 'not exercised',
    formula: `How the score is computed: each fact counts 0–1 (deadline met 1, met late 0.5, missed 0; page answered 1, unanswered 0; checklist item ticked 1; manual mode started when an incident reached L2 or L1 1; observer's mark done 1, late 0.5, missed 0). A group's score = 100 × Σ(weight × the part's ratio) ÷ Σ(weights of the parts with facts), weights: deadlines ${WEIGHTS.obligations}, pages ${WEIGHTS.pages}, checklist ${WEIGHTS.checklist}, manual mode ${WEIGHTS.downtime}, observers ${WEIGHTS.observers}; the overall score is the mean of the groups exercised.`,
    comparison: 'Compared with earlier drills',
    sameEntry: 'Same catalogue entry',
    allDrills: 'All drills',
    runs: 'Runs',
    average: 'Average',
    last: 'Last score',
    obligations: 'Deadlines',
    rule: 'Rule',
    task: 'Task',
    role: 'Role',
    due: 'Due',
    outcome: 'Outcome',
    doneAt: 'Done at',
    doneBy: 'Done by',
    pages: 'Pages and answers',
    person: 'Person',
    sent: 'Sent',
    answered: 'Answered',
    response: 'Answered after',
    steps: 'Checklist and manual mode',
    checklistDone: 'Checklist items done',
    manualMode: 'Manual mode',
    manualStarted: (n: number, after: string | null) => `${n} department session(s) started${after ? ` (${after} after the incident opened)` : ''}`,
    manualNone: 'not started',
    manualNotNeeded: 'not asked for in this drill',
    observers: "Observers' marks",
    step: 'Step',
    markedBy: 'Observer',
    markedAt: 'Marked at',
    note: 'Note',
    photos: 'Photos',
    noMarks: 'No observer marks.',
    actions: 'Corrective actions',
    actionTitle: 'Action',
    owner: 'Owner',
    actionDue: 'Due',
    actionState: 'State',
    noActions: 'No corrective actions yet.',
    none: '—',
    generated: 'generated',
    outcomes: { met: 'met', late: 'met late', missed: 'missed', done: 'done', open: 'open', overdue: 'overdue', running: 'running', paused: 'paused', ended: 'ended' } as Record<string, string>,
  },
} as const;

export function drillReportDocument(f: DrillReportFacts, plan: Plan, lang: DrillReportLang): ReportDocument {
  const L = LABELS[lang];
  const pick = (t: { zh: string; en: string } | null | undefined, fallback: string) => (t ? (lang === 'en' ? t.en : t.zh) : fallback);
  const at = (ms: number | string | null) => (ms === null ? L.none : localTime(typeof ms === 'string' ? Date.parse(ms) : ms, f.timezone));
  const roleName = (id: string) => pick(plan.roles.find((r) => r.id === id)?.name, id);
  const entry = plan.drills?.catalogue.find((c) => c.id === f.run.catalogueId);
  const s = f.score;
  const blocks: Block[] = [];

  blocks.push({ kind: 'heading', text: L.run });
  blocks.push({
    kind: 'fields',
    rows: [
      [L.name, f.run.name],
      [L.entry, entry ? pick(entry.title, entry.id) : L.none],
      [L.timeFactor, `×${f.run.timeFactor}`],
      [L.organiser, f.run.organiser],
      [L.state, L.outcomes[f.run.state] ?? f.run.state],
      [L.started, at(f.run.startedAt)],
      [L.ended, at(f.run.endedAt)],
      [L.incidents, String(f.run.incidentIds.length)],
    ],
  });

  blocks.push({ kind: 'heading', text: L.scores });
  blocks.push({ kind: 'fields', rows: [[L.overall, s.overall === null ? L.notExercised : String(s.overall)]] });
  blocks.push({
    kind: 'table',
    head: [L.group, L.score],
    rows: s.groups.map((g) => [pick(g.name, g.id), g.score === null ? L.notExercised : String(g.score)]),
  });
  blocks.push({ kind: 'paragraph', text: L.formula, muted: true });
  blocks.push({ kind: 'heading', text: L.comparison });
  blocks.push({
    kind: 'table',
    head: ['', L.runs, L.average, L.last],
    rows: [
      [
        L.sameEntry,
        String(s.comparison.sameEntry.runs),
        s.comparison.sameEntry.average === null ? L.none : String(s.comparison.sameEntry.average),
        s.comparison.sameEntry.last === null ? L.none : String(s.comparison.sameEntry.last),
      ],
      [L.allDrills, String(s.comparison.all.runs), s.comparison.all.average === null ? L.none : String(s.comparison.all.average), L.none],
    ],
  });

  blocks.push({ kind: 'heading', text: L.obligations });
  blocks.push({
    kind: 'table',
    head: [L.rule, L.task, L.role, L.due, L.outcome, L.doneAt, L.doneBy],
    rows: s.obligations.map((o) => [
      o.ruleId,
      pick(o.action, o.ruleId),
      roleName(o.role),
      at(o.dueAt),
      `${L.outcomes[o.outcome]}${o.lateMs !== null && o.lateMs > 0 ? ` ${lateness(o.lateMs)}` : ''}`,
      at(o.metAt),
      o.metBy ?? L.none,
    ]),
    marked: s.obligations.map((o) => o.outcome !== 'met'),
  });

  blocks.push({ kind: 'heading', text: L.pages });
  blocks.push({
    kind: 'table',
    head: [L.role, L.person, L.sent, L.answered, L.response],
    rows: s.pages.map((p) => [roleName(p.role), p.person ?? L.none, at(p.sentAt), at(p.answeredAt), p.responseMs === null ? L.none : hmm(p.responseMs)]),
    marked: s.pages.map((p) => p.answeredAt === null),
  });

  blocks.push({ kind: 'heading', text: L.steps });
  blocks.push({
    kind: 'fields',
    rows: [
      [L.checklistDone, `${s.checklist.done}/${s.checklist.total}`],
      [
        L.manualMode,
        s.downtime.sessions > 0 ? L.manualStarted(s.downtime.sessions, s.downtime.firstAfterMs === null ? null : hmm(s.downtime.firstAfterMs)) : s.downtime.expected ? L.manualNone : L.manualNotNeeded,
      ],
    ],
  });

  blocks.push({ kind: 'heading', text: L.observers });
  if (f.marks.length === 0) blocks.push({ kind: 'paragraph', text: L.noMarks, muted: true });
  else {
    const groupName = (id: string) => pick(s.groups.find((g) => g.id === id)?.name, id);
    const stepName = (key: string) => `${key.split(':')[1] ?? key} ${pick(f.stepTexts.get(key), '')}`.trim();
    blocks.push({
      kind: 'table',
      head: [L.group, L.step, L.outcome, L.note, L.markedBy, L.markedAt],
      rows: f.marks.map((m) => [groupName(m.group_id), stepName(m.step_key), L.outcomes[m.outcome] ?? m.outcome, m.note ?? L.none, m.marked_by, at(Number(m.marked_at))]),
      marked: f.marks.map((m) => m.outcome !== 'done'),
    });
    const photos = f.marks.filter((m) => m.photo && m.photo_type);
    if (photos.length) {
      blocks.push({ kind: 'paragraph', text: L.photos });
      blocks.push({
        kind: 'images',
        images: photos.map((m) => ({ caption: `${stepName(m.step_key)} · ${m.marked_by}`, data: m.photo!, type: m.photo_type as 'image/jpeg' | 'image/png' | 'image/webp' })),
      });
    }
  }

  blocks.push({ kind: 'heading', text: L.actions });
  if (f.actions.length === 0) blocks.push({ kind: 'paragraph', text: L.noActions, muted: true });
  else
    blocks.push({
      kind: 'table',
      head: [L.actionTitle, L.owner, L.actionDue, L.actionState],
      rows: f.actions.map((a) => [a.title, a.owner.name, a.due, a.state === 'done' ? L.outcomes.done : a.overdue ? L.outcomes.overdue : L.outcomes.open]),
      marked: f.actions.map((a) => a.overdue),
    });

  const prefix = lang === 'en' ? plan.drills?.marking.prefix.en : plan.drills?.marking.prefix.zh;
  return {
    lang,
    title: `${prefix ?? ''}${L.title}`.trim(),
    subtitle: `${f.run.name} · ${L.generated} ${at(f.generatedAt)}`,
    blocks,
    pageMark: L.mark,
  };
}

export function drillReportFileName(f: DrillReportFacts, lang: DrillReportLang, ext: 'docx' | 'pdf'): string {
  const day = localDay(f.run.startedAt, f.timezone).replace(/-/g, '');
  const safe = [...f.run.name].map((c) => (c.charCodeAt(0) < 0x20 || '\\/:*?"<>|'.includes(c) ? ' ' : c)).join('');
  return `${lang === 'en' ? 'drill-report' : '演练报告'}-${safe.replace(/\s+/g, ' ').trim().slice(0, 60) || f.run.id}-${day}.${ext}`;
}

export async function drillReportFile(f: DrillReportFacts, plan: Plan, lang: DrillReportLang, ext: 'docx' | 'pdf', pdf: PdfPrinter) {
  const doc = drillReportDocument(f, plan, lang);
  const body = ext === 'docx' ? await renderDocx(doc) : await pdf.print(renderHtml(doc));
  return {
    body,
    filename: drillReportFileName(f, lang, ext),
    contentType: ext === 'docx' ? 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' : 'application/pdf',
  };
}
