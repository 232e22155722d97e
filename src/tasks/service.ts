/** Incident checklists: instantiates the plan's applicable items per incident (idempotent), lists them, ticks and assigns. */
import type { IncidentView } from '../incidents/types.js';
import { levelRank, LEVEL_IDS, type LevelId } from '../plan/types.js';
import type { EventBus } from '../events/bus.js';
import type { IncidentQueries } from '../incidents/view.js';
import type { Plan } from '../plan/types.js';
import type { Clock } from '../shared/clock.js';
import { appendChained, type Db } from '../storage/index.js';
import { ConflictError, ForbiddenError, NotFoundError } from '../shared/errors.js';
import type { IncidentEngine } from '../incidents/engine.js';
import { newId } from '../shared/ids.js';
import type { TimelineKind } from '../shared/timeline-kinds.js';
import { parseDuration } from '../shared/time.js';
import { allChecklistItems, checklistItemsFor, type ChecklistItem } from './items.js';
import type { IncidentTasksTable } from '../storage/index.js';
import { assigneeId, peopleOfGroups, type ChecklistPeople, type GroupPerson } from './people.js';

export interface ChecklistItemView {
  id: string;
  itemId: string;
  band: string;
  text: { zh: string; en: string };
  /** the person's id in the directory (older rows may hold free text) */
  assignee: string | null;
  /** the assignee's name from the directory (the stored text when it is not a person's id) */
  assigneeName: string | null;
  doneAt: string | null;
  doneBy: string | null;
  dueAt?: string;
  /** The item is this obligation: due, done and by whom are the obligation's. */
  obligation?: { ruleId: string; state: string; dueAt: string | null };
}
export interface ChecklistGroupView {
  group: string;
  name: { zh: string; en: string };
  items: ChecklistItemView[];
}
export interface ChecklistChange {
  done?: boolean;
  assignee?: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The most severe level the incident has been at (its history and its current level). */
function highestReached(incident: IncidentView): LevelId {
  let top = incident.level;
  for (const h of incident.levelHistory) if (levelRank(h.level) < levelRank(top)) top = h.level;
  return top;
}

/** What the checklists use of the platform. */
export interface ChecklistDeps {
  db: Db;
  plan: Plan;
  clock: Clock;
  bus: EventBus;
  incidents: IncidentQueries;
  /** Ticking an item that stands for an obligation records the obligation's evidence through the engine. */
  engine: Pick<IncidentEngine, 'act'>;
  /** Assignees are people of the directory (without it, any text is kept as before). */
  people?: ChecklistPeople;
}

type ObligationOfIncident = IncidentView['obligations'][number];

/** The instance an item shows: the pending one due first, else the latest (a relapse or a cadence makes several). */
function obligationFor(incident: IncidentView, ruleId: string): ObligationOfIncident | undefined {
  const rows = incident.obligations.filter((o) => o.ruleId === ruleId);
  const pending = rows.filter((o) => o.state === 'pending').sort((a, b) => Date.parse(a.dueAt ?? '') - Date.parse(b.dueAt ?? ''))[0];
  return pending ?? rows.sort((a, b) => Date.parse(b.triggeredAt) - Date.parse(a.triggeredAt) || b.sequence - a.sequence)[0];
}

export type ChecklistService = ReturnType<typeof checklistService>;

export function checklistService(p: ChecklistDeps) {
  const db = p.db;
  const planItems = () => allChecklistItems(p.plan);

  /** When an item falls due: its `within` from its anchor (the time its level was first reached, else detection). */
  function dueAt(item: ChecklistItem | undefined, incident: IncidentView): string | undefined {
    if (!item?.within || item.recurring) return undefined;
    const span = parseDuration(item.within);
    if (span === undefined) return undefined;
    let from = Date.parse(incident.detectedAt);
    if (item.anchor === 'level_changed_at' && (LEVEL_IDS as readonly string[]).includes(item.band)) {
      const reached = incident.levelHistory.find((h) => levelRank(h.level) <= levelRank(item.band as LevelId));
      if (reached) from = Date.parse(reached.at);
    } else if (item.band === 'recovery' && incident.recoveredAt) from = Date.parse(incident.recoveredAt);
    return new Date(from + span).toISOString();
  }

  /** Adds the rows of items that now apply and are not there yet; a row once made stays (with its tick). */
  async function instantiate(incident: IncidentView): Promise<void> {
    const items = checklistItemsFor(p.plan, { level: highestReached(incident), scenario: incident.scenario, state: incident.state });
    if (!items.length) return;
    const have = new Set((await db.selectFrom('incident_tasks').select('item_id').where('incident_id', '=', incident.id).execute()).map((r) => r.item_id));
    const now = p.clock.now();
    const missing = items
      .filter((i) => !have.has(i.id))
      .map(
        (i): IncidentTasksTable => ({
          id: newId('tk_'),
          incident_id: incident.id,
          group_id: i.group,
          item_id: i.id,
          band: i.band,
          text_zh: i.text.zh,
          text_en: i.text.en,
          assignee: null,
          done_at: null,
          done_by: null,
          created_at: now,
        }),
      );
    if (missing.length)
      await db
        .insertInto('incident_tasks')
        .values(missing)
        .onConflict((oc) => oc.columns(['incident_id', 'item_id']).doNothing())
        .execute();
  }

  /** An item that is an obligation shows the obligation's due time and whether, when and by whom it was met. */
  function view(row: IncidentTasksTable, incident: IncidentView, item: ChecklistItem | undefined, names: ReadonlyMap<string, string>): ChecklistItemView {
    const duty = item?.obligation ? obligationFor(incident, item.obligation) : undefined;
    const due = duty ? (duty.dueAt ?? undefined) : dueAt(item, incident);
    return {
      id: row.id,
      itemId: row.item_id,
      band: row.band,
      text: { zh: row.text_zh, en: row.text_en },
      assignee: row.assignee,
      assigneeName: row.assignee === null ? null : (names.get(row.assignee) ?? row.assignee),
      doneAt: duty ? duty.metAt : iso(row.done_at),
      doneBy: duty ? duty.metBy : row.done_by,
      ...(due ? { dueAt: due } : {}),
      ...(duty ? { obligation: { ruleId: duty.ruleId, state: duty.state, dueAt: duty.dueAt } } : {}),
    };
  }

  /** Names of the people these assignees are (ids of the directory). */
  async function namesOf(ids: (string | null)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((x): x is string => x !== null))];
    if (!wanted.length) return new Map();
    const rows = await db.selectFrom('people').select(['id', 'name']).where('id', 'in', wanted).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Per checklist group of the incident, the people its items may be assigned to. */
  async function people(incidentId: string): Promise<{ groups: Record<string, GroupPerson[]> }> {
    const { groups } = await list(incidentId);
    if (!p.people) return { groups: {} };
    return {
      groups: await peopleOfGroups(
        p.plan,
        p.people,
        groups.map((g) => g.group),
      ),
    };
  }

  async function list(incidentId: string): Promise<{ groups: ChecklistGroupView[] }> {
    const incident = await p.incidents.get(incidentId, { timelineLimit: 1 });
    await instantiate(incident);
    const rows = await db.selectFrom('incident_tasks').selectAll().where('incident_id', '=', incidentId).execute();
    const order = planItems();
    const pos = (itemId: string) => {
      const n = order.findIndex((i) => i.id === itemId);
      return n < 0 ? order.length : n;
    };
    rows.sort((a, b) => pos(a.item_id) - pos(b.item_id) || (a.item_id < b.item_id ? -1 : 1));
    const names = await namesOf(rows.map((r) => r.assignee));
    const groups = new Map<string, ChecklistGroupView>();
    for (const g of p.plan.org.groups) groups.set(g.id, { group: g.id, name: { zh: g.name.zh, en: g.name.en }, items: [] });
    for (const row of rows) {
      if (!groups.has(row.group_id)) groups.set(row.group_id, { group: row.group_id, name: { zh: row.group_id, en: row.group_id }, items: [] });
      groups.get(row.group_id)!.items.push(
        view(
          row,
          incident,
          order.find((i) => i.id === row.item_id),
          names,
        ),
      );
    }
    return { groups: [...groups.values()].filter((g) => g.items.length > 0) };
  }

  /**
   * An item that stands for an obligation is ticked by meeting the obligation: its evidence is recorded (as
   * the person's role: only the roles the plan names may give it), which ticks the item everywhere. A met
   * obligation cannot be unticked.
   */
  async function meetThroughItem(incident: IncidentView, item: ChecklistItem, duty: ObligationOfIncident, done: boolean, actor: string, role: string | undefined): Promise<boolean> {
    const rule = p.plan.obligations.find((o) => o.id === duty.ruleId);
    if (!rule?.evidence) return false;
    if (!done) {
      if (duty.metAt) throw new ConflictError(`${item.id} is obligation ${duty.ruleId}, met at ${duty.metAt}: it cannot be unticked`, 'CHECKLIST_OBLIGATION_MET');
      return true;
    }
    if (duty.metAt) return true;
    if (rule.evidence_by && !(role && rule.evidence_by.includes(role)))
      throw new ForbiddenError(`${item.id} is obligation ${duty.ruleId}: only ${rule.evidence_by.join(', ')} may do it`, 'CHECKLIST_OBLIGATION_ROLE');
    await p.engine.act(incident.id, { type: rule.evidence, note: `checklist ${item.id}` }, actor, role);
    return true;
  }

  /** Ticks, unticks or (re)assigns one item; each change is a timeline entry and an `incident.updated` event. */
  async function change(incidentId: string, itemId: string, change: ChecklistChange, actor: string, role?: string): Promise<ChecklistItemView> {
    // an assignee who is not a person is refused before anything is written
    const ref = change.assignee?.trim() || null;
    const chosen = ref === null ? null : p.people ? await assigneeId(p.people, ref) : { id: ref, name: ref };
    let incident = await p.incidents.get(incidentId, { timelineLimit: 1 });
    await instantiate(incident);
    const item = planItems().find((i) => i.id === itemId);
    const duty = item?.obligation ? obligationFor(incident, item.obligation) : undefined;
    if (item && duty && change.done !== undefined && (await meetThroughItem(incident, item, duty, change.done, actor, role))) {
      change = { ...change, done: undefined };
      incident = await p.incidents.get(incidentId, { timelineLimit: 1 });
    }
    const now = p.clock.now();
    const row = await db.transaction().execute(async (trx) => {
      const current = await trx.selectFrom('incident_tasks').selectAll().where('incident_id', '=', incidentId).where('item_id', '=', itemId).executeTakeFirst();
      if (!current) throw new NotFoundError(`checklist item ${itemId} of incident ${incidentId}`, 'CHECKLIST_ITEM_NOT_FOUND');
      const next = { ...current };
      const notes: { kind: TimelineKind; message: string; data: Record<string, unknown> }[] = [];
      const text = { zh: current.text_zh, en: current.text_en }; // the plan's item, for the timeline in either language
      if (change.done === true && current.done_at === null) {
        Object.assign(next, { done_at: now, done_by: actor });
        notes.push({ kind: 'checklist.done', message: `${actor} ticked ${itemId}: ${current.text_en}`, data: { item: itemId, group: current.group_id, text } });
      } else if (change.done === false && current.done_at !== null) {
        Object.assign(next, { done_at: null, done_by: null });
        notes.push({ kind: 'checklist.undone', message: `${actor} unticked ${itemId}: ${current.text_en}`, data: { item: itemId, group: current.group_id, text } });
      }
      if (change.assignee !== undefined) {
        const assignee = chosen?.id ?? null;
        if (assignee !== current.assignee) {
          next.assignee = assignee;
          notes.push({
            kind: 'checklist.assigned',
            message: chosen ? `${actor} assigned ${itemId} to ${chosen.name} (${chosen.id})` : `${actor} cleared the assignee of ${itemId}`,
            // the name for the timeline in either language, the id for the record
            data: { item: itemId, group: current.group_id, text, assignee: chosen?.name ?? null, assigneeId: assignee },
          });
        }
      }
      if (notes.length) {
        await trx.updateTable('incident_tasks').set({ done_at: next.done_at, done_by: next.done_by, assignee: next.assignee }).where('id', '=', current.id).execute();
        await appendChained(
          trx,
          'timeline',
          notes.map((n) => ({
            id: newId('tl_'),
            incident_id: incidentId,
            at: now,
            actor,
            kind: n.kind,
            message: n.message,
            data: JSON.stringify(n.data),
          })),
        );
      }
      return { row: next, changed: notes.length > 0 };
    });
    if (row.changed) p.bus.publish({ type: 'incident.updated', incidentId, at: now });
    return view(
      row.row,
      incident,
      planItems().find((i) => i.id === itemId),
      await namesOf([row.row.assignee]),
    );
  }

  return { list, change, people };
}
