import { describe, expect, it } from 'vitest';
import { loadDefaultPlan } from '../plan/load.js';
import { grade } from './grade.js';
import type { IncidentFacts } from './facts.js';

const plan = loadDefaultPlan();
const H = 3_600_000;
const facts = (over: Partial<IncidentFacts> = {}): IncidentFacts => ({
  systems: [],
  scope: 'hospital_wide',
  scopeSince: 0,
  flags: {},
  tallies: {},
  scenario: null,
  scenarioSince: null,
  floors: [],
  manual: null,
  ...over,
});

describe('grade (pure)', () => {
  const cases: { name: string; f: IncidentFacts; now: number; level: string; provisional: boolean; rule: string; next?: number | null }[] = [
    {
      name: 'HIS down hospital-wide at 45 min: provisional L2 with an L1 countdown',
      f: facts({ systems: [{ system: 'HIS', state: 'down', since: 0 }] }),
      now: 0.75 * H,
      level: 'L2',
      provisional: true,
      rule: 'L1.a',
      next: 2 * H + 1,
    },
    { name: 'HIS down exactly 2 h: still provisional (超过 is strict)', f: facts({ systems: [{ system: 'HIS', state: 'down', since: 0 }] }), now: 2 * H, level: 'L2', provisional: true, rule: 'L1.a' },
    { name: 'HIS down 2 h + 1 ms: L1', f: facts({ systems: [{ system: 'HIS', state: 'down', since: 0 }] }), now: 2 * H + 1, level: 'L1', provisional: false, rule: 'L1.a', next: null },
    { name: 'EMR down on one floor only: no L1 watch', f: facts({ scope: 'floor', systems: [{ system: 'EMR', state: 'down', since: 0 }] }), now: 3 * H, level: 'L3', provisional: false, rule: 'L3.a' },
    {
      name: 'PACS down with emergency imaging blocked for exactly 4 h: not L1',
      f: facts({ systems: [{ system: 'PACS', state: 'down', since: 0 }], flags: { emergency_imaging_blocked: 0 } }),
      now: 4 * H,
      level: 'L2',
      provisional: true,
      rule: 'L1.b',
    },
    {
      name: 'PACS down with emergency imaging blocked for 4 h + 1 s: L1',
      f: facts({ systems: [{ system: 'PACS', state: 'down', since: 0 }], flags: { emergency_imaging_blocked: 0 } }),
      now: 4 * H + 1000,
      level: 'L1',
      provisional: false,
      rule: 'L1.b',
    },
    { name: 'PACS down without the flag: L3', f: facts({ systems: [{ system: 'PACS', state: 'down', since: 0 }] }), now: 5 * H, level: 'L3', provisional: false, rule: 'L3.a' },
    { name: 'CYBER with a confirmed leak: L1 at once', f: facts({ scenario: 'CYBER', scenarioSince: 0, flags: { data_leak_confirmed: 0 } }), now: 0, level: 'L1', provisional: false, rule: 'L1.c' },
    { name: 'CYBER DDoS without data impact: graded as an outage', f: facts({ scenario: 'CYBER', scenarioSince: 0 }), now: H, level: 'L3', provisional: false, rule: 'L3.a' },
    {
      name: 'LIS reports blocked, 49 patients: L3',
      f: facts({ systems: [{ system: 'LIS', state: 'down', since: 0 }], flags: { reports_blocked: 0 }, tallies: { outpatient: 49 } }),
      now: 10,
      level: 'L3',
      provisional: false,
      rule: 'L3.a',
    },
    {
      name: 'LIS reports blocked, 50 patients: L2.b (以上 includes 50)',
      f: facts({ systems: [{ system: 'LIS', state: 'down', since: 0 }], flags: { reports_blocked: 0 }, tallies: { inpatient: 50 } }),
      now: 10,
      level: 'L2',
      provisional: false,
      rule: 'L2.b',
    },
    {
      name: 'appointment degraded, departments affected, exactly 1 h: L3',
      f: facts({ systems: [{ system: 'APPOINTMENT', state: 'degraded', since: 0 }], flags: { department_operations_affected: 0 } }),
      now: H,
      level: 'L3',
      provisional: false,
      rule: 'L3.a',
    },
    {
      name: 'appointment degraded, departments affected, 1 h + 1 ms: L2.a',
      f: facts({ systems: [{ system: 'APPOINTMENT', state: 'degraded', since: 0 }], flags: { department_operations_affected: 0 } }),
      now: H + 1,
      level: 'L2',
      provisional: false,
      rule: 'L2.a',
    },
    { name: 'an escalation floor holds the level', f: facts({ floors: [{ level: 'L2', rule: 'E3to2', at: 0 }] }), now: 0, level: 'L2', provisional: false, rule: 'E3to2' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const g = grade(plan, c.f, c.now);
      expect({ level: g.level, provisional: g.provisional, rule: g.rule }).toEqual({ level: c.level, provisional: c.provisional, rule: c.rule });
      if (c.next !== undefined) expect(g.next?.at ?? null).toBe(c.next);
    });
  }

  it('a manual downgrade holds until a criterion fires after it', () => {
    const f = facts({ systems: [{ system: 'HIS', state: 'down', since: 0 }], manual: { level: 'L3', at: 10 * 60_000, actor: '院长', reason: 'drill' } });
    expect(grade(plan, f, 20 * 60_000)).toMatchObject({ level: 'L3', rule: 'manual' });
    expect(grade(plan, f, 2 * H + 1)).toMatchObject({ level: 'L1', rule: 'L1.a' });
  });

  it('the duration counts from when the conditions all began to hold', () => {
    // HIS down since 0, but hospital-wide scope only since 1 h
    const f = facts({ systems: [{ system: 'HIS', state: 'down', since: 0 }], scopeSince: H });
    expect(grade(plan, f, 2.5 * H).level).toBe('L2');
    expect(grade(plan, f, 3 * H + 1).level).toBe('L1');
  });
});
