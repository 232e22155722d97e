/**
 * The people domain on one platform: the directory store plus the questions asked of it — who is on
 * duty now, over a window, where the gaps are, and a person's duty calendar.
 */
import type { Plan } from '../plan/types.js';
import type { Clock } from '../shared/clock.js';
import type { Db } from '../storage/index.js';
import { Day } from '../shared/time.js';
import { dutyCalendar, type DutyEvent } from './ical.js';
import { findGaps, schedule, whoHolds } from './oncall.js';
import { PeopleStore } from './store.js';
import type { Gap, Holding, OncallData, Person } from './types.js';

export interface OnDutyItem {
  role: string;
  roleName: { zh: string; en: string };
  person: { id: string; name: string } | null;
  source: Holding['source'];
  from: string | null;
  until: string | null;
  deputies: { id: string; name: string }[];
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Roles the plan pages: `tech_oncall` (every new incident), breach pages and notices, escalation and level notices. */
export function pagedRoles(plan: Plan): string[] {
  const roles = new Set<string>(['tech_oncall']);
  for (const o of plan.obligations) {
    for (const e of o.on_breach ?? []) if (typeof e === 'object' && ('page' in e || 'notify' in e)) roles.add('page' in e ? e.page : e.notify);
  }
  for (const e of plan.escalations) for (const r of e.then.notify ?? []) roles.add(r);
  for (const l of plan.levels) for (const r of l.notify ?? []) roles.add(r);
  return plan.roles.map((r) => r.id).filter((r) => roles.has(r));
}

export class PeopleService {
  readonly store: PeopleStore;

  constructor(private readonly p: { db: Db; clock: Clock; plan: Plan; timezone: string }) {
    this.store = new PeopleStore(p.db, p.clock, p.plan, p.timezone);
  }

  async whoHolds(role: string, at = this.p.clock.now()): Promise<Holding> {
    this.store.requireRole(role);
    return whoHolds(role, at, await this.store.oncallData());
  }

  /** One item per person on duty for each role of the plan (a role nobody holds is listed with person null). */
  async onDutyNow(at = this.p.clock.now()): Promise<OnDutyItem[]> {
    const data = await this.store.oncallData();
    const name = (id: string) => ({ id, name: data.people.get(id)?.name ?? id });
    const items: OnDutyItem[] = [];
    for (const r of this.p.plan.roles) {
      const h = whoHolds(r.id, at, data);
      const base = { role: r.id, roleName: r.name, source: h.source, from: iso(h.from), until: iso(h.until), deputies: h.deputies.map(name) };
      if (h.personIds.length === 0) items.push({ ...base, person: null });
      for (const id of h.personIds) items.push({ ...base, person: name(id) });
    }
    return items;
  }

  async gaps(options: { from?: number; days?: number; roles?: string[] } = {}): Promise<Gap[]> {
    const from = options.from ?? this.p.clock.now();
    const to = from + (options.days ?? 14) * Day.ms;
    const data = await this.store.oncallData(undefined, { from, to });
    const roles = options.roles ?? pagedRoles(this.p.plan);
    return roles.flatMap((role) => findGaps(role, from, to, data));
  }

  async schedule(role: string, from: number, days: number): Promise<Holding[]> {
    this.store.requireRole(role);
    const to = from + days * Day.ms;
    return schedule(role, from, to, await this.store.oncallData(undefined, { from, to }));
  }

  /** The person's duties from a week ago to `days` ahead, as an iCalendar document. */
  async calendar(person: Person, days = 60): Promise<string> {
    const now = this.p.clock.now();
    const from = now - 7 * Day.ms;
    const to = now + days * Day.ms;
    const data = await this.store.oncallData(undefined, { from, to });
    const events: DutyEvent[] = [];
    for (const r of this.p.plan.roles) {
      if (!involves(data, r.id, person.id)) continue;
      for (const h of schedule(r.id, from, to, data)) {
        if (!h.personIds.includes(person.id) || h.source === 'assignment' || h.from === null || h.until === null) continue;
        events.push({ uid: `${person.id}-${r.id}-${h.from}`, role: r.id, roleName: r.name.zh, from: h.from, until: h.until, source: h.source });
      }
    }
    return dutyCalendar({ personName: person.name, events, now });
  }
}

function involves(data: OncallData, role: string, personId: string): boolean {
  return (
    data.entries.some((e) => e.role === role && e.personId === personId) || data.rotations.some((r) => r.role === role && [...r.weekday, ...(r.weekend ?? []), ...(r.holiday ?? [])].includes(personId))
  );
}
