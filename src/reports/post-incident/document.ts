/**
 * The report as a sequence of blocks in one language: headings, paragraphs, label/value lists and tables. Both
 * renderers (DOCX, HTML for the PDF) draw these same blocks, so the two files say the same. Pure.
 */
import type { Plan } from '../../plan/types.js';
import type { ReportFacts } from './facts.js';
import { hmm, lateness, localTime } from './format.js';
import { code, LABELS, pickText, type ReportLang, timelineSayer } from './texts.js';

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string; muted?: boolean }
  | { kind: 'fields'; rows: [string, string][] }
  | { kind: 'table'; head: string[]; rows: string[][] /** rows to highlight (a missed deadline, an overdue action) */; marked?: boolean[] }
  /** Pictures shown small (e.g. a drill observer's photos), each with a caption. */
  | { kind: 'images'; images: { caption: string; data: Uint8Array; type: 'image/jpeg' | 'image/png' | 'image/webp' }[] };

export interface ReportDocument {
  lang: ReportLang;
  title: string;
  subtitle: string;
  blocks: Block[];
  /** Printed at the top of every page (e.g. 演练 on a drill report). */
  pageMark?: string;
}

export function reportDocument(facts: ReportFacts, plan: Plan, lang: ReportLang): ReportDocument {
  const L = LABELS[lang];
  const tz = facts.timezone;
  const at = (ms: number | null) => (ms === null ? L.none : localTime(ms, tz));
  const say = timelineSayer(plan, lang, tz);
  const pick = (t: Parameters<typeof pickText>[0], fallback: string) => pickText(t, lang) || fallback;
  const i = facts.incident;
  const levelLabel = (id: string, name: Parameters<typeof pickText>[0]) => (name ? `${id} ${pickText(name, lang)}` : id);
  const blocks: Block[] = [];

  // 1. summary
  blocks.push({ kind: 'heading', text: L.summary });
  blocks.push({
    kind: 'fields',
    rows: [
      [L.incidentTitle, i.title],
      [L.incidentId, i.id],
      [L.state, code(lang, i.state)],
      [L.level, levelLabel(i.level, i.levelName)],
      [L.highestLevel, i.highestLevel],
      [L.scope, code(lang, i.scope)],
      [L.scenario, i.scenario ? pick(i.scenario.name, i.scenario.id) : L.none],
      [L.systems, i.systems.map((s) => `${pick(s.name, s.id)}${s.component ? ` / ${s.component}` : ''}（${code(lang, s.state)}）`).join(lang === 'en' ? ', ' : '、') || L.none],
      [L.detectedAt, at(i.detectedAt)],
      [L.openedAt, at(i.openedAt)],
      [L.recoveredAt, at(i.recoveredAt)],
      [L.closedAt, at(i.closedAt)],
      [L.outage, hmm(i.outageMs)],
      [L.planVersion, `${facts.plan.id} ${i.planVersion}`],
    ],
  });
  if (facts.review.summary.trim()) {
    blocks.push({ kind: 'paragraph', text: `${L.reviewSummary}: ${facts.review.summary}` });
  }

  // 2. level changes, each with the rule that decided it
  blocks.push({ kind: 'heading', text: L.levels });
  blocks.push({
    kind: 'table',
    head: [L.time, L.level, L.rule, L.reason, L.actor],
    rows: facts.levels.map((l) => [
      at(l.at),
      `${levelLabel(l.level, l.levelName)}${l.provisional ? L.provisional : ''}`,
      l.ruleText ? `${l.rule} ${pickText(l.ruleText, lang)}` : l.rule === 'manual' ? `manual${lang === 'en' ? ' (set by hand)' : '（人工定级）'}` : l.rule,
      l.reason ?? L.none,
      l.actor ? say.actor(l.actor) : say.actor('system'),
    ]),
  });

  // 3. every deadline: met, missed with its lateness, waived, pending
  blocks.push({ kind: 'heading', text: L.obligations });
  blocks.push({
    kind: 'table',
    head: [L.obligationRule, L.task, L.owner, L.due, L.outcome, L.doneAt, L.doneBy],
    rows: facts.obligations.map((o) => [
      o.ruleId,
      pick(o.action, o.ruleId),
      pick(o.roleName, o.role),
      at(o.dueAt),
      `${code(lang, o.outcome)}${o.lateMs !== null ? ` ${lateness(o.lateMs)}` : ''}${o.outcome === 'waived' && o.reason ? ` — ${o.reason}` : ''}`,
      at(o.doneAt),
      o.doneBy ?? L.none,
    ]),
    marked: facts.obligations.map((o) => o.outcome === 'missed' || o.outcome === 'met_late'),
  });

  // 4. who did what
  blocks.push({ kind: 'heading', text: L.whoDidWhat });
  blocks.push({
    kind: 'table',
    head: [L.actor, L.entries, L.firstAt, L.lastAt, L.kinds],
    rows: facts.people.map((p) => [
      say.actor(p.actor),
      String(p.entries),
      at(p.firstAt),
      at(p.lastAt),
      p.kinds.map((k) => `${say.kind(k.kind)}${k.count > 1 ? ` ×${k.count}` : ''}`).join(lang === 'en' ? ', ' : '、'),
    ]),
  });

  // 5. manual mode
  blocks.push({ kind: 'heading', text: L.downtime });
  if (facts.downtime.departments.length === 0) blocks.push({ kind: 'paragraph', text: L.noDowntime, muted: true });
  else {
    const row = (name: string, d: ReportFacts['downtime']['totals']) => [
      name,
      String(d.numbersIssued),
      String(d.formsPrinted),
      String(d.records),
      String(d.backEntered),
      String(d.verified),
      `${d.reconciled}/${d.sessions}`,
    ];
    blocks.push({
      kind: 'table',
      head: [L.department, L.numbersIssued, L.formsPrinted, L.records, L.backEntered, L.verified, L.reconciled],
      rows: [...facts.downtime.departments.map((d) => row(pick(d.name, d.department), d)), row(lang === 'en' ? 'Total' : '合计', facts.downtime.totals)],
    });
  }

  // 6. patients affected
  blocks.push({ kind: 'heading', text: L.patients });
  if (facts.patients.length === 0) blocks.push({ kind: 'paragraph', text: L.noPatients, muted: true });
  else blocks.push({ kind: 'table', head: [L.category, L.count], rows: facts.patients.map((p) => [code(lang, p.category), String(p.count)]) });

  // 7. root cause and lessons
  blocks.push({ kind: 'heading', text: L.rootCause });
  blocks.push(facts.review.rootCause.trim() ? { kind: 'paragraph', text: facts.review.rootCause } : { kind: 'paragraph', text: L.notWritten, muted: true });
  if (facts.review.lessons.trim()) blocks.push({ kind: 'paragraph', text: `${L.lessons}: ${facts.review.lessons}` });

  // 8. corrective actions
  blocks.push({ kind: 'heading', text: L.actions });
  if (facts.actions.length === 0) blocks.push({ kind: 'paragraph', text: L.noActions, muted: true });
  else
    blocks.push({
      kind: 'table',
      head: [L.actionTitle, L.actionOwner, L.actionDue, L.actionState],
      rows: facts.actions.map((a) => [
        a.title,
        a.owner.name,
        a.due,
        a.state === 'done' ? `${code(lang, 'done')} ${at(Date.parse(a.doneAt!))}` : a.overdue ? code(lang, 'overdue') : code(lang, 'open'),
      ]),
      marked: facts.actions.map((a) => a.overdue),
    });

  // appendix: the timeline, as the incident room says it
  blocks.push({ kind: 'heading', text: L.timeline });
  blocks.push({
    kind: 'table',
    head: [L.time, L.actor, L.what],
    rows: facts.timeline.map((t) => [at(t.at), say.actor(t.actor), `${say.kind(t.kind)}: ${say.text(t)}`]),
  });

  return {
    lang,
    title: L.title,
    subtitle: `${i.title} · ${pickText(facts.plan.title, lang)} · ${L.generated} ${at(facts.generatedAt)}`,
    blocks,
  };
}
