// The pure parts of src/history: wall-clock reading across a daylight-saving switch, CSV cells, percentiles,
// and date filters read in the configured time zone.
import { describe, expect, it } from 'vitest';
import { csvCell } from '../src/history/csv.js';
import { median, percentile } from '../src/history/figures.js';
import { parseInstant } from '../src/history/filters.js';
import { likePattern } from '../src/history/store.js';
import { zoneReader } from '../src/history/zone.js';
import { localParts } from '../src/people/zoned.js';

describe('history: pure parts', () => {
  it('reads wall-clock time as Intl does, also on a daylight-saving day', () => {
    for (const tz of ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York']) {
      const zone = zoneReader(tz);
      // every 7 minutes over the days around the March switches of both zones, and a few far instants
      const start = Date.parse('2026-03-07T00:00:00Z');
      for (let ms = start; ms < start + 24 * 86_400_000; ms += 7 * 60_000) {
        const p = localParts(ms, tz);
        const hhmmss = [p.hour, p.minute, p.second].map((n) => String(n).padStart(2, '0')).join(':');
        expect(zone.stamp(ms)).toBe(`${p.date} ${hhmmss}`);
        expect(zone.month(ms)).toBe(p.date.slice(0, 7));
      }
    }
  });

  it('quotes CSV cells and guards formula starts', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    for (const start of ['=', '+', '-', '@']) expect(csvCell(`${start}1+1`)).toBe(`'${start}1+1`);
    expect(csvCell('=A1,B1')).toBe(`"'=A1,B1"`);
    expect(csvCell(12.5)).toBe('12.5');
    expect(csvCell(null)).toBe('');
    expect(csvCell('普通标题')).toBe('普通标题');
  });

  it('computes the median (mean of the middle two) and p90 by nearest rank', () => {
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([1, 3])).toBe(2);
    expect(median([1, 2, 10])).toBe(2);
    const ten = Array.from({ length: 10 }, (_, i) => (i + 1) * 60_000);
    expect(percentile(ten, 90)).toBe(9 * 60_000);
    expect(percentile([...ten, 11 * 60_000], 90)).toBe(10 * 60_000);
    expect(percentile([7], 90)).toBe(7);
  });

  it('reads dates and date-times in the configured zone', () => {
    expect(parseInstant('2026-03-02', 'Asia/Shanghai', false)).toBe(Date.parse('2026-03-02T00:00:00+08:00'));
    expect(parseInstant('2026-03-02', 'Asia/Shanghai', true)).toBe(Date.parse('2026-03-03T00:00:00+08:00'));
    expect(parseInstant('2026-03-02T09:30', 'Asia/Shanghai', false)).toBe(Date.parse('2026-03-02T09:30:00+08:00'));
    expect(parseInstant('2026-03-02T01:30:00Z', 'Asia/Shanghai', false)).toBe(Date.parse('2026-03-02T01:30:00Z'));
    expect(parseInstant('2026-03-02T09:30+0800', 'Asia/Shanghai', false)).toBe(Date.parse('2026-03-02T01:30:00Z'));
    for (const bad of ['2026-02-30', '2026-13-01', 'today', '2026-03-02T25:00', '']) expect(parseInstant(bad, 'Asia/Shanghai', false)).toBeUndefined();
  });

  it('escapes LIKE wildcards in search text', () => {
    expect(likePattern('100%_a\\b')).toBe('%100\\%\\_a\\\\b%');
    expect(likePattern('HIS')).toBe('%his%');
  });
});
