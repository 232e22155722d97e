import type { Condition, Plan, PlanSystem, SystemState } from '../plan/types.js';
import type { IncidentFacts } from './facts.js';

const asList = <T>(v: T | T[] | undefined): T[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v : [v]);

/**
 * When did the conditions start to hold continuously? `undefined` when they do not hold now.
 * Each fact carries the instant it last changed, so the answer is the latest of those instants
 * (for `match: any`, the earliest over the systems that qualify).
 */
export function conditionsHoldSince(when: Condition, facts: IncidentFacts, plan: Plan): number | undefined {
  const instants: number[] = [];

  const scopes = asList(when.scope);
  if (scopes) {
    if (!scopes.includes(facts.scope)) return undefined;
    instants.push(facts.scopeSince);
  }
  const scenarios = asList(when.scenario);
  if (scenarios) {
    if (!facts.scenario || !scenarios.includes(facts.scenario)) return undefined;
    instants.push(facts.scenarioSince ?? 0);
  }
  for (const flag of when.impact_flags ?? []) {
    if (facts.flags[flag] === undefined) return undefined;
    instants.push(facts.flags[flag]);
  }
  if (when.any_flag) {
    const set = when.any_flag.map((f) => facts.flags[f]).filter((t): t is number => t !== undefined);
    if (set.length === 0) return undefined;
    instants.push(Math.min(...set));
  }
  for (const flag of when.impact_flags_absent ?? []) {
    if (facts.flags[flag] !== undefined) return undefined;
  }
  if (when.tally && !tallyHolds(when.tally, facts, plan)) return undefined;

  if (when.systems || when.categories || when.issues_reports) {
    const since = systemsHoldSince(when, facts, plan);
    if (since === undefined) return undefined;
    instants.push(since);
  }
  return instants.length ? Math.max(...instants) : 0;
}

const DEFAULT_TALLY_TOTAL: NonNullable<Plan['grading_policy']['tally_total']> = { sum: ['emergency', 'inpatient', 'outpatient'], overlapping: ['medical_insurance'] };

/**
 * The `total` of affected patients as the plan counts it: the sum of its `sum` categories, never below any
 * single category it lists (insured patients are also emergency, inpatient or outpatient ones).
 */
export function patientTotal(tallies: IncidentFacts['tallies'], plan: Pick<Plan, 'grading_policy'>): number {
  const rule = plan.grading_policy.tally_total ?? DEFAULT_TALLY_TOTAL;
  const count = (c: string) => tallies[c as keyof typeof tallies] ?? 0;
  const sum = rule.sum.reduce((n, c) => n + count(c), 0);
  return Math.max(sum, ...rule.sum.map(count), ...(rule.overlapping ?? []).map(count));
}

function tallyHolds(tally: NonNullable<Condition['tally']>, facts: IncidentFacts, plan: Plan): boolean {
  const counts = Object.values(facts.tallies).map((n) => n ?? 0);
  const value = tally.category === 'total' ? patientTotal(facts.tallies, plan) : tally.category === 'any' ? Math.max(0, ...counts) : (facts.tallies[tally.category] ?? 0);
  if (tally.ge !== undefined && !(value >= tally.ge)) return false;
  if (tally.gt !== undefined && !(value > tally.gt)) return false;
  return true;
}

function systemsHoldSince(when: Condition, facts: IncidentFacts, plan: Plan): number | undefined {
  const states = (asList(when.state) ?? ['down']) as SystemState[];
  const byId = new Map<string, PlanSystem>(plan.systems.map((s) => [s.id, s]));
  const qualifies = (systemId: string): boolean =>
    (when.systems?.includes(systemId) ?? false) ||
    (when.categories?.includes(byId.get(systemId)?.category as never) ?? false) ||
    (when.issues_reports === true && byId.get(systemId)?.issues_reports === true);

  const matching = facts.systems.filter((s) => qualifies(s.system) && states.includes(s.state));
  if ((when.match ?? 'any') === 'all') {
    const required = when.systems ?? [];
    if (!required.every((id) => matching.some((s) => s.system === id))) return undefined;
    return Math.max(...matching.map((s) => s.since));
  }
  if (matching.length === 0) return undefined;
  return Math.min(...matching.map((s) => s.since));
}
