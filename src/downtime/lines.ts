import type { Plan, SystemState } from '../plan/types.js';

const WORSE: SystemState[] = ['down', 'degraded', 'up'];
const worse = (a: SystemState, b: SystemState): SystemState => (WORSE.indexOf(a) <= WORSE.indexOf(b) ? a : b);

/**
 * Each system's state once outages have travelled along the plan's dependencies: a hard dependency passes its
 * state on (DB down ⇒ HIS down), a soft one degrades (HIS down ⇒ mobile nursing degraded). Pure.
 */
export function effectiveStates(plan: Plan, direct: { system: string; state: SystemState }[]): Map<string, SystemState> {
  const states = new Map<string, SystemState>();
  for (const s of direct) states.set(s.system, worse(s.state, states.get(s.system) ?? 'up'));
  for (let changed = true; changed; ) {
    changed = false;
    for (const d of plan.dependencies) {
      const to = states.get(d.to) ?? 'up';
      if (to === 'up') continue;
      const passed: SystemState = d.kind === 'hard' ? to : to === 'down' ? 'degraded' : 'up';
      const before = states.get(d.from) ?? 'up';
      const after = worse(before, passed);
      if (after !== before) {
        states.set(d.from, after);
        changed = true;
      }
    }
  }
  return states;
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
