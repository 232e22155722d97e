/**
 * The people directory and duty rosters in Lifeline's own database (the hospital's directory may be down
 * exactly when it is needed). Validation of inputs happens at the boundary (routes, import); this store
 * checks references (a role of the plan, a person that exists) and writes.
 */
import type { Plan } from '../plan/types.js';
import type { Clock } from '../shared/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { Db, Trx, OncallEntriesTable, PeopleTable, RotationsTable } from '../storage/index.js';
import type { DayKind, OncallData, OncallEntry, Person, PersonInput, RoleAssignees, Rotation } from './types.js';

export function personFromRow(r: PeopleTable): Person {
  return {
    id: r.id,
    employeeNo: r.employee_no,
    name: r.name,
    department: r.department,
    title: r.title,
    mobile: r.mobile,
    phone: r.phone,
    email: r.email,
    wecomUserId: r.wecom_user_id,
    dingtalkUserId: r.dingtalk_user_id,
    feishuOpenId: r.feishu_open_id,
    channels: r.channels ? (JSON.parse(r.channels) as string[]) : null,
    active: r.active === 1,
    notes: r.notes,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function rowPatch(input: Partial<PersonInput>): Partial<PeopleTable> {
  const out: Partial<PeopleTable> = {};
  const opt = (v: string | null | undefined) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim());
  if (input.employeeNo !== undefined) out.employee_no = opt(input.employeeNo);
  if (input.name !== undefined) out.name = input.name.trim();
  if (input.department !== undefined) out.department = input.department.trim();
  if (input.title !== undefined) out.title = input.title.trim();
  if (input.mobile !== undefined) out.mobile = opt(input.mobile);
  if (input.phone !== undefined) out.phone = opt(input.phone);
  if (input.email !== undefined) out.email = opt(input.email);
  if (input.wecomUserId !== undefined) out.wecom_user_id = opt(input.wecomUserId);
  if (input.dingtalkUserId !== undefined) out.dingtalk_user_id = opt(input.dingtalkUserId);
  if (input.feishuOpenId !== undefined) out.feishu_open_id = opt(input.feishuOpenId);
  if (input.channels !== undefined) out.channels = input.channels === null || input.channels.length === 0 ? null : JSON.stringify(input.channels);
  if (input.active !== undefined) out.active = input.active ? 1 : 0;
  if (input.notes !== undefined) out.notes = input.notes;
  return out;
}

const rotationFromRow = (r: RotationsTable): Rotation => ({
  id: r.id,
  role: r.role,
  name: r.name,
  handover: r.handover,
  startsOn: r.starts_on,
  weekday: JSON.parse(r.weekday) as string[],
  weekend: r.weekend ? (JSON.parse(r.weekend) as string[]) : null,
  holiday: r.holiday ? (JSON.parse(r.holiday) as string[]) : null,
  active: r.active === 1,
});

const entryFromRow = (e: OncallEntriesTable): OncallEntry => ({
  id: e.id,
  role: e.role,
  personId: e.person_id,
  kind: e.kind as OncallEntry['kind'],
  startsAt: e.starts_at,
  endsAt: e.ends_at,
  reason: e.reason,
  createdAt: e.created_at,
});

export type RotationInput = Omit<Rotation, 'id'>;

export class PeopleStore {
  private readonly db: Db;

  constructor(
    db: Db,
    readonly clock: Clock,
    private readonly plan: Plan,
    readonly timezone: string,
  ) {
    this.db = db;
  }

  // ---- people ----------------------------------------------------------------------------------

  async list(filter: { q?: string; department?: string; includeInactive?: boolean } = {}): Promise<Person[]> {
    let q = this.db.selectFrom('people').selectAll().orderBy('department').orderBy('name');
    if (!filter.includeInactive) q = q.where('active', '=', 1);
    if (filter.department) q = q.where('department', '=', filter.department);
    if (filter.q) {
      const like = `%${filter.q}%`;
      q = q.where((eb) => eb.or([eb('name', 'like', like), eb('employee_no', 'like', like), eb('department', 'like', like), eb('mobile', 'like', like)]));
    }
    return (await q.execute()).map(personFromRow);
  }

  async get(id: string): Promise<Person> {
    const row = await this.db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(`person ${id}`, 'PERSON_NOT_FOUND');
    return personFromRow(row);
  }

  /** A person by id, 工号, mobile or (unique) name — for the CLI and imports. */
  async find(ref: string): Promise<Person> {
    const rows = await this.db
      .selectFrom('people')
      .selectAll()
      .where((eb) => eb.or([eb('id', '=', ref), eb('employee_no', '=', ref), eb('mobile', '=', ref), eb('name', '=', ref)]))
      .execute();
    const exact = rows.find((r) => r.id === ref) ?? rows.find((r) => r.employee_no === ref) ?? rows.find((r) => r.mobile === ref);
    if (exact) return personFromRow(exact);
    if (rows.length > 1) throw new ConflictError(`${rows.length} people are called ${ref}; use the 工号 or id`, 'PERSON_AMBIGUOUS').with({ count: rows.length });
    if (!rows[0]) throw new NotFoundError(`person ${ref}`, 'PERSON_NOT_FOUND');
    return personFromRow(rows[0]);
  }

  async create(input: PersonInput, trx?: Trx): Promise<Person> {
    const now = this.clock.now();
    const row: PeopleTable = {
      id: newId('per_'),
      employee_no: null,
      name: input.name.trim(),
      department: '',
      title: '',
      mobile: null,
      phone: null,
      email: null,
      wecom_user_id: null,
      dingtalk_user_id: null,
      feishu_open_id: null,
      channels: null,
      active: 1,
      notes: '',
      ...rowPatch(input),
      created_at: now,
      updated_at: now,
    } as PeopleTable;
    await this.assertUniqueEmployeeNo(row.employee_no, null, trx);
    await (trx ? trx : this.db).insertInto('people').values(row).execute();
    return personFromRow(row);
  }

  async update(id: string, patch: Partial<PersonInput>, trx?: Trx): Promise<Person> {
    const db = trx ? trx : this.db;
    const existing = await db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirst();
    if (!existing) throw new NotFoundError(`person ${id}`, 'PERSON_NOT_FOUND');
    const set = { ...rowPatch(patch), updated_at: this.clock.now() };
    if (set.employee_no !== undefined) await this.assertUniqueEmployeeNo(set.employee_no, id, trx);
    await db.updateTable('people').set(set).where('id', '=', id).execute();
    return personFromRow({ ...existing, ...set });
  }

  /** People are never deleted (deliveries and timelines name them): they are marked inactive and leave their roles. */
  async deactivate(id: string): Promise<Person> {
    const person = await this.update(id, { active: false });
    await this.db.deleteFrom('role_assignees').where('person_id', '=', id).execute();
    return person;
  }

  private async assertUniqueEmployeeNo(no: string | null | undefined, self: string | null, trx?: Trx): Promise<void> {
    if (!no) return;
    const db = trx ? trx : this.db;
    const other = await db.selectFrom('people').select('id').where('employee_no', '=', no).executeTakeFirst();
    if (other && other.id !== self) throw new ConflictError(`工号 ${no} belongs to another person`, 'EMPLOYEE_NO_TAKEN').with({ employeeNo: no });
  }

  // ---- roles ----------------------------------------------------------------------------------

  requireRole(role: string, path = 'role'): void {
    if (!this.plan.roles.some((r) => r.id === role)) {
      throw new ValidationError(`unknown role ${role}`, [{ path, message: `must be a role of the plan: ${this.plan.roles.map((r) => r.id).join(', ')}` }], 'ROLE_UNKNOWN');
    }
  }

  async assignees(): Promise<RoleAssignees[]> {
    const rows = await this.db.selectFrom('role_assignees').selectAll().orderBy('role').orderBy('kind').orderBy('position').execute();
    return this.plan.roles.map((r) => ({
      role: r.id,
      holders: rows.filter((x) => x.role === r.id && x.kind === 'holder').map((x) => x.person_id),
      deputies: rows.filter((x) => x.role === r.id && x.kind === 'deputy').map((x) => x.person_id),
    }));
  }

  /** Replaces who holds a role and its deputies (in order). */
  async assign(role: string, holders: string[], deputies: string[], trx?: Trx): Promise<RoleAssignees> {
    this.requireRole(role);
    const all = [...holders, ...deputies];
    if (new Set(all).size !== all.length) throw new ValidationError('a person appears twice', [{ path: 'deputies', message: 'each person once, as holder or deputy' }]);
    const run = async (db: Db) => {
      if (all.length) {
        const found = await db.selectFrom('people').select('id').where('id', 'in', all).execute();
        const missing = all.filter((id) => !found.some((f) => f.id === id));
        if (missing.length) throw new NotFoundError(`person ${missing.join(', ')}`, 'PERSON_NOT_FOUND');
      }
      await db.deleteFrom('role_assignees').where('role', '=', role).execute();
      const rows = [
        ...holders.map((person_id, position) => ({ role, person_id, kind: 'holder', position })),
        ...deputies.map((person_id, position) => ({ role, person_id, kind: 'deputy', position })),
      ];
      if (rows.length) await db.insertInto('role_assignees').values(rows).execute();
    };
    if (trx) await run(trx);
    else await this.db.transaction().execute((t) => run(t));
    return { role, holders, deputies };
  }

  // ---- rotations ------------------------------------------------------------------------------

  async rotations(): Promise<Rotation[]> {
    return (await this.db.selectFrom('rotations').selectAll().orderBy('role').orderBy('starts_on').execute()).map(rotationFromRow);
  }

  async createRotation(input: RotationInput): Promise<Rotation> {
    this.requireRole(input.role);
    await this.requirePeople([...input.weekday, ...(input.weekend ?? []), ...(input.holiday ?? [])]);
    const now = this.clock.now();
    const id = newId('rot_');
    await this.db
      .insertInto('rotations')
      .values({
        id,
        role: input.role,
        name: input.name,
        handover: input.handover,
        starts_on: input.startsOn,
        weekday: JSON.stringify(input.weekday),
        weekend: input.weekend ? JSON.stringify(input.weekend) : null,
        holiday: input.holiday ? JSON.stringify(input.holiday) : null,
        active: input.active ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return { id, ...input };
  }

  async updateRotation(id: string, input: Partial<RotationInput>): Promise<Rotation> {
    const row = await this.db.selectFrom('rotations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(`rotation ${id}`, 'ROTATION_NOT_FOUND');
    const merged = { ...rotationFromRow(row), ...input };
    this.requireRole(merged.role);
    await this.requirePeople([...merged.weekday, ...(merged.weekend ?? []), ...(merged.holiday ?? [])]);
    await this.db
      .updateTable('rotations')
      .set({
        role: merged.role,
        name: merged.name,
        handover: merged.handover,
        starts_on: merged.startsOn,
        weekday: JSON.stringify(merged.weekday),
        weekend: merged.weekend ? JSON.stringify(merged.weekend) : null,
        holiday: merged.holiday ? JSON.stringify(merged.holiday) : null,
        active: merged.active ? 1 : 0,
        updated_at: this.clock.now(),
      })
      .where('id', '=', id)
      .execute();
    return merged;
  }

  async deleteRotation(id: string): Promise<void> {
    const r = await this.db.deleteFrom('rotations').where('id', '=', id).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw new NotFoundError(`rotation ${id}`, 'ROTATION_NOT_FOUND');
  }

  // ---- dated shifts and overrides ---------------------------------------------------------------

  async entries(filter: { role?: string; personId?: string; from?: number; to?: number; kind?: 'shift' | 'override' } = {}): Promise<OncallEntry[]> {
    let q = this.db.selectFrom('oncall_entries').selectAll().where('cancelled_at', 'is', null).orderBy('starts_at');
    if (filter.role) q = q.where('role', '=', filter.role);
    if (filter.personId) q = q.where('person_id', '=', filter.personId);
    if (filter.kind) q = q.where('kind', '=', filter.kind);
    if (filter.from !== undefined) q = q.where('ends_at', '>', filter.from);
    if (filter.to !== undefined) q = q.where('starts_at', '<', filter.to);
    return (await q.execute()).map(entryFromRow);
  }

  async addEntry(input: { role: string; personId: string; kind: 'shift' | 'override'; startsAt: number; endsAt: number; reason: string; createdBy: string }, trx?: Trx): Promise<OncallEntry> {
    this.requireRole(input.role);
    if (!(input.endsAt > input.startsAt)) throw new ValidationError('a duty ends after it starts', [{ path: 'endsAt', message: 'must be after startsAt' }]);
    const db = trx ? trx : this.db;
    if (!(await db.selectFrom('people').select('id').where('id', '=', input.personId).executeTakeFirst())) throw new NotFoundError(`person ${input.personId}`, 'PERSON_NOT_FOUND');
    const row: OncallEntriesTable = {
      id: newId(input.kind === 'shift' ? 'sft_' : 'ovr_'),
      role: input.role,
      person_id: input.personId,
      kind: input.kind,
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      reason: input.reason,
      created_by: input.createdBy,
      created_at: this.clock.now(),
      cancelled_at: null,
    };
    await db.insertInto('oncall_entries').values(row).execute();
    return entryFromRow(row);
  }

  async cancelEntry(id: string): Promise<void> {
    const r = await this.db.updateTable('oncall_entries').set({ cancelled_at: this.clock.now() }).where('id', '=', id).where('cancelled_at', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new NotFoundError(`duty entry ${id}`, 'ONCALL_ENTRY_NOT_FOUND');
  }

  // ---- calendar -------------------------------------------------------------------------------

  async calendar(): Promise<{ day: string; kind: DayKind; name: string }[]> {
    return (await this.db.selectFrom('oncall_calendar').selectAll().orderBy('day').execute()).map((r) => ({ day: r.day, kind: r.kind as DayKind, name: r.name }));
  }

  async setCalendarDays(days: { day: string; kind: DayKind | null; name?: string }[]): Promise<void> {
    await this.db.transaction().execute(async (t) => {
      for (const d of days) {
        await t.deleteFrom('oncall_calendar').where('day', '=', d.day).execute();
        if (d.kind)
          await t
            .insertInto('oncall_calendar')
            .values({ day: d.day, kind: d.kind, name: d.name ?? '' })
            .execute();
      }
    });
  }

  private async requirePeople(ids: string[]): Promise<void> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return;
    const found = await this.db.selectFrom('people').select('id').where('id', 'in', unique).execute();
    const missing = unique.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) throw new NotFoundError(`person ${missing.join(', ')}`, 'PERSON_NOT_FOUND');
  }

  // ---- everything whoHolds needs ----------------------------------------------------------------

  /** Reads the roster data whoHolds needs; inside a transaction when given (the paging hook). */
  async oncallData(trx?: Trx, window?: { from: number; to: number }): Promise<OncallData> {
    return loadOncallData(trx ? trx : this.db, this.timezone, window);
  }
}

export async function loadOncallData(db: Db, timezone: string, window?: { from: number; to: number }): Promise<OncallData> {
  let entries = db.selectFrom('oncall_entries').selectAll().where('cancelled_at', 'is', null);
  if (window) entries = entries.where('ends_at', '>', window.from).where('starts_at', '<', window.to);
  const [people, assignees, rotations, entryRows, calendar] = await Promise.all([
    db.selectFrom('people').select(['id', 'name', 'active']).execute(),
    db.selectFrom('role_assignees').selectAll().orderBy('kind').orderBy('position').execute(),
    db.selectFrom('rotations').selectAll().execute(),
    entries.execute(),
    db.selectFrom('oncall_calendar').selectAll().execute(),
  ]);
  const byRole = new Map<string, RoleAssignees>();
  for (const a of assignees) {
    const r = byRole.get(a.role) ?? { role: a.role, holders: [], deputies: [] };
    (a.kind === 'holder' ? r.holders : r.deputies).push(a.person_id);
    byRole.set(a.role, r);
  }
  return {
    timezone,
    people: new Map(people.map((p) => [p.id, { id: p.id, name: p.name, active: p.active === 1 }])),
    assignees: byRole,
    rotations: rotations.map(rotationFromRow),
    entries: entryRows.map(entryFromRow),
    calendar: new Map(calendar.map((c) => [c.day, c.kind as DayKind])),
  };
}
