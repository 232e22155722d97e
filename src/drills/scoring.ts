/**
 * The score of a drill run, from its recorded facts only: the obligations its incidents triggered (met, late,
 * missed), the pages and who answered them how fast, the checklist items ticked, manual mode started, and the
 * observers' marks. Each fact is an item of a group (tech, coordination, logistics, publicity, HQ) worth 0–1:
 *   obligation met 1, met late 0.5, missed (or still pending at the end) 0;
 *   page answered 1, unanswered 0 (a role nobody held counts as unanswered);
 *   checklist item ticked 1, open 0;
 *   manual mode (coordination, when an incident reached L2 or L1): a session started 1, none 0;
 *   observer's mark done 1, late 0.5, missed 0.
 * A group's score is 100 × Σ(weight × part ratio) / Σ(weight of its parts that have items), weights obligations 40,
 * pages 20, checklist 20, manual mode 10, observers 10; the overall score is the mean of the groups exercised.
 * Documented in docs/drills.md; the report prints the same formula.
 */
import type { IncidentQueries } from '../incidents/view.js';
import type { Plan, Text } from '../plan/types.js';
import type { Clock } from '../shared/clock.js';
import type { Db } from '../storage/index.js';
import { drillGroups, groupOfRole } from './groups.js';
import type { Observers } from './observers.js';
import type { RunFacts } from './run-facts.js';

export const PARTS = ['obligations', 'pages', 'checklist', 'downtime', 'observers'] as const;
export type ScorePart = (typeof PARTS)[number];
export const WEIGHTS: Record<ScorePart, number> = { obligations: 40, pages: 20, checklist: 20, downtime: 10, observers: 10 };

export interface ObligationResult {
  incidentId: string;
  ruleId: string;
  action: Text | null;
  role: string;
  groupId: string;
  dueAt: string | null;
  metAt: string | null;
  metBy: string | null;
  outcome: 'met' | 'late' | 'missed';
  lateMs: number | null;
}

export interface PageResult {
  incidentId: string | null;
  role: string;
  groupId: string;
  person: string | null;
  sentAt: string;
  answeredAt: string | null;
  responseMs: number | null;
}

export interface PartScore {
  part: ScorePart;
  items: number;
  points: number;
}

export interface GroupScore {
  id: string;
  name: Text;
  /** 0–100; null: the drill gave the group nothing to do. */
  score: number | null;
  parts: PartScore[];
}

export interface DrillScore {
  runId: string;
  catalogueId: string | null;
  computedAt: string;
  overall: number | null;
  groups: GroupScore[];
  obligations: ObligationResult[];
  pages: PageResult[];
  checklist: { done: number; total: number };
  downtime: { expected: boolean; sessions: number; firstAfterMs: number | null };
  observers: { done: number; late: number; missed: number };
  comparison: { sameEntry: { runs: number; average: number | null; last: number | null }; all: { runs: number; average: number | null } };
}

export interface ScoringDeps {
  db: Db;
  plan: Plan;
  clock: Clock;
  incidents: IncidentQueries;
  observers: Observers;
}

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : new Date(Number(ms)).toISOString());
const round = (n: number) => Math.round(n);

export async function scoreRun(d: ScoringDeps, run: RunFacts): Promise<DrillScore> {
  const { plan } = d;
  const groups = drillGroups(plan);
  const tally = new Map<string, Record<ScorePart, PartScore>>(groups.map((g) => [g.id, Object.fromEntries(PARTS.map((p) => [p, { part: p, items: 0, points: 0 }])) as Record<ScorePart, PartScore>]));
  const count = (groupId: string, part: ScorePart, points: number) => {
    const t = tally.get(groupId)?.[part];
    if (!t) return;
    t.items++;
    t.points += points;
  };

  const obligations: ObligationResult[] = [];
  let downtimeExpected = false;
  let firstOpenedAt: number | null = null;
  for (const id of run.incidentIds) {
    const view = await d.incidents.get(id, { timelineLimit: 1 });
    const opened = Date.parse(view.openedAt);
    firstOpenedAt = firstOpenedAt === null ? opened : Math.min(firstOpenedAt, opened);
    if (view.levelHistory.some((l) => l.level === 'L2' || l.level === 'L1')) downtimeExpected = true;
    for (const o of view.obligations) {
      if (o.state === 'cancelled' || o.state === 'waived') continue;
      if (o.ruleId.startsWith('RR.')) continue; // regulator reports are never owed for a drill
      // ended with the drill before it fell due: nobody could have missed it
      if (!o.metAt && !o.breachedAt && o.dueAt && Date.parse(o.dueAt) > (run.endedAt ?? d.clock.now())) continue;
      const outcome = o.metAt ? ((o.lateMs ?? 0) > 0 ? 'late' : 'met') : 'missed';
      const groupId = groupOfRole(plan, o.actorRole);
      count(groupId, 'obligations', outcome === 'met' ? 1 : outcome === 'late' ? 0.5 : 0);
      obligations.push({
        incidentId: id,
        ruleId: o.ruleId,
        action: o.action,
        role: o.actorRole,
        groupId,
        dueAt: o.dueAt,
        metAt: o.metAt,
        metBy: o.metBy,
        outcome,
        lateMs: outcome === 'late' ? o.lateMs : outcome === 'missed' && o.dueAt ? Math.max(0, (run.endedAt ?? d.clock.now()) - Date.parse(o.dueAt)) : null,
      });
    }
  }

  const pages: PageResult[] = [];
  const checklist = { done: 0, total: 0 };
  let sessions = 0;
  let firstSession: number | null = null;
  if (run.incidentIds.length) {
    const rows = await d.db
      .selectFrom('notify_pages')
      .leftJoin('people', 'people.id', 'notify_pages.person_id')
      .select(['notify_pages.incident_id', 'notify_pages.role', 'notify_pages.person_id', 'notify_pages.created_at', 'notify_pages.acked_at', 'notify_pages.deputy_rank', 'people.name'])
      .where('notify_pages.incident_id', 'in', run.incidentIds)
      .orderBy('notify_pages.created_at')
      .execute();
    for (const p of rows) {
      const groupId = groupOfRole(plan, p.role);
      const answeredAt = p.acked_at === null ? null : Number(p.acked_at);
      count(groupId, 'pages', answeredAt !== null ? 1 : 0);
      pages.push({
        incidentId: p.incident_id,
        role: p.role,
        groupId,
        person: p.name ?? null,
        sentAt: iso(Number(p.created_at))!,
        answeredAt: iso(answeredAt),
        responseMs: answeredAt === null ? null : answeredAt - Number(p.created_at),
      });
    }
    const tasks = await d.db.selectFrom('incident_tasks').select(['group_id', 'done_at']).where('incident_id', 'in', run.incidentIds).execute();
    for (const t of tasks) {
      checklist.total++;
      if (t.done_at !== null) checklist.done++;
      count(t.group_id, 'checklist', t.done_at !== null ? 1 : 0);
    }
    const ds = await d.db.selectFrom('downtime_sessions').select(['started_at']).where('incident_id', 'in', run.incidentIds).execute();
    sessions = ds.length;
    for (const s of ds) firstSession = firstSession === null ? Number(s.started_at) : Math.min(firstSession, Number(s.started_at));
  }
  if (downtimeExpected) count('coordination', 'downtime', sessions > 0 ? 1 : 0);

  const observers = { done: 0, late: 0, missed: 0 };
  for (const m of (await d.observers.marks(run.id)).values()) {
    observers[m.outcome]++;
    count(m.groupId, 'observers', m.outcome === 'done' ? 1 : m.outcome === 'late' ? 0.5 : 0);
  }

  const groupScores: GroupScore[] = groups.map((g) => {
    const parts = PARTS.map((p) => tally.get(g.id)![p]);
    const used = parts.filter((p) => p.items > 0);
    const weight = used.reduce((s, p) => s + WEIGHTS[p.part], 0);
    const score = weight === 0 ? null : round((100 * used.reduce((s, p) => s + (WEIGHTS[p.part] * p.points) / p.items, 0)) / weight);
    return { id: g.id, name: g.name, score, parts };
  });
  const exercised = groupScores.filter((g) => g.score !== null).map((g) => g.score!);
  const overall = exercised.length ? round(exercised.reduce((a, b) => a + b, 0) / exercised.length) : null;

  const previous = await d.db.selectFrom('drill_scores').select(['run_id', 'catalogue_id', 'overall', 'computed_at']).where('run_id', '!=', run.id).orderBy('computed_at').execute();
  const avg = (xs: number[]) => (xs.length ? round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
  const same = previous.filter((p) => run.catalogueId !== null && p.catalogue_id === run.catalogueId);

  return {
    runId: run.id,
    catalogueId: run.catalogueId,
    computedAt: iso(d.clock.now())!,
    overall,
    groups: groupScores,
    obligations,
    pages,
    checklist,
    downtime: { expected: downtimeExpected, sessions, firstAfterMs: firstSession !== null && firstOpenedAt !== null ? firstSession - firstOpenedAt : null },
    observers,
    comparison: {
      sameEntry: { runs: same.length, average: avg(same.map((p) => p.overall)), last: same.length ? same[same.length - 1]!.overall : null },
      all: { runs: previous.length, average: avg(previous.map((p) => p.overall)) },
    },
  };
}

/** Computes and stores the run's score (replacing an earlier one). */
export async function storeScore(d: ScoringDeps, run: RunFacts): Promise<DrillScore> {
  const score = await scoreRun(d, run);
  const values = { catalogue_id: run.catalogueId, overall: score.overall ?? 0, detail: JSON.stringify(score), computed_at: d.clock.now() };
  const exists = await d.db.selectFrom('drill_scores').select('run_id').where('run_id', '=', run.id).executeTakeFirst();
  if (exists) await d.db.updateTable('drill_scores').set(values).where('run_id', '=', run.id).execute();
  else
    await d.db
      .insertInto('drill_scores')
      .values({ run_id: run.id, ...values })
      .execute();
  return score;
}

export async function storedScore(db: Db, runId: string): Promise<DrillScore | null> {
  const row = await db.selectFrom('drill_scores').select(['detail']).where('run_id', '=', runId).executeTakeFirst();
  return row ? (JSON.parse(row.detail) as DrillScore) : null;
}
