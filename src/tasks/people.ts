/** The people a checklist item of a group may be assigned to: whoever holds the group's roles now, their assignees and deputies. */
import type { Plan } from '../plan/types.js';
import type { PeopleService } from '../people/service.js';
import { NotFoundError, ValidationError } from '../shared/errors.js';

export interface GroupPerson {
  id: string;
  name: string;
  department: string;
  /** the group's roles this person holds or stands in for */
  roles: string[];
  /** only a deputy of those roles */
  deputy: boolean;
}

/** What the checklists read of the people directory. */
export type ChecklistPeople = Pick<PeopleService, 'whoHolds' | 'store'>;

/**
 * The plan roles of a checklist group: its lead, the roles its members name (by id, or by the role's Chinese name
 * within the member's words: 各临床科室联络人 → 科室联络人) and the roles named after the lead's (tech_lead → tech_oncall);
 * the command HQ's roles for a group named like it.
 */
export function groupRoles(plan: Plan, group: string): string[] {
  const g = plan.org.groups.find((x) => x.id === group);
  if (g) {
    const prefix = `${g.lead.split('_')[0]}_`;
    const named = plan.roles.filter((r) => r.id !== g.lead && ((g.members ?? []).some((m) => m === r.id || m.includes(r.name.zh)) || r.id.startsWith(prefix)));
    return [g.lead, ...named.map((r) => r.id)];
  }
  const hq = plan.org.command_hq;
  return group === 'command' || group === 'hq' || group === 'command_hq' ? [hq.commander, hq.deputy, ...hq.members] : [];
}

/** Every person of each group, holders first, then deputies; a person is listed once per group. */
export async function peopleOfGroups(plan: Plan, people: ChecklistPeople, groups: string[]): Promise<Record<string, GroupPerson[]>> {
  const assignees = new Map((await people.store.assignees()).map((a) => [a.role, a]));
  const directory = new Map((await people.store.list()).map((p) => [p.id, p]));
  const out: Record<string, GroupPerson[]> = {};
  for (const group of groups) {
    const found = new Map<string, GroupPerson>();
    const add = (id: string, role: string, deputy: boolean) => {
      const person = directory.get(id);
      if (!person) return; // inactive or gone
      const had = found.get(id);
      if (had) {
        if (!had.roles.includes(role)) had.roles.push(role);
        had.deputy &&= deputy;
      } else found.set(id, { id, name: person.name, department: person.department, roles: [role], deputy });
    };
    for (const role of groupRoles(plan, group)) {
      if (!plan.roles.some((r) => r.id === role)) continue;
      const now = await people.whoHolds(role);
      for (const id of now.personIds) add(id, role, false);
      for (const id of assignees.get(role)?.holders ?? []) add(id, role, false);
      for (const id of [...now.deputies, ...(assignees.get(role)?.deputies ?? [])]) add(id, role, true);
    }
    out[group] = [...found.values()].sort((a, b) => Number(a.deputy) - Number(b.deputy));
  }
  return out;
}

/** An assignee is a person of the directory: by id (or a unique name or 工号); anything else is refused naming the field. */
export async function assigneeId(people: ChecklistPeople, ref: string): Promise<{ id: string; name: string }> {
  try {
    const person = await people.store.find(ref);
    if (!person.active) throw new NotFoundError(`person ${ref}`, 'PERSON_NOT_FOUND');
    return { id: person.id, name: person.name };
  } catch (error) {
    if (!(error instanceof Error && 'status' in error && ((error as { status: number }).status === 404 || (error as { status: number }).status === 409))) throw error;
    throw new ValidationError(`assignee ${ref} is not a person of the directory`, [{ path: 'assignee', message: 'must be the id of a person in the directory' }], 'CHECKLIST_ASSIGNEE_UNKNOWN').with({
      assignee: ref,
    });
  }
}
