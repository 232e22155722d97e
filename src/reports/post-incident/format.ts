/** How the report writes times: the hospital's zone, durations as h:mm, lateness as +h:mm. Pure. */

const parts = (ms: number, timeZone: string) =>
  Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );

/** "2026-03-02" in the zone. */
export function localDay(ms: number, timeZone: string): string {
  const p = parts(ms, timeZone);
  return `${p.year}-${p.month}-${p.day}`;
}

/** "2026-03-02 09:15" in the zone. */
export function localTime(ms: number, timeZone: string): string {
  const p = parts(ms, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** A duration as h:mm (rounded down to the minute; 59 s is 0:00, 61 min is 1:01). */
export function hmm(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  return `${ms < 0 ? '-' : ''}${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

/** Lateness as +h:mm, rounded up to the minute: a deadline missed by a second reads +0:01, never +0:00. */
export function lateness(ms: number): string {
  return `+${hmm(Math.max(1, Math.ceil(ms / 60_000)) * 60_000)}`;
}

/** "YYYY-MM-DD" that names a real calendar day. */
export function isCalendarDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}
