import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { adminHeaders } from '../src/intake/testing.js';
import { freePort, startServer, tempDir, type RunningServer } from './support/server.js';

/**
 * The real sender: Debian's prometheus-alertmanager (0.25), configured with the receivers of
 * docs/integrations.md, delivering to a real running Lifeline (`lifeline start`) with keys made by
 * `lifeline source add`. Alerts are pushed into Alertmanager through its own API v2.
 */

const run = promisify(execFile);
const AM = '/usr/bin/prometheus-alertmanager';
const installed = (() => {
  try {
    execFileSync(AM, ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();
if (!installed && process.env.CI) throw new Error('prometheus-alertmanager is required in CI (.ci/run installs it)');

/** The fenced block of docs/integrations.md whose first line is `# Lifeline: <title>`. */
export function docBlock(title: string): string {
  const doc = readFileSync(path.join(import.meta.dirname, '..', 'docs', 'integrations.md'), 'utf8');
  const blocks = [...doc.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].map((m) => m[1]!);
  const block = blocks.find((b) => b.startsWith(`# Lifeline: ${title}\n`));
  if (!block) throw new Error(`docs/integrations.md has no block "# Lifeline: ${title}"`);
  return block;
}

const deadline = async <T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> => {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe.skipIf(!installed)('a real Alertmanager 0.25 pages a real Lifeline', () => {
  let lifeline: RunningServer;
  let am: ChildProcess | undefined;
  let amUrl = '';
  let amLog = '';
  let admin: Record<string, string> = {};
  const dataDir = tempDir('lifeline-am-');

  const sourceAdd = async (name: string, type: string): Promise<string> => {
    const { stdout } = await run(process.execPath, ['bin/lifeline.js', 'source', 'add', name, '--type', type], { env: { ...process.env, LIFELINE_DATA_DIR: dataDir, LIFELINE_LOG_LEVEL: 'warn' } });
    return stdout.trim().split('\n').at(-1)!;
  };

  beforeAll(async () => {
    lifeline = await startServer({ LIFELINE_DATA_DIR: dataDir });
    admin = adminHeaders(dataDir);
    const webhookKey = await sourceAdd('prometheus-am', 'alertmanager');
    const pagerdutyKey = await sourceAdd('am-pd', 'pagerduty');
    const fromDocs = (title: string, key: string) => YAML.parse(docBlock(title).replaceAll('https://lifeline.hospital.local', lifeline.url).replaceAll('<intake key>', key)).receivers[0];
    const config = {
      route: {
        receiver: 'lifeline',
        group_by: ['alertname', 'system'],
        group_wait: '0s',
        group_interval: '1s',
        repeat_interval: '1h',
        routes: [{ matchers: ['via="pagerduty"'], receiver: 'lifeline-pagerduty' }],
      },
      receivers: [fromDocs('Alertmanager webhook receiver', webhookKey), fromDocs('Alertmanager PagerDuty receiver', pagerdutyKey)],
    };
    const dir = tempDir('lifeline-am-config-');
    writeFileSync(path.join(dir, 'alertmanager.yml'), YAML.stringify(config));
    const port = await freePort();
    amUrl = `http://127.0.0.1:${port}`;
    am = spawn(AM, [`--config.file=${path.join(dir, 'alertmanager.yml')}`, `--storage.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    am.stdout!.on('data', (d) => (amLog += d));
    am.stderr!.on('data', (d) => (amLog += d));
    await deadline(`Alertmanager ready (${amLog})`, async () => ((await fetch(`${amUrl}/-/ready`)).ok ? true : undefined));
  }, 60_000);

  afterAll(async () => {
    if (am && am.exitCode === null) {
      const exited = new Promise((r) => am!.once('exit', r));
      am.kill('SIGTERM');
      await exited;
    }
    await lifeline?.stop();
  });

  const push = async (alerts: object[]) => {
    const res = await fetch(`${amUrl}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
    expect(res.status, await res.text()).toBe(200);
  };
  const incidentOf = async (system: string) => {
    const res = await fetch(`${lifeline.url}/api/v1/incidents?state=all`, { headers: admin });
    const items = (await res.json()).items as { id: string; state: string; level: string; provisional: boolean; systems: { system: string }[] }[];
    return items.find((i) => i.systems.some((s) => s.system === system));
  };

  it('a system="HIS" critical alert opens a HIS incident at provisional L2; resolving it in Alertmanager marks it recovering', async () => {
    const labels = { alertname: 'HISDown', system: 'HIS', severity: 'critical', instance: 'his-db-01:9100' };
    await push([{ labels, annotations: { summary: 'HIS 数据库不可达' }, startsAt: new Date().toISOString() }]);
    const opened = await deadline(`a HIS incident (Alertmanager log: ${amLog})`, () => incidentOf('HIS'));
    expect(opened).toMatchObject({ level: 'L2', provisional: true, state: 'responding' });

    await push([{ labels, annotations: { summary: 'HIS 数据库不可达' }, endsAt: new Date().toISOString() }]);
    const recovering = await deadline('the HIS incident recovering', async () => {
      const i = await incidentOf('HIS');
      return i?.state === 'recovering' ? i : undefined;
    });
    expect(recovering.id).toBe(opened.id);
    const signals = (await (await fetch(`${lifeline.url}/api/v1/signals?system=HIS`, { headers: admin })).json()).items as { source: string; status: string }[];
    expect(signals.every((s) => s.source === 'prometheus-am')).toBe(true);
    expect(signals.map((s) => s.status)).toContain('resolved');
  }, 70_000);

  it('through its PagerDuty receiver (url changed to Lifeline): trigger opens, resolve recovers', async () => {
    const labels = { alertname: 'PACSEchoFailed', system: 'PACS', severity: 'critical', via: 'pagerduty' };
    await push([{ labels, annotations: { summary: 'PACS C-ECHO 失败' }, startsAt: new Date().toISOString() }]);
    const opened = await deadline(`a PACS incident (Alertmanager log: ${amLog})`, () => incidentOf('PACS'));
    expect(opened.state).toBe('responding');
    await push([{ labels, endsAt: new Date().toISOString() }]);
    await deadline('the PACS incident recovering', async () => ((await incidentOf('PACS'))?.state === 'recovering' ? true : undefined));
    const signals = (await (await fetch(`${lifeline.url}/api/v1/signals?system=PACS`, { headers: admin })).json()).items as { source: string }[];
    expect(new Set(signals.map((s) => s.source))).toEqual(new Set(['am-pd']));
  }, 70_000);

  it('a wrong key is refused (401) and Alertmanager stores nothing in Lifeline', async () => {
    const res = await fetch(`${lifeline.url}/api/v1/intake/alertmanager`, { method: 'POST', headers: { authorization: 'Bearer wrong', 'content-type': 'application/json' }, body: '{"alerts":[]}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/Bearer/);
  });
});
