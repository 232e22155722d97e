/**
 * The written review of an incident (summary, root cause, lessons) and its corrective actions: tracked items with
 * an owner of the people directory and a due date (the hospital's calendar day), shown until done. Every change
 * is a timeline entry of the incident, in the same transaction. Closed incidents may be reviewed (that is when
 * reviews are written).
 */
import type { EventBus } from '../../events/bus.js';
import type { Clock } from '../../shared/clock.js';
import { NotFoundError, ValidationError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { TimelineKind } from '../../shared/timeline-kinds.js';
import { appendChained, type CorrectiveActionsTable, type Db, type IncidentReviewsTable, type Trx } from '../../storage/index.js';
import { localDay } from './format.js';

export const ACTION_STATES = ['open', 'done'] as const;
export type CorrectiveActionState = (typeof ACTION_STATES)[number];
/** The review's texts, as the API names them. */
export const REVIEW_FIELDS = ['summary', 'rootCause', 'lessons'] as const;
export type ReviewField = (typeof REVIEW_FIELDS)[number];

export interface ReviewDeps {
  db: Db;
  clock: Clock;
  bus: EventBus;
  /** IANA zone of the hospital: due dates and "overdue" are its calendar days. */
  timezone: string;
}

/** GET/PUT /incidents/:id/review */
export interface ReviewView {
  incidentId: string;
  summary: string;
  rootCause: string;
  lessons: string;
  /** null: nobody has written the review yet */
  createdAt: string | null;
  createdBy: string | null;
  updatedAt: string | null;
  updatedBy: string | null;
}

/** One corrective action, with its owner's name and whether it is past its due day. */
export interface CorrectiveActionView {
  id: string;
  incidentId: string;
  title: string;
  owner: { id: string; name: string; active: boolean };
  due: string;
  state: CorrectiveActionState;
  /** Open and its due day has passed in the hospital's time zone. */
  overdue: boolean;
  note: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  doneAt: string | null;
  doneBy: string | null;
}

/** GET /corrective-actions?state=open: across incidents, with each incident's title. */
export interface OpenCorrectiveActionView extends CorrectiveActionView {
  incident: { id: string; title: string; level: string; state: string };
}

export interface ReviewInput {
  summary?: string;
  rootCause?: string;
  lessons?: string;
}
export interface NewActionInput {
  title: string;
  ownerPersonId: string;
  due: string;
  note?: string;
}
export interface ActionChange {
  title?: string;
  ownerPersonId?: string;
  due?: string;
  state?: CorrectiveActionState;
  note?: string | null;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const COLUMN: Record<ReviewField, 'summary' | 'root_cause' | 'lessons'> = { summary: 'summary', rootCause: 'root_cause', lessons: 'lessons' };

export class ReviewService {
  constructor(private readonly d: ReviewDeps) {}

  /** Today in the hospital's time zone (YYYY-MM-DD). */
  today(): string {
    return localDay(this.d.clock.now(), this.d.timezone);
  }

  async review(incidentId: string, db: Db | Trx = this.d.db): Promise<ReviewView> {
    await this.incident(db, incidentId);
    const row = await db.selectFrom('incident_reviews').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
    return reviewView(incidentId, row);
  }

  async saveReview(incidentId: string, input: ReviewInput, actor: string): Promise<ReviewView> {
    const out = await this.d.db.transaction().execute(async (trx) => {
      await this.incident(trx, incidentId);
      const now = this.d.clock.now();
      const row = await trx.selectFrom('incident_reviews').selectAll().where('incident_id', '=', incidentId).executeTakeFirst();
      const before = reviewView(incidentId, row);
      const changed = REVIEW_FIELDS.filter((f) => input[f] !== undefined && input[f] !== before[f]);
      if (changed.length === 0) return before;
      const values = Object.fromEntries(changed.map((f) => [COLUMN[f], input[f]!]));
      if (row)
        await trx
          .updateTable('incident_reviews')
          .set({ ...values, updated_at: now, updated_by: actor })
          .where('incident_id', '=', incidentId)
          .execute();
      else
        await trx
          .insertInto('incident_reviews')
          .values({ incident_id: incidentId, summary: '', root_cause: '', lessons: '', ...values, created_at: now, created_by: actor, updated_at: now, updated_by: actor })
          .execute();
      await this.note(trx, incidentId, now, actor, 'review.updated', `post-incident review updated: ${changed.join(', ')}`, { fields: changed });
      return this.review(incidentId, trx);
    });
    this.changed(incidentId);
    return out;
  }

  async actions(incidentId: string): Promise<CorrectiveActionView[]> {
    await this.incident(this.d.db, incidentId);
    const rows = await this.d.db.selectFrom('corrective_actions').selectAll().where('incident_id', '=', incidentId).orderBy('created_at').orderBy('id').execute();
    return this.views(this.d.db, rows);
  }

  /** Open corrective actions across incidents: overdue first, then by due day. */
  async openActions(): Promise<OpenCorrectiveActionView[]> {
    const rows = await this.d.db.selectFrom('corrective_actions').selectAll().where('state', '=', 'open').orderBy('due').orderBy('created_at').orderBy('id').limit(1000).execute();
    const views = await this.views(this.d.db, rows);
    const ids = [...new Set(rows.map((r) => r.incident_id))];
    const incidents = ids.length ? await this.d.db.selectFrom('incidents').select(['id', 'title', 'level', 'state']).where('id', 'in', ids).execute() : [];
    const byId = new Map(incidents.map((i) => [i.id, i]));
    return views
      .map((v) => ({ ...v, incident: byId.get(v.incidentId) ?? { id: v.incidentId, title: v.incidentId, level: '', state: '' } }))
      .sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.due.localeCompare(b.due));
  }

  async addAction(incidentId: string, input: NewActionInput, actor: string): Promise<CorrectiveActionView> {
    const out = await this.d.db.transaction().execute(async (trx) => {
      const incident = await this.incident(trx, incidentId);
      const owner = await this.owner(trx, input.ownerPersonId, 'ownerPersonId');
      this.checkDue(input.due, incident.opened_at);
      const now = this.d.clock.now();
      const id = newId('ca_');
      await trx
        .insertInto('corrective_actions')
        .values({
          id,
          incident_id: incidentId,
          title: input.title,
          owner_person_id: owner.id,
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
      await this.note(trx, incidentId, now, actor, 'corrective_action.added', `corrective action added: ${input.title} (owner ${owner.name}, due ${input.due})`, {
        action: id,
        title: input.title,
        owner: owner.id,
        ownerName: owner.name,
        due: input.due,
      });
      return this.one(trx, id);
    });
    this.changed(incidentId);
    return out;
  }

  async changeAction(id: string, change: ActionChange, actor: string): Promise<CorrectiveActionView> {
    const { view, incidentId } = await this.d.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('corrective_actions').selectAll().where('id', '=', id).executeTakeFirst();
      if (!row) throw new NotFoundError(`corrective action ${id}`, 'CORRECTIVE_ACTION_NOT_FOUND');
      const incident = await this.incident(trx, row.incident_id);
      const now = this.d.clock.now();
      const set: Partial<CorrectiveActionsTable> = {};
      const fields: string[] = [];
      const data: Record<string, unknown> = {};
      if (change.title !== undefined && change.title !== row.title) {
        set.title = change.title;
        fields.push('title');
      }
      if (change.ownerPersonId !== undefined && change.ownerPersonId !== row.owner_person_id) {
        const owner = await this.owner(trx, change.ownerPersonId, 'ownerPersonId');
        set.owner_person_id = owner.id;
        fields.push('owner');
        data.owner = owner.id;
        data.ownerName = owner.name;
      }
      if (change.due !== undefined && change.due !== row.due) {
        this.checkDue(change.due, incident.opened_at);
        set.due = change.due;
        fields.push('due');
        data.due = change.due;
      }
      if (change.note !== undefined && (change.note ?? null) !== row.note) {
        set.note = change.note;
        fields.push('note');
      }
      const title = set.title ?? row.title;
      const entries: { kind: TimelineKind; message: string; data: Record<string, unknown> }[] = [];
      if (fields.length) entries.push({ kind: 'corrective_action.changed', message: `corrective action changed: ${title} (${fields.join(', ')})`, data: { action: id, title, fields, ...data } });
      if (change.state !== undefined && change.state !== row.state) {
        set.state = change.state;
        set.done_at = change.state === 'done' ? now : null;
        set.done_by = change.state === 'done' ? actor : null;
        entries.push(
          change.state === 'done'
            ? { kind: 'corrective_action.done', message: `corrective action done: ${title}`, data: { action: id, title, note: change.note ?? null } }
            : { kind: 'corrective_action.reopened', message: `corrective action reopened: ${title}`, data: { action: id, title } },
        );
      }
      if (entries.length) {
        await trx
          .updateTable('corrective_actions')
          .set({ ...set, updated_at: now, updated_by: actor })
          .where('id', '=', id)
          .execute();
        for (const e of entries) await this.note(trx, row.incident_id, now, actor, e.kind, e.message, e.data);
      }
      return { view: await this.one(trx, id), incidentId: row.incident_id };
    });
    this.changed(incidentId);
    return view;
  }

  // ---- helpers ----

  private async incident(db: Db | Trx, id: string) {
    const row = await db.selectFrom('incidents').select(['id', 'title', 'opened_at']).where('id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(`incident ${id}`, 'INCIDENT_NOT_FOUND');
    return row;
  }

  private async owner(db: Db | Trx, personId: string, path: string) {
    const row = await db.selectFrom('people').select(['id', 'name', 'active']).where('id', '=', personId).executeTakeFirst();
    if (!row) throw new ValidationError(`no person ${personId} in the directory`, [{ path, message: 'not a person of the directory' }], 'OWNER_NOT_FOUND');
    if (row.active !== 1) throw new ValidationError(`${row.name} is marked inactive in the directory`, [{ path, message: 'the person is inactive' }], 'OWNER_INACTIVE').with({ name: row.name });
    return row;
  }

  /** A due day is a real calendar day, not before the incident's (local) day. */
  private checkDue(due: string, openedAt: number): void {
    const first = localDay(openedAt, this.d.timezone);
    if (due < first)
      throw new ValidationError(`due ${due} is before the incident (${first})`, [{ path: 'due', message: `not before the incident's day ${first}` }], 'DUE_BEFORE_INCIDENT').with({ due, first });
  }

  private async note(trx: Trx, incidentId: string, at: number, actor: string, kind: TimelineKind, message: string, data: Record<string, unknown>): Promise<void> {
    await appendChained(trx, 'timeline', [{ id: newId('tl_'), incident_id: incidentId, at, actor, kind, message, data: JSON.stringify(data) }]);
  }

  private changed(incidentId: string): void {
    const at = this.d.clock.now();
    this.d.bus.publish({ type: 'incident.updated', incidentId, at }); // screens re-read the incident, its review and the open actions
  }

  private async one(db: Db | Trx, id: string): Promise<CorrectiveActionView> {
    const row = await db.selectFrom('corrective_actions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return (await this.views(db, [row]))[0]!;
  }

  private async views(db: Db | Trx, rows: CorrectiveActionsTable[]): Promise<CorrectiveActionView[]> {
    const ids = [...new Set(rows.map((r) => r.owner_person_id))];
    const people = ids.length ? await db.selectFrom('people').select(['id', 'name', 'active']).where('id', 'in', ids).execute() : [];
    const byId = new Map(people.map((p) => [p.id, p]));
    const today = this.today();
    return rows.map((r) => {
      const p = byId.get(r.owner_person_id);
      return {
        id: r.id,
        incidentId: r.incident_id,
        title: r.title,
        owner: { id: r.owner_person_id, name: p?.name ?? r.owner_person_id, active: p?.active === 1 },
        due: r.due,
        state: r.state as CorrectiveActionState,
        overdue: r.state === 'open' && r.due < today,
        note: r.note,
        createdAt: iso(r.created_at)!,
        createdBy: r.created_by,
        updatedAt: iso(r.updated_at)!,
        updatedBy: r.updated_by,
        doneAt: iso(r.done_at),
        doneBy: r.done_by,
      };
    });
  }
}

function reviewView(incidentId: string, row: IncidentReviewsTable | undefined): ReviewView {
  return {
    incidentId,
    summary: row?.summary ?? '',
    rootCause: row?.root_cause ?? '',
    lessons: row?.lessons ?? '',
    createdAt: iso(row?.created_at ?? null),
    createdBy: row?.created_by ?? null,
    updatedAt: iso(row?.updated_at ?? null),
    updatedBy: row?.updated_by ?? null,
  };
}
