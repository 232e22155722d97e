// The history list, a search, the CSV and the figures over many incidents: 300 in `npm test` (every row comes back);
// as a measurement of how long they take, run it with
//   HISTORY_VOLUME=10000 npx vitest run test/history-volume.test.ts        (HISTORY_DIALECT=postgres for PostgreSQL)
// A few dozen incidents are made through the engine (open, acknowledge, restore, close); their rows (incident,
// systems, obligations, level changes, timeline) are then copied with new ids and shifted times until there are N,
// spread over a year, so the tables hold what the engine writes, at volume, in seconds rather than an hour.
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { routeSets } from '../src/http/extensions.js';
import { newId } from '../src/shared/ids.js';
import { appendChained } from '../src/storage/index.js';
import type { DialectName } from './support/databases.js';
import { minutes, T0, testPlatform, type TestPlatform } from './support/platform.js';

const N = Number(process.env.HISTORY_VOLUME ?? 300);
const DIALECT = (process.env.HISTORY_DIALECT ?? 'sqlite') as DialectName;
const SYSTEMS = ['HIS', 'EMR', 'LIS', 'PACS', 'APPOINTMENT'];
const TEMPLATES = 40;
const YEAR = minutes(365 * 24 * 60);

describe(`history over ${N} incidents on ${DIALECT}`, () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  const timed = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const out = await run();
    console.log(`${label}: ${Math.round(performance.now() - started)} ms`);
    return out;
  };

  beforeAll(async () => {
    p = await testPlatform(DIALECT);
    app = await buildApp(p, { logger: false, extensions: [routeSets.history] });
    const made: string[] = [];
    for (let i = 0; i < TEMPLATES; i++) {
      const id = await p.engine.openIncident({ title: `故障 ${SYSTEMS[i % SYSTEMS.length]}`, systems: [{ system: SYSTEMS[i % SYSTEMS.length], state: 'down' }] }, 'tech_oncall');
      await p.advance(minutes(1 + (i % 9)));
      await p.engine.act(id, { type: 'acknowledge' }, 'tech_oncall', 'tech_oncall');
      await p.advance(minutes(5 + (i % 40)));
      await p.engine.act(id, { type: 'restore' }, 'tech_oncall', 'tech_oncall');
      await p.engine.act(id, { type: 'close' }, 'commander', 'commander');
      await p.advance(minutes(60));
      made.push(id);
    }
    const db = p.db;
    const [incidents, systems, obligations, levels, timeline] = await Promise.all([
      db.selectFrom('incidents').selectAll().execute(),
      db.selectFrom('incident_systems').selectAll().execute(),
      db.selectFrom('obligations').selectAll().where('incident_id', 'is not', null).execute(),
      db.selectFrom('level_changes').selectAll().execute(),
      db.selectFrom('timeline').select(['id', 'incident_id', 'at', 'actor', 'kind', 'message', 'data']).where('incident_id', 'is not', null).execute(),
    ]);
    console.log(`per incident made by the engine: ${systems.length / TEMPLATES} systems, ${obligations.length / TEMPLATES} obligations, ${timeline.length / TEMPLATES} timeline entries`);
    const step = Math.floor(YEAR / N);
    const copies = N - TEMPLATES;
    await timed(`copied to ${N} incidents`, async () => {
      for (let start = 0; start < copies; start += 500) {
        const batch = { incidents: [] as typeof incidents, systems: [] as typeof systems, obligations: [] as typeof obligations, levels: [] as typeof levels, timeline: [] as typeof timeline };
        for (let n = start; n < Math.min(copies, start + 500); n++) {
          const from = incidents[n % TEMPLATES];
          const id = newId('inc_');
          const shift = T0 + minutes(24 * 60) + n * step - from.opened_at;
          const at = (ms: number | null) => (ms === null ? null : ms + shift);
          batch.incidents.push({
            ...from,
            id,
            title: `${from.title} ${n}`,
            detected_at: from.detected_at + shift,
            opened_at: from.opened_at + shift,
            recovered_at: at(from.recovered_at),
            closed_at: at(from.closed_at),
            updated_at: from.updated_at + shift,
          });
          for (const s of systems.filter((x) => x.incident_id === from.id)) batch.systems.push({ ...s, incident_id: id, since: s.since + shift });
          for (const o of obligations.filter((x) => x.incident_id === from.id))
            batch.obligations.push({
              ...o,
              id: newId('obl_'),
              incident_id: id,
              trigger_at: o.trigger_at + shift,
              anchor_at: at(o.anchor_at),
              due_at: at(o.due_at),
              met_at: at(o.met_at),
              breached_at: at(o.breached_at),
              fired_at: at(o.fired_at),
            });
          for (const l of levels.filter((x) => x.incident_id === from.id)) batch.levels.push({ ...l, id: newId('lvl_'), incident_id: id, at: l.at + shift });
          for (const t of timeline.filter((x) => x.incident_id === from.id))
            batch.timeline.push({ ...t, id: newId('tl_'), incident_id: id, at: t.at + shift, message: n === copies - 1 && t.kind === 'incident.opened' ? `${t.message} 最后一条` : t.message });
        }
        await db.transaction().execute(async (trx) => {
          for (let i = 0; i < batch.incidents.length; i += 50)
            await trx
              .insertInto('incidents')
              .values(batch.incidents.slice(i, i + 50))
              .execute();
          for (let i = 0; i < batch.systems.length; i += 200)
            await trx
              .insertInto('incident_systems')
              .values(batch.systems.slice(i, i + 200))
              .execute();
          for (let i = 0; i < batch.obligations.length; i += 100)
            await trx
              .insertInto('obligations')
              .values(batch.obligations.slice(i, i + 100))
              .execute();
          for (let i = 0; i < batch.levels.length; i += 200)
            await trx
              .insertInto('level_changes')
              .values(batch.levels.slice(i, i + 200))
              .execute();
          await appendChained(trx, 'timeline', batch.timeline);
        });
      }
    });
    // as autovacuum would after such a load: PostgreSQL plans with fresh statistics
    if (DIALECT === 'postgres') await sql`analyze`.execute(db);
  }, 3_600_000);
  afterAll(async () => {
    await app?.close();
    await p?.dispose();
  });

  it('answers the list, a search, the CSV and the figures', async () => {
    const get = (url: string) => app.inject({ method: 'GET', url });
    await get('/api/v1/history/incidents?limit=1'); // warm-up: the first request compiles routes and statements
    const first = await timed('first page (50, with total)', () => get('/api/v1/history/incidents'));
    expect(first.json().total).toBe(N);
    const cursor = first.json().nextCursor;
    await timed('second page (50, with total)', () => get(`/api/v1/history/incidents?cursor=${cursor}`));
    await timed('a page of 500 filtered by system', () => get('/api/v1/history/incidents?system=HIS&limit=500'));
    await timed('filtered by level and a month', () => get('/api/v1/history/incidents?level=L2&from=2026-06-01&to=2026-06-30'));
    const search = await timed('search over titles and timelines (a timeline message)', () => get(`/api/v1/history/incidents?q=${encodeURIComponent('最后一条')}`));
    expect(search.json().total).toBe(1);
    const csv = await timed('CSV of every incident', () => get('/api/v1/history/incidents.csv'));
    expect(csv.body.trimEnd().split('\r\n')).toHaveLength(N + 1);
    const figures = await timed('figures over every incident (13 months)', () => get('/api/v1/figures?from=2026-03-01&to=2027-03-31'));
    expect(figures.json().incidents).toBe(N);
    await timed('figures for one system', () => get('/api/v1/figures?from=2026-03-01&to=2027-03-31&system=HIS'));
    if (process.env.HISTORY_PROFILE) {
      const ids = (await p.db.selectFrom('incidents').select('id').limit(500).execute()).map((r) => r.id);
      await timed('  systems of 500', () =>
        p.db.selectFrom('incident_systems').select(['incident_id', 'system']).distinct().where('incident_id', 'in', ids).orderBy('incident_id').orderBy('system').execute(),
      );
      await timed('  acks of 500', () =>
        p.db
          .selectFrom('timeline')
          .select((eb) => ['timeline.incident_id', eb.fn.min<number>('timeline.at').as('at')])
          .where('timeline.kind', '=', 'action.acknowledge')
          .where('timeline.incident_id', 'in', ids)
          .groupBy('timeline.incident_id')
          .execute(),
      );
      await timed('  obligations of 500', () => p.db.selectFrom('obligations').select(['incident_id', 'rule_id', 'state', 'due_at', 'met_at']).where('incident_id', 'in', ids).execute());
      const all = p.db.selectFrom('incidents').select('incidents.id').where('incidents.opened_at', '>=', 0);
      await timed('  acks of all (subquery)', () =>
        p.db
          .selectFrom('timeline')
          .select((eb) => ['timeline.incident_id', eb.fn.min<number>('timeline.at').as('at')])
          .where('timeline.kind', '=', 'action.acknowledge')
          .where('timeline.incident_id', 'in', all)
          .groupBy('timeline.incident_id')
          .execute(),
      );
      await timed('  acks of all (no subquery)', () =>
        p.db
          .selectFrom('timeline')
          .select((eb) => ['timeline.incident_id', eb.fn.min<number>('timeline.at').as('at')])
          .where('timeline.kind', '=', 'action.acknowledge')
          .groupBy('timeline.incident_id')
          .execute(),
      );
      await timed('  obligations of all (subquery)', () =>
        p.db
          .selectFrom('obligations')
          .select((eb) => ['obligations.rule_id', eb.fn.countAll().as('n')])
          .where('obligations.incident_id', 'in', all)
          .groupBy('obligations.rule_id')
          .execute(),
      );
      await timed('  systems of all (subquery)', () =>
        p.db.selectFrom('incident_systems').select(['incident_id', 'system']).distinct().where('incident_id', 'in', all).orderBy('incident_id').orderBy('system').execute(),
      );
      await timed('  all incidents', () => p.db.selectFrom('incidents').select(['id', 'title', 'state', 'level', 'levels_reached', 'detected_at', 'opened_at', 'recovered_at', 'closed_at']).execute());
    }
  }, 600_000);
});
