import { propagateAlongDependencies } from '../../plan/dependencies.js';
import type { Plan } from '../../plan/types.js';
import type { AffectedService, ServiceState, SystemCondition, SystemStateInput } from './types.js';

/** Severity order: a worse condition wins when several reach the same system. */
const RANK: Record<SystemCondition, number> = { down: 3, degraded: 2, recovering: 1, up: 0 };
const worse = (a: SystemCondition, b: SystemCondition): SystemCondition => (RANK[a] >= RANK[b] ? a : b);

/**
 * Each system's condition once outages have travelled along the plan's dependencies: a hard dependency passes
 * its condition on (DB down ⇒ HIS down; HIS recovering ⇒ appointments recovering), a soft one degrades when
 * its target is down. Pure.
 */
export function propagatedStates(plan: Plan, direct: Iterable<SystemStateInput>): Map<string, SystemCondition> {
  return propagateAlongDependencies(plan, direct, worse);
}

const SERVICE_OF: Record<SystemCondition, ServiceState> = { down: 'down', degraded: 'degraded', recovering: 'recovering', up: 'normal' };

/**
 * What patients can and cannot do now: every `patient_services` entry of the plan with its state, derived from
 * the systems' states (open incidents) through business lines (`depends_on` of a line = its systems) and the
 * plan's dependencies. A service is as bad as the worst thing it depends on. Pure.
 */
export function affectedServices(plan: Plan, systemStates: Iterable<SystemStateInput>): AffectedService[] {
  const states = propagatedStates(plan, systemStates);
  const lines = new Map((plan.business_lines ?? []).map((l) => [l.id, l.depends_on]));
  return (plan.patient_services ?? []).map((svc) => {
    let state: SystemCondition = 'up';
    const because = new Set<string>();
    for (const dep of svc.depends_on) {
      for (const system of lines.get(dep) ?? [dep]) {
        const s = states.get(system) ?? 'up';
        if (s === 'up') continue;
        because.add(system);
        state = worse(state, s);
      }
    }
    return {
      id: svc.id,
      name: svc.name,
      state: SERVICE_OF[state],
      alternatives: svc.alternatives ?? [],
      note: svc.note ?? null,
      systems: [...because].sort(),
    };
  });
}

/**
 * The systems' conditions from the open incidents: a responding incident's systems as they stand; every system
 * of an incident that is recovering (restored, not yet closed) is `recovering`. Closed incidents say nothing.
 */
export function systemStatesOf(incidents: Iterable<{ state: string; systems: { system: string; state: string }[] }>): SystemStateInput[] {
  const out: SystemStateInput[] = [];
  for (const incident of incidents) {
    if (incident.state === 'closed') continue;
    for (const s of incident.systems) {
      const state: SystemCondition =
        incident.state === 'recovering' ? (s.state === 'down' || s.state === 'degraded' ? s.state : 'recovering') : s.state === 'down' || s.state === 'degraded' ? s.state : 'up';
      out.push({ system: s.system, state });
    }
  }
  return out;
}
