/**
 * Corrective actions decided after a drill: an owner of the people directory, a due day (the hospital's calendar
 * day), open until done. Their own table (`drill_actions`): the post-incident store belongs to one incident, a
 * drill run has several. Overdue: open and its due day has passed.
 */
import { isCalendarDay, localDay } from '../reports/post-incident/format.js';
import type { Clock } from '../shared/clock.js';
import { NotFoundError, ValidationError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { Db } from '../storage/index.js';
import { runFacts } from './run-facts.js';

export interface DrillActionView {
  id: string;
  runId: string;
  runName: string | null;
  title: string;
  owner: { id: string; name: string };
  due: string;
  state: 'open' | 'done';
  overdue: boolean;
  note: string | null;
  createdAt: string;
  createdBy: string;
  doneAt: string | null;
  doneBy: string | null;
}

export interface NewDrillAction {
  title: string;
  ownerPersonId: string;
  due: string;
  note?: string | null;
}
export interface DrillActionChange {
  title?: string;
  ownerPersonId?: string;
  due?: string;
  state?: 'open' | 'done';
  note?: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

export class DrillActions {
  constructor(private readonly d: { db: Db; clock: Clock; timezone: string }) {}

  today(): string {
    return localDay(this.d.clock.now(), this.d.timezone);
  }

  async list(filter: { runId?: string; open?: boolean } = {}): Promise<DrillActionView[]> {
    let q = this.d.db
      .selectFrom('drill_actions')
      .leftJoin('people', 'people.id', 'drill_actions.owner_person_id')
      .selectAll('drill_actions')
      .select(['people.name as owner_name'])
      .orderBy('drill_actions.due')
      .orderBy('drill_actions.created_at');
    if (filter.runId) q = q.where('drill_actions.run_id', '=', filter.runId);
    if (filter.open) q = q.where('drill_actions.state', '=', 'open');
    const rows = await q.limit(2000).execute();
    const runIds = [...new Set(rows.map((r) => r.run_id))];
    const names = new Map<string, string>();
    if (runIds.length) {
      for (const id of runIds)
        names.set(
          id,
          await runFacts(this.d.db, id).then(
            (r) => r.name,
            () => id,
          ),
        );
    }
    const today = this.today();
    return rows.map((r) => ({
      id: r.id,
      runId: r.run_id,
      runName: names.get(r.run_id) ?? null,
      title: r.title,
      owner: { id: r.owner_person_id, name: r.owner_name ?? r.owner_person_id },
      due: r.due,
      state: r.state as 'open' | 'done',
      overdue: r.state === 'open' && r.due < today,
      note: r.note,
      createdAt: iso(r.created_at)!,
      createdBy: r.created_by,
      doneAt: iso(r.done_at),
      doneBy: r.done_by,
    }));
  }

  private async checkOwner(personId: string): Promise<void> {
    const p = await this.d.db.selectFrom('people').select('id').where('id', '=', personId).executeTakeFirst();
    if (!p) throw new ValidationError(`no person ${personId}`, [{ path: 'ownerPersonId', message: 'choose a person of the directory' }], 'ACTION_OWNER_UNKNOWN');
  }

  async add(runId: string, input: NewDrillAction, actor: string): Promise<DrillActionView> {
    if (!isCalendarDay(input.due)) throw new ValidationError('due: a calendar day', [{ path: 'due', message: 'YYYY-MM-DD' }]);
    await this.checkOwner(input.ownerPersonId);
    const now = this.d.clock.now();
    const id = newId('da_');
    await this.d.db
      .insertInto('drill_actions')
      .values({
        id,
        run_id: runId,
        title: input.title,
        owner_person_id: input.ownerPersonId,
        due: input.due,
        state: 'open',
        note: input.note ?? null,
        created_at: now,
        created_by: actor,
        updated_at: now,
        updated_by: actor,
        done_at: null,
        done_by: null,
      })
      .execute();
    return (await this.list({ runId })).find((a) => a.id === id)!;
  }

  async change(id: string, change: DrillActionChange, actor: string): Promise<DrillActionView> {
    const row = await this.d.db.selectFrom('drill_actions').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(`drill corrective action ${id}`, 'DRILL_ACTION_NOT_FOUND');
    if (change.ownerPersonId) await this.checkOwner(change.ownerPersonId);
    const now = this.d.clock.now();
    const done = change.state === undefined ? {} : change.state === 'done' ? { done_at: row.done_at ?? now, done_by: row.done_by ?? actor } : { done_at: null, done_by: null };
    await this.d.db
      .updateTable('drill_actions')
      .set({
        ...(change.title !== undefined ? { title: change.title } : {}),
        ...(change.ownerPersonId !== undefined ? { owner_person_id: change.ownerPersonId } : {}),
        ...(change.due !== undefined ? { due: change.due } : {}),
        ...(change.state !== undefined ? { state: change.state } : {}),
        ...(change.note !== undefined ? { note: change.note } : {}),
        ...done,
        updated_at: now,
        updated_by: actor,
      })
      .where('id', '=', id)
      .execute();
    return (await this.list({ runId: row.run_id })).find((a) => a.id === id)!;
  }
}
