// How long the history list, the CSV and the figures take over many incidents made through the engine (open,
// acknowledge, restore, close, a year apart). A measurement, not part of the suite: run it with
//   HISTORY_VOLUME=5000 npx vitest run test/history-volume.test.ts
// (HISTORY_DIALECT=postgres for PostgreSQL). It prints the times and checks only that the answers are complete.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/http/app.js';
import { routeSets } from '../src/http/extensions.js';
import type { DialectName } from './support/databases.js';
import { minutes, testPlatform, type TestPlatform } from './support/platform.js';

const N = Number(process.env.HISTORY_VOLUME ?? 0);
const DIALECT = (process.env.HISTORY_DIALECT ?? 'sqlite') as DialectName;
const SYSTEMS = ['HIS', 'EMR', 'LIS', 'PACS', 'APPOINTMENT'];

describe.skipIf(!N)(`history over ${N} incidents on ${DIALECT}`, () => {
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
    const step = Math.floor(minutes(365 * 24 * 60) / N);
    await timed(`made ${N} incidents`, async () => {
      for (let i = 0; i < N; i++) {
        const id = await p.engine.openIncident({ title: `故障 ${i} ${SYSTEMS[i % SYSTEMS.length]}`, systems: [{ system: SYSTEMS[i % SYSTEMS.length], state: 'down' }] }, 'tech_oncall');
        p.clock.advance(minutes(1 + (i % 9)));
        await p.engine.act(id, { type: 'acknowledge' }, 'tech_oncall', 'tech_oncall');
        p.clock.advance(minutes(5 + (i % 40)));
        await p.engine.act(id, { type: 'restore' }, 'tech_oncall', 'tech_oncall');
        await p.engine.act(id, { type: 'close' }, 'commander', 'commander');
        p.clock.advance(step);
      }
    });
  }, 3_600_000);
  afterAll(async () => {
    await app?.close();
    await p?.dispose();
  });

  it('answers the list, a search, the CSV and the figures', async () => {
    const get = (url: string) => app.inject({ method: 'GET', url });
    const first = await timed('first page (50, with total)', () => get('/api/v1/history/incidents'));
    expect(first.json().total).toBe(N);
    await timed('a page of 500 filtered by system', () => get('/api/v1/history/incidents?system=HIS&limit=500'));
    const search = await timed('search over titles and timelines', () => get(`/api/v1/history/incidents?q=${encodeURIComponent(`故障 ${N - 1} `)}`));
    expect(search.json().total).toBe(1);
    const csv = await timed('CSV of every incident', () => get('/api/v1/history/incidents.csv'));
    expect(csv.body.trimEnd().split('\r\n')).toHaveLength(N + 1);
    const figures = await timed('figures over the last 12 months', () => get('/api/v1/figures'));
    expect(figures.json().incidents).toBeGreaterThan(N * 0.9);
  }, 600_000);
});
