import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { adminHeaders } from '../src/intake/testing.js';
import { freePort, startServer, tempDir, type RunningServer } from './support/server.js';

/**
 * A real Prometheus (Debian's 2.42) names a real running Lifeline as its Alertmanager (API v2
 * emulation), with the `alerting` block of docs/integrations.md. Only the scheme (http here) and the
 * target (this machine) and the key are replaced.
 */

const PROMETHEUS = '/usr/bin/prometheus';
const installed = (() => {
  try {
    execFileSync(PROMETHEUS, ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();
if (!installed && process.env.CI) throw new Error('prometheus is required in CI (.ci/run installs it)');

function docBlock(title: string): string {
  const doc = readFileSync(path.join(import.meta.dirname, '..', 'docs', 'integrations.md'), 'utf8');
  const block = [...doc.matchAll(/^```[a-z]*\n([\s\S]*?)^```/gm)].map((m) => m[1]!).find((b) => b.startsWith(`# Lifeline: ${title}\n`));
  if (!block) throw new Error(`docs/integrations.md has no block "# Lifeline: ${title}"`);
  return block;
}

const rules = (firing: boolean) =>
  YAML.stringify({
    groups: [
      {
        name: 'his',
        interval: '1s',
        rules: [{ alert: 'HISDown', expr: firing ? 'vector(1)' : 'vector(1) == 2', labels: { system: 'HIS', severity: 'critical' }, annotations: { summary: 'HIS 数据库不可达' } }],
      },
    ],
  });

describe.skipIf(!installed)('a real Prometheus uses Lifeline as its Alertmanager (POST /api/v2/alerts)', () => {
  let lifeline: RunningServer;
  let prometheus: ChildProcess | undefined;
  let log = '';
  let admin: Record<string, string> = {};
  const dir = tempDir('lifeline-prometheus-');

  beforeAll(async () => {
    lifeline = await startServer({ LIFELINE_DATA_DIR: path.join(dir, 'lifeline') });
    admin = adminHeaders(path.join(dir, 'lifeline'));
    const res = await fetch(`${lifeline.url}/api/v1/sources`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...admin },
      body: JSON.stringify({ name: 'prometheus', type: 'alertmanager-v2' }),
    });
    const { key } = await res.json();
    const alerting = YAML.parse(
      docBlock('Prometheus alerting')
        .replace('scheme: https', 'scheme: http')
        .replace("'lifeline.hospital.local'", `'${new URL(lifeline.url).host}'`)
        .replaceAll('<intake key>', key),
    );
    writeFileSync(path.join(dir, 'rules.yml'), rules(true));
    writeFileSync(path.join(dir, 'prometheus.yml'), YAML.stringify({ global: { evaluation_interval: '1s' }, rule_files: [path.join(dir, 'rules.yml')], ...alerting }));
    const port = await freePort();
    prometheus = spawn(
      PROMETHEUS,
      [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`, '--rules.alert.resend-delay=1s'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    prometheus.stdout!.on('data', (d) => (log += d));
    prometheus.stderr!.on('data', (d) => (log += d));
  }, 60_000);

  afterAll(async () => {
    if (prometheus && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus!.once('exit', r));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await lifeline?.stop();
  });

  const hisIncident = async () => {
    const items = (await (await fetch(`${lifeline.url}/api/v1/incidents?state=all`, { headers: admin })).json()).items as {
      state: string;
      level: string;
      provisional: boolean;
      systems: { system: string }[];
    }[];
    return items.find((i) => i.systems.some((s) => s.system === 'HIS'));
  };
  const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> => {
    const until = Date.now() + ms;
    for (;;) {
      const v = await probe().catch(() => undefined);
      if (v !== undefined) return v;
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}; Prometheus log:\n${log.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('a firing rule opens a HIS incident at provisional L2; when the rule stops firing, it turns recovering', async () => {
    const opened = await waitFor('a HIS incident', hisIncident);
    expect(opened).toMatchObject({ level: 'L2', provisional: true, state: 'responding' });
    writeFileSync(path.join(dir, 'rules.yml'), rules(false));
    prometheus!.kill('SIGHUP'); // reload: the alert is no longer active, Prometheus sends it with endsAt = now
    await waitFor('the HIS incident recovering', async () => ((await hisIncident())?.state === 'recovering' ? true : undefined));
  }, 70_000);
});
