/**
 * Regulator reports as obligations. Each `regulatory_reports` entry of the plan becomes an obligation with the
 * entry's id (RR.mi …): its conditions, its actor, its deadline (the critical-information-infrastructure variant when
 * `plan.hospital_is_cii` is true; `ASAP` is due after `overdue_after`, PT1H if none), counted from `anchor`
 * (detected_at by default), met by `regulator_report_submitted` — and only by a recorded submission of that very
 * report. An entry with `summary_within` adds a second obligation `<id>.summary`, due that long after the incident
 * closes, if the first one was started (CAC Art. 8). Lint checks of the section live here too.
 */
import { isObj, items, param, q, strings, type FindingReport, type Obj } from './raw.js';
import type { Obligation, Plan, RegulatoryReport } from './types.js';

/** The evidence a recorded submission is (plan.evidence must define it when the plan has regulator reports). */
export const REPORT_EVIDENCE = 'regulator_report_submitted';
/** When an `ASAP` report (the law says "immediately") is shown overdue if the plan gives no `overdue_after`. */
export const ASAP_DEFAULT_OVERDUE = 'PT1H';
/** The summary of a report: `<id>.summary`. */
export const SUMMARY_SUFFIX = '.summary';
/** CAC measures Art. 8: what the summary report covers (the default of `summary_content`). */
export const SUMMARY_CONTENT = ['cause', 'emergency_measures', 'harm', 'accountability', 'rectification', 'lessons'];
/** What a report's document lists when the plan names no content. */
export const DEFAULT_CONTENT = ['operator_and_system', 'time_place_type_impact_measures', 'current_state', 'next_measures_and_support_needed'];

const list = (v: string | string[]): string[] => (Array.isArray(v) ? v : [v]);

/** The recipients and deadline of an entry for this hospital (CII or not). */
export function reportTerms(plan: Pick<Plan, 'plan' | 'regulatory_recipients'>, r: RegulatoryReport): { recipients: string[]; recipientsEn: string[]; within: string; asap: boolean } {
  const cii = plan.plan.hospital_is_cii === true;
  const to = typeof r.to === 'object' && !Array.isArray(r.to) ? (cii && r.to.if_cii ? r.to.if_cii : r.to.default) : r.to;
  const initial = typeof r.initial_within === 'object' ? (cii && r.initial_within.if_cii ? r.initial_within.if_cii : r.initial_within.default) : r.initial_within;
  const asap = initial === 'ASAP';
  const recipients = list(to);
  const recipientsEn = recipients.map((zh) => plan.regulatory_recipients?.[zh]?.en ?? zh);
  return { recipients, recipientsEn, within: asap ? (r.overdue_after ?? ASAP_DEFAULT_OVERDUE) : initial, asap };
}

/** The obligations of one entry: the report, and its summary after close if the entry asks for one. */
export function reportObligations(plan: Pick<Plan, 'plan' | 'regulatory_recipients'>, r: RegulatoryReport): Obligation[] {
  const { recipients, recipientsEn, within, asap } = reportTerms(plan, r);
  const a = r.applies_if;
  const to = recipients.join('、');
  const toEn = recipientsEn.join(', ');
  const initial: Obligation = {
    id: r.id,
    prov: r.prov,
    trigger: 'incident.opened',
    actor: r.actor,
    action: { zh: `向${to}报告`, en: `report to ${toEn}` },
    anchor: r.anchor ?? 'detected_at',
    within,
    evidence: REPORT_EVIDENCE,
    applies_if: {
      ...(a.systems_affected_any ? { systems_affected: [...a.systems_affected_any] } : {}),
      ...(a.level_reached ? { level_reached: [...a.level_reached] } : {}),
      ...(a.national_grade_at_least ? { national_grade_at_least: a.national_grade_at_least } : {}),
      ...(a.flags_any ? { flags_any: [...a.flags_any] } : {}),
    },
    page_on_start: true,
    report: {
      source: r.id,
      recipients,
      recipients_en: recipientsEn,
      content: [...(r.content ?? DEFAULT_CONTENT)],
      kind: 'initial',
      ...(asap ? { asap } : {}),
      ...(r.partial_allowed ? { partial_allowed: r.partial_allowed } : {}),
    },
  };
  if (!r.summary_within) return [initial];
  const summary: Obligation = {
    id: `${r.id}${SUMMARY_SUFFIX}`,
    prov: r.prov,
    trigger: 'incident.closed',
    actor: r.actor,
    action: { zh: `处置结束后向${to}提交总结报告`, en: `send ${toEn} the summary report after handling ends` },
    anchor: 'closed_at',
    within: r.summary_within,
    evidence: REPORT_EVIDENCE,
    applies_if: { obligation_started: [r.id] },
    page_on_start: true,
    report: { source: r.id, recipients, recipients_en: recipientsEn, content: [...(r.summary_content ?? SUMMARY_CONTENT)], kind: 'summary' },
  };
  return [initial, summary];
}

/** The plan with the obligations of its regulator reports appended (those already present are kept as they are). */
export function withReportObligations<P extends Plan>(plan: P): P {
  const reports = plan.regulatory_reports ?? [];
  if (reports.length === 0) return plan;
  const have = new Set(plan.obligations.map((o) => o.id));
  const added = reports.flatMap((r) => reportObligations(plan, r)).filter((o) => !have.has(o.id));
  return { ...plan, obligations: [...plan.obligations, ...added] };
}

export type ReportLintReport = FindingReport;

/** Cross-references of `regulatory_reports` (ids, actors, levels, systems, national grades, the evidence). */
export function lintRegulatoryReports(p: Obj, { error, warn }: ReportLintReport): void {
  const reports = items(p.regulatory_reports);
  if (reports.length === 0) return;
  const idsOf = (v: unknown) => new Set(items(v).map((x) => x.id));
  const roles = idsOf(p.roles);
  const groups = idsOf(isObj(p.org) ? p.org.groups : undefined);
  const systems = idsOf(p.systems);
  const levels = idsOf(p.levels);
  const anchors = idsOf(p.anchors);
  const grades = idsOf(isObj(p.national_grading) ? p.national_grading.grades : undefined);
  const obligations = items(p.obligations);
  if (!idsOf(p.evidence).has(REPORT_EVIDENCE))
    error(['evidence'], 'PLAN_REPORT_EVIDENCE_MISSING', { evidence: REPORT_EVIDENCE }, `regulatory_reports need the evidence action ${q(REPORT_EVIDENCE)} (a recorded submission meets the report)`);
  const seen = new Set<unknown>();
  reports.forEach((r, i) => {
    const base = ['regulatory_reports', i];
    if (seen.has(r.id)) error([...base, 'id'], 'PLAN_DUPLICATE_ENTRY', { what: 'regulatory_report', id: param(r.id) }, `duplicate regulator report id ${q(r.id)}`);
    seen.add(r.id);
    // an obligation of the same id is the report's own once loaded; any other is a clash
    for (const id of [r.id, `${String(r.id)}${SUMMARY_SUFFIX}`]) {
      const same = obligations.find((o) => o.id === id);
      if (same && !(isObj(same.report) && same.report.source === r.id))
        error([...base, 'id'], 'PLAN_REPORT_ID_CLASH', { id: param(id) }, `${q(id)} is also an obligation id; a regulator report becomes an obligation of that id`);
    }
    if (typeof r.actor === 'string' && !roles.has(r.actor) && !groups.has(r.actor))
      error([...base, 'actor'], 'PLAN_ACTOR_UNKNOWN', { actor: r.actor }, `actor ${q(r.actor)} is neither a role nor a group`);
    if (r.anchor !== undefined && !anchors.has(r.anchor))
      error([...base, 'anchor'], 'PLAN_UNDEFINED_REF', { what: 'anchor', id: param(r.anchor), section: 'anchors' }, `anchor ${q(r.anchor)} is not defined in anchors`);
    const a = isObj(r.applies_if) ? r.applies_if : {};
    if (Object.keys(a).length === 0) warn([...base, 'applies_if'], 'PLAN_REPORT_NO_CONDITION', {}, 'no condition: this report would be owed for every incident');
    strings(a.systems_affected_any).forEach((s, j) => {
      if (!systems.has(s))
        error([...base, 'applies_if', 'systems_affected_any', j], 'PLAN_UNDEFINED_REF', { what: 'system', id: param(s), section: 'systems' }, `system ${q(s)} is not defined in systems`);
    });
    strings(a.level_reached).forEach((l, j) => {
      if (!levels.has(l)) error([...base, 'applies_if', 'level_reached', j], 'PLAN_UNDEFINED_REF', { what: 'level', id: param(l), section: 'levels' }, `level ${q(l)} is not defined in levels`);
    });
    if (a.national_grade_at_least !== undefined && !grades.has(a.national_grade_at_least))
      error(
        [...base, 'applies_if', 'national_grade_at_least'],
        'PLAN_NATIONAL_GRADE_UNKNOWN',
        { grade: param(a.national_grade_at_least) },
        `national grade ${q(a.national_grade_at_least)} is not one of national_grading.grades`,
      );
    const within = isObj(r.initial_within) ? r.initial_within.default : r.initial_within;
    if (within === 'ASAP' && r.overdue_after === undefined)
      warn([...base, 'overdue_after'], 'PLAN_REPORT_ASAP_DEFAULT', { overdue: ASAP_DEFAULT_OVERDUE }, `ASAP without overdue_after: shown overdue after ${ASAP_DEFAULT_OVERDUE}`);
    // the English screens name every recipient in English
    const to = isObj(r.to) && !Array.isArray(r.to) ? [r.to.default, r.to.if_cii] : [r.to];
    const names = isObj(p.regulatory_recipients) ? p.regulatory_recipients : {};
    for (const recipient of to.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v): v is string => typeof v === 'string'))
      if (!isObj(names[recipient]))
        warn([...base, 'to'], 'PLAN_RECIPIENT_NO_ENGLISH', { recipient }, `recipient ${q(recipient)} has no English name in regulatory_recipients (English screens show it in Chinese)`);
  });
}
