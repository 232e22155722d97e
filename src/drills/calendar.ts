/**
 * The yearly drill calendar: the next 12 months, each catalogue entry on its planned day (the organiser's) or its
 * due day, and again every `every` within the year. Days are the hospital's calendar days.
 */
import { localDay } from '../reports/post-incident/format.js';
import { addDuration, type CatalogueItem } from './catalogue.js';

export interface CalendarEntry {
  catalogueId: string;
  date: string;
  planned: boolean;
  state: CatalogueItem['state'] | 'later';
}

export interface CalendarMonth {
  month: string; // YYYY-MM
  entries: CalendarEntry[];
}

/** Midnight of a local day, as an instant (good enough to order and step days). */
const dayStart = (day: string) => Date.parse(`${day}T00:00:00Z`);

export function yearCalendar(items: CatalogueItem[], now: number, timezone: string): CalendarMonth[] {
  const today = localDay(now, timezone);
  const first = dayStart(`${today.slice(0, 7)}-01`);
  const months: CalendarMonth[] = [];
  for (let n = 0; n < 12; n++) months.push({ month: new Date(addDuration(first, `P${n}M`)).toISOString().slice(0, 7), entries: [] });
  const end = addDuration(first, 'P12M');
  for (const item of items) {
    const startDay = item.plannedDate ?? (item.state === 'due' && !item.lastRun ? today : localDay(Date.parse(item.nextDue), timezone));
    let at = dayStart(startDay);
    let firstOne = true;
    for (let guard = 0; at < end && guard < 400; guard++) {
      const date = new Date(at).toISOString().slice(0, 10);
      const month = months.find((m) => m.month === date.slice(0, 7));
      if (month) month.entries.push({ catalogueId: item.id, date, planned: firstOne && item.plannedDate !== null, state: firstOne ? item.state : 'later' });
      const next = addDuration(at, item.every);
      if (next <= at) break;
      at = next;
      firstOne = false;
    }
  }
  for (const m of months) m.entries.sort((a, b) => a.date.localeCompare(b.date));
  return months;
}
