/**
 * Fast wall-clock reading of many instants in one time zone (the CSV and the figures read tens of thousands):
 * Intl is asked for the zone's offset once per UTC day, and again per instant only on a day whose offset changes
 * (a daylight-saving switch). Pure.
 */
import { offsetAt } from '../people/zoned.js';

const DAY_MS = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export interface ZoneReader {
  /** YYYY-MM of the instant, in the zone. */
  month(ms: number): string;
  /** YYYY-MM-DD HH:mm:ss, in the zone. */
  stamp(ms: number): string;
}

export function zoneReader(tz: string): ZoneReader {
  const days = new Map<number, number | null>(); // UTC day → the offset all day long, or null when it changes that day
  const offset = (ms: number): number => {
    const day = Math.floor(ms / DAY_MS);
    let known = days.get(day);
    if (known === undefined) {
      const start = offsetAt(day * DAY_MS, tz);
      known = start === offsetAt(day * DAY_MS + DAY_MS - 1, tz) ? start : null;
      days.set(day, known);
    }
    return known ?? offsetAt(ms, tz);
  };
  const local = (ms: number) => new Date(ms + offset(ms));
  return {
    month(ms) {
      const d = local(ms);
      return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}`;
    },
    stamp(ms) {
      const d = local(ms);
      return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
    },
  };
}
