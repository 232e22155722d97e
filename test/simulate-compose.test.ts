import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefaultPlan } from '../src/plan/load.js';
import { loadScenarioFile } from '../src/scenarios/load.js';
import { runScenario } from '../src/simulate/run.js';
import { createToken, startServer, tempDir, type RunningServer } from './support/server.js';

const SCENARIO = 'scenarios/25-flapping-alert-reopens-and-pages.yaml';

/**
 * `lifeline simulate` and `lifeline start` are built by the same composition root (src/app/compose.ts), so a
 * rehearsal shows what production does. The scenario's steps are played once on the virtual clock and once
 * against a real server process; both must re-open the flapping alert's incident the same way (never swallow it).
 */
describe('a scenario in simulate runs the same noise control as the server', () => {
  let server: RunningServer;
  let token: string;
  beforeAll(async () => {
    const dir = tempDir('lifeline-compose-');
    token = createToken(dir, 'admin', 'compose-test');
    server = await startServer({ LIFELINE_DATA_DIR: dir });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  /** Waits until `posted` signals have been processed (the server processes after the 202; the list shows processed ones). */
  const settled = async (posted: number) => {
    for (let i = 0; i < 400; i++) {
      const { items } = (await api('GET', '/api/v1/signals?limit=50')) as { items: { processed: boolean; status: string; outcome: string }[] };
      if (items.length >= posted && items.every((s) => s.processed)) return items;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error('signals were not processed');
  };

  it('the rehearsal and the server both re-open the third incident for the flapping alert instead of a fourth', async () => {
    const scenario = loadScenarioFile(SCENARIO);
    const rehearsal = await runScenario(scenario, loadDefaultPlan());
    expect(rehearsal.failures).toEqual([]);
    expect(rehearsal.incidents).toHaveLength(3);

    let posted = 0;
    for (const step of [...scenario.steps].sort((a, b) => a.at - b.at)) {
      if (step.signal) {
        await api('POST', '/api/v1/signals', step.signal);
        await settled(++posted);
      } else if (step.action) {
        const { items } = (await api('GET', '/api/v1/incidents?state=open')) as { items: { id: string }[] };
        expect(items).toHaveLength(1);
        await api('POST', `/api/v1/incidents/${items[0]!.id}/actions`, { type: step.action.type, reason: step.action.reason });
      }
    }
    const { items: incidents } = (await api('GET', '/api/v1/incidents?state=all')) as { items: { id: string; state: string; flapping: unknown; outage: number }[] };
    expect(incidents).toHaveLength(rehearsal.incidents.length);
    const signals = await settled(posted);
    expect(signals[0]).toMatchObject({ status: 'firing', outcome: 'attached' }); // the newest re-opened its incident, on both
    const reopened = incidents.find((i) => i.state === 'responding')!;
    expect(reopened).toMatchObject({ outage: 3 });
    expect(reopened.flapping).toMatchObject({ reopens: 2 });
  }, 60_000);
});
