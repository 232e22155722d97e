import type { SystemState } from '../plan/types.js';
import type { IncidentSystemsTable } from '../storage/index.js';

const STATE_ORDER: SystemState[] = ['down', 'degraded', 'up'];
const rank = (state: string): number => {
  const i = STATE_ORDER.indexOf(state as SystemState);
  return i < 0 ? STATE_ORDER.length - 1 : i;
};
const keyOf = (system: string, component: string): string => `${system}\u0000${component}`;

/** The earliest `since` among one system's components in one state: a heap whose stale entries are dropped when they surface. */
class EarliestSince {
  private heap: { since: number; key: string }[] = [];

  push(since: number, key: string): void {
    const h = this.heap;
    h.push({ since, key });
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (h[parent]!.since <= h[i]!.since) break;
      [h[parent], h[i]] = [h[i]!, h[parent]!];
      i = parent;
    }
  }

  /** The earliest entry that still holds (`holds` tells whether a component is still in the state since then). */
  earliest(holds: (key: string, since: number) => boolean): number | undefined {
    const h = this.heap;
    while (h.length && !holds(h[0]!.key, h[0]!.since)) this.pop();
    return h[0]?.since;
  }

  get size(): number {
    return this.heap.length;
  }

  /** Keeps only the entries that hold (stale ones pile up while components change state back and forth). */
  compact(holds: (key: string, since: number) => boolean): void {
    const live = this.heap.filter((e) => holds(e.key, e.since));
    this.heap = [];
    for (const e of live) this.push(e.since, e.key);
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    h[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && h[l]!.since < h[m]!.since) m = l;
      if (r < h.length && h[r]!.since < h[m]!.since) m = r;
      if (m === i) break;
      [h[m], h[i]] = [h[i]!, h[m]!];
      i = m;
    }
  }
}

/** One system's components: how many are in each state, and since when the earliest of each state has been. */
class SystemComponents {
  readonly counts = [0, 0, 0];
  readonly since = [new EarliestSince(), new EarliestSince(), new EarliestSince()];
}

/**
 * An incident's components (`incident_systems` rows) with, per system, what grading needs (its worst
 * state and since when), kept up to date change by change: a storm that adds a component per alert costs
 * the same per alert at its 100,000th alert as at its first. The engine keeps an incident's book between
 * rounds (IncidentEngine.load), so that a round does not read them all again either.
 */
export class ComponentBook {
  private readonly rows = new Map<string, IncidentSystemsTable>();
  private readonly bySystem = new Map<string, SystemComponents>();

  constructor(rows: Iterable<IncidentSystemsTable> = []) {
    for (const row of rows) this.add(row);
  }

  get size(): number {
    return this.rows.size;
  }

  get(system: string, component: string): IncidentSystemsTable | undefined {
    return this.rows.get(keyOf(system, component));
  }

  hasSystem(system: string): boolean {
    return this.bySystem.has(system);
  }

  /** Every component, in the order they were added (a person's `restore` sets them all up). */
  all(): IterableIterator<IncidentSystemsTable> {
    return this.rows.values();
  }

  add(row: IncidentSystemsTable): void {
    const key = keyOf(row.system, row.component);
    if (this.rows.has(key)) throw new Error(`component ${row.system}/${row.component} is already in the incident`);
    this.rows.set(key, row);
    let sys = this.bySystem.get(row.system);
    if (!sys) this.bySystem.set(row.system, (sys = new SystemComponents()));
    this.count(sys, row, key);
  }

  /** Moves a component (a row of this book) to `state` since `since`. */
  change(row: IncidentSystemsTable, state: SystemState, since: number): void {
    const sys = this.bySystem.get(row.system)!;
    sys.counts[rank(row.state)]!--;
    row.state = state;
    row.since = since;
    this.count(sys, row, keyOf(row.system, row.component));
  }

  private count(sys: SystemComponents, row: IncidentSystemsTable, key: string): void {
    const r = rank(row.state);
    sys.counts[r]!++;
    const heap = sys.since[r]!;
    heap.push(row.since, key);
    if (heap.size > 2 * sys.counts[r]! + 32) heap.compact(this.holds(r));
  }

  private holds(r: number): (key: string, since: number) => boolean {
    return (key, since) => {
      const row = this.rows.get(key);
      return row !== undefined && rank(row.state) === r && row.since === since;
    };
  }

  /** Each system's state (the worst of its components') and since when (the earliest component in it), by system id. */
  systemStates(): { system: string; state: SystemState; since: number }[] {
    const out: { system: string; state: SystemState; since: number }[] = [];
    for (const [system, sys] of [...this.bySystem].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const r = sys.counts.findIndex((n) => n > 0);
      if (r < 0) continue;
      out.push({ system, state: STATE_ORDER[r]!, since: sys.since[r]!.earliest(this.holds(r))! });
    }
    return out;
  }
}
