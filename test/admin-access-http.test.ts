// Administration of accounts, API tokens, intake sources and maintenance windows over HTTP (issue 17, deliverable 1):
// the assembled app (app.inject) with sign-in on, one admin and one technician signed in by session, on SQLite.
// Who may, what is refused and why (the field named), what the sign-in audit records in the admin's name, secrets
// answered once, and set-up texts that carry the key and this server's public address and parse as YAML.
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { buildApp } from '../src/http/app.js';
import { routeSets } from '../src/http/extensions.js';
import { testPlatform, type TestPlatform } from './support/platform.js';

const PASSWORD = 'admin passphrase 17';
// biome-ignore lint/suspicious/noExplicitAny: a parsed set-up text, read by path
type Yaml = any;
const PUBLIC_URL = 'https://lifeline.hospital.example';

interface Session {
  cookie: string;
  csrf: string;
}

describe('administration of access, sources and maintenance over HTTP', () => {
  let p: TestPlatform;
  let app: FastifyInstance;
  let admin: Session;
  let tech: Session;
  let personId: string;

  const signIn = async (username: string, password = PASSWORD): Promise<Session> => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
    expect(res.statusCode, res.body).toBe(200);
    return { cookie: String(res.headers['set-cookie']).split(';')[0]!, csrf: res.json().csrfToken };
  };
  const as = (s: Session, method: InjectOptions['method'], url: string, payload?: unknown) =>
    app.inject({ method, url, headers: { cookie: s.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': s.csrf }) }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const audit = async (outcome: string) =>
    (
      await p.db
        .selectFrom('auth_signins')
        .selectAll()
        .where('outcome', '=', outcome as never)
        .orderBy('at')
        .execute()
    ).map((r) => ({ username: r.username, reason: r.reason }));

  beforeAll(async () => {
    // the server's own extensions, with a public address as LIFELINE_PUBLIC_URL gives it
    p = await testPlatform('sqlite', undefined, { publicUrl: `${PUBLIC_URL}/` });
    app = await buildApp(p, { logger: false, auth: true, extensions: Object.values(routeSets) as never });
    await p.auth.accounts.addUser({ username: 'admin', password: PASSWORD, role: 'admin', name: '王管理' });
    await p.auth.accounts.addUser({ username: 'tech', password: PASSWORD, role: 'technical', name: '张技术' });
    personId = (await p.people.store.create({ name: '李娜', department: '信息中心', employeeNo: '1002' })).id;
    admin = await signIn('admin');
    tech = await signIn('tech');
  });
  afterAll(async () => {
    await app.close();
    await p.dispose();
  });

  it('refuses a technician every account and token route (403), and sources (403); allows maintenance', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/accounts'],
      ['POST', '/api/v1/accounts'],
      ['POST', '/api/v1/accounts/admin/password'],
      ['POST', '/api/v1/accounts/admin/disable'],
      ['POST', '/api/v1/accounts/admin/unlock'],
      ['PATCH', '/api/v1/accounts/admin'],
      ['GET', '/api/v1/tokens'],
      ['POST', '/api/v1/tokens'],
      ['DELETE', '/api/v1/tokens/x'],
      ['POST', '/api/v1/sources'],
      ['GET', '/api/v1/sources/x/setup'],
      ['POST', '/api/v1/sources/x/key'],
    ] as const) {
      const res = await as(tech, method, url, method === 'GET' || method === 'DELETE' ? undefined : {});
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
    expect((await as(tech, 'GET', '/api/v1/maintenance')).statusCode).toBe(200);
  });

  it('lists accounts with role, person, state and last sign-in, never a password hash', async () => {
    const res = await as(admin, 'GET', '/api/v1/accounts');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/argon2|password_hash|passwordHash/);
    const body = res.json();
    expect(body.passwordMinLength).toBe(10);
    expect(body.items.find((a: { username: string }) => a.username === 'admin')).toMatchObject({ name: '王管理', role: 'admin', disabled: false, lockedUntil: null, lastSigninAt: expect.any(String) });
  });

  it('adds an account linked to a person; refuses bad input naming the field, writing nothing', async () => {
    const bad = async (payload: object, field: string, code = 'VALIDATION_FAILED') => {
      const res = await as(admin, 'POST', '/api/v1/accounts', payload);
      expect(res.statusCode, res.body).toBe(code === 'USER_EXISTS' ? 409 : 400);
      expect(res.json().code).toBe(code);
      if (code !== 'USER_EXISTS') expect(res.json().errors.map((e: { path: string }) => e.path)).toContain(field);
    };
    const good = { username: 'lina', name: '李娜', role: 'technical', password: 'lina passphrase 1', personId };
    await bad({ ...good, password: 'short' }, 'password', 'PASSWORD_WEAK');
    await bad({ ...good, role: 'root' }, 'role');
    await bad({ ...good, username: 'Li Na!' }, 'username');
    await bad({ ...good, name: '' }, 'name');
    await bad({ ...good, planRole: 'pope' }, 'planRole');
    await bad({ ...good, personId: 'per_nobody' }, 'personId', 'PERSON_NOT_FOUND');
    expect((await p.auth.accounts.listUsers()).map((u) => u.username)).not.toContain('lina');

    const res = await as(admin, 'POST', '/api/v1/accounts', good);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ username: 'lina', name: '李娜', role: 'technical', person: { id: personId, name: '李娜' }, lastSigninAt: null });
    expect(res.body).not.toContain('lina passphrase 1');
    await bad({ ...good, personId: undefined }, 'username', 'USER_EXISTS');
    expect(await audit('account_add')).toEqual([{ username: 'lina', reason: 'by 王管理 (admin): role technical, person 李娜' }]);
    await signIn('lina', 'lina passphrase 1');
  });

  it('resets a password (given, or generated and answered once), ending the sessions; audited in the admin’s name', async () => {
    const lina = await signIn('lina', 'lina passphrase 1');
    const weak = await as(admin, 'POST', '/api/v1/accounts/lina/password', { password: 'lina' });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ code: 'PASSWORD_WEAK', errors: [{ path: 'password' }] });

    const set = await as(admin, 'POST', '/api/v1/accounts/lina/password', { password: 'a new passphrase 2' });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().generatedPassword).toBeUndefined();
    expect((await as(lina, 'GET', '/api/v1/session')).statusCode).toBe(401); // her session ended
    await signIn('lina', 'a new passphrase 2');

    const generated = await as(admin, 'POST', '/api/v1/accounts/lina/password', {});
    expect(generated.headers['cache-control']).toBe('no-store');
    const once = generated.json().generatedPassword as string;
    expect(once).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    await signIn('lina', once);
    expect((await as(admin, 'GET', '/api/v1/accounts')).body).not.toContain(once);
    expect(await audit('password_reset')).toEqual([
      { username: 'lina', reason: 'by 王管理 (admin): set' },
      { username: 'lina', reason: 'by 王管理 (admin): generated' },
    ]);
  });

  it('disables and enables, unlocks a locked account, links and unlinks a person; refuses disabling oneself', async () => {
    expect((await as(admin, 'POST', '/api/v1/accounts/admin/disable')).json().code).toBe('ACCOUNT_SELF');
    expect((await as(admin, 'POST', '/api/v1/accounts/lina/disable')).json()).toMatchObject({ disabled: true });
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'lina', password: 'x' } })).statusCode).toBe(401);
    expect((await as(admin, 'POST', '/api/v1/accounts/lina/enable')).json()).toMatchObject({ disabled: false });

    await p.advance(60_000); // failures after the last sign-in count
    for (let i = 0; i < 5; i++) await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'tech', password: 'wrong password' }, remoteAddress: '10.0.0.9' });
    const locked = (await as(admin, 'GET', '/api/v1/accounts')).json().items.find((a: { username: string }) => a.username === 'tech');
    expect(locked.lockedUntil).toEqual(expect.any(String));
    expect((await as(admin, 'POST', '/api/v1/accounts/tech/unlock')).json()).toMatchObject({ username: 'tech', lockedUntil: null });
    await signIn('tech');

    expect((await as(admin, 'PATCH', '/api/v1/accounts/lina', { personId: null })).json()).toMatchObject({ person: null });
    expect((await as(admin, 'PATCH', '/api/v1/accounts/tech', { personId })).json()).toMatchObject({ person: { name: '李娜' } });
    const taken = await as(admin, 'PATCH', '/api/v1/accounts/lina', { personId });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'PERSON_ALREADY_LINKED', errors: [{ path: 'personId' }] });

    expect(await audit('account_disable')).toEqual([{ username: 'lina', reason: 'by 王管理 (admin)' }]);
    expect(await audit('account_enable')).toEqual([{ username: 'lina', reason: 'by 王管理 (admin)' }]);
    expect(await audit('unlock')).toEqual([{ username: 'tech', reason: 'by 王管理 (admin)' }]);
    expect(await audit('person_unlink')).toEqual([{ username: 'lina', reason: `by 王管理 (admin): 李娜 (${personId})` }]);
    expect(await audit('person_link')).toEqual([{ username: 'tech', reason: `by 王管理 (admin): 李娜 (${personId})` }]);
    // the admin's actions are in the sign-in audit the auditor reads
    expect((await as(admin, 'GET', '/api/v1/auth/signins?username=lina')).json().items.map((i: { outcome: string }) => i.outcome)).toContain('account_disable');
  });

  it('creates an API token whose value is answered once, lists who created it, revokes it', async () => {
    expect((await as(admin, 'POST', '/api/v1/tokens', { name: 'bad name', role: 'viewer' })).json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'name' }] });
    expect((await as(admin, 'POST', '/api/v1/tokens', { name: 'wall', role: 'nobody' })).json().errors[0].path).toBe('role');
    const res = await as(admin, 'POST', '/api/v1/tokens', { name: 'wall', role: 'viewer' });
    expect(res.statusCode, res.body).toBe(201);
    const { value } = res.json();
    expect(value).toMatch(/^llt_/);
    expect(res.json()).toMatchObject({ name: 'wall', role: 'viewer', createdBy: '王管理', revokedAt: null });
    expect((await as(admin, 'POST', '/api/v1/tokens', { name: 'wall', role: 'viewer' })).json().code).toBe('TOKEN_EXISTS');

    const used = await app.inject({ method: 'GET', url: '/api/v1/incidents', headers: { authorization: `Bearer ${value}` } });
    expect(used.statusCode).toBe(200);
    const list = await as(admin, 'GET', '/api/v1/tokens');
    expect(list.body).not.toContain(value);
    expect(list.json().items.find((t: { name: string }) => t.name === 'wall')).toMatchObject({ createdBy: '王管理', lastUsedAt: expect.any(String) });

    expect((await as(admin, 'DELETE', '/api/v1/tokens/wall')).json()).toMatchObject({ revokedAt: expect.any(String) });
    expect((await app.inject({ method: 'GET', url: '/api/v1/incidents', headers: { authorization: `Bearer ${value}` } })).statusCode).toBe(401);
    expect((await as(admin, 'DELETE', '/api/v1/tokens/wall')).json().code).toBe('TOKEN_NOT_FOUND');
    expect(await audit('token_add')).toEqual([{ username: 'token:wall', reason: 'by 王管理 (admin): role viewer' }]);
    expect(await audit('token_revoke')).toEqual([{ username: 'token:wall', reason: 'by 王管理 (admin)' }]);
  });

  it('answers the set-up texts with the key only on creation and on a new key; they carry the public address and parse', async () => {
    const setupOf = (body: { setup: { snippets: { id: string; text: string }[] } }, id: string) => body.setup.snippets.find((s) => s.id === id)!.text;
    const created = await as(admin, 'POST', '/api/v1/sources', { name: 'zabbix-main', type: 'zabbix' });
    expect(created.statusCode, created.body).toBe(201);
    const { key } = created.json();
    expect(created.json().setup).toMatchObject({ keyIncluded: true, endpoint: `${PUBLIC_URL}/api/v1/intake/zabbix` });
    expect(setupOf(created.json(), 'zabbix.parameters')).toBe(`url = ${PUBLIC_URL}/api/v1/intake/zabbix\nkey = ${key}\n`);

    const later = await as(admin, 'GET', '/api/v1/sources/zabbix-main/setup');
    expect(later.json()).toMatchObject({ keyIncluded: false });
    expect(later.body).not.toContain(key);
    expect(later.json().snippets[0].text).toContain('key = <KEY>');

    // the new key works, the old one no longer does
    const rotated = (await as(admin, 'POST', '/api/v1/sources/zabbix-main/key')).json();
    expect(rotated.key).not.toBe(key);
    expect(setupOf(rotated, 'zabbix.parameters')).toContain(`key = ${rotated.key}`);
    const post = (k: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/intake/zabbix',
        headers: { authorization: `Bearer ${k}`, 'content-type': 'application/json' },
        payload: { event_id: '1', event_value: '1', event_name: 'x', event_nseverity: '4' },
      });
    expect((await post(key)).statusCode).toBe(401);
    expect((await post(rotated.key)).statusCode).toBe(202);

    for (const [type, id, path] of [
      ['alertmanager', 'alertmanager.receiver', (y: Yaml) => [y.receivers[0].webhook_configs[0].url, y.receivers[0].webhook_configs[0].http_config.authorization.credentials]],
      ['grafana', 'grafana.contactPoint', (y: Yaml) => [y.contactPoints[0].receivers[0].settings.url, y.contactPoints[0].receivers[0].settings.authorization_credentials]],
    ] as const) {
      const body = (await as(admin, 'POST', '/api/v1/sources', { name: `${type}-1`, type })).json();
      const [url, credentials] = path(parseYaml(setupOf(body, id)));
      expect(url).toBe(`${PUBLIC_URL}/api/v1/intake/${type}`);
      expect(credentials).toBe(body.key);
    }
    const nagios = (await as(admin, 'POST', '/api/v1/sources', { name: 'nagios-1', type: 'nagios' })).json();
    expect(setupOf(nagios, 'nagios.resource')).toBe(`$USER10$=${PUBLIC_URL}/api/v1/intake/nagios\n`);
    expect(setupOf(nagios, 'nagios.key')).toContain(`'${nagios.key}' > /etc/nagios4/lifeline.key`);
    expect(setupOf(nagios, 'nagios.commands')).toMatch(/command_name +notify-service-by-lifeline/);
    const v2 = (await as(admin, 'POST', '/api/v1/sources', { name: 'prom', type: 'alertmanager-v2' })).json();
    expect(parseYaml(setupOf(v2, 'prometheus.alerting')).alerting.alertmanagers[0]).toMatchObject({
      scheme: 'https',
      authorization: { credentials: v2.key },
      static_configs: [{ targets: ['lifeline.hospital.example'] }],
    });

    await as(admin, 'DELETE', '/api/v1/sources/grafana-1');
    expect((await as(admin, 'POST', '/api/v1/sources/grafana-1/key')).json().code).toBe('SOURCE_REVOKED');
    expect((await as(admin, 'GET', '/api/v1/sources/nope/setup')).statusCode).toBe(404);
  });

  it('records a maintenance window in the signed-in name, refuses a past end or no reason naming the field, cancels it', async () => {
    const endsAt = new Date(p.clock.now() + 2 * 3600_000).toISOString();
    const past = await as(tech, 'POST', '/api/v1/maintenance', { system: 'HIS', reason: '升级', endsAt: new Date(p.clock.now() - 1000).toISOString() });
    expect(past.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'endsAt' }] });
    expect((await as(tech, 'POST', '/api/v1/maintenance', { system: 'HIS', reason: ' ', endsAt })).json().errors[0].path).toBe('reason');
    const res = await as(tech, 'POST', '/api/v1/maintenance', { system: 'HIS', reason: '数据库升级', endsAt, by: 'someone else' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ system: 'HIS', reason: '数据库升级', createdBy: '张技术', endsAt, cancelledAt: null });
    expect((await as(tech, 'DELETE', `/api/v1/maintenance/${res.json().id}`)).json().cancelledAt).toEqual(expect.any(String));
  });
});
