import { afterEach, describe, expect, it } from 'vitest';
import { createToken, startServer, tempDir, type RunningServer } from './support/server.js';

let token = '';
const auth = () => ({ authorization: `Bearer ${token}` });
const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...auth() }, body: JSON.stringify(body) });
const get = (url: string) => fetch(url, { headers: auth() });

describe('crash recovery (real server process, SIGKILL)', () => {
  let server: RunningServer | undefined;
  afterEach(async () => server?.stop('SIGKILL'));

  it('fires the timers that fell due while the server was dead, with lateness, and loses no signal', async () => {
    const dataDir = tempDir('lifeline-crash-');
    token = createToken(dataDir);
    server = await startServer({ LIFELINE_DATA_DIR: dataDir });
    const res = await post(`${server.url}/api/v1/signals`, { source: 'zabbix', system: 'HIS', component: 'db', severity: 'red', status: 'firing', summary: 'HIS 数据库服务中断', dedupKey: 'e1' });
    expect(res.status).toBe(202);
    // a burst of signals acknowledged with 202 just before the crash
    const burst = await Promise.all(
      Array.from({ length: 40 }, (_, n) =>
        post(`${server!.url}/api/v1/signals`, { source: 'nagios', system: 'LIS', severity: 'orange', status: 'firing', summary: `LIS 慢 ${n}`, dedupKey: `lis-${n}` }),
      ),
    );
    expect(burst.every((r) => r.status === 202)).toBe(true);
    let incidents = (await (await get(`${server.url}/api/v1/incidents`)).json()) as {
      items: { id: string; systems: { system: string }[]; obligations: { ruleId: string; state: string; dueAt: string }[] }[];
    };
    const his = incidents.items.find((i) => i.systems.some((s) => s.system === 'HIS'));
    expect(his?.obligations.find((o) => o.ruleId === 'O3.1')?.state).toBe('pending');

    await server.stop('SIGKILL');

    // Restart 20 minutes "later" (injected clock offset): O3.1 (5 min) and O3.2 (15 min) are overdue.
    server = await startServer({ LIFELINE_DATA_DIR: dataDir, LIFELINE_CLOCK_OFFSET: '20m' });
    const detail = (await (await get(`${server.url}/api/v1/incidents/${his!.id}`)).json()) as {
      obligations: { ruleId: string; state: string; lateMs: number | null }[];
      timeline: { kind: string }[];
    };
    const o31 = detail.obligations.find((o) => o.ruleId === 'O3.1')!;
    expect(o31.state).toBe('breached');
    expect(o31.lateMs).toBeGreaterThan(14 * 60_000); // due at +5 min, fired at about +20 min
    expect(detail.obligations.find((o) => o.ruleId === 'O3.2')!.state).toBe('breached');
    expect(detail.obligations.find((o) => o.ruleId === 'O3.3')!.state).toBe('pending');
    expect(detail.timeline.filter((t) => t.kind === 'page.requested').length).toBeGreaterThan(0);

    const signals = (await (await get(`${server.url}/api/v1/signals?limit=1000`)).json()) as { items: { processed: boolean }[] };
    expect(signals.items).toHaveLength(41);
    expect(signals.items.every((s) => s.processed)).toBe(true);
    incidents = (await (await get(`${server.url}/api/v1/incidents`)).json()) as typeof incidents;
    const lis = incidents.items.filter((i) => i.systems.some((s) => s.system === 'LIS'));
    expect(lis).toHaveLength(1); // an alert storm on one system is one incident
  });
});
