import { describe, expect, it } from 'vitest';
import { dutyCalendar, fold } from './ical.js';
import { dayType, findGaps, rotationPerson, schedule, shiftBounds, whoHolds } from './oncall.js';
import type { DayKind, OncallData, OncallEntry, Rotation } from './types.js';
import { addDays, localParts, shiftDate, zonedInstant } from './zoned.js';

const TZ = 'Asia/Shanghai';
const at = (local: string) => Date.parse(`${local}+08:00`); // '2026-03-02T09:00'

const people = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'x', 'lead', 'dep'].map((id) => [id, { id, name: id.toUpperCase(), active: id !== 'x' }] as const);
const rota: Rotation = {
  id: 'r1',
  role: 'tech_oncall',
  name: '值班',
  handover: '08:00',
  startsOn: '2026-03-02', // a Monday
  weekday: ['a', 'b', 'c'],
  weekend: ['d', 'e'],
  holiday: ['f'],
  active: true,
};

function data(extra: Partial<OncallData> = {}): OncallData {
  return {
    timezone: TZ,
    people: new Map(people),
    assignees: new Map([
      ['tech_oncall', { role: 'tech_oncall', holders: [], deputies: ['lead', 'dep'] }],
      ['commander', { role: 'commander', holders: ['g'], deputies: ['dep'] }],
    ]),
    rotations: [rota],
    entries: [],
    calendar: new Map<string, DayKind>(),
    ...extra,
  };
}
const entry = (e: Partial<OncallEntry> & Pick<OncallEntry, 'personId' | 'startsAt' | 'endsAt'>): OncallEntry => ({
  id: `e${e.startsAt}`,
  role: 'tech_oncall',
  kind: 'override',
  reason: 'test',
  createdAt: 0,
  ...e,
});

describe('zoned time (Asia/Shanghai)', () => {
  it('converts local wall time to instants and back', () => {
    expect(zonedInstant('2026-03-02', '08:00', TZ)).toBe(Date.parse('2026-03-02T00:00:00Z'));
    expect(localParts(Date.parse('2026-03-01T23:30:00Z'), TZ)).toMatchObject({ date: '2026-03-02', hour: 7, minute: 30 });
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
  });
  it('before the 08:00 handover it is still the previous day’s duty', () => {
    expect(shiftDate(at('2026-03-03T07:59'), '08:00', TZ)).toBe('2026-03-02');
    expect(shiftDate(at('2026-03-03T08:00'), '08:00', TZ)).toBe('2026-03-03');
  });
  it('handles a zone with daylight saving time', () => {
    // Berlin springs forward on 2026-03-29: 08:00 local is UTC+2 afterwards, UTC+1 before
    expect(zonedInstant('2026-03-28', '08:00', 'Europe/Berlin')).toBe(Date.parse('2026-03-28T07:00:00Z'));
    expect(zonedInstant('2026-03-29', '08:00', 'Europe/Berlin')).toBe(Date.parse('2026-03-29T06:00:00Z'));
  });
});

describe('day types and rotations', () => {
  const cal = new Map<string, DayKind>([
    ['2026-04-06', 'holiday'],
    ['2026-04-12', 'workday'],
  ]);
  it.each([
    ['2026-03-02', 'weekday'],
    ['2026-03-07', 'weekend'],
    ['2026-03-08', 'weekend'],
    ['2026-04-06', 'holiday'],
    ['2026-04-12', 'weekday'],
  ])('%s is a %s', (date, type) => expect(dayType(date, cal)).toBe(type));

  it.each([
    // weekdays cycle a, b, c counting only weekdays; weekends cycle d, e counting only weekend days
    ['2026-03-02', 'a'],
    ['2026-03-03', 'b'],
    ['2026-03-04', 'c'],
    ['2026-03-05', 'a'],
    ['2026-03-06', 'b'],
    ['2026-03-07', 'd'],
    ['2026-03-08', 'e'],
    ['2026-03-09', 'c'],
    ['2026-03-14', 'd'],
    ['2026-03-01', null],
  ])('the shift starting %s is %s', (date, who) => expect(rotationPerson(rota, date, new Map())).toBe(who));

  it('a holiday uses the holiday list, a worked weekend (调休) the weekday list', () => {
    const cal2 = new Map<string, DayKind>([
      ['2026-03-04', 'holiday'],
      ['2026-03-07', 'workday'],
    ]);
    expect(rotationPerson(rota, '2026-03-04', cal2)).toBe('f');
    expect(rotationPerson(rota, '2026-03-05', cal2)).toBe('c'); // the holiday did not count as a weekday
    expect(rotationPerson(rota, '2026-03-07', cal2)).toBe('b'); // 03-02 a, 03-03 b, 03-05 c, 03-06 a, 03-07 b
  });
  it('without a holiday or weekend list, those days fall back to the next list', () => {
    const plain = { ...rota, weekend: null, holiday: null };
    expect(rotationPerson(plain, '2026-03-07', new Map())).toBe('c'); // the 6th day of the cycle a b c a b c
  });
});

describe('whoHolds', () => {
  it.each([
    ['2026-03-02T09:00', ['a'], 'rotation', '2026-03-02T08:00', '2026-03-03T08:00'],
    ['2026-03-03T07:59', ['a'], 'rotation', '2026-03-02T08:00', '2026-03-03T08:00'],
    ['2026-03-03T08:00', ['b'], 'rotation', '2026-03-03T08:00', '2026-03-04T08:00'],
    ['2026-03-07T20:00', ['d'], 'rotation', '2026-03-07T08:00', '2026-03-08T08:00'],
  ])('tech_oncall at %s is %j (%s, %s → %s)', (when, ids, source, from, until) => {
    const h = whoHolds('tech_oncall', at(when), data());
    expect(h).toMatchObject({ personIds: ids, source, from: at(from), until: at(until) });
    expect(h.deputies).toEqual(['lead', 'dep']);
  });

  it('an override wins while it lasts and shortens the shift it interrupts', () => {
    const d = data({ entries: [entry({ personId: 'x', startsAt: at('2026-03-02T12:00'), endsAt: at('2026-03-02T18:00') })] });
    expect(whoHolds('tech_oncall', at('2026-03-02T09:00'), d)).toMatchObject({ personIds: ['a'], until: at('2026-03-02T12:00') });
    expect(whoHolds('tech_oncall', at('2026-03-02T12:00'), d)).toMatchObject({ personIds: ['x'], source: 'override', until: at('2026-03-02T18:00') });
    expect(whoHolds('tech_oncall', at('2026-03-02T18:00'), d)).toMatchObject({ personIds: ['a'], source: 'rotation' });
  });
  it('the latest override wins when two overlap', () => {
    const d = data({
      entries: [
        entry({ id: 'o1', personId: 'b', startsAt: at('2026-03-02T08:00'), endsAt: at('2026-03-03T08:00'), createdAt: 1 }),
        entry({ id: 'o2', personId: 'c', startsAt: at('2026-03-02T08:00'), endsAt: at('2026-03-03T08:00'), createdAt: 2 }),
      ],
    });
    expect(whoHolds('tech_oncall', at('2026-03-02T09:00'), d).personIds).toEqual(['c']);
  });
  it('dated shifts of an imported 值班表 win over the rotation; several people may share one', () => {
    const { startsAt, endsAt } = shiftBounds('2026-03-02', '08:00', TZ);
    const d = data({ entries: [entry({ kind: 'shift', personId: 'e', startsAt, endsAt }), entry({ id: 's2', kind: 'shift', personId: 'f', startsAt, endsAt })] });
    expect(whoHolds('tech_oncall', at('2026-03-02T09:00'), d)).toMatchObject({ personIds: ['e', 'f'], source: 'shift', until: endsAt });
  });
  it('offices without a rota are held by their assigned holders, open-ended', () => {
    expect(whoHolds('commander', at('2026-03-02T09:00'), data())).toMatchObject({ personIds: ['g'], source: 'assignment', until: null, deputies: ['dep'] });
  });
  it('nobody holds a role without rota, entries or holders', () => {
    expect(whoHolds('tech_lead', at('2026-03-02T09:00'), data())).toMatchObject({ personIds: [], source: 'none', deputies: [] });
  });
  it('before a rotation begins, the role falls back to its holders until then', () => {
    const d = data({ rotations: [{ ...rota, startsOn: '2026-03-10' }] });
    expect(whoHolds('tech_oncall', at('2026-03-02T09:00'), d)).toMatchObject({ personIds: [], source: 'none', until: at('2026-03-10T08:00') });
  });
});

describe('gaps and schedules', () => {
  it('finds the slots with nobody or only inactive people on duty', () => {
    const d = data({ rotations: [{ ...rota, weekday: ['a', 'x'], weekend: [] }] });
    const gaps = findGaps('tech_oncall', at('2026-03-02T08:00'), at('2026-03-09T08:00'), d);
    // weekdays a, x, a, x, a; the weekend (no list) falls back to weekdays: x, a
    expect(gaps.map((g) => [new Date(g.from).toISOString(), new Date(g.to).toISOString(), g.reason])).toEqual([
      ['2026-03-03T00:00:00.000Z', '2026-03-04T00:00:00.000Z', 'inactive'],
      ['2026-03-05T00:00:00.000Z', '2026-03-06T00:00:00.000Z', 'inactive'],
      ['2026-03-07T00:00:00.000Z', '2026-03-08T00:00:00.000Z', 'inactive'],
    ]);
    expect(findGaps('tech_lead', at('2026-03-02T08:00'), at('2026-03-03T08:00'), d)).toEqual([{ role: 'tech_lead', from: at('2026-03-02T08:00'), to: at('2026-03-03T08:00'), reason: 'nobody' }]);
  });
  it('lists the shifts of a window', () => {
    const s = schedule('tech_oncall', at('2026-03-02T09:00'), at('2026-03-04T09:00'), data());
    expect(s.map((h) => [h.personIds[0], new Date(h.from!).toISOString()])).toEqual([
      ['a', '2026-03-02T01:00:00.000Z'],
      ['b', '2026-03-03T00:00:00.000Z'],
      ['c', '2026-03-04T00:00:00.000Z'],
    ]);
  });
});

describe('iCalendar', () => {
  it('writes RFC 5545 events with CRLF, UTC times and folded long lines', () => {
    const ics = dutyCalendar({
      personName: '张伟',
      now: at('2026-03-01T10:00'),
      events: [{ uid: 'u1', role: 'tech_oncall', roleName: '技术保障组值班人员', from: at('2026-03-02T08:00'), until: at('2026-03-03T08:00'), source: 'rotation' }],
    });
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\nVERSION:2.0\r\n/);
    expect(ics).toContain('DTSTART:20260302T000000Z\r\nDTEND:20260303T000000Z');
    expect(ics).toContain('SUMMARY:值班：技术保障组值班人员');
    for (const line of ics.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(fold('x'.repeat(80))).toBe(`${'x'.repeat(75)}\r\n ${'x'.repeat(5)}`);
  });
});
