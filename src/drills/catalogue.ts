/**
 * The plan's drill catalogue with each entry's last run, next due date and state. Never run: due now. The due
 * date is the last run's start plus the entry's `every` (calendar years, months and days); `overdue` once its
 * day has passed, `due` within the first reminder window (default 14 days), else `scheduled`.
 */
import type { DrillCatalogueEntry, Plan, Text } from '../plan/types.js';
import { Day, parseIsoDuration } from '../shared/time.js';
import type { RunFacts } from './run-facts.js';

export type DueState = 'due' | 'overdue' | 'scheduled';

export interface CatalogueItem {
  id: string;
  title: Text;
  category: DrillCatalogueEntry['category'];
  format: DrillCatalogueEntry['format'];
  scenario: string | null;
  every: string;
  organiser: string;
  organiserName: Text | null;
  groups: string[] | null;
  timeFactor: number | null;
  lastRun: { id: string; startedAt: string; state: string; score: number | null } | null;
  /** ISO instant; never run: now. */
  nextDue: string;
  /** The organiser's planned day (YYYY-MM-DD), if set. */
  plannedDate: string | null;
  state: DueState;
  runs: number;
}

const CALENDAR = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T.*)?$/;

/** Adds an ISO duration with calendar years and months (P6M from 31 Aug is 28/29 Feb's month end, as Date does). */
export function addDuration(ms: number, iso: string): number {
  const m = CALENDAR.exec(iso);
  if (!m) return ms + (parseIsoDuration(iso) ?? 0);
  const [y, mo] = [Number(m[1] ?? 0), Number(m[2] ?? 0)];
  const d = new Date(ms);
  d.setUTCFullYear(d.getUTCFullYear() + y, d.getUTCMonth() + mo);
  const rest = iso.replace(/^P(?:\d+Y)?(?:\d+M)?/, 'P');
  return d.getTime() + (rest === 'P' ? 0 : (parseIsoDuration(rest) ?? 0));
}

export function firstWindowMs(plan: Plan): number {
  const windows = (plan.drills?.remind_before ?? ['P14D', 'P1D']).map((d) => parseIsoDuration(d) ?? 0);
  return Math.max(Day.ms, ...windows);
}

export function dueState(nextDue: number, now: number, windowMs: number): DueState {
  if (nextDue + Day.ms <= now) return 'overdue';
  if (nextDue - windowMs <= now) return 'due';
  return 'scheduled';
}

export function catalogueItems(plan: Plan, runs: RunFacts[], planned: Map<string, string | null>, scores: Map<string, number>, now: number): CatalogueItem[] {
  const windowMs = firstWindowMs(plan);
  return (plan.drills?.catalogue ?? []).map((e) => {
    const mine = runs.filter((r) => r.catalogueId === e.id).sort((a, b) => b.startedAt - a.startedAt);
    const last = mine[0] ?? null;
    const nextDue = last ? addDuration(last.startedAt, e.every) : now;
    return {
      id: e.id,
      title: e.title,
      category: e.category,
      format: e.format,
      scenario: e.scenario ?? null,
      every: e.every,
      organiser: e.organiser,
      organiserName: plan.roles.find((r) => r.id === e.organiser)?.name ?? null,
      groups: e.groups ?? null,
      timeFactor: e.time_factor ?? null,
      lastRun: last ? { id: last.id, startedAt: new Date(last.startedAt).toISOString(), state: last.state, score: scores.get(last.id) ?? null } : null,
      nextDue: new Date(nextDue).toISOString(),
      plannedDate: planned.get(e.id) ?? null,
      state: last ? dueState(nextDue, now, windowMs) : 'due',
      runs: mine.length,
    };
  });
}
