/**
 * Dead rules: parts of a plan that are well-formed and cross-reference correctly, yet can never take effect —
 * a threshold its metric can never meet, an escalation nothing triggers, a duty nobody is paged for, a ladder
 * that time alone cannot climb. Part of `lintPlan`; written defensively like it (see raw.ts).
 */
import { isObj, items, param, q, strings, type FindingReport, type Obj, type RawPath } from './raw.js';
import { LEVEL_IDS, levelRank, type LevelId } from './types.js';

/** Platform events that may record evidence (`evidence[].recorded_by`); the modules that emit them name them here. */
export const PLATFORM_EVENTS = ['downtime.session_started', 'downtime.mi_reupload_done'] as const;
export type PlatformEvent = (typeof PLATFORM_EVENTS)[number];

export type DeadRuleReport = FindingReport;

type Kind = 'number' | 'state';
const STATE_VALUES = new Set<unknown>([true, false, 'up', 'down']);
const ids = (list: Obj[]): Set<unknown> => new Set(list.map((x) => x.id));
const isLevel = (v: unknown): v is LevelId => (LEVEL_IDS as readonly unknown[]).includes(v);

export function lintDeadRules(p: Obj, report: DeadRuleReport): void {
  thresholds(p, report);
  escalations(p, report);
  unpagedActors(p, report);
  ladderClimbsInTime(p, report);
  checklistObligations(p, report);
  impactFlags(p, report);
  reportIssuers(p, report);
  recordingEvents(p, report);
  appliesIf(p, report);
  tallyTotal(p, report);
}

/** A threshold whose value can never match its metric: a state compared with a number or `>`, a number with a state. */
function thresholds(p: Obj, { error }: DeadRuleReport): void {
  const monitoring = isObj(p.monitoring) ? p.monitoring : {};
  const declared = Array.isArray(monitoring.metrics) ? new Map<unknown, Kind>() : undefined;
  strings(monitoring.metrics).forEach((m, i) => {
    const id = isObj(m) ? m.id : m;
    const kind: Kind = isObj(m) && m.kind === 'state' ? 'state' : 'number';
    if (declared?.has(id)) error(['monitoring', 'metrics', i], 'PLAN_METRIC_TWICE', { metric: param(id) }, `metric ${q(id)} is declared twice`);
    else declared?.set(id, kind);
  });
  items(monitoring.thresholds).forEach((t, i) => {
    const at = ['monitoring', 'thresholds', i];
    let kind: Kind;
    if (declared) {
      const known = declared.get(t.metric);
      if (known === undefined) {
        error(
          [...at, 'metric'],
          'PLAN_METRIC_UNDECLARED',
          { metric: param(t.metric) },
          `metric ${q(t.metric)} is not declared in monitoring.metrics (a bare name is a number; { id, kind: state } is up/down)`,
        );
        return;
      }
      kind = known;
    } else kind = typeof t.value === 'number' ? 'number' : 'state';
    if (kind === 'state') {
      if (typeof t.value === 'number')
        error(
          [...at, 'value'],
          'PLAN_STATE_METRIC_NUMBER',
          { metric: param(t.metric), value: t.value },
          `${q(t.metric)} is a state metric (up/down): it never equals the number ${t.value}; compare it with up or down`,
        );
      else if (t.op !== '==' && t.op !== '!=')
        error([...at, 'op'], 'PLAN_STATE_METRIC_OPERATOR', { op: param(t.op), metric: param(t.metric) }, `operator ${q(t.op)} cannot compare the state metric ${q(t.metric)}; use == or !=`);
    } else if (STATE_VALUES.has(t.value)) {
      error(
        [...at, 'value'],
        'PLAN_NUMBER_METRIC_STATE',
        { metric: param(t.metric), value: param(t.value) },
        `${q(t.metric)} is a number metric: it never matches ${q(t.value)}; compare it with a number, or declare it { id: ${t.metric}, kind: state }`,
      );
    }
  });
}

/** An obligation is breached only when it has a deadline or a cadence. */
const breachable = (o: Obj): boolean => o.within !== undefined || o.recurring !== undefined;

/** An escalation nothing can trigger. Unknown obligations and criteria are reported by lintPlan itself. */
function escalations(p: Obj, { error }: DeadRuleReport): void {
  const obligations = items(p.obligations);
  items(p.escalations).forEach((e, i) => {
    const when = isObj(e.when) ? e.when : {};
    if (when.obligation_breached === undefined) return;
    const o = obligations.find((x) => x.id === when.obligation_breached);
    if (!o) return;
    const at = ['escalations', i, 'when', 'obligation_breached'];
    // the engine runs an escalation from its own `when` (and from an on_breach that names it)
    if (!breachable(o))
      error(
        at,
        'PLAN_ESCALATION_NEVER_FIRES',
        { obligation: param(o.id), escalation: param(e.id) },
        `obligation ${q(o.id)} has no deadline (within) or cadence (recurring), so it is never breached and escalation ${q(e.id)} never fires`,
      );
  });
}

/** An obligation that does not page its actor when it starts, while nothing else ever pages that role. */
function unpagedActors(p: Obj, { warn }: DeadRuleReport): void {
  const paged = new Set<unknown>();
  for (const l of items(p.levels)) strings(l.notify).forEach((r) => paged.add(r));
  for (const e of items(p.escalations)) strings(isObj(e.then) ? e.then.notify : undefined).forEach((r) => paged.add(r));
  for (const o of items(p.obligations)) {
    for (const b of strings(o.on_breach)) if (isObj(b)) for (const r of [b.page, b.notify]) if (r !== undefined) paged.add(r);
  }
  const groups = items(isObj(p.org) ? p.org.groups : undefined);
  items(p.obligations).forEach((o, i) => {
    if (o.page_on_start !== false || o.actor === undefined) return;
    const role = groups.find((g) => g.id === o.actor)?.lead ?? o.actor;
    if (!items(p.roles).some((r) => r.id === role)) return; // an unknown actor is lintPlan's error already
    if (!paged.has(role))
      warn(
        ['obligations', i, 'page_on_start'],
        'PLAN_NOBODY_PAGED',
        { role: param(role), obligation: param(o.id) },
        `page_on_start: false, and no level notify, on_breach page/notify or escalation notify names ${q(role)}: nobody is ever paged for ${q(o.id)}`,
      );
  });
}

/**
 * From the default level, time alone must be able to raise an incident: a more severe criterion with a duration
 * (L1.a: more than 2 h), or a breach of an obligation the default level starts that escalates above it (E3to2).
 */
function ladderClimbsInTime(p: Obj, { warn }: DeadRuleReport): void {
  const levels = items(p.levels);
  const d = levels.findIndex((l) => l.default === true);
  const base = levels[d]?.id;
  if (!isLevel(base) || levelRank(base) === 0) return;
  const above = (l: unknown) => isLevel(l) && levelRank(l) < levelRank(base);
  const timed = levels.some((l) => above(l.id) && items(l.criteria).some((c) => isObj(c.duration) && (c.duration.gt !== undefined || c.duration.ge !== undefined)));
  const raising = new Set(items(p.escalations).flatMap((e) => (isObj(e.then) && above(e.then.set_level_at_least) ? [e.id] : [])));
  const startsAtBase = (o: Obj) => o.trigger === 'incident.opened' || o.trigger === `level.reached:${base}`;
  const escalates = items(p.obligations).some((o) => startsAtBase(o) && breachable(o) && strings(o.on_breach).some((b) => isObj(b) && raising.has(b.escalate)));
  if (!timed && !escalates)
    warn(
      ['levels', d, 'default'],
      'PLAN_LADDER_NO_TIME_PATH',
      { level: base },
      `no path upward in time from the default level ${base}: no more severe criterion has a duration and no breach of an obligation started at ${base} escalates above it, so time alone can never raise an incident`,
    );
}

/** `checklists.<group>.<band>[].obligation` must name an obligation. */
function checklistObligations(p: Obj, { error }: DeadRuleReport): void {
  if (!isObj(p.checklists)) return;
  const obligations = ids(items(p.obligations));
  for (const [group, bands] of Object.entries(p.checklists)) {
    if (!isObj(bands)) continue;
    for (const [band, list] of Object.entries(bands)) {
      items(list).forEach((item, i) => {
        if (item.obligation !== undefined && !obligations.has(item.obligation))
          error(
            ['checklists', group, band, i, 'obligation'],
            'PLAN_UNDEFINED_REF',
            { what: 'obligation', id: param(item.obligation), section: 'obligations' },
            `obligation ${q(item.obligation)} is not defined in obligations`,
          );
      });
    }
  }
}

/** Flags used by criteria, checklists and reports must be declared (when `impact_flags` is given); `implies` names a scenario. */
function impactFlags(p: Obj, { error, warn }: DeadRuleReport): void {
  if (!Array.isArray(p.impact_flags)) return;
  const declared = new Set<unknown>();
  const scenarios = ids(items(p.scenarios));
  items(p.impact_flags).forEach((f, i) => {
    if (declared.has(f.id)) error(['impact_flags', i, 'id'], 'PLAN_DUPLICATE_ENTRY', { what: 'impact_flag', id: param(f.id) }, `duplicate impact flag id ${q(f.id)}`);
    declared.add(f.id);
    const implied = isObj(f.implies) ? f.implies.scenario : undefined;
    if (implied !== undefined && !scenarios.has(implied))
      error(['impact_flags', i, 'implies', 'scenario'], 'PLAN_UNDEFINED_REF', { what: 'scenario', id: param(implied), section: 'scenarios' }, `scenario ${q(implied)} is not defined in scenarios`);
  });
  const check = (list: unknown, at: RawPath) =>
    strings(list).forEach((flag, i) => {
      if (!declared.has(flag))
        warn(Array.isArray(list) ? [...at, i] : at, 'PLAN_FLAG_UNDECLARED', { flag: param(flag) }, `impact flag ${q(flag)} is not declared in impact_flags, so nobody can set it from the plan's list`);
    });
  items(p.levels).forEach((l, li) =>
    items(l.criteria).forEach((c, ci) => {
      const when = isObj(c.when) ? c.when : {};
      for (const key of ['impact_flags', 'any_flag', 'impact_flags_absent']) check(when[key], ['levels', li, 'criteria', ci, 'when', key]);
    }),
  );
  if (isObj(p.checklists)) {
    for (const [group, bands] of Object.entries(p.checklists)) {
      if (!isObj(bands)) continue;
      for (const [band, list] of Object.entries(bands)) {
        items(list).forEach((item, i) => {
          const a = isObj(item.applies_if) ? item.applies_if : {};
          for (const key of ['impact_flags', 'any_flag', 'flags_any']) check(a[key], ['checklists', group, band, i, 'applies_if', key]);
        });
      }
    }
  }
  items(p.regulatory_reports).forEach((r, i) => {
    const a = isObj(r.applies_if) ? r.applies_if : {};
    check(a.flags_any, ['regulatory_reports', i, 'applies_if', 'flags_any']);
  });
}

/** `issues_reports: true` in a condition holds only if some system issues reports. */
function reportIssuers(p: Obj, { warn }: DeadRuleReport): void {
  if (items(p.systems).some((s) => s.issues_reports === true)) return;
  items(p.levels).forEach((l, li) =>
    items(l.criteria).forEach((c, ci) => {
      if (isObj(c.when) && c.when.issues_reports === true)
        warn(['levels', li, 'criteria', ci, 'when', 'issues_reports'], 'PLAN_NO_REPORT_ISSUER', {}, 'no system issues reports (issues_reports: true), so this condition never holds');
    }),
  );
}

/** `evidence[].recorded_by` names events the platform emits. */
function recordingEvents(p: Obj, { error }: DeadRuleReport): void {
  items(p.evidence).forEach((e, i) =>
    strings(e.recorded_by).forEach((event, j) => {
      if (!(PLATFORM_EVENTS as readonly unknown[]).includes(event))
        error(
          ['evidence', i, 'recorded_by', j],
          'PLAN_UNKNOWN_EVENT',
          { event: param(event), known: PLATFORM_EVENTS.join(', ') },
          `${q(event)} is not a platform event; known: ${PLATFORM_EVENTS.join(', ')}`,
        );
    }),
  );
}

/** `applies_if.systems_affected` names systems. */
function appliesIf(p: Obj, { error }: DeadRuleReport): void {
  const systems = ids(items(p.systems));
  items(p.obligations).forEach((o, i) => {
    const a = isObj(o.applies_if) ? o.applies_if : {};
    strings(a.systems_affected).forEach((s, j) => {
      if (!systems.has(s))
        error(['obligations', i, 'applies_if', 'systems_affected', j], 'PLAN_UNDEFINED_REF', { what: 'system', id: param(s), section: 'systems' }, `system ${q(s)} is not defined in systems`);
    });
  });
}

/** A category both summed and overlapping would be counted twice and compared with itself. */
function tallyTotal(p: Obj, { warn }: DeadRuleReport): void {
  const policy = isObj(p.grading_policy) ? p.grading_policy : {};
  const total = isObj(policy.tally_total) ? policy.tally_total : undefined;
  if (!total) return;
  const sum = strings(total.sum);
  strings(total.overlapping).forEach((c, i) => {
    if (sum.includes(c)) warn(['grading_policy', 'tally_total', 'overlapping', i], 'PLAN_TALLY_BOTH', { category: param(c) }, `${q(c)} is both summed and overlapping; list it in one of them`);
  });
}
