/**
 * Channels set up in the browser, on a real `lifeline start` process: notify.yaml's channels are listed read-only
 * (editing one, or taking its name, is refused); a browser channel's fields are checked per kind; its secret is
 * sealed (not in the database file in clear, the key in a 0600 file beside — not inside — the database, never
 * answered back); a webhook channel added while the server runs pages a real person at once (no restart), signed
 * with the secret it was given; a test to a chosen person is recorded as the channel's last test and state.
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRecordingServer, type RecordingServer } from './support/recording-server.js';
import { lifeline, startServer, tempDir, type RunningServer } from './support/server.js';

const SECRET = 'Sealed-webhook-secret-7f3a9c';
const PASSWORD = 'channel admin pass 2026';

interface Item {
  id: string;
  kind: string;
  origin: 'file' | 'browser';
  state: string;
  inUse: boolean;
  routeDefault: boolean;
  settings: { secretsSet: string[]; config: Record<string, unknown> } | null;
  lastDelivery: { person: string; status: string } | null;
  lastTest: { person: string; status: string; by: string } | null;
}

describe('channels set up in the browser (real server)', () => {
  let server: RunningServer;
  let receiver: RecordingServer;
  let dataDir: string;
  let cookie = '';
  let csrf = '';

  beforeAll(async () => {
    receiver = await startRecordingServer(() => '{"ok":true}');
    dataDir = tempDir('lifeline-admin-channels-');
    fs.writeFileSync(
      path.join(dataDir, 'notify.yaml'),
      ['channels:', '  filehook:', '    kind: webhook', `    config: { url: "${receiver.url}/file" }`, 'repeat:', '  default: { every: PT30M, limit: 1 }'].join('\n'),
    );
    const env = { LIFELINE_DATA_DIR: dataDir };
    await lifeline(env, ['user', 'add', 'root', '--role', 'admin', '--name', '系统管理员', '--password-stdin'], `${PASSWORD}\n`);
    server = await startServer(env);
    const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'root', password: PASSWORD }) });
    expect(login.status).toBe(200);
    cookie = String(login.headers.get('set-cookie')).split(';')[0]!;
    csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  });

  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${server.url}${url}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrf, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    // biome-ignore lint/suspicious/noExplicitAny: answers of several shapes, read field by field
    return { status: res.status, text, json: (text ? JSON.parse(text) : null) as Record<string, any> };
  };
  const items = async () => (await call('GET', '/api/v1/notify/channel-settings')).json.items as Item[];
  const until = async <T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const v = await probe();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${server.output().slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('lists notify.yaml channels read-only: editing one or taking its name is refused', async () => {
    const list = await call('GET', '/api/v1/notify/channel-settings');
    expect(list.status).toBe(200);
    expect(list.json.items).toEqual([expect.objectContaining({ id: 'filehook', kind: 'webhook', origin: 'file', inUse: true, settings: null })]);
    expect(list.json.kinds.map((k: { kind: string }) => k.kind)).toEqual(expect.arrayContaining(['wecom-robot', 'dingtalk-robot', 'feishu-bot', 'sms-aliyun', 'sms-tencent', 'email', 'webhook']));

    const edit = await call('PUT', '/api/v1/notify/channel-settings/filehook', { config: { url: `${receiver.url}/elsewhere` } });
    expect(edit.status).toBe(409);
    expect(edit.json.code).toBe('CHANNEL_READ_ONLY');
    const remove = await call('DELETE', '/api/v1/notify/channel-settings/filehook');
    expect(remove.json.code).toBe('CHANNEL_READ_ONLY');
    const clash = await call('POST', '/api/v1/notify/channel-settings', { id: 'filehook', kind: 'webhook', config: { url: `${receiver.url}/x` } });
    expect(clash.status).toBe(409);
    expect(clash.json.code).toBe('CHANNEL_NAME_IN_FILE');
    expect(clash.json.params).toEqual({ id: 'filehook' });
  });

  it('checks each kind its own way, naming the field; nothing is stored on a refusal', async () => {
    const noKey = await call('POST', '/api/v1/notify/channel-settings', { id: 'ward-robot', kind: 'wecom-robot', config: { msgtype: 'text' } });
    expect(noKey.status).toBe(400);
    expect(noKey.json.code).toBe('CHANNEL_SETTINGS_INVALID');
    expect(noKey.json.errors.map((e: { path: string }) => e.path)).toEqual(['config.key']);
    const badUrl = await call('POST', '/api/v1/notify/channel-settings', { id: 'hook2', kind: 'webhook', config: { url: 'not a url', secret: 'short' } });
    expect(badUrl.status).toBe(400);
    expect(badUrl.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['config.secret', 'config.url']);
    const unknownField = await call('POST', '/api/v1/notify/channel-settings', { id: 'hook3', kind: 'webhook', config: { url: `${receiver.url}/x`, corpId: 'x' } });
    expect(unknownField.json.errors).toEqual([expect.objectContaining({ path: 'config.corpId' })]);
    const badRole = await call('POST', '/api/v1/notify/channel-settings', { id: 'hook4', kind: 'webhook', config: { url: `${receiver.url}/x` }, routeRoles: ['nobody'] });
    expect(badRole.json.errors).toEqual([expect.objectContaining({ path: 'routeRoles.0' })]);
    expect((await items()).map((i) => i.id)).toEqual(['filehook']);
  });

  it('seals the secret: never answered, not in the database file in clear, the key 0600 in the data dir outside the database', async () => {
    const made = await call('POST', '/api/v1/notify/channel-settings', { id: 'browserhook', kind: 'webhook', config: { url: `${receiver.url}/browser`, secret: SECRET }, routeDefault: true });
    expect(made.status, made.text).toBe(201);
    expect(made.json.secretsSet).toEqual(['secret']);
    expect(made.text).not.toContain(SECRET);
    const listed = await call('GET', '/api/v1/notify/channel-settings');
    expect(listed.text).not.toContain(SECRET);
    expect(listed.json.items.find((i: Item) => i.id === 'browserhook')).toMatchObject({ origin: 'browser', inUse: true, routeDefault: true, settings: { secretsSet: ['secret'] } });

    const keyFile = path.join(dataDir, 'channel-secrets.key');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = fs.readFileSync(keyFile, 'utf8').trim();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const dbBytes = ['lifeline.sqlite', 'lifeline.sqlite-wal']
      .map((f) => path.join(dataDir, f))
      .filter((f) => fs.existsSync(f))
      .map((f) => fs.readFileSync(f))
      .reduce((a, b) => Buffer.concat([a, b]));
    expect(dbBytes.includes(Buffer.from(`${receiver.url}/browser`))).toBe(true); // the row is there (so the next check means something)
    expect(dbBytes.includes(Buffer.from(SECRET))).toBe(false);
    expect(dbBytes.includes(Buffer.from(key))).toBe(false);
  });

  it('pages a real person on the browser channel at once, without a restart, signed with the sealed secret', async () => {
    const person = (await call('POST', '/api/v1/people', { name: '赵值班', employeeNo: 'T17001', mobile: '13800000171' })).json as { id: string };
    expect((await call('PUT', '/api/v1/roles/tech_oncall/assignees', { holders: [person.id] })).status).toBe(200);
    const before = receiver.received.length;
    const sent = await call('POST', '/api/v1/signals', { source: 'zabbix', system: 'HIS', component: 'db', severity: 'red', status: 'firing', summary: 'HIS 数据库服务中断' });
    expect(sent.status, sent.text).toBe(202);
    const page = await until('the page on the browser channel', () => receiver.received.slice(before).find((r) => r.url === '/browser' && JSON.parse(r.body).recipient?.personId === person.id));
    expect(page.headers['x-lifeline-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(page.body, 'utf8').digest('hex')}`);
    expect(JSON.parse(page.body).test).toBe(false);
    const item = await until('the delivery to show', async () => (await items()).find((i) => i.id === 'browserhook' && i.lastDelivery !== null));
    expect(item).toMatchObject({ state: 'ok', lastDelivery: { person: '赵值班', status: 'sent' } });
  });

  it('keeps a secret on edit unless replaced; a test to a chosen person is the last test, and a failing one turns the state to failing', async () => {
    const person = ((await call('GET', '/api/v1/people')).json.items as { id: string; name: string }[]).find((p) => p.name === '赵值班')!;
    const edited = await call('PUT', '/api/v1/notify/channel-settings/browserhook', { config: { url: `${receiver.url}/browser2` }, routeDefault: true });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.json.secretsSet).toEqual(['secret']);

    const before = receiver.received.length;
    const test = await call('POST', '/api/v1/notify/channel-settings/browserhook/test', { to: person.id });
    expect(test.status, test.text).toBe(200);
    expect(test.json.delivery.status).toBe('sent');
    const got = receiver.received.slice(before).find((r) => r.url === '/browser2')!;
    expect(JSON.parse(got.body).test).toBe(true);
    expect(got.headers['x-lifeline-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(got.body, 'utf8').digest('hex')}`);
    expect((await items()).find((i) => i.id === 'browserhook')).toMatchObject({ state: 'ok', lastTest: { person: '赵值班', status: 'sent', by: '系统管理员' } });

    receiver.status = 500;
    const failed = await call('POST', '/api/v1/notify/channel-settings/browserhook/test', { to: person.id });
    receiver.status = 202;
    expect(failed.json.delivery.status).toBe('failed');
    expect((await items()).find((i) => i.id === 'browserhook')).toMatchObject({ state: 'failing', lastTest: { status: 'failed' } });

    // the file's channel can be tested too; an unknown channel is named
    expect((await call('POST', '/api/v1/notify/channel-settings/filehook/test', { to: person.id })).json.delivery.status).toBe('sent');
    expect((await call('POST', '/api/v1/notify/channel-settings/nope/test', { to: person.id })).json.code).toBe('CHANNEL_NOT_CONFIGURED');

    // removed: no longer in use
    expect((await call('DELETE', '/api/v1/notify/channel-settings/browserhook')).status).toBe(204);
    expect((await items()).map((i) => i.id)).toEqual(['filehook']);
  });
});
