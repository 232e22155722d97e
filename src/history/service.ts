/**
 * History and figures over every incident, open and closed: the paged list, the CSV (all matching rows,
 * streamed page by page) and the figures. Reads only.
 */
import type { LevelId, Plan } from '../plan/types.js';
import type { Clock } from '../shared/clock.js';
import type { Db } from '../storage/index.js';
import { csvHeader, csvRow, type CsvLang } from './csv.js';
import { computeFigures, responseTimes } from './figures.js';
import { encodeCursor, parseFiguresQuery, parseListQuery } from './filters.js';
import { highestLevel, HistoryStore, type IncidentFacts, type IncidentRow } from './store.js';
import type { Figures, HistoryItem, HistoryPage } from './types.js';
import { zoneReader } from './zone.js';

export interface HistoryDeps {
  db: Db;
  plan: Plan;
  clock: Clock;
  timezone: string;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
/** Rows per query while the CSV streams. */
const CSV_PAGE = 500;

export class HistoryService {
  private readonly store: HistoryStore;

  constructor(private readonly deps: HistoryDeps) {
    this.store = new HistoryStore(deps.db, deps.plan);
  }

  get timezone(): string {
    return this.deps.timezone;
  }

  /** GET /api/v1/history/incidents: one page (newest first), the cursor of the next, and how many match. */
  async list(query: unknown): Promise<HistoryPage> {
    const { filter, limit, cursor } = parseListQuery(query, this.deps.plan, this.deps.timezone);
    const [rows, total] = await Promise.all([this.store.rows(filter, limit + 1, cursor), this.store.count(filter)]);
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return { items: await this.items(page), nextCursor: rows.length > limit && last ? encodeCursor(last.opened_at, last.id) : null, total };
  }

  /** GET /api/v1/history/incidents.csv: the header, then every matching row (the query is checked before the first line). */
  csv(query: unknown, lang: CsvLang): AsyncIterable<string> {
    const { filter } = parseListQuery({ ...(query as object), limit: undefined, cursor: undefined }, this.deps.plan, this.deps.timezone);
    const { plan } = this.deps;
    const zone = zoneReader(this.deps.timezone);
    const store = this.store;
    const items = (rows: IncidentRow[]) => this.items(rows);
    return (async function* () {
      yield csvHeader(lang);
      let cursor: { at: number; id: string } | null = null;
      for (;;) {
        const rows = await store.rows(filter, CSV_PAGE, cursor);
        if (rows.length === 0) return;
        let chunk = '';
        for (const item of await items(rows)) chunk += csvRow(item, plan, lang, zone);
        yield chunk;
        if (rows.length < CSV_PAGE) return;
        const last = rows[rows.length - 1];
        cursor = { at: last.opened_at, id: last.id };
      }
    })();
  }

  /** GET /api/v1/figures */
  async figures(query: unknown): Promise<Figures> {
    const now = this.deps.clock.now();
    const filter = parseFiguresQuery(query, this.deps.plan, this.deps.timezone, now);
    const [rows, facts] = await Promise.all([this.store.all(filter), this.store.factsOfAll(filter, now)]);
    return computeFigures({ plan: this.deps.plan, timezone: this.deps.timezone, from: filter.from, to: filter.to, systems: filter.systems, rows, facts });
  }

  private async items(rows: IncidentRow[]): Promise<HistoryItem[]> {
    if (rows.length === 0) return [];
    const facts = await this.store.facts(
      rows.map((r) => r.id),
      this.deps.clock.now(),
    );
    return rows.map((r) => item(r, facts));
  }
}

function item(r: IncidentRow, facts: IncidentFacts): HistoryItem {
  const acknowledgedAt = facts.acknowledgedAt.get(r.id);
  const times = responseTimes(r, acknowledgedAt);
  return {
    id: r.id,
    title: r.title,
    state: r.state as HistoryItem['state'],
    level: { highest: highestLevel(r.level, r.levels_reached), current: r.level as LevelId },
    systems: facts.systems.get(r.id) ?? [],
    detectedAt: iso(r.detected_at)!,
    openedAt: iso(r.opened_at)!,
    acknowledgedAt: iso(acknowledgedAt ?? null),
    recoveredAt: iso(r.recovered_at),
    closedAt: iso(r.closed_at),
    durationMs: r.closed_at === null ? null : r.closed_at - r.detected_at,
    timeToAcknowledgeMs: times.ack,
    timeToRestoreMs: times.restore,
    obligations: facts.obligations.get(r.id) ?? { met: 0, late: 0, missed: 0, pending: 0 },
  };
}
