/**
 * Cross-reference checks over a whole plan: every id a rule names must be defined, the level ladder must
 * have no gaps, ids must be unique. Pure: returns `Issue[]`, never throws.
 *
 * Lint is written defensively (every list may be missing, every id may not be a string), so that the loader
 * can run it on a document the schema rejected and still report every problem in one pass.
 */
import type { Issue } from '../shared/errors.js';
import { lintAnnouncements } from './announcement-lint.js';
import { lintDeadRules } from './dead-rules.js';
import { lintRegulatoryReports } from './regulatory.js';
import { isObj, items, param, q, strings, type FindingParams, type Obj } from './raw.js';
import { EXTRA_SECTIONS } from './schema.js';
import { LEVEL_IDS, SYSTEM_CATEGORIES, levelRank, type LevelId, type Plan } from './types.js';

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

export interface Position {
  line: number; // 1-based
  column: number; // 1-based
}

/** Where things are in the source document; built by the loader from the YAML, absent for plans built in code. */
export interface PlanPositions {
  readonly file?: string;
  /** Position of the value at `path` (or of its key with `key: true`), else of its nearest existing ancestor. */
  locate(path: Path, options?: { key?: boolean }): Position | undefined;
}

/** `['obligations', 2, 'within']` → `obligations[2].within`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** Triggers the engine knows; `level.reached:<level>` is checked against the plan's levels. */
export const OBLIGATION_TRIGGERS = ['incident.opened', 'incident.recovering', 'incident.closed', 'schedule'] as const;
const LEVEL_TRIGGER = /^level\.reached:(.+)$/;
const PROV_KINDS = ['seed', 'typical', 'reg', 'inferred'];
const PROV = new RegExp(`^(${PROV_KINDS.join('|')})\\b`);
const KNOWN_SECTIONS = new Set<string>([
  'schema',
  'plan',
  'systems',
  'dependencies',
  'roles',
  'org',
  'scenarios',
  'monitoring',
  'anchors',
  'evidence',
  'impact_flags',
  'levels',
  'grading_policy',
  'escalations',
  'obligations',
  'departments',
  'business_lines',
  'downtime',
  'announcement_templates',
  'patient_services',
  'status_page',
  'regulatory_reports',
  'regulatory_recipients',
  'national_grading',
  'drills',
  ...EXTRA_SECTIONS,
]);

/**
 * Lints a plan. With `positions` (from the loader), each issue carries file, line and column.
 * Severity `error` means the engine would misbehave; `warning` means the plan is probably not what was meant.
 */
export function lintPlan(plan: Plan, positions?: PlanPositions): Issue[] {
  const issues: Issue[] = [];
  const report = (severity: 'error' | 'warning', path: Path, code: string, params: FindingParams, message: string) => {
    const pos = positions?.locate(path);
    issues.push({
      severity,
      path: formatPath(path),
      message,
      code,
      params,
      ...(positions?.file !== undefined ? { file: positions.file } : {}),
      ...(pos ? { line: pos.line, column: pos.column } : {}),
    });
  };
  const error = (path: Path, code: string, params: FindingParams, message: string) => report('error', path, code, params, message);
  const warn = (path: Path, code: string, params: FindingParams, message: string) => report('warning', path, code, params, message);
  const p = plan as unknown as Obj;

  // ---- ids: collect, flag duplicates ----
  const collect = (what: string, list: Obj[], base: Path): Map<string, Path> => {
    const seen = new Map<string, Path>();
    list.forEach((item, i) => {
      const id = item.id;
      if (typeof id !== 'string') return;
      const at = [...base, i, 'id'];
      const first = seen.get(id);
      if (first) error(at, 'PLAN_DUPLICATE_ID', { what: kind(what), id, first: formatPath(first) }, `duplicate ${what} id ${q(id)} (first defined at ${formatPath(first)})`);
      else seen.set(id, at);
    });
    return seen;
  };
  const org = isObj(p.org) ? p.org : {};
  const monitoring = isObj(p.monitoring) ? p.monitoring : {};
  const levels = items(p.levels);
  const systems = collect('system', items(p.systems), ['systems']);
  const roles = collect('role', items(p.roles), ['roles']);
  const groups = collect('group', items(org.groups), ['org', 'groups']);
  const scenarios = collect('scenario', items(p.scenarios), ['scenarios']);
  collect('threshold', items(monitoring.thresholds), ['monitoring', 'thresholds']);
  collect('inspection', items(monitoring.inspections), ['monitoring', 'inspections']);
  const anchors = collect('anchor', items(p.anchors), ['anchors']);
  const evidence = collect('evidence', items(p.evidence), ['evidence']);
  const levelIds = collect('level', levels, ['levels']);
  const escalations = collect('escalation', items(p.escalations), ['escalations']);
  const obligations = collect('obligation', items(p.obligations), ['obligations']);
  const criteria = new Map<string, Path>();
  levels.forEach((level, li) =>
    items(level.criteria).forEach((c, ci) => {
      if (typeof c.id !== 'string') return;
      const at = ['levels', li, 'criteria', ci, 'id'];
      const first = criteria.get(c.id);
      if (first) error(at, 'PLAN_DUPLICATE_ID', { what: 'criterion', id: c.id, first: formatPath(first) }, `duplicate criterion id ${q(c.id)} (first defined at ${formatPath(first)})`);
      else criteria.set(c.id, at);
    }),
  );
  for (const [id, at] of groups) {
    if (roles.has(id)) error(at, 'PLAN_GROUP_IS_ROLE', { id }, `group id ${q(id)} is also a role id; an actor naming it would be ambiguous`);
  }

  // ---- reference helpers ----
  /** `value` must be an id defined in `section` (criteria: in any level). */
  const mustBe = (what: string, known: Map<string, unknown>, value: unknown, path: Path, section: string) => {
    if (value === undefined) return;
    const where = what === 'criterion' ? 'any level' : section;
    if (typeof value !== 'string' || !known.has(value)) error(path, 'PLAN_UNDEFINED_REF', { what: kind(what), id: param(value), section }, `${what} ${q(value)} is not defined in ${where}`);
  };
  const role = (v: unknown, path: Path) => mustBe('role', roles, v, path, 'roles');
  const roleList = (v: unknown, path: Path) => strings(v).forEach((r, i) => role(r, Array.isArray(v) ? [...path, i] : path));
  const level = (v: unknown, path: Path) => mustBe('level', levelIds, v, path, 'levels');

  // ---- sections ----
  for (const key of Object.keys(p)) {
    if (!KNOWN_SECTIONS.has(key)) warn([key], 'PLAN_UNKNOWN_SECTION', { section: key }, `unknown section ${q(key)}; it is kept but nothing reads it`);
  }
  const provenance = (list: Obj[], base: Path) =>
    list.forEach((item, i) => {
      if (typeof item.prov !== 'string') return;
      const parts = item.prov.split('+').map((s) => s.trim());
      if (!parts.every((part) => PROV.test(part)))
        warn([...base, i, 'prov'], 'PLAN_PROVENANCE', { prov: item.prov, allowed: PROV_KINDS.join(', ') }, `provenance ${q(item.prov)} should start with seed, typical, reg or inferred`);
    });
  provenance(items(p.systems), ['systems']);
  provenance(items(p.roles), ['roles']);
  provenance(items(monitoring.thresholds), ['monitoring', 'thresholds']);
  provenance(items(monitoring.metrics), ['monitoring', 'metrics']);
  provenance(items(p.impact_flags), ['impact_flags']);
  provenance(items(p.escalations), ['escalations']);
  provenance(items(p.obligations), ['obligations']);
  levels.forEach((l, li) => provenance(items(l.criteria), ['levels', li, 'criteria']));

  // ---- systems and dependencies ----
  const hard = new Map<string, string[]>();
  items(p.dependencies).forEach((d, i) => {
    mustBe('system', systems, d.from, ['dependencies', i, 'from'], 'systems');
    mustBe('system', systems, d.to, ['dependencies', i, 'to'], 'systems');
    if (d.from === d.to && d.from !== undefined) error(['dependencies', i], 'PLAN_SELF_DEPENDENCY', { system: param(d.from) }, `system ${q(d.from)} depends on itself`);
    if (d.kind === 'hard' && typeof d.from === 'string' && typeof d.to === 'string') {
      hard.set(d.from, [...(hard.get(d.from) ?? []), d.to]);
    }
  });
  const cycle = findCycle(hard);
  if (cycle) error(['dependencies'], 'PLAN_DEPENDENCY_CYCLE', { cycle: cycle.join(' → ') }, `hard dependencies form a cycle: ${cycle.join(' → ')}`);

  // ---- organisation ----
  const hq = isObj(org.command_hq) ? org.command_hq : {};
  role(hq.commander, ['org', 'command_hq', 'commander']);
  role(hq.deputy, ['org', 'command_hq', 'deputy']);
  roleList(hq.members, ['org', 'command_hq', 'members']);
  items(org.groups).forEach((g, i) => role(g.lead, ['org', 'groups', i, 'lead']));
  const actor = (v: unknown, path: Path) => {
    if (v === undefined) return;
    if (typeof v !== 'string' || (!roles.has(v) && !groups.has(v))) error(path, 'PLAN_ACTOR_UNKNOWN', { actor: param(v) }, `actor ${q(v)} is neither a role nor a group`);
  };

  // ---- drills: each catalogue entry is organised by a role and exercises groups of the plan ----
  const drills = isObj(p.drills) ? p.drills : {};
  collect('drill', items(drills.catalogue), ['drills', 'catalogue']);
  items(drills.catalogue).forEach((d, i) => {
    role(d.organiser, ['drills', 'catalogue', i, 'organiser']);
    (Array.isArray(d.groups) ? d.groups : []).forEach((g: unknown, gi: number) => {
      if (typeof g === 'string' && !groups.has(g)) error(['drills', 'catalogue', i, 'groups', gi], 'PLAN_UNKNOWN_GROUP', { group: g }, `unknown group ${q(g)}`);
    });
  });

  // ---- monitoring ----
  items(monitoring.inspections).forEach((ins, i) => {
    actor(ins.actor, ['monitoring', 'inspections', i, 'actor']);
    if (isObj(ins.on_anomaly)) actor(ins.on_anomaly.notify, ['monitoring', 'inspections', i, 'on_anomaly', 'notify']);
  });

  // ---- the ladder ----
  const ids = levels.map((l) => l.id);
  if (ids.length !== LEVEL_IDS.length || ids.some((id, i) => id !== LEVEL_IDS[i]))
    error(
      ['levels'],
      'PLAN_LEVELS_LADDER',
      { expected: LEVEL_IDS.join(', '), found: ids.map(String).join(', ') || '—' },
      `levels must be exactly ${LEVEL_IDS.join(', ')} in that order (found ${ids.map(String).join(', ') || 'none'})`,
    );
  const defaults = levels.flatMap((l, i) => (l.default === true ? [i] : []));
  if (defaults.length === 0) error(['levels'], 'PLAN_NO_DEFAULT_LEVEL', {}, 'no level is marked default: true; incidents no criterion grades would have no level');
  for (const i of defaults.slice(1))
    error(['levels', i, 'default'], 'PLAN_SECOND_DEFAULT_LEVEL', { level: param(levels[defaults[0]].id) }, `only one level may be the default (already ${q(levels[defaults[0]].id)})`);
  if (defaults.length >= 1 && defaults[0] !== levels.length - 1) warn(['levels', defaults[0], 'default'], 'PLAN_DEFAULT_NOT_LEAST', {}, 'the default level is usually the least severe one');
  levels.forEach((l, li) => {
    roleList(l.notify, ['levels', li, 'notify']);
    if (items(l.criteria).length === 0 && l.default !== true)
      error(['levels', li, 'criteria'], 'PLAN_LADDER_GAP', { level: param(l.id) }, `gap in the ladder: level ${q(l.id)} has no criteria and is not the default level`);
  });

  // ---- criteria ----
  const gradable = new Set<string>();
  const gradableCategories = new Set<unknown>();
  let reportIssuersGradable = false;
  levels.forEach((l, li) =>
    items(l.criteria).forEach((c, ci) => {
      const base = ['levels', li, 'criteria', ci];
      if (typeof c.id === 'string' && typeof l.id === 'string' && !c.id.startsWith(`${l.id}.`))
        warn([...base, 'id'], 'PLAN_CRITERION_PREFIX', { criterion: c.id, level: l.id }, `criterion ${q(c.id)} sits under ${l.id} but its id does not start with "${l.id}."`);
      const when = isObj(c.when) ? c.when : {};
      strings(when.systems).forEach((s, i) => {
        mustBe('system', systems, s, [...base, 'when', 'systems', i], 'systems');
        if (typeof s === 'string') gradable.add(s);
      });
      strings(when.categories).forEach((cat, i) => {
        const at = [...base, 'when', 'categories', i];
        if (!(SYSTEM_CATEGORIES as readonly unknown[]).includes(cat))
          error(at, 'PLAN_CATEGORY_UNKNOWN', { category: param(cat), categories: SYSTEM_CATEGORIES.join(', ') }, `category ${q(cat)} is not a system category (${SYSTEM_CATEGORIES.join(', ')})`);
        else if (!items(p.systems).some((s) => s.category === cat)) warn(at, 'PLAN_CATEGORY_UNUSED', { category: param(cat) }, `no system has category ${q(cat)}`);
        gradableCategories.add(cat);
      });
      if (when.issues_reports === true) reportIssuersGradable = true;
      strings(when.scenario).forEach((s, i) => mustBe('scenario', scenarios, s, Array.isArray(when.scenario) ? [...base, 'when', 'scenario', i] : [...base, 'when', 'scenario'], 'scenarios'));
      if (when.match !== undefined && when.systems === undefined)
        warn([...base, 'when', 'match'], 'PLAN_MATCH_WITHOUT_SYSTEMS', {}, '`match` applies to `systems`, which this criterion does not list');
      if (Object.keys(when).length === 0 && l.default !== true) warn([...base, 'when'], 'PLAN_EMPTY_CONDITIONS', {}, 'empty conditions: this criterion matches every incident');
      const duration = isObj(c.duration) ? c.duration : undefined;
      if (duration && duration.gt !== undefined && duration.ge !== undefined) warn([...base, 'duration'], 'PLAN_DURATION_BOTH', {}, 'both gt and ge given; give one (超过 → gt, 以上 → ge)');
      if (duration && duration.gt === undefined && duration.ge === undefined) warn([...base, 'duration'], 'PLAN_DURATION_NEITHER', {}, 'duration given without gt or ge');
    }),
  );
  items(p.systems).forEach((s, i) => {
    if (s.in_scope === false || typeof s.id !== 'string') return;
    if (s.issues_reports === true && reportIssuersGradable) return;
    if (!gradable.has(s.id) && !gradableCategories.has(s.category))
      warn(['systems', i], 'PLAN_SYSTEM_UNGRADED', { system: s.id, category: param(s.category) }, `system ${q(s.id)} is in scope but no criterion names it or its category ${q(s.category)}`);
  });

  // ---- grading policy ----
  const policy = isObj(p.grading_policy) ? p.grading_policy : {};
  strings(policy.provisional_from).forEach((l, i) => level(l, ['grading_policy', 'provisional_from', i]));
  level(policy.provisional_cap, ['grading_policy', 'provisional_cap']);
  if (typeof policy.provisional_cap === 'string' && (LEVEL_IDS as readonly string[]).includes(policy.provisional_cap)) {
    const cap = policy.provisional_cap as LevelId;
    strings(policy.provisional_from).forEach((l, i) => {
      if ((LEVEL_IDS as readonly unknown[]).includes(l) && levelRank(l as LevelId) >= levelRank(cap))
        warn(['grading_policy', 'provisional_from', i], 'PLAN_CAP_USELESS', { level: param(l), cap }, `armed ${l} criteria are capped at ${cap}, which is not below ${l}; the cap does nothing`);
    });
  }
  const downgrade = isObj(policy.downgrade) ? policy.downgrade : {};
  roleList(downgrade.by_roles, ['grading_policy', 'downgrade', 'by_roles']);

  // ---- escalations ----
  items(p.escalations).forEach((e, i) => {
    const base = ['escalations', i];
    const when = isObj(e.when) ? e.when : {};
    const then = isObj(e.then) ? e.then : {};
    mustBe('obligation', obligations, when.obligation_breached, [...base, 'when', 'obligation_breached'], 'obligations');
    strings(when.criterion_fired).forEach((c, ci) => mustBe('criterion', criteria, c, [...base, 'when', 'criterion_fired', ci], 'levels'));
    roleList(when.by_roles, [...base, 'when', 'by_roles']);
    roleList(then.notify, [...base, 'then', 'notify']);
    if (when.obligation_breached === undefined && when.criterion_fired === undefined && when.manual !== true)
      error([...base, 'when'], 'PLAN_ESCALATION_NO_TRIGGER', {}, 'escalation has no trigger (obligation_breached, criterion_fired or manual: true)');
    if (then.set_level_at_least === undefined && then.set_level === undefined && strings(then.notify).length === 0)
      error([...base, 'then'], 'PLAN_ESCALATION_NO_EFFECT', {}, 'escalation does nothing (set_level_at_least, set_level or notify)');
    level(then.set_level_at_least, [...base, 'then', 'set_level_at_least']);
    if (when.manual === true && strings(when.by_roles).length === 0)
      warn([...base, 'when', 'by_roles'], 'PLAN_MANUAL_ESCALATION_NO_ROLES', {}, 'a manual escalation should say which roles may use it');
    if (then.set_level === 'any' && when.manual !== true) warn([...base, 'then', 'set_level'], 'PLAN_SET_LEVEL_ANY_NOT_MANUAL', {}, 'set_level: any only makes sense for a manual escalation');
  });

  // ---- anchors and evidence ----
  items(p.anchors).forEach((a, i) => {
    mustBe('evidence action', evidence, a.set_by, ['anchors', i, 'set_by'], 'evidence');
    mustBe('obligation', obligations, a.until_then_due_of, ['anchors', i, 'until_then_due_of'], 'obligations');
    const due = items(p.obligations).find((o) => o.id === a.until_then_due_of);
    if (due && due.within === undefined)
      error(
        ['anchors', i, 'until_then_due_of'],
        'PLAN_ANCHOR_DUE_NO_DEADLINE',
        { obligation: param(a.until_then_due_of), anchor: param(a.id) },
        `obligation ${q(a.until_then_due_of)} has no deadline (within) to stand in for ${q(a.id)}`,
      );
    if (due && due.anchor === a.id)
      error(
        ['anchors', i, 'until_then_due_of'],
        'PLAN_ANCHOR_CIRCULAR',
        { obligation: param(a.until_then_due_of), anchor: param(a.id) },
        `circular: ${q(a.until_then_due_of)} is itself anchored on ${q(a.id)}`,
      );
  });

  // ---- obligations ----
  const triggered = new Set<string>();
  items(p.obligations).forEach((o, i) => {
    const base = ['obligations', i];
    if (typeof o.trigger === 'string') {
      const m = LEVEL_TRIGGER.exec(o.trigger);
      if (m) {
        mustBe('level', levelIds, m[1], [...base, 'trigger'], 'levels');
        triggered.add(o.trigger);
      } else if (!(OBLIGATION_TRIGGERS as readonly string[]).includes(o.trigger)) {
        error(
          [...base, 'trigger'],
          'PLAN_UNKNOWN_TRIGGER',
          { trigger: o.trigger, expected: [...OBLIGATION_TRIGGERS, 'level.reached:<level>'].join(', ') },
          `unknown trigger ${q(o.trigger)}; expected ${[...OBLIGATION_TRIGGERS, 'level.reached:<level>'].join(', ')}`,
        );
      } else triggered.add(o.trigger);
    }
    actor(o.actor, [...base, 'actor']);
    mustBe('anchor', anchors, o.anchor, [...base, 'anchor'], 'anchors');
    mustBe('evidence action', evidence, o.evidence, [...base, 'evidence'], 'evidence');
    roleList(o.evidence_by, [...base, 'evidence_by']);
    if (o.within !== undefined && o.evidence === undefined)
      warn([...base, 'evidence'], 'PLAN_DEADLINE_NO_EVIDENCE', {}, 'obligation has a deadline but no evidence action; only a manual sign-off can meet it');
    if (o.anchor !== undefined && o.within === undefined && o.recurring === undefined)
      warn([...base, 'anchor'], 'PLAN_ANCHOR_NO_DEADLINE', {}, 'anchor given without a deadline (within) or cadence (recurring)');
    items(o.on_breach).forEach((_, bi) => {
      const effect = (o.on_breach as unknown[])[bi];
      if (!isObj(effect)) return;
      const at = [...base, 'on_breach', bi];
      if ('page' in effect) role(effect.page, [...at, 'page']);
      if ('notify' in effect) role(effect.notify, [...at, 'notify']);
      if ('escalate' in effect) {
        mustBe('escalation', escalations, effect.escalate, [...at, 'escalate'], 'escalations');
        const esc = items(p.escalations).find((e) => e.id === effect.escalate);
        const breached = esc && isObj(esc.when) ? esc.when.obligation_breached : undefined;
        if (breached !== undefined && breached !== o.id)
          warn(
            [...at, 'escalate'],
            'PLAN_ESCALATION_OTHER_BREACH',
            { escalation: param(effect.escalate), breached: param(breached), obligation: param(o.id) },
            `escalation ${q(effect.escalate)} is declared for a breach of ${q(breached)}, not ${q(o.id)}`,
          );
      }
    });
    const appliesIf = isObj(o.applies_if) ? o.applies_if : {};
    strings(appliesIf.level_reached).forEach((l, li) => level(l, [...base, 'applies_if', 'level_reached', li]));
    strings(appliesIf.scenario).forEach((s, si) => mustBe('scenario', scenarios, s, [...base, 'applies_if', 'scenario', si], 'scenarios'));
  });
  levels.forEach((l, li) => {
    if (typeof l.id !== 'string') return;
    const own = triggered.has(`level.reached:${l.id}`) || (l.default === true && triggered.has('incident.opened'));
    if (!own) {
      const triggers = [...(l.default === true ? ['incident.opened'] : []), `level.reached:${l.id}`];
      const trigger = triggers.join(' or ');
      warn(['levels', li, 'id'], 'PLAN_LEVEL_NO_OBLIGATION', { level: l.id, triggers: triggers.join(', ') }, `no obligation is triggered for level ${l.id} (${trigger})`);
    }
  });

  // ---- downtime: departments and business lines ----
  const departments = collect('department', items(p.departments), ['departments']);
  const businessLines = collect('business line', items(p.business_lines), ['business_lines']);
  provenance(items(p.business_lines), ['business_lines']);
  items(p.business_lines).forEach((b, bi) => {
    const base = ['business_lines', bi];
    strings(b.depends_on).forEach((s, i) => mustBe('system', systems, s, [...base, 'depends_on', i], 'systems'));
    strings(b.departments).forEach((d, i) => mustBe('department', departments, d, [...base, 'departments', i], 'departments'));
    const procedure = isObj(b.procedure) ? b.procedure : {};
    const steps = new Set<unknown>();
    for (const band of ['before', 'during', 'after']) {
      items(procedure[band]).forEach((step, si) => {
        if (steps.has(step.id))
          error([...base, 'procedure', band, si, 'id'], 'PLAN_DUPLICATE_STEP', { step: param(step.id), line: param(b.id) }, `duplicate step id ${q(step.id)} in business line ${q(b.id)}`);
        steps.add(step.id);
      });
    }
  });

  // ---- publicity: patient services name business lines or systems ----
  collect('patient service', items(p.patient_services), ['patient_services']);
  items(p.patient_services).forEach((svc, si) => {
    strings(svc.depends_on).forEach((d, i) => {
      if (typeof d === 'string' && !businessLines.has(d) && !systems.has(d))
        error(['patient_services', si, 'depends_on', i], 'PLAN_SERVICE_DEPENDENCY_UNKNOWN', { id: d }, `${q(d)} is neither a business line nor a system of the plan`);
    });
    if (items(svc.alternatives).length === 0)
      warn(
        ['patient_services', si, 'alternatives'],
        'PLAN_SERVICE_NO_ALTERNATIVE',
        { service: String(svc.id) },
        `patient service ${q(String(svc.id))} tells patients no alternative for when it is down`,
      );
  });

  lintAnnouncements(p, { error, warn });
  lintDeadRules(p, { error, warn });
  lintRegulatoryReports(p, { error, warn });
  return issues;
}

/** A kind of plan entry as a finding parameter: `business line` → `business_line` (the web words it). */
const kind = (what: string): string => what.replace(/ /g, '_');

/** The first cycle in a directed graph, as a list of nodes that starts and ends with the same node. */
function findCycle(edges: Map<string, string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of edges.get(node) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    stack.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of edges.keys()) {
    const found = visit(node);
    if (found) return found;
  }
  return undefined;
}
