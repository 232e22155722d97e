/**
 * The observers' evaluation sheet (观察评核表) of a run: per group, the steps the plan asks of it in this drill —
 * its checklist items for the levels the drill reached (the incidents' checklists) and the obligations whose actor
 * belongs to the group — each markable done / late / missed with a note and a photo. One mark per step: a new mark
 * replaces the old one and records who marked it and when.
 */
import type { IncidentQueries } from '../incidents/view.js';
import type { Plan, Text } from '../plan/types.js';
import type { Clock } from '../shared/clock.js';
import { AppError, ConflictError, NotFoundError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import type { Db } from '../storage/index.js';
import { drillGroups, groupOfRole } from './groups.js';
import type { RunFacts } from './run-facts.js';

export const MARK_OUTCOMES = ['done', 'late', 'missed'] as const;
export type MarkOutcome = (typeof MARK_OUTCOMES)[number];
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

export interface MarkView {
  id: string;
  outcome: MarkOutcome;
  note: string | null;
  photo: boolean;
  markedAt: string;
  markedBy: string;
}

export interface SheetStep {
  /** `checklist:<item id>` or `obligation:<rule id>` */
  key: string;
  kind: 'checklist' | 'obligation';
  ref: string;
  text: Text;
  band: string | null;
  /** What the system recorded: the item ticked, the obligation met (late) or missed, or nothing yet. */
  recorded: 'done' | 'late' | 'missed' | 'open';
  mark: MarkView | null;
}

export interface SheetGroup {
  id: string;
  name: Text;
  steps: SheetStep[];
}

export interface ObserverSheet {
  runId: string;
  groups: SheetGroup[];
}

export interface ObserverDeps {
  db: Db;
  plan: Plan;
  clock: Clock;
  incidents: IncidentQueries;
}

/** What the first bytes say the image is; null when it is none of the accepted kinds. */
export function imageType(bytes: Uint8Array): (typeof PHOTO_TYPES)[number] | null {
  const b = bytes;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'image/png';
  if (b.length >= 12 && String.fromCharCode(...b.slice(0, 4)) === 'RIFF' && String.fromCharCode(...b.slice(8, 12)) === 'WEBP') return 'image/webp';
  return null;
}

const markView = (r: { id: string; outcome: string; note: string | null; photo_type: string | null; marked_at: number; marked_by: string }): MarkView => ({
  id: r.id,
  outcome: r.outcome as MarkOutcome,
  note: r.note,
  photo: r.photo_type !== null,
  markedAt: new Date(Number(r.marked_at)).toISOString(),
  markedBy: r.marked_by,
});

export class Observers {
  constructor(private readonly d: ObserverDeps) {}

  async sheet(run: RunFacts, groupFilter: string[] | null): Promise<ObserverSheet> {
    const { plan } = this.d;
    const groups = drillGroups(plan).filter((g) => !groupFilter || groupFilter.includes(g.id) || g.id === 'hq');
    const steps = new Map<string, SheetStep[]>(groups.map((g) => [g.id, []]));
    const seen = new Set<string>();
    const marks = await this.marks(run.id);
    const add = (groupId: string, step: Omit<SheetStep, 'mark'>) => {
      const list = steps.get(groupId);
      if (!list) return;
      const existing = list.find((s) => s.key === step.key);
      if (existing) {
        // the same step on two incidents of the run: recorded as its worst
        if (rank(step.recorded) > rank(existing.recorded)) existing.recorded = step.recorded;
        return;
      }
      seen.add(step.key);
      list.push({ ...step, mark: marks.get(step.key) ?? null });
    };
    if (run.incidentIds.length) {
      const tasks = await this.d.db.selectFrom('incident_tasks').selectAll().where('incident_id', 'in', run.incidentIds).orderBy('created_at').execute();
      for (const t of tasks)
        add(t.group_id, { key: `checklist:${t.item_id}`, kind: 'checklist', ref: t.item_id, text: { zh: t.text_zh, en: t.text_en }, band: t.band, recorded: t.done_at === null ? 'open' : 'done' });
    }
    for (const id of run.incidentIds) {
      const view = await this.d.incidents.get(id, { timelineLimit: 1 });
      for (const o of view.obligations) {
        if (o.state === 'cancelled' || o.state === 'waived') continue;
        const recorded = o.metAt ? ((o.lateMs ?? 0) > 0 ? 'late' : 'done') : o.breachedAt ? 'missed' : 'open';
        add(groupOfRole(plan, o.actorRole), { key: `obligation:${o.ruleId}`, kind: 'obligation', ref: o.ruleId, text: o.action ?? { zh: o.ruleId, en: o.ruleId }, band: null, recorded });
      }
    }
    return { runId: run.id, groups: groups.map((g) => ({ id: g.id, name: g.name, steps: steps.get(g.id) ?? [] })) };
  }

  async marks(runId: string): Promise<Map<string, MarkView & { groupId: string }>> {
    const rows = await this.d.db.selectFrom('drill_marks').select(['id', 'group_id', 'step_key', 'outcome', 'note', 'photo_type', 'marked_at', 'marked_by']).where('run_id', '=', runId).execute();
    return new Map(rows.map((r) => [r.step_key, { ...markView(r), groupId: r.group_id }]));
  }

  /** Marks a step of the sheet (it must be on the sheet); a new mark replaces the step's photo only when one is given. */
  async mark(run: RunFacts, input: { stepKey: string; outcome: MarkOutcome; note?: string | null }, actor: string): Promise<MarkView> {
    const sheet = await this.sheet(run, null);
    const group = sheet.groups.find((g) => g.steps.some((s) => s.key === input.stepKey));
    if (!group) throw new NotFoundError(`step ${input.stepKey} of drill run ${run.id}`, 'DRILL_STEP_NOT_FOUND');
    const now = this.d.clock.now();
    const existing = await this.d.db.selectFrom('drill_marks').select(['id']).where('run_id', '=', run.id).where('step_key', '=', input.stepKey).executeTakeFirst();
    if (existing)
      await this.d.db
        .updateTable('drill_marks')
        .set({ outcome: input.outcome, note: input.note ?? null, marked_at: now, marked_by: actor })
        .where('id', '=', existing.id)
        .execute();
    else
      await this.d.db
        .insertInto('drill_marks')
        .values({
          id: newId('dm_'),
          run_id: run.id,
          group_id: group.id,
          step_key: input.stepKey,
          outcome: input.outcome,
          note: input.note ?? null,
          photo: null,
          photo_type: null,
          marked_at: now,
          marked_by: actor,
        })
        .execute();
    return (await this.marks(run.id)).get(input.stepKey)!;
  }

  /** Attaches a photo to a step's mark (the step must be marked first). */
  async photo(runId: string, stepKey: string, bytes: Uint8Array, actor: string): Promise<MarkView> {
    if (bytes.length > PHOTO_MAX_BYTES)
      throw new AppError('PHOTO_TOO_LARGE', 413, `a photo may have at most ${PHOTO_MAX_BYTES} bytes`, [{ path: 'body', message: 'at most 5 MB' }]).with({ max: PHOTO_MAX_BYTES });
    const type = imageType(bytes);
    if (!type) throw new AppError('PHOTO_TYPE_UNSUPPORTED', 415, 'a photo must be a JPEG, PNG or WebP image', [{ path: 'body', message: 'JPEG, PNG or WebP' }]);
    const row = await this.d.db.selectFrom('drill_marks').select(['id']).where('run_id', '=', runId).where('step_key', '=', stepKey).executeTakeFirst();
    if (!row) throw new ConflictError(`step ${stepKey} is not marked yet`, 'DRILL_STEP_NOT_MARKED');
    await this.d.db.updateTable('drill_marks').set({ photo: bytes, photo_type: type, marked_at: this.d.clock.now(), marked_by: actor }).where('id', '=', row.id).execute();
    return (await this.marks(runId)).get(stepKey)!;
  }

  async photoOf(markId: string): Promise<{ body: Buffer; type: string }> {
    const row = await this.d.db.selectFrom('drill_marks').select(['photo', 'photo_type']).where('id', '=', markId).executeTakeFirst();
    if (!row?.photo || !row.photo_type) throw new NotFoundError(`photo of mark ${markId}`, 'DRILL_PHOTO_NOT_FOUND');
    return { body: Buffer.from(row.photo), type: row.photo_type };
  }

  /** Every mark of a run with its photo bytes (for the report). */
  async marksWithPhotos(runId: string) {
    return this.d.db.selectFrom('drill_marks').selectAll().where('run_id', '=', runId).orderBy('marked_at').execute();
  }
}

const rank = (r: SheetStep['recorded']) => ({ done: 0, open: 1, late: 2, missed: 3 })[r];
