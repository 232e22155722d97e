import type { Plan, SystemState } from './types.js';

/**
 * Each system's condition once outages have travelled along the plan's dependencies: a hard dependency passes its
 * target's condition on (DB down ⇒ HIS down), a soft one degrades its dependant when the target is down (HIS down ⇒
 * mobile nursing degraded). `worse` picks the more serious of two conditions where several reach one system. Pure.
 */
export function propagateAlongDependencies<S extends SystemState | 'recovering'>(
  plan: Pick<Plan, 'dependencies'>,
  direct: Iterable<{ system: string; state: S }>,
  worse: (a: S, b: S) => S,
): Map<string, S> {
  const up = 'up' as S;
  const degraded = 'degraded' as S;
  const states = new Map<string, S>();
  for (const s of direct) states.set(s.system, worse(s.state, states.get(s.system) ?? up));
  for (let changed = true; changed; ) {
    changed = false;
    for (const d of plan.dependencies) {
      const to = states.get(d.to) ?? up;
      if (to === up) continue;
      const passed = d.kind === 'hard' ? to : to === 'down' ? degraded : up;
      const before = states.get(d.from) ?? up;
      const after = worse(before, passed);
      if (after !== before) {
        states.set(d.from, after);
        changed = true;
      }
    }
  }
  return states;
}
