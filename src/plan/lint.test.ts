import { describe, expect, it } from 'vitest';
import { formatPath, lintPlan, loadDefaultPlan, type Plan } from './index.js';

/** A mutable copy of the default plan (which lints clean), for breaking one thing at a time. */
const fresh = (): Plan => structuredClone(loadDefaultPlan()) as Plan;
const find = <T extends { id: string }>(list: T[], id: string): T => list.find((x) => x.id === id)!;
const brief = (plan: Plan) => lintPlan(plan).map((i) => `${i.severity} ${i.path}`);

describe('lintPlan', () => {
  const cases: [name: string, breakIt: (p: Plan) => void, expected: string[]][] = [
    ['unknown actor', (p) => (find(p.obligations, 'O3.2').actor = 'tech_oncal'), ['error obligations[1].actor']],
    ['group id as actor is fine', (p) => (find(p.obligations, 'O2.3').actor = 'coordination'), []],
    ['unknown anchor', (p) => (find(p.obligations, 'O3.2').anchor = 'noticed_at'), ['error obligations[1].anchor']],
    ['unknown evidence', (p) => (find(p.obligations, 'O3.2').evidence = 'checkin'), ['error obligations[1].evidence']],
    ['unknown page role', (p) => (find(p.obligations, 'O3.1').on_breach = [{ page: 'boss' }]), ['error obligations[0].on_breach[0].page']],
    ['unknown notify role', (p) => (find(p.obligations, 'O2.1').on_breach = [{ notify: 'boss' }]), ['error obligations[3].on_breach[0].notify']],
    // E3to2 still runs from its own `when` (obligation_breached: O3.3): only the unknown name is an error
    ['unknown escalation', (p) => (find(p.obligations, 'O3.3').on_breach = [{ escalate: 'E3to1' }]), ['error obligations[2].on_breach[0].escalate']],
    ['escalation for another obligation', (p) => (find(p.obligations, 'O3.2').on_breach = [{ escalate: 'E3to2' }]), ['warning obligations[1].on_breach[0].escalate']],
    ['unknown escalation notify role', (p) => (find(p.escalations, 'E_auto_L1').then.notify = ['commander', 'ceo']), ['error escalations[1].then.notify[1]']],
    ['unknown escalation by_roles', (p) => (find(p.escalations, 'E_hq_override').when.by_roles = ['ceo']), ['error escalations[2].when.by_roles[0]']],
    [
      'unknown breached obligation',
      (p) => (find(p.escalations, 'E3to2').when.obligation_breached = 'O3.4'),
      ['error escalations[0].when.obligation_breached', 'warning obligations[2].on_breach[0].escalate'],
    ],
    ['unknown fired criterion', (p) => (find(p.escalations, 'E_auto_L1').when.criterion_fired = ['L1.d']), ['error escalations[1].when.criterion_fired[0]']],
    ['escalation without trigger', (p) => (find(p.escalations, 'E_auto_L1').when = {}), ['error escalations[1].when']],
    ['unknown HQ role', (p) => (p.org.command_hq.deputy = 'vice'), ['error org.command_hq.deputy']],
    ['unknown HQ member', (p) => p.org.command_hq.members.push('nurse_director'), ['error org.command_hq.members[4]']],
    ['unknown group lead', (p) => (p.org.groups[0].lead = 'it_director'), ['error org.groups[0].lead']],
    ['unknown downgrade role', (p) => (p.grading_policy.downgrade.by_roles = ['ceo']), ['error grading_policy.downgrade.by_roles[0]']],
    ['anchor set by unknown evidence', (p) => (find(p.anchors, 'onsite_at').set_by = 'arrive'), ['error anchors[2].set_by']],
    ['anchor waits on unknown obligation', (p) => (find(p.anchors, 'notified_at').until_then_due_of = 'O3.9'), ['error anchors[1].until_then_due_of']],
    ['criterion names unknown system', (p) => (p.levels[0].criteria[1].when.systems = ['RIS']), ['error levels[0].criteria[1].when.systems[0]']],
    ['criterion names unknown scenario', (p) => (p.levels[0].criteria[2].when.scenario = 'CYBR'), ['error levels[0].criteria[2].when.scenario']],
    ['criterion names unknown category', (p) => (p.levels[1].criteria[1].when.categories = ['lab' as never]), ['error levels[1].criteria[1].when.categories[0]']],
    [
      'in-scope system no criterion can grade',
      (p) => p.systems.push({ id: 'OA', name: { zh: '办公系统', en: 'Office automation' }, category: 'infra', in_scope: true, prov: 'inferred' }),
      ['warning systems[14]'],
    ],
    [
      'level without obligations',
      (p) => (p.obligations = p.obligations.filter((o) => o.trigger !== 'level.reached:L1')),
      ['warning levels[0].id', 'error checklists.coordination.L1[0].obligation', 'error checklists.publicity.L1[0].obligation', 'error checklists.publicity.L1[2].obligation'],
    ],
    [
      'default level without incident.opened obligations',
      (p) => (p.obligations = p.obligations.filter((o) => o.trigger !== 'incident.opened')),
      [
        'error anchors[1].until_then_due_of',
        'error escalations[0].when.obligation_breached',
        'warning levels[2].id',
        'error checklists.tech.L3[0].obligation',
        'error checklists.tech.L3[1].obligation',
        'error checklists.tech.L3[2].obligation',
      ],
    ],
    ['gap in the ladder', (p) => (p.levels[1].criteria = []), ['error levels[1].criteria', 'warning systems[4]', 'warning systems[5]', 'warning systems[6]']],
    ['no default level', (p) => delete p.levels[2].default, ['error levels', 'warning levels[2].id']],
    ['two default levels', (p) => (p.levels[1].default = true), ['warning levels[1].default', 'error levels[2].default']],
    ['levels out of order', (p) => p.levels.reverse(), ['error levels', 'warning levels[0].default']],
    ['duplicate obligation id', (p) => (find(p.obligations, 'O3.2').id = 'O3.1'), ['error obligations[1].id', 'error checklists.tech.L3[1].obligation']],
    ['duplicate criterion id', (p) => (p.levels[1].criteria[1].id = 'L2.a'), ['error levels[1].criteria[1].id']],
    ['duplicate role id', (p) => p.roles.push({ ...p.roles[0] }), ['error roles[11].id']],
    ['group id clashing with a role', (p) => (p.org.groups[0].id = 'tech_lead'), ['error org.groups[0].id']],
    ['provisional_cap not a level', (p) => (p.grading_policy.provisional_cap = 'L4' as never), ['error grading_policy.provisional_cap']],
    ['pointless provisional cap', (p) => (p.grading_policy.provisional_cap = 'L1'), ['warning grading_policy.provisional_from[0]']],
    ['unknown trigger', (p) => (find(p.obligations, 'O2.5').trigger = 'level.reached:L4'), ['error obligations[7].trigger']],
    ['unknown trigger kind', (p) => (find(p.obligations, 'O2.5').trigger = 'incident.open'), ['error obligations[7].trigger']],
    ['deadline without evidence', (p) => delete find(p.obligations, 'O1.1').evidence, ['warning obligations[8].evidence']],
    ['dependency on unknown system', (p) => p.dependencies.push({ from: 'HIS', to: 'ORACLE', kind: 'hard' }), ['error dependencies[14].to']],
    ['hard dependency cycle', (p) => p.dependencies.push({ from: 'STORAGE', to: 'HIS', kind: 'hard' }), ['error dependencies']],
    ['boolean threshold with >', (p) => (p.monitoring.thresholds[1].op = '>'), ['error monitoring.thresholds[1].op']],
    ['provenance tag unknown', (p) => (find(p.obligations, 'O1.5').prov = 'hics'), ['warning obligations[12].prov']],
    ['criterion id under the wrong level', (p) => (p.levels[1].criteria[0].id = 'L3.b'), ['warning levels[1].criteria[0].id']],
    ['both gt and ge', (p) => (p.levels[0].criteria[0].duration = { gt: 'PT2H', ge: 'PT2H' }), ['warning levels[0].criteria[0].duration']],
    [
      'unknown inspection roles',
      (p) => {
        const ins = (p.monitoring as unknown as { inspections: { actor: string; on_anomaly: { notify: string } }[] }).inspections[0];
        ins.actor = 'guard';
        ins.on_anomaly.notify = 'nobody';
      },
      ['error monitoring.inspections[0].actor', 'error monitoring.inspections[0].on_anomaly.notify'],
    ],
    ['unknown section', (p) => (p.suplies = []), ['warning suplies']],
  ];

  it.each(cases)('%s', (_name, breakIt, expected) => {
    const plan = fresh();
    breakIt(plan);
    const got = brief(plan);
    expect(got.sort()).toEqual([...expected].sort());
  });

  it('the default plan is clean', () => {
    expect(lintPlan(fresh())).toEqual([]);
  });

  it('never throws on a malformed plan', () => {
    const junk = { levels: [{ id: 7, criteria: 'x' }], obligations: [null, { on_breach: [1, { page: 2 }] }], org: [] } as unknown as Plan;
    expect(() => lintPlan(junk)).not.toThrow();
    expect(lintPlan(junk).some((i) => i.path === 'levels' && i.severity === 'error')).toBe(true);
  });

  it('uses positions when given', () => {
    const plan = fresh();
    plan.obligations[0].actor = 'x';
    const issues = lintPlan(plan, { file: 'p.yaml', locate: (path) => (formatPath(path) === 'obligations[0].actor' ? { line: 3, column: 9 } : undefined) });
    expect(issues).toEqual([
      { severity: 'error', file: 'p.yaml', line: 3, column: 9, path: 'obligations[0].actor', message: 'actor "x" is neither a role nor a group', code: 'PLAN_ACTOR_UNKNOWN', params: { actor: 'x' } },
    ]);
  });

  it('formats paths', () => {
    expect(formatPath(['obligations', 2, 'within'])).toBe('obligations[2].within');
    expect(formatPath([])).toBe('');
    expect(formatPath(['colour_map', 'my tool', 'High'])).toBe('colour_map["my tool"].High');
  });
});
