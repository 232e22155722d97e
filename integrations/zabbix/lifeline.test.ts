import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as acorn from 'acorn';
import { startRecordingServer, type RecordingServer } from '../../test/support/recording-server.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parseIntake } from '../../src/intake/format.js';
import { zabbix } from '../../src/intake/formats/zabbix.js';
import { adminHeaders } from '../../src/intake/testing.js';
import { startServer, tempDir, type RunningServer } from '../../test/support/server.js';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const SCRIPT_PATH = path.join(here, 'lifeline.js');
const SCRIPT = readFileSync(SCRIPT_PATH, 'utf8');
const SANDBOX = path.join(here, 'zabbix-js.mjs');
const KEY = 'zbx-test-key-0123456789';
const NOW = Date.parse('2026-11-26T09:30:00Z');
// {EVENT.DATE}/{EVENT.TIME} are in the Zabbix server's zone; the script converts them to UTC.
const ZABBIX_TZ = { TZ: 'Asia/Shanghai' };

const params = (name: string, url: string): Record<string, string> => ({
  ...JSON.parse(readFileSync(path.join(here, 'fixtures', `params-${name}.json`), 'utf8')),
  url,
});
const adapterFixture = (name: string): unknown => JSON.parse(readFileSync(path.join(here, '../../src/intake/formats/fixtures/zabbix', `${name}.json`), 'utf8'));

/** A real HTTP server standing in for Lifeline's intake; answers with `fake.status`. */
let fake: RecordingServer;
let baseUrl = '';

beforeAll(async () => {
  fake = await startRecordingServer((status) => JSON.stringify({ accepted: status < 300 }));
  baseUrl = `${fake.url}`;
});
afterAll(() => fake.close());

/** Runs the webhook script the way the Zabbix server does (see zabbix-js.mjs). */
async function runWebhook(value: Record<string, string>): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  fake.received.length = 0;
  try {
    const { stdout, stderr } = await run(process.execPath, [SANDBOX, '--script', SCRIPT_PATH, '--param', JSON.stringify(value)], {
      env: { ...process.env, ...ZABBIX_TZ },
    });
    return { ok: true, stdout, stderr };
  } catch (error) {
    const e = error as { stdout: string; stderr: string };
    return { ok: false, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('Zabbix media type export', () => {
  const mediaType = YAML.parse(readFileSync(path.join(here, 'lifeline_media_type.yaml'), 'utf8')).zabbix_export;

  it('is a Zabbix 6.0 webhook media type embedding exactly lifeline.js', () => {
    expect(mediaType.version).toBe('6.0');
    expect(mediaType.media_types).toHaveLength(1);
    expect(mediaType.media_types[0]).toMatchObject({ name: 'Lifeline', type: 'WEBHOOK' });
    expect(mediaType.media_types[0].script).toBe(SCRIPT);
  });

  it('passes every macro the intake reads, under the body field names', () => {
    const byName = Object.fromEntries(mediaType.media_types[0].parameters.map((p: { name: string; value: string }) => [p.name, p.value]));
    expect(byName).toMatchObject({
      url: '<PLACE LIFELINE INTAKE URL>',
      key: '<PLACE LIFELINE INTAKE KEY>',
      event_id: '{EVENT.ID}',
      event_value: '{EVENT.VALUE}',
      event_name: '{EVENT.NAME}',
      event_severity: '{EVENT.SEVERITY}',
      event_nseverity: '{EVENT.NSEVERITY}',
      event_recovery_id: '{EVENT.RECOVERY.ID}',
      event_tags: '{EVENT.TAGSJSON}',
      trigger_id: '{TRIGGER.ID}',
      host_name: '{HOST.NAME}',
      host_host: '{HOST.HOST}',
      host_groups: '{TRIGGER.HOSTGROUP.NAME}',
      item_key: '{ITEM.KEY}',
      item_value: '{ITEM.VALUE}',
      zabbix_url: '{$ZABBIX.URL}',
    });
    // every parameter of the fixtures Zabbix would resolve is defined in the media type
    expect(Object.keys(byName).sort()).toEqual(Object.keys(params('problem', 'x')).sort());
  });
});

describe('Zabbix webhook script', () => {
  it("is ES5 only, as Zabbix's Duktape engine requires", () => {
    expect(() => acorn.parse(SCRIPT, { ecmaVersion: 5, allowReturnOutsideFunction: true })).not.toThrow();
    // the check bites: ES2015 syntax is refused at ecmaVersion 5
    for (const es6 of ['let a = 1;', 'var f = () => 1;', 'var s = `x`;', 'const c = 1;']) {
      expect(() => acorn.parse(es6, { ecmaVersion: 5 })).toThrow();
    }
  });

  it.each([
    ['problem', { status: 'firing', at: '2026-11-26T01:02:03.000Z', value: 97.3 }],
    ['update-ack', { status: 'firing', at: '2026-11-26T01:05:10.000Z', value: 97.3 }],
    ['recovery', { status: 'resolved', at: '2026-11-26T01:17:45.000Z', value: 35.2 }],
  ])('posts a %s event that the zabbix intake reads into the right signal', async (name, expected) => {
    const result = await runWebhook(params(name, `${baseUrl}/api/v1/intake/zabbix`));
    expect(result.stderr).not.toContain('failed');
    expect(result).toMatchObject({ ok: true, stdout: 'OK\n' });
    expect(fake.received).toHaveLength(1);
    const [request] = fake.received;
    expect(request).toMatchObject({ method: 'POST', url: '/api/v1/intake/zabbix' });
    expect(request!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body).not.toMatch(/\{EVENT\.|\{\$|"url"|"key"|http_proxy/); // no unresolved macro, no settings

    const body = JSON.parse(request!.body);
    expect(body).toEqual(adapterFixture(name)); // the adapter's fixtures are exactly what the script posts
    const [signal] = parseIntake(zabbix, body, { sourceName: 'zabbix-main', now: NOW });
    expect(signal).toMatchObject({
      source: 'zabbix-main',
      status: expected.status,
      dedupKey: '123456',
      severity: 'red',
      system: 'HIS',
      host: 'his-app-01',
      at: expected.at,
      metric: { name: 'system.cpu.util', value: expected.value },
      summary: 'HIS 应用服务器 CPU 过高 (> 90% for 5m) on "his-app-01"',
    });
  });

  it.each([503, 401])('fails the alert on HTTP %i so that Zabbix retries it', async (code) => {
    fake.status = code;
    try {
      const result = await runWebhook(params('problem', `${baseUrl}/api/v1/intake/zabbix`));
      expect(result.ok).toBe(false);
      expect(result.stderr).toContain(`Lifeline answered HTTP ${code}`);
      expect(fake.received).toHaveLength(1);
    } finally {
      fake.status = 202;
    }
  });

  it('fails when Lifeline is unreachable', async () => {
    const result = await runWebhook(params('problem', 'http://127.0.0.1:1/api/v1/intake/zabbix'));
    expect(result.ok).toBe(false);
    expect(result.stderr).toContain('Lifeline notification failed');
  });

  it('refuses to send while url or key are still the placeholders', async () => {
    const value = params('problem', '<PLACE LIFELINE INTAKE URL>');
    expect((await runWebhook(value)).stderr).toContain('parameter "url" must be the Lifeline intake URL');
    const noKey = { ...params('problem', `${baseUrl}/x`), key: '<PLACE LIFELINE INTAKE KEY>' };
    expect((await runWebhook(noKey)).stderr).toContain('parameter "key"');
    expect(fake.received).toHaveLength(0);
  });
});

const duk = (() => {
  try {
    execFileSync('duk', ['-e', 'print(1)'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!duk)('Zabbix webhook script in Duktape (the engine Zabbix embeds; Debian package duktape)', () => {
  it('runs unchanged and builds the same request as in the sandbox', async () => {
    const value = params('problem', 'http://lifeline.test/api/v1/intake/zabbix');
    const harness = [
      'var __requests = [];',
      'function HttpRequest() { this.headers = []; }',
      'HttpRequest.prototype.addHeader = function (h) { this.headers.push(h); };',
      'HttpRequest.prototype.setProxy = function (p) { this.proxy = p; };',
      'HttpRequest.prototype.post = function (url, data) { __requests.push({ url: url, headers: this.headers, body: data }); return "{}"; };',
      'HttpRequest.prototype.getStatus = function () { return 202; };',
      'var Zabbix = { log: function () {} };',
      'var __out = {};',
      `try { __out.result = (function (value) {\n${SCRIPT}\n})(${JSON.stringify(JSON.stringify(value))}); }`,
      'catch (e) { __out.error = String(e); }',
      '__out.requests = __requests;',
      'print(JSON.stringify(__out));',
    ].join('\n');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'lifeline-duk-')), 'harness.js');
    writeFileSync(file, harness);
    const { stdout } = await run('duk', [file], { env: { ...process.env, ...ZABBIX_TZ } });
    const out = JSON.parse(stdout);
    expect(out.error).toBeUndefined();
    expect(out.result).toBe('OK');
    expect(out.requests).toHaveLength(1);
    expect(out.requests[0].headers).toEqual(['Content-Type: application/json', `Authorization: Bearer ${KEY}`]);
    expect(JSON.parse(out.requests[0].body)).toEqual(adapterFixture('problem'));
  });
});

describe('Zabbix webhook script against a running Lifeline (`lifeline start`, key from `lifeline source add`)', () => {
  let lifeline: RunningServer;
  let key = '';
  let admin: Record<string, string> = {};
  const dataDir = tempDir('lifeline-zabbix-');
  beforeAll(async () => {
    lifeline = await startServer({ LIFELINE_DATA_DIR: dataDir });
    const { stdout } = await run(process.execPath, ['bin/lifeline.js', 'source', 'add', 'zabbix-main', '--type', 'zabbix'], {
      env: { ...process.env, LIFELINE_DATA_DIR: dataDir, LIFELINE_LOG_LEVEL: 'warn' },
    });
    key = stdout.trim().split('\n').at(-1)!;
    admin = adminHeaders(dataDir);
  }, 60_000);
  afterAll(async () => lifeline?.stop());

  const api = async (url: string) => (await fetch(`${lifeline.url}${url}`, { headers: admin })).json();
  const signalCount = async () => (await api('/api/v1/signals?limit=1000')).items.length;

  it('problem opens a HIS incident, the ack update is recorded, the recovery makes it recovering', async () => {
    for (const name of ['problem', 'update-ack', 'recovery']) {
      const result = await runWebhook({ ...params(name, `${lifeline.url}/api/v1/intake/zabbix`), key });
      expect(result, result.stderr).toMatchObject({ ok: true, stdout: 'OK\n' });
    }
    const until = Date.now() + 30_000;
    let signals: { outcome: string | null; status: string; system: string; source: string; incidentId: string | null }[] = [];
    while (Date.now() < until) {
      signals = (await api('/api/v1/signals?system=HIS')).items;
      if (signals.length === 3 && signals.every((s) => s.outcome)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(signals.reverse().map((s) => [s.source, s.status, s.outcome])).toEqual([
      ['zabbix-main', 'firing', 'opened'],
      ['zabbix-main', 'firing', 'acknowledged'],
      ['zabbix-main', 'resolved', 'attached'],
    ]);
    const incident = await api(`/api/v1/incidents/${signals[0]!.incidentId}`);
    expect(incident).toMatchObject({ state: 'recovering', systems: [expect.objectContaining({ system: 'HIS' })] });
  }, 60_000);

  it('a wrong key fails the alert (Zabbix retries it) and stores nothing; so does a malformed event', async () => {
    const before = await signalCount();
    const wrongKey = await runWebhook({ ...params('problem', `${lifeline.url}/api/v1/intake/zabbix`), key: 'revoked-or-wrong' });
    expect(wrongKey.ok).toBe(false);
    expect(wrongKey.stderr).toContain('Lifeline answered HTTP 401');
    const malformed = await runWebhook({ ...params('problem', `${lifeline.url}/api/v1/intake/zabbix`), key, event_nseverity: '9' });
    expect(malformed.ok).toBe(false);
    expect(malformed.stderr).toContain('Lifeline answered HTTP 400');
    expect(await signalCount()).toBe(before);
  });
});
