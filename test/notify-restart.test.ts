/**
 * The outbox across a crash, on real `lifeline start` processes: a page is written with the signal that
 * caused it, the server is killed (SIGKILL) before it is sent, and after the restart it is delivered exactly
 * once — to vendor fakes in this test process. The first server holds its sender back with the test switch
 * LIFELINE_NOTIFY_WORKER_DELAY so that "written, not yet sent" is a certain state, not a race.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelFake } from '../src/notify/channels/fakes/http-fake.js';
import { startDingtalkFake } from '../src/notify/channels/fakes/robots-fake.js';
import { startWebhookFake } from '../src/notify/channels/fakes/webhook-fake.js';
import { createToken, startServer, tempDir, type RunningServer } from './support/server.js';

const DING = { accessToken: 'restart-test-token', secret: 'SECrestart0123456789' };
const HOOK_SECRET = 'webhook-secret-0123456789';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('paging outbox across a crash (real server processes)', () => {
  let server: RunningServer | undefined;
  const fakes: ChannelFake[] = [];
  afterEach(async () => {
    await server?.stop('SIGKILL');
    await Promise.all(fakes.splice(0).map((f) => f.close()));
  });

  it('a page written but not sent when the server dies is delivered exactly once after the restart', async () => {
    const ding = await startDingtalkFake(DING);
    const hook = await startWebhookFake({ secret: HOOK_SECRET });
    fakes.push(ding, hook);
    const dataDir = tempDir('lifeline-paging-crash-');
    fs.writeFileSync(
      path.join(dataDir, 'notify.yaml'),
      [
        'channels:',
        '  it-group:',
        '    kind: dingtalk-robot',
        `    config: { accessToken: ${DING.accessToken}, secret: "\${TEST_DING_SECRET}", endpoint: "${ding.url}" }`,
        '  pager:',
        '    kind: webhook',
        `    config: { url: "${hook.url}/lifeline", secret: "\${TEST_HOOK_SECRET}" }`,
        'routing:',
        '  default: [it-group, pager]',
      ].join('\n'),
    );
    const env = { LIFELINE_DATA_DIR: dataDir, TEST_DING_SECRET: DING.secret, TEST_HOOK_SECRET: HOOK_SECRET };
    const token = createToken(dataDir);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const cli = spawnSync(process.execPath, ['bin/lifeline.js', 'people', 'import', 'docs/samples/roster.xlsx'], { encoding: 'utf8', env: { ...process.env, ...env, LIFELINE_LOG_LEVEL: 'warn' } });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('imported: 10 people new, 0 updated, 7 roles, 7 duty days');

    server = await startServer({ ...env, LIFELINE_NOTIFY_WORKER_DELAY: '60s' });
    const api = (url: string, init: RequestInit = {}) => fetch(`${server!.url}${url}`, { ...init, headers });
    // the sample week is in the past: 张伟 covers the duty now (an override, as a swap would)
    const zhang = ((await (await api('/api/v1/people?q=1001')).json()) as { items: { id: string }[] }).items[0];
    const now = Date.now();
    const cover = await api('/api/v1/oncall/overrides', {
      method: 'POST',
      body: JSON.stringify({ role: 'tech_oncall', personId: zhang.id, startsAt: new Date(now - 3600_000).toISOString(), endsAt: new Date(now + 86_400_000).toISOString(), reason: '测试' }),
    });
    expect(cover.status).toBe(201);

    const res = await api('/api/v1/signals', {
      method: 'POST',
      body: JSON.stringify({ source: 'zabbix', system: 'LIS', component: 'app', severity: 'orange', status: 'firing', summary: 'LIS 响应慢', dedupKey: 'crash-1' }),
    });
    expect(res.status).toBe(202);
    type D = { person: string; channel: string; status: string; attempts: number };
    const deliveries = async (id: string) => ((await (await api(`/api/v1/incidents/${id}/deliveries`)).json()) as { items: D[] }).items;
    const id = await until('the incident', async () => ((await (await api('/api/v1/incidents')).json()) as { items: { id: string }[] }).items[0]?.id);
    const written = await until('the page rows', async () => {
      const rows = await deliveries(id);
      return rows.length === 2 ? rows : undefined;
    });
    expect(written.map((d) => `${d.person} ${d.channel} ${d.status}`).sort()).toEqual(['张伟 it-group pending', '张伟 pager pending']);
    expect(ding.requests.length + hook.requests.length).toBe(0);

    await server.stop('SIGKILL'); // dies between "page written" and "page sent"
    server = await startServer(env);
    const sent = await until('the deliveries', async () => {
      const rows = await deliveries(id);
      return rows.every((d) => d.status === 'sent') ? rows : undefined;
    });
    expect(sent.map((d) => `${d.person} ${d.channel} ${d.status} ${d.attempts}`).sort()).toEqual(['张伟 it-group sent 1', '张伟 pager sent 1']);
    await sleep(1500);
    expect(ding.requests).toHaveLength(1);
    expect(hook.requests).toHaveLength(1);
    expect(ding.requests[0].content).toContain('@13800000001'); // the robot @-mentions the on-duty technician
    expect([...ding.problems(), ...hook.problems()]).toEqual([]);

    // another restart (clean this time) sends nothing again
    await server.stop('SIGTERM');
    server = await startServer(env);
    await sleep(1500);
    expect(ding.requests.length + hook.requests.length).toBe(2);
    const timeline = ((await (await api(`/api/v1/incidents/${id}`)).json()) as { timeline: { kind: string }[] }).timeline;
    expect(timeline.filter((t) => t.kind === 'page.sent')).toHaveLength(2);
  });

  it('refuses to start when an enabled channel lacks a credential, naming it', async () => {
    const dataDir = tempDir('lifeline-paging-config-');
    fs.writeFileSync(
      path.join(dataDir, 'notify.yaml'),
      'channels:\n  sms:\n    kind: sms-aliyun\n    config: { accessKeyId: LTAI5t, accessKeySecret: "${NOT_SET_ANYWHERE}", signName: 医院, templateCode: SMS_1 }\n',
    );
    await expect(startServer({ LIFELINE_DATA_DIR: dataDir })).rejects.toThrow(/channels\.sms\.config\.accessKeySecret: environment variable NOT_SET_ANYWHERE is not set/);
  });
});
