import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders } from '../src/intake/testing.js';
import { startServer, tempDir, type RunningServer } from './support/server.js';

/**
 * The timers of intake in a real `lifeline start` process on the real clock: an Alertmanager API v2 alert
 * that is not re-sent expires, a heartbeat that stops raises a signal, and a restart re-arms both.
 */
describe('intake timers in a running Lifeline', () => {
  const dataDir = tempDir('lifeline-timers-');
  let server: RunningServer;
  let admin: Record<string, string> = {};
  beforeAll(async () => {
    server = await startServer({ LIFELINE_DATA_DIR: dataDir });
    admin = adminHeaders(dataDir);
  }, 60_000);
  afterAll(async () => server?.stop());

  const api = async (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);
  const addSource = async (body: object): Promise<string> => {
    const res = await api('/api/v1/sources', { method: 'POST', headers: { 'content-type': 'application/json', ...admin }, body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    return (await res.json()).key;
  };
  const signalsOf = async (source: string) =>
    ((await (await api('/api/v1/signals?limit=1000', { headers: admin })).json()).items as { source: string; status: string; at: string; system: string }[])
      .filter((s) => s.source === source)
      .reverse();
  const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>, ms = 20_000): Promise<T> => {
    const until = Date.now() + ms;
    for (;;) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('an API v2 alert that is not re-sent resolves after the resolve timeout, by the scheduler', async () => {
    const key = await addSource({ name: 'prom-v2', type: 'alertmanager-v2', options: { resolveTimeout: '2s' } });
    const pushedAt = Date.now();
    const res = await api('/api/v2/alerts', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ labels: { alertname: 'LISDown', system: 'LIS', severity: 'critical' } }]),
    });
    expect(res.status).toBe(200);
    const resolved = await waitFor('the expiry', async () => (await signalsOf('prom-v2')).find((s) => s.status === 'resolved'));
    expect(Date.parse(resolved.at) - pushedAt).toBeGreaterThanOrEqual(1900);
    expect(Date.now() - pushedAt).toBeLessThan(10_000);
  }, 40_000);

  it('a heartbeat that stops raises a signal on its system; the next beat resolves it', async () => {
    const key = await addSource({ name: 'lis-cron', type: 'heartbeat', options: { period: '2s', system: 'LIS' } });
    expect((await api(`/api/v1/heartbeat/${key}`)).status).toBe(200);
    const fired = await waitFor('the missed beat', async () => (await signalsOf('lis-cron')).find((s) => s.status === 'firing'));
    expect(fired.system).toBe('LIS');
    const beat = await (await api(`/api/v1/heartbeat/${key}`, { method: 'POST' })).json();
    expect(beat.resolved).toBe(true);
    // the signal list shows what the engine has processed (a few ms after the 2xx)
    await waitFor('the resolve in the signal list', async () => ((await signalsOf('lis-cron')).length === 2 ? true : undefined));
    expect((await signalsOf('lis-cron')).map((s) => s.status)).toEqual(['firing', 'resolved']);
  }, 40_000);

  it('a restart re-arms pending expiries and fires those that fell due while it was down', async () => {
    const key = await addSource({ name: 'prom-restart', type: 'alertmanager-v2', options: { resolveTimeout: '3s' } });
    await api('/api/v2/alerts', {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify([{ labels: { alertname: 'PACSDown', system: 'PACS' } }]),
    });
    await server.stop();
    await new Promise((r) => setTimeout(r, 3500));
    server = await startServer({ LIFELINE_DATA_DIR: dataDir });
    const resolved = await waitFor('the expiry after the restart', async () => (await signalsOf('prom-restart')).find((s) => s.status === 'resolved'));
    expect(resolved.system).toBe('PACS');
  }, 60_000);
});
