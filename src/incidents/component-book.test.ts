import { describe, expect, it } from 'vitest';
import type { SystemState } from '../plan/types.js';
import type { IncidentSystemsTable } from '../storage/index.js';
import { ComponentBook } from './component-book.js';

const ORDER: SystemState[] = ['down', 'degraded', 'up'];

/** Each system's state and since, from all its components (what grading used to compute on every round). */
function naive(rows: IncidentSystemsTable[]) {
  const by = new Map<string, { state: SystemState; since: number }>();
  for (const c of rows) {
    const cur = by.get(c.system);
    const state = c.state as SystemState;
    if (!cur || ORDER.indexOf(state) < ORDER.indexOf(cur.state)) by.set(c.system, { state, since: c.since });
    else if (cur.state === state) cur.since = Math.min(cur.since, c.since);
  }
  return [...by].map(([system, v]) => ({ system, ...v })).sort((a, b) => (a.system < b.system ? -1 : 1));
}

describe('ComponentBook', () => {
  it("keeps each system's worst state and its earliest since as components come and change, like a pass over them all", () => {
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const book = new ComponentBook();
    const rows: IncidentSystemsTable[] = [];
    for (let step = 0; step < 5_000; step++) {
      const system = ['HIS', 'EMR', 'LIS'][random(3)]!;
      const component = `c${random(40)}`;
      const state = ORDER[random(3)]!;
      const at = step * 10 + random(5);
      const row = book.get(system, component);
      if (!row) {
        const added = { incident_id: 'inc', system, component, state, since: at };
        book.add(added);
        rows.push(added);
      } else if (row.state !== state) book.change(row, state, at);
      if (step % 50 === 0) expect(book.systemStates()).toEqual(naive(rows));
    }
    expect(book.systemStates()).toEqual(naive(rows));
    expect(book.size).toBe(rows.length);
    expect(book.hasSystem('HIS') && !book.hasSystem('PACS')).toBe(true);
  });
});
