/**
 * Wall-clock arithmetic in a named time zone (Asia/Shanghai by default), with no library: Intl gives the
 * zone's offset at an instant, and local dates are plain `YYYY-MM-DD` strings. Pure.
 */
import { Day, Minute } from '../shared/time.js';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Throws a RangeError for an unknown zone name. */
export function assertTimeZone(tz: string): void {
  formatter(tz);
}

export interface LocalParts {
  date: string; // YYYY-MM-DD
  hour: number;
  minute: number;
  second: number;
}

export function localParts(ms: number, tz: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

/** The zone's offset from UTC at `ms`, in ms (Asia/Shanghai: +8 h). */
export function offsetAt(ms: number, tz: string): number {
  const p = localParts(ms, tz);
  const [y, m, d] = p.date.split('-').map(Number);
  const asUtc = Date.UTC(y, m - 1, d, p.hour, p.minute, p.second);
  return asUtc - (ms - (((ms % 1000) + 1000) % 1000));
}

export const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** The instant of local `date` at `hhmm` in `tz`. */
export function zonedInstant(date: string, hhmm: string, tz: string): number {
  const [, y, m, d] = DATE.exec(date)!.map(Number);
  const [, hh, mm] = HHMM.exec(hhmm)!.map(Number);
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  let at = guess - offsetAt(guess, tz);
  const again = guess - offsetAt(at, tz); // around a DST change the offset at the result may differ
  if (again !== at) at = again;
  return at;
}

export function addDays(date: string, n: number): string {
  const [, y, m, d] = DATE.exec(date)!.map(Number);
  return new Date(Date.UTC(y, m - 1, d) + n * Day.ms).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (negative when b is before a). */
export function daysBetween(a: string, b: string): number {
  const [, ya, ma, da] = DATE.exec(a)!.map(Number);
  const [, yb, mb, db] = DATE.exec(b)!.map(Number);
  return Math.round((Date.UTC(yb, mb - 1, db) - Date.UTC(ya, ma - 1, da)) / Day.ms);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  const [, y, m, d] = DATE.exec(date)!.map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** The local date whose shift (starting at `handover`) contains `at`: before 08:00 it is still yesterday's duty. */
export function shiftDate(at: number, handover: string, tz: string): string {
  const p = localParts(at, tz);
  const [, hh, mm] = HHMM.exec(handover)!.map(Number);
  return p.hour * 60 + p.minute < hh * 60 + mm ? addDays(p.date, -1) : p.date;
}

/** `HH:mm` local time of an instant. */
export function localTime(ms: number, tz: string): string {
  const p = localParts(ms, tz);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

/** `YYYY-MM-DD HH:mm` local. */
export function localDateTime(ms: number, tz: string): string {
  return `${localParts(ms, tz).date} ${localTime(ms, tz)}`;
}

export const isDate = (s: string) => DATE.test(s) && addDays(s, 0) === s;
export const MINUTE_MS = Minute.ms;
