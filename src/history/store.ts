/**
 * The history's queries: incidents (open and closed) by filter, newest first with keyset pagination, and the
 * facts the list and the figures need (systems, the first acknowledgement, obligations). Reads only; the same
 * SQL on SQLite and PostgreSQL.
 */
import { sql, type Expression, type ExpressionBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import { LEVEL_IDS, levelRank, type LevelId, type Plan } from '../plan/types.js';
import { actionKind } from '../shared/timeline-kinds.js';
import type { Database, Db } from '../storage/index.js';
import type { HistoryFilter, ObligationCounts } from './types.js';

type IncidentsEb = ExpressionBuilder<Database, 'incidents'>;

/** The incident columns the history reads (never the JSON of the response state). */
export interface IncidentRow {
  id: string;
  title: string;
  state: string;
  level: string;
  levels_reached: string;
  detected_at: number;
  opened_at: number;
  recovered_at: number | null;
  closed_at: number | null;
}

/** What the history knows of incidents besides their rows: systems, the first acknowledgement, obligation outcomes. */
export interface IncidentFacts {
  systems: Map<string, string[]>;
  acknowledgedAt: Map<string, number>;
  /** per incident (the list) or per obligation rule (the figures) */
  obligations: Map<string, ObligationCounts>;
}

const COLUMNS = ['id', 'title', 'state', 'level', 'levels_reached', 'detected_at', 'opened_at', 'recovered_at', 'closed_at'] as const;
/** Ids per IN list: well under SQLite's and PostgreSQL's limits on bound parameters. */
const IDS_PER_QUERY = 500;

/** `%text%` for LIKE … ESCAPE '\': the user's %, _ and \ match themselves. */
export const likePattern = (text: string): string => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const contains = (ref: Expression<string | null>, pattern: string) => sql<SqlBool>`lower(${ref}) like ${pattern} escape '\\'`;

/** The most severe level an incident reached (its current level included). */
export function highestLevel(level: string, levelsReached: string): LevelId {
  let reached: Record<string, number> = {};
  try {
    reached = JSON.parse(levelsReached) as Record<string, number>;
  } catch {
    // an unreadable record: the current level stands
  }
  const all = [level, ...Object.keys(reached)].filter((l): l is LevelId => (LEVEL_IDS as readonly string[]).includes(l));
  return all.reduce((a, b) => (levelRank(b) < levelRank(a) ? b : a), (all[0] ?? 'L3') as LevelId);
}

const reached = (eb: IncidentsEb, level: LevelId) => eb.or([eb('incidents.level', '=', level), eb('incidents.levels_reached', 'like', `%"${level}"%`)]);

/** The highest level reached is `level`: reached it, and none more severe. */
const highestIs = (eb: IncidentsEb, level: LevelId) => eb.and([reached(eb, level), ...LEVEL_IDS.filter((m) => levelRank(m) < levelRank(level)).map((m) => eb.not(reached(eb, m)))]);

/**
 * Which incidents the history covers: real ones. Drills (src/drills) are left out here, in this one place, so that
 * the list, the CSV and the figures all leave them out alike.
 */
const realIncidents = (eb: IncidentsEb): Expression<SqlBool>[] => [eb('incidents.drill_run_id', 'is', null)];

/** The filter as SQL conditions on `incidents`. */
export function filterConditions(eb: IncidentsEb, f: HistoryFilter): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [...realIncidents(eb)];
  if (f.from !== null) out.push(eb('incidents.opened_at', '>=', f.from));
  if (f.to !== null) out.push(eb('incidents.opened_at', '<', f.to));
  if (f.states.length) {
    const states = [...new Set(f.states.flatMap((s) => (s === 'open' ? ['responding', 'recovering'] : [s])))];
    out.push(eb('incidents.state', 'in', states));
  }
  if (f.levels.length) out.push(eb.or(f.levels.map((l) => highestIs(eb, l))));
  if (f.systems.length) {
    out.push(
      eb.exists(
        eb.selectFrom('incident_systems').select('incident_systems.incident_id').whereRef('incident_systems.incident_id', '=', 'incidents.id').where('incident_systems.system', 'in', f.systems),
      ),
    );
  }
  if (f.q) {
    const pattern = likePattern(f.q);
    out.push(
      eb.or([
        contains(eb.ref('incidents.title'), pattern),
        eb.exists(
          eb
            .selectFrom('timeline')
            .select('timeline.id')
            .whereRef('timeline.incident_id', '=', 'incidents.id')
            .where((t) => t.or([contains(t.ref('timeline.message'), pattern), contains(t.ref('timeline.data'), pattern)])),
        ),
      ]),
    );
  }
  return out;
}

function filtered<O>(qb: SelectQueryBuilder<Database, 'incidents', O>, f: HistoryFilter): SelectQueryBuilder<Database, 'incidents', O> {
  return qb.where((eb) => eb.and(filterConditions(eb, f))); // no condition: 1 = 1
}

/**
 * How each obligation stands at `now`, counted: met by its deadline (`met`), met after it (`late`), breached and
 * never met or pending past its deadline (`missed`), still running (`pending`); waived, cancelled or ended ones
 * count nowhere. One definition, in SQL, for the list, the CSV and the figures.
 */
function outcomeCounts(eb: ExpressionBuilder<Database, 'obligations'>, now: number) {
  const met = eb.ref('obligations.met_at');
  const due = eb.ref('obligations.due_at');
  const state = eb.ref('obligations.state');
  return [
    sql<number>`sum(case when ${met} is not null and (${due} is null or ${met} <= ${due}) then 1 else 0 end)`.as('met'),
    sql<number>`sum(case when ${met} is not null and ${due} is not null and ${met} > ${due} then 1 else 0 end)`.as('late'),
    sql<number>`sum(case when ${met} is null and (${state} = 'breached' or (${state} = 'pending' and ${due} < ${now})) then 1 else 0 end)`.as('missed'),
    sql<number>`sum(case when ${met} is null and ${state} = 'pending' and (${due} is null or ${due} >= ${now}) then 1 else 0 end)`.as('pending'),
  ] as const;
}

const counts = (r: { met: unknown; late: unknown; missed: unknown; pending: unknown }): ObligationCounts => ({
  met: Number(r.met ?? 0),
  late: Number(r.late ?? 0),
  missed: Number(r.missed ?? 0),
  pending: Number(r.pending ?? 0),
});

function chunks<T>(items: T[], size = IDS_PER_QUERY): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export class HistoryStore {
  /** The timeline kind of the action that records the `notified_at` anchor (acknowledge, in the default plan). */
  private readonly ackKind: string;

  constructor(
    private readonly db: Db,
    plan: Plan,
  ) {
    this.ackKind = actionKind(plan.anchors.find((a) => a.id === 'notified_at')?.set_by ?? 'acknowledge');
  }

  /** One page, newest first (opened_at, then id, descending), after `cursor`. */
  async rows(f: HistoryFilter, limit: number, cursor: { at: number; id: string } | null): Promise<IncidentRow[]> {
    let q = filtered(this.db.selectFrom('incidents').select([...COLUMNS]), f);
    if (cursor) q = q.where((eb) => eb.or([eb('incidents.opened_at', '<', cursor.at), eb.and([eb('incidents.opened_at', '=', cursor.at), eb('incidents.id', '<', cursor.id)])]));
    return q.orderBy('incidents.opened_at', 'desc').orderBy('incidents.id', 'desc').limit(limit).execute();
  }

  async count(f: HistoryFilter): Promise<number> {
    const row = await filtered(
      this.db.selectFrom('incidents').select((eb) => eb.fn.countAll<number>().as('n')),
      f,
    ).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Every incident the filter matches (for the figures), oldest first. */
  async all(f: HistoryFilter): Promise<IncidentRow[]> {
    return filtered(this.db.selectFrom('incidents').select([...COLUMNS]), f)
      .orderBy('incidents.opened_at')
      .orderBy('incidents.id')
      .execute();
  }

  /** Systems, first acknowledgement and obligation outcomes of these incidents (a page of the list). */
  async facts(ids: string[], now: number): Promise<IncidentFacts> {
    const facts: IncidentFacts = { systems: new Map(), acknowledgedAt: new Map(), obligations: new Map() };
    for (const part of chunks(ids)) {
      const [systems, acks, obligations] = await Promise.all([
        this.systemsOf(part).execute(),
        this.acksOf(part).execute(),
        this.db
          .selectFrom('obligations')
          .select((eb) => ['obligations.incident_id', ...outcomeCounts(eb, now)])
          .where('obligations.incident_id', 'in', part)
          .groupBy('obligations.incident_id')
          .execute(),
      ]);
      this.collect(facts, systems, acks);
      for (const o of obligations) if (o.incident_id !== null) facts.obligations.set(o.incident_id, counts(o));
    }
    return facts;
  }

  /** The same for every incident the filter matches, in one query each; obligation outcomes per rule (the figures). */
  async factsOfAll(f: HistoryFilter, now: number): Promise<IncidentFacts> {
    const ids = filtered(this.db.selectFrom('incidents').select('incidents.id'), f);
    const [systems, acks, obligations] = await Promise.all([
      this.systemsOf(ids).execute(),
      this.acksOf(ids).execute(),
      this.db
        .selectFrom('obligations')
        .select((eb) => ['obligations.rule_id', ...outcomeCounts(eb, now)])
        .where('obligations.incident_id', 'in', ids)
        .groupBy('obligations.rule_id')
        .execute(),
    ]);
    const facts: IncidentFacts = { systems: new Map(), acknowledgedAt: new Map(), obligations: new Map() };
    this.collect(facts, systems, acks);
    for (const o of obligations) facts.obligations.set(o.rule_id, counts(o));
    return facts;
  }

  private systemsOf(ids: string[] | SelectQueryBuilder<Database, 'incidents', { id: string }>) {
    return this.db.selectFrom('incident_systems').select(['incident_id', 'system']).distinct().where('incident_id', 'in', ids).orderBy('incident_id').orderBy('system');
  }

  /** The first entry of the acknowledging action in each incident's timeline. */
  private acksOf(ids: string[] | SelectQueryBuilder<Database, 'incidents', { id: string }>) {
    return this.db
      .selectFrom('timeline')
      .select((eb) => ['timeline.incident_id', eb.fn.min<number>('timeline.at').as('at')])
      .where('timeline.kind', '=', this.ackKind)
      .where('timeline.incident_id', 'in', ids)
      .groupBy('timeline.incident_id');
  }

  private collect(facts: IncidentFacts, systems: { incident_id: string; system: string }[], acks: { incident_id: string | null; at: number }[]): void {
    for (const s of systems) push(facts.systems, s.incident_id, s.system);
    for (const a of acks) if (a.incident_id !== null) facts.acknowledgedAt.set(a.incident_id, Number(a.at));
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
