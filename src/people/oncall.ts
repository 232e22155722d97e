/**
 * "Who holds role R at time T": a pure function of the roster data. Precedence, highest first:
 *   1. an override (swap, cover) active at T — the latest created wins;
 *   2. dated shifts from an imported 值班表 active at T (several people may share a day);
 *   3. the role's active rotation whose first shift has begun (the latest starting one);
 *   4. the role's assigned holders (offices such as 总指挥 held permanently);
 *   5. nobody.
 * Deputies are the role's assignees (holders, then deputies in order) who are not on duty.
 */
import type { DayKind, Gap, Holding, OncallData, OncallEntry, Rotation } from './types.js';
import { addDays, daysBetween, shiftDate, weekday, zonedInstant } from './zoned.js';

type DayType = 'weekday' | 'weekend' | 'holiday';

export function dayType(date: string, calendar: ReadonlyMap<string, DayKind>): DayType {
  const kind = calendar.get(date);
  if (kind === 'holiday') return 'holiday';
  if (kind === 'workday') return 'weekday';
  const wd = weekday(date);
  return wd === 0 || wd === 6 ? 'weekend' : 'weekday';
}

/** The list of people a day of this type cycles through (holiday → weekend → weekday fallback). */
function patternFor(r: Rotation, type: DayType): { type: DayType; list: string[] } {
  if (type === 'holiday' && r.holiday?.length) return { type, list: r.holiday };
  if ((type === 'holiday' || type === 'weekend') && r.weekend?.length) return { type: 'weekend', list: r.weekend };
  return { type: 'weekday', list: r.weekday };
}

/** Effective pattern type of a date (after fallbacks), so days are counted in the list they draw from. */
function effectiveType(r: Rotation, date: string, calendar: ReadonlyMap<string, DayKind>): DayType {
  return patternFor(r, dayType(date, calendar)).type;
}

/** The person on the rotation's shift that starts on `date` (null when the list is empty or before the start). */
export function rotationPerson(r: Rotation, date: string, calendar: ReadonlyMap<string, DayKind>): string | null {
  const offset = daysBetween(r.startsOn, date);
  if (offset < 0) return null;
  const type = effectiveType(r, date, calendar);
  const { list } = patternFor(r, dayType(date, calendar));
  if (list.length === 0) return null;
  let index = 0;
  for (let d = r.startsOn; d !== date; d = addDays(d, 1)) if (effectiveType(r, d, calendar) === type) index++;
  return list[index % list.length];
}

const activeAt = (e: OncallEntry, at: number) => e.startsAt <= at && at < e.endsAt;

function rotationFor(role: string, date: string, data: OncallData): Rotation | undefined {
  return data.rotations.filter((r) => r.role === role && r.active && r.startsOn <= date).sort((a, b) => (a.startsOn < b.startsOn ? 1 : a.startsOn > b.startsOn ? -1 : 0))[0];
}

/** Instants after `at` at which what holds the role may change (entry starts/ends, rotation starts). */
function boundariesAfter(role: string, at: number, data: OncallData): number[] {
  const out: number[] = [];
  for (const e of data.entries) {
    if (e.role !== role) continue;
    if (e.startsAt > at) out.push(e.startsAt);
    if (e.endsAt > at) out.push(e.endsAt);
  }
  for (const r of data.rotations) {
    if (r.role !== role || !r.active) continue;
    const start = zonedInstant(r.startsOn, r.handover, data.timezone);
    if (start > at) out.push(start);
  }
  return out;
}

export function whoHolds(role: string, at: number, data: OncallData): Holding {
  const assignees = data.assignees.get(role);
  const entries = data.entries.filter((e) => e.role === role && activeAt(e, at));
  const overrides = entries.filter((e) => e.kind === 'override').sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
  let held: Omit<Holding, 'deputies' | 'role'>;
  if (overrides.length) {
    const o = overrides[0];
    held = { personIds: [o.personId], source: 'override', from: o.startsAt, until: o.endsAt };
  } else if (entries.length) {
    const shifts = entries.filter((e) => e.kind === 'shift');
    const ids = [...new Set(shifts.map((s) => s.personId))];
    held = { personIds: ids, source: 'shift', from: Math.max(...shifts.map((s) => s.startsAt)), until: Math.min(...shifts.map((s) => s.endsAt)) };
  } else {
    held =
      fromRotation(role, at, data) ??
      (assignees?.holders.length ? { personIds: [...assignees.holders], source: 'assignment', from: null, until: null } : { personIds: [], source: 'none', from: null, until: null });
  }
  const later = boundariesAfter(role, at, data).filter((t) => held.until === null || t < held.until);
  if (later.length) held.until = Math.min(...later);
  const onDuty = new Set(held.personIds);
  const deputies = [...new Set([...(held.source === 'assignment' ? [] : (assignees?.holders ?? [])), ...(assignees?.deputies ?? [])])].filter((id) => !onDuty.has(id));
  return { role, ...held, deputies };
}

function fromRotation(role: string, at: number, data: OncallData): Omit<Holding, 'deputies' | 'role'> | undefined {
  // A rotation's shift date depends on its handover time, so each candidate is asked with its own.
  const candidates = data.rotations.filter((r) => r.role === role && r.active);
  for (const handover of new Set(candidates.map((r) => r.handover))) {
    const date = shiftDate(at, handover, data.timezone);
    const r = rotationFor(role, date, data);
    if (!r || r.handover !== handover) continue;
    const from = zonedInstant(date, r.handover, data.timezone);
    const until = zonedInstant(addDays(date, 1), r.handover, data.timezone);
    const person = rotationPerson(r, date, data.calendar);
    return { personIds: person ? [person] : [], source: person ? 'rotation' : 'none', from, until };
  }
  return undefined;
}

/**
 * Every stretch of [from, to) during which nobody (or only people marked inactive) holds the role:
 * the "unstaffed slot" warning, given ahead of time.
 */
export function findGaps(role: string, from: number, to: number, data: OncallData): Gap[] {
  const gaps: Gap[] = [];
  let t = from;
  let guard = 0;
  while (t < to && guard++ < 100_000) {
    const h = whoHolds(role, t, data);
    const next = Math.min(h.until ?? to, to);
    const end = next > t ? next : t + 60_000;
    const active = h.personIds.filter((id) => data.people.get(id)?.active);
    if (h.personIds.length === 0 || active.length === 0) {
      const reason = h.personIds.length === 0 ? 'nobody' : 'inactive';
      const last = gaps.at(-1);
      if (last && last.to === t && last.reason === reason) last.to = Math.min(end, to);
      else gaps.push({ role, from: t, to: Math.min(end, to), reason });
    }
    t = end;
  }
  return gaps;
}

/** The shifts of [from, to) for one role, as (from, until, people) — for schedules and the iCalendar feed. */
export function schedule(role: string, from: number, to: number, data: OncallData): Holding[] {
  const out: Holding[] = [];
  let t = from;
  let guard = 0;
  while (t < to && guard++ < 100_000) {
    const h = whoHolds(role, t, data);
    const end = Math.min(h.until ?? to, to);
    out.push({ ...h, from: h.from === null ? t : Math.max(h.from, t), until: end });
    t = end > t ? end : t + 60_000;
  }
  return out;
}

/** The next handover instant of a local date (for dated shifts imported from a 值班表). */
export function shiftBounds(date: string, handover: string, tz: string): { startsAt: number; endsAt: number } {
  return { startsAt: zonedInstant(date, handover, tz), endsAt: zonedInstant(addDays(date, 1), handover, tz) };
}
