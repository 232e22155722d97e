import { parseIsoDuration } from '../shared/time.js';
import { levelRank, type LevelId, type Plan } from '../plan/types.js';
import { conditionsHoldSince } from './conditions.js';
import type { Grade, IncidentFacts } from './facts.js';

const MORE_SEVERE_THAN = (a: LevelId, b: LevelId) => levelRank(a) < levelRank(b);

/**
 * Grades an incident by the plan: pure, no I/O. A criterion is *armed* while its conditions hold and
 * *fires* once its duration has elapsed (strictly more for `gt` 超过, at least for `ge` 以上).
 */
export function grade(plan: Plan, facts: IncidentFacts, now: number): Grade {
  const armed: Grade['armed'] = [];
  const fired: Grade['fired'] = [];

  for (const level of plan.levels) {
    for (const criterion of level.criteria) {
      const since = conditionsHoldSince(criterion.when, facts, plan);
      if (since === undefined) continue;
      const firesAt = firingInstant(since, criterion.duration);
      if (now >= firesAt) fired.push({ criterion: criterion.id, level: level.id, at: firesAt });
      else armed.push({ criterion: criterion.id, level: level.id, since, firesAt });
    }
  }

  const manualAt = facts.manual?.at ?? -Infinity;
  // After an HQ decision, only what fires (or is imposed) after it can move the level again.
  const candidates: { level: LevelId; rule: string; provisional: boolean }[] = [];
  for (const f of fired) if (f.at > manualAt) candidates.push({ level: f.level, rule: f.criterion, provisional: false });
  for (const floor of facts.floors) {
    if (floor.at > manualAt) candidates.push({ level: floor.level, rule: floor.rule.replace(/\?$/, ''), provisional: floor.provisional === true });
  }
  if (facts.manual) candidates.push({ level: facts.manual.level, rule: 'manual', provisional: false });

  const policy = plan.grading_policy;
  for (const a of armed) {
    if (policy.provisional_from.includes(a.level) && a.since > manualAt) {
      candidates.push({ level: policy.provisional_cap, rule: a.criterion, provisional: true });
    }
  }

  const defaultLevel = plan.levels.find((l) => l.default) ?? plan.levels[plan.levels.length - 1];
  let decided = { level: defaultLevel.id, rule: defaultLevel.criteria[0]?.id ?? defaultLevel.id, provisional: false };
  for (const c of candidates) {
    const better =
      MORE_SEVERE_THAN(c.level, decided.level) ||
      (c.level === decided.level && decided.provisional && !c.provisional) ||
      (c.level === decided.level && decided.rule === (defaultLevel.criteria[0]?.id ?? defaultLevel.id) && c.rule !== decided.rule);
    if (better) decided = c;
  }

  const next = armed.filter((a) => MORE_SEVERE_THAN(a.level, decided.level) || (a.level === decided.level && decided.provisional)).sort((x, y) => x.firesAt - y.firesAt)[0];

  return {
    level: decided.level,
    provisional: decided.provisional,
    rule: decided.rule,
    next: next ? { at: next.firesAt, level: next.level, rule: next.criterion } : null,
    armed,
    fired,
  };
}

function firingInstant(since: number, duration: { gt?: string; ge?: string } | undefined): number {
  if (!duration) return since;
  if (duration.ge !== undefined) return since + (parseIsoDuration(duration.ge) ?? 0);
  // 超过 is strict: the criterion fires one millisecond after the duration has elapsed.
  return since + (parseIsoDuration(duration.gt ?? 'PT0S') ?? 0) + 1;
}
