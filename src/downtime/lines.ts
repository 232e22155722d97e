import { propagateAlongDependencies } from '../plan/dependencies.js';
import type { Plan, SystemState } from '../plan/types.js';

const WORSE: SystemState[] = ['down', 'degraded', 'up'];
const worse = (a: SystemState, b: SystemState): SystemState => (WORSE.indexOf(a) <= WORSE.indexOf(b) ? a : b);

/**
 * Each system's state once outages have travelled along the plan's dependencies: a hard dependency passes its
 * state on (DB down ⇒ HIS down), a soft one degrades (HIS down ⇒ mobile nursing degraded). Pure.
 */
export function effectiveStates(plan: Plan, direct: { system: string; state: SystemState }[]): Map<string, SystemState> {
  return propagateAlongDependencies(plan, direct, worse);
}

export interface Proposal {
  businessLine: string;
  department: string;
  /** The systems the line depends on that are down (after propagation). */
  because: string[];
}

/**
 * Manual mode the plan calls for: every department of every business line that depends on a system that is
 * down, unless that department already runs manual mode for the line. Pure.
 */
export function proposals(plan: Plan, direct: { system: string; state: SystemState }[], running: { business_line: string; department: string }[]): Proposal[] {
  const states = effectiveStates(plan, direct);
  const out: Proposal[] = [];
  for (const line of plan.business_lines ?? []) {
    const because = line.depends_on.filter((s) => states.get(s) === 'down');
    if (because.length === 0) continue;
    for (const department of line.departments) {
      if (running.some((r) => r.business_line === line.id && r.department === department)) continue;
      out.push({ businessLine: line.id, department, because });
    }
  }
  return out;
}

/** Is any system this line depends on still down? */
export function lineStillDown(plan: Plan, lineId: string, direct: { system: string; state: SystemState }[]): string[] {
  const line = plan.business_lines?.find((b) => b.id === lineId);
  if (!line) return [];
  const states = effectiveStates(plan, direct);
  return line.depends_on.filter((s) => states.get(s) === 'down');
}
