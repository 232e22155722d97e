/**
 * An iCalendar (RFC 5545) feed of one person's duties: one VEVENT per shift or override, times in UTC
 * (calendar apps show them in local time). Pure: the caller gives the duties.
 */
export interface DutyEvent {
  uid: string;
  role: string;
  roleName: string;
  from: number;
  until: number;
  source: string;
}

const stamp = (ms: number) =>
  new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');

/** RFC 5545 TEXT escaping. */
const escapeText = (s: string) => s.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');

/** Folds content lines longer than 75 octets (continuation lines start with a space), never inside a UTF-8 character. */
export function fold(line: string): string {
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > (out.length ? 74 : 75)) {
      out.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += n;
  }
  out.push(current);
  return out.join('\r\n ');
}

export function dutyCalendar(input: { personName: string; events: DutyEvent[]; now: number; calendarName?: string }): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Lifeline//On-call//ZH',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(input.calendarName ?? `${input.personName} 值班`)}`,
  ];
  for (const e of input.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${e.uid}@lifeline`,
      `DTSTAMP:${stamp(input.now)}`,
      `DTSTART:${stamp(e.from)}`,
      `DTEND:${stamp(e.until)}`,
      `SUMMARY:${escapeText(`值班：${e.roleName}`)}`,
      `DESCRIPTION:${escapeText(`${e.roleName} (${e.role}) — ${e.source}`)}`,
      'TRANSP:OPAQUE',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(fold).join('\r\n') + '\r\n';
}
