import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError, type Issue } from '../shared/errors.js';
import { DEFAULT_PLAN_PATH, PlanInvalidError, loadDefaultPlan, loadPlan, loadPlanFile, parsePlanText } from './index.js';

/** A small plan that loads with no issue at all; the cases below break it on purpose. */
const MINI = `schema: lifeline.plan/v1
plan: { id: mini, version: "1", title: { zh: 迷你预案, en: Mini plan } }
systems:
  - { id: HIS, name: { zh: 医院信息系统, en: HIS }, category: core, in_scope: true, prov: "seed:preamble" }
dependencies: []
roles:
  - { id: commander, name: { zh: 总指挥, en: Commander }, prov: "seed:一" }
  - { id: monitoring_post, name: { zh: 监控岗, en: Monitoring post }, prov: "seed:三(一)" }
org:
  command_hq: { commander: commander, deputy: commander, members: [] }
  groups: []
scenarios: []
monitoring:
  thresholds: []
anchors:
  - { id: detected_at, name: { zh: 发现时间, en: Detected at } }
evidence:
  - { id: acknowledge, name: { zh: 确认, en: Acknowledge } }
levels:
  - id: L1
    name: { zh: 一级, en: Level 1 }
    criteria:
      - id: L1.a
        prov: "seed:二(二)"
        summary: { zh: 核心系统瘫痪, en: core system down }
        when: { systems: [HIS], state: down }
        duration: { gt: PT2H }
  - id: L2
    name: { zh: 二级, en: Level 2 }
    criteria:
      - { id: L2.a, prov: inferred, summary: { zh: 降级, en: degraded }, when: { systems: [HIS], state: degraded } }
  - id: L3
    name: { zh: 三级, en: Level 3 }
    default: true
    criteria: []
grading_policy:
  provisional_from: [L1]
  provisional_cap: L2
  downgrade: { by_roles: [commander], reason_required: true }
escalations: []
obligations:
  - id: O3.1
    prov: "seed:三(二)1"
    trigger: incident.opened
    actor: monitoring_post
    action: { zh: 通知值班人员, en: alert the on-duty engineer }
    anchor: detected_at
    within: PT5M
    evidence: acknowledge
  - { id: O2.1, prov: inferred, trigger: "level.reached:L2", actor: commander, action: { zh: 报告, en: report }, within: PT10M, evidence: acknowledge }
  - { id: O1.1, prov: inferred, trigger: "level.reached:L1", actor: commander, action: { zh: 报告, en: report }, within: PT10M, evidence: acknowledge }
`;

function replaceOnce(text: string, from: string, to: string): string {
  expect(text.split(from)).toHaveLength(2); // the fixture edit must hit exactly one place
  return text.replace(from, to);
}

const brief = (issues: Issue[]) => issues.map((i) => ({ line: i.line, column: i.column, severity: i.severity, path: i.path }));

describe('parsePlanText', () => {
  it('loads the mini fixture with no issue', () => {
    const { plan, issues } = parsePlanText(MINI, 'mini.yaml');
    expect(issues).toEqual([]);
    expect(plan?.obligations.map((o) => o.id)).toEqual(['O3.1', 'O2.1', 'O1.1']);
  });

  it('reports every schema and lint problem at once, with file, line, column and key path', () => {
    let text = MINI;
    text = replaceOnce(text, '        duration: { gt: PT2H }\n', '        duraton: { gt: PT2H }\n'); // line 27
    text = replaceOnce(text, '    actor: monitoring_post\n', '    actor: monitoring_pst\n'); // line 45
    text = replaceOnce(text, '    anchor: detected_at\n', '    anchor: detectd_at\n'); // line 47
    text = replaceOnce(text, '    within: PT5M\n', '    within: PT5X\n'); // line 48
    text = replaceOnce(text, '    evidence: acknowledge\n', '    evidence: acknowledged\n    on_breech: [mark_overdue]\n'); // lines 49-50
    text = replaceOnce(text, 'deputy: commander,', 'deputy: deputy,'); // line 10

    const { plan, issues } = parsePlanText(text, 'broken.yaml');
    expect(plan).toBeUndefined();
    expect(issues.every((i) => i.file === 'broken.yaml')).toBe(true);
    expect(brief(issues)).toEqual([
      { line: 10, column: 47, severity: 'error', path: 'org.command_hq.deputy' },
      { line: 27, column: 9, severity: 'error', path: 'levels[0].criteria[0].duraton' },
      // with L1.a's duration misspelled, no criterion above L3 has a duration: time alone cannot raise an incident
      { line: 34, column: 14, severity: 'warning', path: 'levels[2].default' },
      { line: 45, column: 12, severity: 'error', path: 'obligations[0].actor' },
      { line: 47, column: 13, severity: 'error', path: 'obligations[0].anchor' },
      { line: 48, column: 13, severity: 'error', path: 'obligations[0].within' },
      { line: 49, column: 15, severity: 'error', path: 'obligations[0].evidence' },
      { line: 50, column: 5, severity: 'error', path: 'obligations[0].on_breech' },
    ]);
    const messages = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(messages['levels[0].criteria[0].duraton']).toBe('unknown key "duraton" (did you mean "duration"?)');
    expect(messages['obligations[0].on_breech']).toBe('unknown key "on_breech" (did you mean "on_breach"?)');
    expect(messages['obligations[0].within']).toMatch(/not an ISO 8601 duration/);
    expect(messages['obligations[0].actor']).toMatch(/"monitoring_pst" is neither a role nor a group/);
    expect(messages['obligations[0].anchor']).toMatch(/"detectd_at" is not defined/);
    expect(messages['obligations[0].evidence']).toMatch(/"acknowledged" is not defined/);
  });

  it('points a missing key at its parent object and a wrong type at the value', () => {
    let text = replaceOnce(MINI, '    trigger: incident.opened\n', '');
    text = replaceOnce(text, '  provisional_cap: L2\n', '  provisional_cap: L4\n');
    const { issues } = parsePlanText(text, 'p.yaml');
    expect(brief(issues)).toEqual([
      // lint still runs: with O3.1's trigger gone, nothing fires for the default level any more
      { line: 32, column: 9, severity: 'warning', path: 'levels[2].id' },
      { line: 38, column: 20, severity: 'error', path: 'grading_policy.provisional_cap' },
      { line: 42, column: 5, severity: 'error', path: 'obligations[0].trigger' },
    ]);
    expect(issues[1].message).toBe('"L4" is not a level; expected one of "L1", "L2", "L3"');
    expect(issues[2].message).toBe('missing required key "trigger"');
  });

  it('reports YAML syntax errors with positions and paths, all of them', () => {
    const text = ['schema: lifeline.plan/v1', 'systems:', '  - id: HIS', '    name: x', '   category: core', 'roles: []', 'roles: []', ''].join('\n');
    const { plan, issues } = parsePlanText(text, 'syntax.yaml');
    expect(plan).toBeUndefined();
    expect(issues).toEqual([
      {
        severity: 'error',
        file: 'syntax.yaml',
        line: 5,
        column: 1,
        path: 'systems[0].name',
        message: 'YAML: Sequence item without - indicator',
        code: 'PLAN_YAML_SYNTAX',
        params: { yamlCode: 'MISSING_CHAR' },
      },
      { severity: 'error', file: 'syntax.yaml', line: 7, column: 1, path: 'roles', message: 'YAML: Map keys must be unique', code: 'PLAN_YAML_SYNTAX', params: { yamlCode: 'DUPLICATE_KEY' } },
    ]);
  });

  it('reports an unterminated flow mapping', () => {
    const text = 'schema: lifeline.plan/v1\nplan: { id: x, version: "1"\nsystems: []\n';
    const { issues } = parsePlanText(text, 'flow.yaml');
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((i) => i.severity === 'error' && i.line !== undefined && i.column !== undefined)).toBe(true);
    expect(issues[0].message).toMatch(/^YAML: /);
  });

  it('reports an empty document at the root', () => {
    const { issues } = parsePlanText('', 'empty.yaml');
    expect(issues).toEqual([
      { severity: 'error', file: 'empty.yaml', path: '', line: 1, column: 1, message: 'expected object, got null', code: 'PLAN_FIELD_TYPE', params: { expected: 'object', received: 'null' } },
    ]);
  });

  it('keeps extra sections verbatim and warns about unknown ones', () => {
    const text = `${MINI}checklists: { tech: [a, b] }\nchecklist: {}\n`;
    const { plan, issues } = parsePlanText(text, 'x.yaml');
    expect(plan?.checklists).toEqual({ tech: ['a', 'b'] });
    expect(issues).toEqual([
      {
        severity: 'warning',
        file: 'x.yaml',
        path: 'checklist',
        line: 53,
        column: 12,
        message: 'unknown section "checklist"; it is kept but nothing reads it',
        code: 'PLAN_UNKNOWN_SECTION',
        params: { section: 'checklist' },
      },
    ]);
  });

  it('skips lint when asked to', () => {
    const text = replaceOnce(MINI, '    actor: monitoring_post\n', '    actor: nobody\n');
    expect(parsePlanText(text, 'x.yaml', { lint: false }).issues).toEqual([]);
    expect(parsePlanText(text, 'x.yaml').issues).toHaveLength(1);
  });

  it('returns a deep-frozen plan', () => {
    const { plan } = parsePlanText(MINI, 'mini.yaml');
    expect(plan).toBeDefined();
    expect(Object.isFrozen(plan)).toBe(true);
    expect(Object.isFrozen(plan!.obligations)).toBe(true);
    expect(Object.isFrozen(plan!.obligations[0])).toBe(true);
    expect(Object.isFrozen(plan!.levels[0].criteria[0].when.systems)).toBe(true);
    expect(() => {
      (plan!.obligations[0] as { within?: string }).within = 'PT1H';
    }).toThrow(TypeError);
  });
});

describe('loadPlan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lifeline-plan-'));

  it('loads the default plan with zero issues, frozen', () => {
    const { plan, issues } = loadPlanFile(DEFAULT_PLAN_PATH);
    expect(issues).toEqual([]);
    expect(plan).toBeDefined();
    expect(Object.isFrozen(plan!.levels[0].criteria[0])).toBe(true);
    expect(loadPlan()).toBe(loadDefaultPlan());
    expect(loadPlan('default')).toBe(loadDefaultPlan());
  });

  it('throws PlanInvalidError (PLAN_INVALID) carrying every issue', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, replaceOnce(replaceOnce(MINI, '    within: PT5M\n', '    within: 5 minutes\n'), '    actor: monitoring_post\n', '    actor: x\n'));
    let caught: unknown;
    try {
      loadPlan(file);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PlanInvalidError);
    expect(caught).toBeInstanceOf(AppError);
    const err = caught as PlanInvalidError;
    expect(err.code).toBe('PLAN_INVALID');
    expect(err.name).toBe('PlanInvalidError');
    expect(err.file).toBe(file);
    expect(err.issues.map((i) => [i.path, i.line, i.column])).toEqual([
      ['obligations[0].actor', 45, 12],
      ['obligations[0].within', 48, 13],
    ]);
    expect(err.message).toContain('2 errors');
  });

  it('loads a valid file and reports warnings without throwing', () => {
    const file = join(dir, 'ok.yaml');
    writeFileSync(file, `${MINI}supply: []\n`);
    expect(loadPlan(file).plan.id).toBe('mini');
    expect(loadPlanFile(file).issues.map((i) => i.severity)).toEqual(['warning']);
  });

  it('reports an unreadable file as an issue, and loadPlan throws', () => {
    const missing = join(dir, 'missing.yaml');
    const { plan, issues } = loadPlanFile(missing);
    expect(plan).toBeUndefined();
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'error', file: missing, path: '' });
    expect(() => loadPlan(missing)).toThrow(PlanInvalidError);
  });

  it('default plan file is valid YAML text in English and Chinese', () => {
    const text = readFileSync(DEFAULT_PLAN_PATH, 'utf8');
    expect(text).toMatch(/^schema: lifeline\.plan\/v1$/m);
  });
});
