/**
 * History and figures query parameters → a validated HistoryFilter. Every problem is reported at once, each
 * naming its field (400 problem+json). Dates are ISO dates (a whole local day) or date-times (with an offset,
 * or local time), read in the configured time zone.
 */
import { addDays, zonedInstant } from '../people/zoned.js';
import { LEVEL_IDS, type LevelId, type Plan } from '../plan/types.js';
import { ValidationError, type Issue } from '../shared/errors.js';
import { HISTORY_STATES, type HistoryFilter, type HistoryState } from './types.js';

export const MAX_Q = 200;
export const MAX_LIMIT = 500;
export const DEFAULT_LIMIT = 50;

const DATE_ONLY = /^(\d{4}-\d{2}-\d{2})$/;
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::(\d{2})(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** Query values arrive as a string, or an array when the parameter repeats; both may hold comma-separated lists. */
function listOf(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

function single(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const v = Array.isArray(value) ? value.at(-1) : value;
  return String(v).trim();
}

const validDate = (date: string): boolean => {
  const d = new Date(`${date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === date;
};

/**
 * A date or date-time in `tz`: `end` false gives its first instant, true the instant just after it (a date
 * covers its whole local day, a date-time the instant given). Undefined when the text is no such value.
 */
export function parseInstant(text: string, tz: string, end: boolean): number | undefined {
  const dateOnly = DATE_ONLY.exec(text);
  if (dateOnly) {
    if (!validDate(dateOnly[1])) return undefined;
    return zonedInstant(end ? addDays(dateOnly[1], 1) : dateOnly[1], '00:00', tz);
  }
  const m = DATE_TIME.exec(text);
  if (!m || !validDate(m[1])) return undefined;
  const [, date, hhmm, ss, frac, zone] = m;
  const [hh, mm] = hhmm.split(':').map(Number);
  if (hh > 23 || mm > 59 || Number(ss ?? 0) > 59) return undefined;
  const extraMs = Number(ss ?? 0) * 1000 + (frac ? Math.round(Number(`0${frac}`) * 1000) : 0);
  const at = zone ? Date.parse(`${date}T${hhmm}:${ss ?? '00'}${frac ?? ''}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`) : zonedInstant(date, hhmm, tz) + extraMs;
  if (Number.isNaN(at)) return undefined;
  return end ? at + 1 : at;
}

/** Checks `system`, `level`, `state`, `from`, `to` and `q` against the plan; pushes problems onto `issues`. */
function readFilter(query: Record<string, unknown>, plan: Plan, tz: string, issues: Issue[]): HistoryFilter {
  const systems = listOf(query.system);
  const unknownSystems = systems.filter((s) => !plan.systems.some((p) => p.id === s));
  if (unknownSystems.length) issues.push({ path: 'system', message: `not a system of the plan: ${unknownSystems.join(', ')}` });
  const levels = listOf(query.level);
  if (levels.some((l) => !(LEVEL_IDS as readonly string[]).includes(l))) issues.push({ path: 'level', message: `must be one of ${LEVEL_IDS.join(', ')}` });
  const states = listOf(query.state);
  if (states.some((s) => !(HISTORY_STATES as readonly string[]).includes(s))) issues.push({ path: 'state', message: `must be one of ${HISTORY_STATES.join(', ')}` });
  const instant = (field: 'from' | 'to', end: boolean): number | null => {
    const text = single(query[field]);
    if (!text) return null;
    const at = parseInstant(text, tz, end);
    if (at === undefined) issues.push({ path: field, message: 'must be an ISO date (2026-03-02) or date-time (2026-03-02T09:00, 2026-03-02T01:00Z)' });
    return at ?? null;
  };
  const from = instant('from', false);
  const to = instant('to', true);
  if (from !== null && to !== null && from >= to) issues.push({ path: 'from', message: 'must be before to' });
  const q = single(query.q) ?? '';
  if (q.length > MAX_Q) issues.push({ path: 'q', message: `at most ${MAX_Q} characters` });
  return { systems, levels: levels as LevelId[], states: states as HistoryState[], from, to, q: q || null };
}

function fail(issues: Issue[]): never {
  throw new ValidationError(`invalid query: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}

export interface ListQuery {
  filter: HistoryFilter;
  limit: number;
  cursor: { at: number; id: string } | null;
}

export const encodeCursor = (at: number, id: string): string => Buffer.from(`${at}:${id}`, 'utf8').toString('base64url');

function decodeCursor(text: string): { at: number; id: string } | undefined {
  const raw = Buffer.from(text, 'base64url').toString('utf8');
  const m = /^(\d{1,16}):([A-Za-z0-9_-]{1,80})$/.exec(raw);
  return m ? { at: Number(m[1]), id: m[2] } : undefined;
}

/** GET /api/v1/history/incidents (and .csv): the filter, `limit` (1..500) and `cursor`. */
export function parseListQuery(query: unknown, plan: Plan, tz: string): ListQuery {
  const qs = (query ?? {}) as Record<string, unknown>;
  const issues: Issue[] = [];
  const filter = readFilter(qs, plan, tz, issues);
  let limit = DEFAULT_LIMIT;
  const limitText = single(qs.limit);
  if (limitText) {
    limit = Number(limitText);
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > MAX_LIMIT) issues.push({ path: 'limit', message: `must be a whole number from 1 to ${MAX_LIMIT}` });
  }
  const cursorText = single(qs.cursor);
  const cursor = cursorText ? decodeCursor(cursorText) : null;
  if (cursor === undefined) issues.push({ path: 'cursor', message: 'not a cursor this API gave (nextCursor)' });
  if (issues.length) fail(issues);
  return { filter, limit, cursor: cursor ?? null };
}

/** The CSV's language: zh-CN (default) or en. */
export function parseLang(query: unknown): 'zh-CN' | 'en' {
  const lang = single((query as Record<string, unknown> | null)?.lang);
  if (lang === undefined || lang === '' || lang === 'zh-CN' || lang === 'zh') return 'zh-CN';
  if (lang === 'en') return 'en';
  fail([{ path: 'lang', message: 'must be zh-CN or en' }]);
}

/** At most this many months in one figures request. */
export const MAX_FIGURE_MONTHS = 60;

/** GET /api/v1/figures: `from`, `to`, `system` (and the list's `level` and `state`); default: the last 12 months. */
export function parseFiguresQuery(query: unknown, plan: Plan, tz: string, now: number): HistoryFilter & { from: number; to: number } {
  const qs = (query ?? {}) as Record<string, unknown>;
  const issues: Issue[] = [];
  const filter = readFilter(qs, plan, tz, issues);
  if (filter.q) issues.push({ path: 'q', message: 'figures take no search text' });
  if (issues.length) fail(issues);
  const to = filter.to ?? zonedInstant(monthStart(addMonths(monthOf(now, tz), 1)), '00:00', tz);
  const from = filter.from ?? zonedInstant(monthStart(addMonths(monthOf(to - 1, tz), -11)), '00:00', tz);
  if (from >= to) fail([{ path: 'from', message: 'must be before to' }]);
  if (monthsBetween(monthOf(from, tz), monthOf(to - 1, tz)).length > MAX_FIGURE_MONTHS) fail([{ path: 'from', message: `at most ${MAX_FIGURE_MONTHS} months at once` }]);
  return { ...filter, from, to };
}

// ---- months in the configured time zone -------------------------------------------------------------

const monthFormatters = new Map<string, Intl.DateTimeFormat>();

/** YYYY-MM of an instant in `tz`. */
export function monthOf(ms: number, tz: string): string {
  let f = monthFormatters.get(tz);
  if (!f) monthFormatters.set(tz, (f = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit' })));
  const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}`;
}

export const monthStart = (month: string): string => `${month}-01`;

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const index = y * 12 + (m - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Every month from `first` to `last`, both included. */
export function monthsBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let m = first; m <= last && out.length <= MAX_FIGURE_MONTHS; m = addMonths(m, 1)) out.push(m);
  return out;
}
