/**
 * The figures, pure: from incident rows and their facts to time to acknowledge and to restore (per system and
 * month: median, p90), the share of each obligation met on time, and incidents per level per month.
 * Definitions: docs/history.md.
 */
import { LEVEL_IDS, type LevelId, type Plan } from '../plan/types.js';
import { monthOf, monthsBetween } from './filters.js';
import { highestLevel, type IncidentFacts, type IncidentRow } from './store.js';
import { zoneReader } from './zone.js';
import type { DurationFigure, Figures, LevelFigure, ObligationFigure } from './types.js';

/** The median: the middle value, or the mean of the two middle ones (rounded to the ms). Null for none. */
export function median(sorted: number[]): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const mid = Math.floor(n / 2);
  return n % 2 ? sorted[mid] : Math.round((sorted[mid - 1] + sorted[mid]) / 2);
}

/** The p-th percentile by nearest rank: the smallest value with at least p % of the values at or below it. */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** detected → first acknowledgement, and detected → restored (the recovering state); null when it did not happen. */
export function responseTimes(row: IncidentRow, acknowledgedAt: number | undefined): { ack: number | null; restore: number | null } {
  return {
    ack: acknowledgedAt === undefined ? null : Math.max(0, acknowledgedAt - row.detected_at),
    restore: row.recovered_at === null ? null : Math.max(0, row.recovered_at - row.detected_at),
  };
}

interface Cell {
  values: number[];
  excluded: number;
}

function durationFigures(cells: Map<string, Cell>): DurationFigure[] {
  const out: DurationFigure[] = [];
  for (const [key, cell] of cells) {
    const [month, system] = JSON.parse(key) as [string, string | null];
    const sorted = cell.values.sort((a, b) => a - b);
    out.push({ system, month, count: sorted.length, medianMs: median(sorted), p90Ms: percentile(sorted, 90), excluded: cell.excluded });
  }
  return out.sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : (a.system ?? '') < (b.system ?? '') ? -1 : (a.system ?? '') > (b.system ?? '') ? 1 : 0));
}

function addTo(cells: Map<string, Cell>, month: string, systems: (string | null)[], value: number | null): void {
  for (const system of systems) {
    const key = JSON.stringify([month, system]);
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { values: [], excluded: 0 }));
    if (value === null) cell.excluded++;
    else cell.values.push(value);
  }
}

export interface FigureInput {
  plan: Plan;
  timezone: string;
  from: number;
  to: number;
  /** Only these systems count in the per-system figures (the `system` filter); empty: all. */
  systems: string[];
  rows: IncidentRow[];
  /** `obligations` per rule */
  facts: IncidentFacts;
}

export function computeFigures(input: FigureInput): Figures {
  const { plan, timezone, rows, facts } = input;
  const zone = zoneReader(timezone);
  const months = monthsBetween(monthOf(input.from, timezone), monthOf(input.to - 1, timezone));
  const ack = new Map<string, Cell>();
  const restore = new Map<string, Cell>();
  const perLevel = new Map<string, LevelFigure>(months.map((m) => [m, { month: m, counts: Object.fromEntries(LEVEL_IDS.map((l) => [l, 0])) as Record<LevelId, number>, total: 0 }]));
  for (const row of rows) {
    const month = zone.month(row.opened_at);
    const own = facts.systems.get(row.id) ?? [];
    const systems = [null, ...(input.systems.length ? own.filter((s) => input.systems.includes(s)) : own)];
    const times = responseTimes(row, facts.acknowledgedAt.get(row.id));
    addTo(ack, month, systems, times.ack);
    addTo(restore, month, systems, times.restore);
    const level = perLevel.get(month);
    if (level) {
      level.counts[highestLevel(row.level, row.levels_reached)]++;
      level.total++;
    }
  }
  const order = new Map(plan.obligations.map((o, i) => [o.id, i]));
  const obligationsOnTime: ObligationFigure[] = [...facts.obligations]
    .sort(([a], [b]) => (order.get(a) ?? Infinity) - (order.get(b) ?? Infinity) || (a < b ? -1 : 1))
    .map(([rule, c]) => {
      const decided = c.met + c.late + c.missed;
      const action = plan.obligations.find((o) => o.id === rule)?.action ?? { zh: rule, en: rule };
      return { rule, action, total: decided + c.pending, onTime: c.met, late: c.late, missed: c.missed, pending: c.pending, share: decided ? c.met / decided : null };
    });
  return {
    from: new Date(input.from).toISOString(),
    to: new Date(input.to).toISOString(),
    timezone,
    months,
    incidents: rows.length,
    timeToAcknowledge: durationFigures(ack),
    timeToRestore: durationFigures(restore),
    obligationsOnTime,
    incidentsPerLevel: [...perLevel.values()],
  };
}
