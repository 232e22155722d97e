// Sign-in, sessions, CSRF, lock-out, roles and API tokens against the assembled app (app.inject), on SQLite and PostgreSQL.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../src/http/app.js';
import { appExtensions } from '../src/http/extensions.js';
import { declaredRoutes } from '../src/auth/hook.js';
import { ROLE_IDS, ROLES, type RoleId } from '../src/auth/roles.js';
import type { AuthService } from '../src/auth/service.js';
import { DIALECTS, postgresUnavailable } from './support/databases.js';
import { minutes, testPlatform, type TestPlatform } from './support/platform.js';

const PASSWORD = 'correct horse battery staple';
const HIS = { source: 'zabbix', system: 'HIS', component: 'db', severity: 'red', status: 'firing', summary: 'HIS 数据库服务中断', dedupKey: 'z-1' };
const HOUR = minutes(60);

interface Session {
  cookie: string;
  csrf: string;
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`sign-in and permissions on ${dialect}`, () => {
    let p: TestPlatform;
    let app: FastifyInstance;
    let auth: AuthService;

    beforeEach(async () => {
      p = await testPlatform(dialect);
      app = await buildApp(p, { logger: false, auth: true, extensions: appExtensions });
      auth = p.auth;
    });
    afterEach(async () => {
      await app.close();
      await p.dispose();
    });

    const addUser = (username: string, role: RoleId, name?: string) => auth.accounts.addUser({ username, password: PASSWORD, role, name });
    const login = (username: string, password = PASSWORD, extra: Partial<InjectOptions> = {}) => app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, ...extra });
    const signIn = async (username: string): Promise<Session> => {
      const res = await login(username);
      expect(res.statusCode, res.body).toBe(200);
      return { cookie: cookieOf(res), csrf: res.json().csrfToken };
    };
    const as = (s: Session, method: InjectOptions['method'], url: string, payload?: unknown) =>
      app.inject({ method, url, headers: { cookie: s.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': s.csrf }) }, ...(payload === undefined ? {} : { payload: payload as object }) });
    const openHis = async () => {
      await p.signals.append([HIS as never]);
      await p.engine.processPending();
      return (await p.incidents.list({ state: 'open', limit: 10 }))[0]!.id;
    };

    it('signs in with an HTTP-only SameSite=Strict cookie with an expiry, reports the session, signs out', async () => {
      await addUser('zhang', 'commander', '张院长');
      const res = await login('Zhang');
      expect(res.statusCode).toBe(200);
      const setCookie = String(res.headers['set-cookie']);
      expect(setCookie).toMatch(/^lifeline_session=[\w-]{40,};/);
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Strict/);
      expect(setCookie).toMatch(/Max-Age=86400/);
      expect(res.headers['cache-control']).toBe('no-store');
      const body = res.json();
      expect(body.user).toMatchObject({ name: '张院长', username: 'zhang', role: 'commander', planRole: 'commander' });
      expect(body.user.permissions).toEqual(expect.arrayContaining(['incident.set_level', 'obligation.waive', 'incident.read']));
      expect(body.csrfToken).toMatch(/^[\w-]{20,}$/);
      const s = { cookie: cookieOf(res), csrf: body.csrfToken };
      // the cookie value is not stored: only its hash
      const stored = await p.db
        .selectFrom('auth_sessions' as never)
        .selectAll()
        .execute();
      expect(JSON.stringify(stored)).not.toContain(s.cookie.split('=')[1]);

      const session = await as(s, 'GET', '/api/v1/session');
      expect(session.json()).toMatchObject({ user: { name: '张院长', role: 'commander' }, csrfToken: s.csrf });
      expect((await as(s, 'GET', '/api/v1/incidents')).statusCode).toBe(200);

      const noCsrf = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: s.cookie } });
      expect(noCsrf.statusCode).toBe(403);
      const out = await as(s, 'POST', '/api/v1/auth/logout', {});
      expect(out.statusCode).toBe(204);
      expect(String(out.headers['set-cookie'])).toMatch(/lifeline_session=;.*Expires=Thu, 01 Jan 1970/);
      const after = await as(s, 'GET', '/api/v1/incidents');
      expect(after.statusCode).toBe(401);
      expect(after.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(after.json()).toMatchObject({ status: 401, code: 'SESSION_INVALID' });
      expect((await as(s, 'GET', '/api/v1/session')).statusCode).toBe(401);
      const audit = (await auth.signins({ limit: 10 })).map((a) => a.outcome);
      expect(audit).toEqual(['logout', 'success']);
    });

    it('refuses a wrong password and an unknown user alike (401 problem+json), and audits both', async () => {
      await addUser('li', 'technical');
      const wrong = await login('li', 'not the password');
      const unknown = await login('nobody', PASSWORD);
      for (const res of [wrong, unknown]) {
        expect(res.statusCode).toBe(401);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.json()).toMatchObject({ status: 401, code: 'SIGNIN_FAILED', title: 'Unauthorized' });
        expect(res.json().detail).toMatch(/wrong user name or password \(4 attempts left/);
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      const empty = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'li' } });
      expect(empty.statusCode).toBe(400);
      expect(empty.json().errors[0].path).toBe('password');
      expect((await auth.signins({ limit: 10 })).map((a) => [a.username, a.outcome, a.reason])).toEqual([
        ['nobody', 'failure', 'unknown_user'],
        ['li', 'failure', 'bad_password'],
      ]);
    });

    it('locks a user name for 15 min after 5 failures in 15 min (423 with Retry-After), even for the right password; unlock lifts it', async () => {
      await addUser('wang', 'hq_member');
      for (let n = 1; n <= 4; n++) {
        expect((await login('wang', `guess ${n}`)).statusCode).toBe(401);
        await p.advance(minutes(2));
      }
      const fifth = await login('wang', 'guess 5');
      expect(fifth.statusCode).toBe(423);
      expect(fifth.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(fifth.json()).toMatchObject({ status: 423, title: 'Locked', code: 'ACCOUNT_LOCKED', retryAfterSeconds: 900 });
      expect(fifth.json().detail).toMatch(/locked for 15 min/);
      expect(fifth.headers['retry-after']).toBe('900');
      await p.advance(minutes(5));
      const right = await login('wang');
      expect(right.statusCode).toBe(423);
      expect(right.json().detail).toMatch(/locked after 5 failed sign-ins within 15 min; try again in 10 min/);
      expect(right.headers['retry-after']).toBe('600');
      expect(right.headers['set-cookie']).toBeUndefined();
      await p.advance(minutes(10));
      expect((await login('wang')).statusCode).toBe(200); // the lock has run out; success resets the count

      // failures spread wider than the window do not lock
      for (let n = 1; n <= 6; n++) {
        expect((await login('wang', `slow guess ${n}`)).statusCode).toBe(401);
        await p.advance(minutes(4));
      }
      // an unknown user name locks the same way (no hint whether it exists)
      for (let n = 1; n <= 4; n++) await login('ghost', `x${n}`);
      expect((await login('ghost', 'x5')).statusCode).toBe(423);
      // an administrator lifts a lock
      await p.advance(minutes(15));
      for (let n = 1; n <= 4; n++) expect((await login('wang', `again ${n}`)).statusCode).toBe(401);
      expect((await login('wang', 'again 5')).statusCode).toBe(423);
      expect((await login('wang')).statusCode).toBe(423);
      await auth.unlock('wang', { ip: 'cli', userAgent: 'test' });
      expect((await login('wang')).statusCode).toBe(200);
      const outcomes = (await auth.signins({ username: 'wang', limit: 100 })).map((a) => a.outcome);
      expect(outcomes.filter((o) => o === 'locked')).toHaveLength(2);
      expect(outcomes.slice(0, 2)).toEqual(['success', 'unlock']);
    });

    it('throttles an address with 30 failures in 15 min across user names (429)', async () => {
      const from = { remoteAddress: '10.1.2.3' };
      for (let n = 0; n < 30; n++) expect((await login(`user${n}`, 'wrong', from)).statusCode).toBe(401);
      const res = await login('user99', 'wrong', from);
      expect(res.statusCode).toBe(429);
      expect(res.json()).toMatchObject({ status: 429, title: 'Too Many Requests', code: 'SIGNIN_THROTTLED' });
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      await addUser('chen', 'viewer');
      expect((await login('chen', PASSWORD, { remoteAddress: '10.1.2.4' })).statusCode).toBe(200); // another address is fine
    });

    it('requires the session’s CSRF token on every cookie-authenticated change (403 problem+json)', async () => {
      await addUser('zhao', 'technical');
      await addUser('sun', 'technical');
      const a = await signIn('zhao');
      const b = await signIn('sun');
      const payload = { title: '挂号慢', systems: ['HIS'] };
      const missing = await app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { cookie: a.cookie }, payload });
      expect(missing.statusCode).toBe(403);
      expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(missing.json()).toMatchObject({ status: 403, code: 'CSRF_TOKEN_MISSING' });
      const other = await app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { cookie: a.cookie, 'x-csrf-token': b.csrf }, payload });
      expect(other.json()).toMatchObject({ status: 403, code: 'CSRF_TOKEN_INVALID' });
      expect(await p.incidents.list({ state: 'all', limit: 10 })).toHaveLength(0);
      const ok = await as(a, 'POST', '/api/v1/incidents', payload);
      expect(ok.statusCode).toBe(201);
      const own = ok.json().timeline.filter((t: { kind: string }) => !t.kind.startsWith('page.')); // paging records its own entries
      expect(own.length).toBeGreaterThan(0);
      expect(own.every((t: { actor: string }) => t.actor === 'zhao')).toBe(true);
    });

    it('ends a session after 8 h idle and after 24 h however active (401 problem+json)', async () => {
      await addUser('qian', 'viewer');
      const idle = await signIn('qian');
      await p.advance(8 * HOUR - minutes(1));
      expect((await as(idle, 'GET', '/api/v1/incidents')).statusCode).toBe(200); // 7 h 59 min idle: fine, and now seen
      await p.advance(8 * HOUR);
      const expired = await as(idle, 'GET', '/api/v1/incidents');
      expect(expired.statusCode).toBe(401);
      expect(expired.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(expired.json()).toMatchObject({ code: 'SESSION_EXPIRED' });
      expect(expired.json().detail).toMatch(/inactivity/);
      expect(String(expired.headers['set-cookie'])).toMatch(/lifeline_session=;/);
      expect((await as(idle, 'GET', '/api/v1/incidents')).json().code).toBe('SESSION_INVALID'); // and it is gone

      const busy = await signIn('qian');
      for (let h = 0; h < 23; h++) {
        await p.advance(HOUR);
        expect((await as(busy, 'GET', '/api/v1/plan')).statusCode).toBe(200);
      }
      await p.advance(HOUR);
      const absolute = await as(busy, 'GET', '/api/v1/plan');
      expect(absolute.statusCode).toBe(401);
      expect(absolute.json().detail).toMatch(/session has expired/);
    });

    it('gives a viewer 403 problem+json on every changing route, and lets it read', async () => {
      await addUser('viewer', 'viewer');
      const v = await signIn('viewer');
      const id = await openHis();
      const [signal] = (await (await as(v, 'GET', '/api/v1/signals')).json()).items;
      expect(signal).toBeDefined();
      const changes = declaredRoutes(app).filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method) && !r.public);
      expect(changes.map((r) => `${r.method} ${r.url}`)).toEqual(
        expect.arrayContaining(['POST /api/v1/signals', 'POST /api/v1/signals/:id/map', 'POST /api/v1/incidents', 'POST /api/v1/incidents/:id/impact', 'POST /api/v1/incidents/:id/actions']),
      );
      const fill = (url: string) => url.replace(':id', url.includes('signals') ? signal.id : id).replace(':name', 'zabbix');
      const bodies: Record<string, unknown[]> = {
        'POST /api/v1/signals': [HIS],
        'POST /api/v1/signals/:id/map': [{ system: 'HIS' }],
        'POST /api/v1/incidents': [{ title: 'x', systems: ['HIS'] }],
        'POST /api/v1/incidents/:id/impact': [{ scope: 'hospital', tally: { emergency: 3 } }],
        'POST /api/v1/incidents/:id/actions': [
          ...['acknowledge', 'check_in', 'restore', 'report', 'backup_started', 'announcement_published', 'close'].map((type) => ({ type, reason: 'r' })),
          { type: 'set_level', level: 'L1', reason: 'r' },
          { type: 'waive', obligation: 'O3.1', reason: 'r' },
          {},
        ],
      };
      let checked = 0;
      for (const route of changes) {
        for (const payload of bodies[`${route.method} ${route.url}`] ?? [{}]) {
          const res = await as(v, route.method as 'POST', fill(route.url), payload);
          expect(res.statusCode, `${route.method} ${route.url} ${JSON.stringify(payload)}: ${res.body}`).toBe(403);
          expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
          expect(res.json()).toMatchObject({ status: 403, title: 'Forbidden', code: 'PERMISSION_DENIED' });
          expect(res.json().detail).toMatch(/^the role viewer does not grant /);
          checked++;
        }
      }
      expect(checked).toBeGreaterThanOrEqual(17);
      // nothing changed
      const incident = (await as(v, 'GET', `/api/v1/incidents/${id}`)).json();
      expect(incident.obligations.find((o: { ruleId: string }) => o.ruleId === 'O3.1').state).toBe('pending');
      expect(incident.state).toBe('responding');
      for (const url of ['/api/v1/incidents', `/api/v1/incidents/${id}`, '/api/v1/plan', '/api/v1/plan/check', '/api/v1/signals', '/api/v1/sources', '/api/v1/maintenance', '/api/v1/auth/roles']) {
        expect((await as(v, 'GET', url)).statusCode, url).toBe(200);
      }
      expect((await as(v, 'GET', '/api/v1/auth/signins')).statusCode).toBe(403); // the audit is for auditors
    });

    it('declares every API route; an undeclared one is refused to everyone (fail closed)', async () => {
      const undeclared = declaredRoutes(app).filter((r) => r.url.startsWith('/api/') && !r.public && r.permission === null);
      expect(undeclared).toEqual([]);
      const publicRoutes = declaredRoutes(app)
        .filter((r) => r.public)
        .map((r) => `${r.method} ${r.url}`);
      expect(publicRoutes).toEqual(expect.arrayContaining(['GET /healthz', 'POST /api/v1/auth/login', 'POST /api/v1/intake/zabbix', 'POST /v2/enqueue']));
      const allowed = [
        /^(GET|HEAD) \/healthz$/,
        /^POST \/api\/v1\/auth\/log(in|out)$/,
        /^(GET|HEAD) \/api\/v1\/session$/, // signing in
        /^POST \/api\/v1\/intake\/\w+$/,
        /^POST \/api\/v2\/alerts$/,
        /^POST \/v2\/enqueue$/,
        /^(GET|HEAD|POST) \/api\/v1\/heartbeat\/:key$/, // source keys
        /^(GET|HEAD|POST) \/api\/v1\/ack\/:token$/,
        /^(GET|HEAD|POST) \/api\/v1\/check-in\/:token$/, // the DingTalk card's one-tap check-in (the page's signed link token)
        /^(GET|HEAD) \/api\/v1\/ical\/:token$/, // the link's token is the credential
        /^(DELETE|PUT|PATCH) \/api\/v1\/(incidents\/:id\/)?downtime/, // answered 405 (records are never deleted)
        /^(GET|HEAD) \/api\/v1\/status$/, // the patient status page's JSON (src/publicity/status)
        /^POST \/api\/v1\/status\/(feedback|subscriptions|subscriptions\/confirm|subscriptions\/unsubscribe)$/, // patients' feedback and SMS opt-in, rate-limited
        /^POST \/api\/v1\/status\/sms-replies\/:vendor\/:key$/, // the SMS vendor's push of patients' replies: the key in the address is the credential
        /^(GET|HEAD) \/(?!api\/)/, // pages of the web app and the offline kit
      ];
      expect(publicRoutes.filter((r) => !allowed.some((a) => a.test(r)))).toEqual([]);

      const extra = await buildApp(p, {
        logger: false,
        auth: true,
        extensions: [(a) => void a.get('/api/v1/forgotten', async () => ({ secret: true })), (a) => void a.post('/elsewhere', async () => ({ secret: true }))],
      });
      await addUser('root', 'admin');
      const res = await extra.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'root', password: PASSWORD } });
      expect(res.statusCode).toBe(404); // no auth routes in this app: sign in with a token instead
      const { value } = await auth.accounts.addToken({ name: 'root-script', role: 'admin' });
      for (const [method, url] of [
        ['GET', '/api/v1/forgotten'],
        ['POST', '/elsewhere'],
      ] as const) {
        const denied = await extra.inject({ method, url, headers: { authorization: `Bearer ${value}` } });
        expect(denied.statusCode).toBe(403);
        expect(denied.json()).toMatchObject({ code: 'ROUTE_NOT_DECLARED' });
      }
      expect((await extra.inject({ method: 'GET', url: '/api/v1/incidents', headers: { authorization: `Bearer ${value}` } })).statusCode).toBe(200);
      await extra.close();
    });

    it('maps roles to plan roles: the commander may lower a level, an HQ member may not; `by` is not trusted', async () => {
      await addUser('boss', 'commander', '张院长');
      await addUser('hq', 'hq_member', '李主任');
      await addUser('eng', 'technical', '王工');
      const id = await openHis();
      const boss = await signIn('boss');
      const hq = await signIn('hq');
      const eng = await signIn('eng');
      const ack = await as(eng, 'POST', `/api/v1/incidents/${id}/actions`, { type: 'acknowledge', by: 'commander' });
      expect(ack.statusCode).toBe(200);
      expect(ack.json().obligations.find((o: { ruleId: string }) => o.ruleId === 'O3.1')).toMatchObject({ state: 'met', metBy: '王工' });
      expect(ack.json().timeline.find((t: { kind: string }) => t.kind === 'action.acknowledge').actor).toBe('王工');
      expect((await as(eng, 'POST', `/api/v1/incidents/${id}/actions`, { type: 'set_level', level: 'L1', reason: 'r' })).statusCode).toBe(403);
      const raise = await as(hq, 'POST', `/api/v1/incidents/${id}/actions`, { type: 'set_level', level: 'L1', reason: '门诊全部停摆' });
      expect(raise.statusCode).toBe(200);
      expect(raise.json().level).toBe('L1');
      const lowerHq = await as(hq, 'POST', `/api/v1/incidents/${id}/actions`, { type: 'set_level', level: 'L3', reason: 'x', by: 'commander' });
      expect(lowerHq.statusCode).toBe(403);
      expect(lowerHq.json().code).toBe('LEVEL_DOWNGRADE_FORBIDDEN');
      const lower = await as(boss, 'POST', `/api/v1/incidents/${id}/actions`, { type: 'set_level', level: 'L3', reason: '已恢复大部分业务' });
      expect(lower.statusCode).toBe(200);
      expect(lower.json().levelHistory.at(-1)).toMatchObject({ level: 'L3', actor: '张院长' });
      // each role's plan role is a role of the plan
      for (const role of ROLE_IDS) if (ROLES[role].planRole) expect(p.plan.roles.map((r) => r.id)).toContain(ROLES[role].planRole);
      expect(p.plan.grading_policy.downgrade.by_roles).toContain(ROLES.commander.planRole);
    });

    it('accepts API tokens as Bearer (no CSRF), refuses revoked, unknown and non-Bearer credentials', async () => {
      const { value } = await auth.accounts.addToken({ name: 'zabbix-script', role: 'technical' });
      const { value: viewerToken } = await auth.accounts.addToken({ name: 'wall', role: 'viewer' });
      const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
      const post = await app.inject({ method: 'POST', url: '/api/v1/signals', headers: bearer(value), payload: HIS });
      expect(post.statusCode).toBe(202);
      await p.engine.processPending();
      const list = await app.inject({ method: 'GET', url: '/api/v1/incidents', headers: bearer(value) });
      expect(list.json().items).toHaveLength(1);
      const id = list.json().items[0].id;
      const ack = await app.inject({ method: 'POST', url: `/api/v1/incidents/${id}/actions`, headers: bearer(value), payload: { type: 'acknowledge' } });
      expect(ack.json().timeline.find((t: { kind: string }) => t.kind === 'action.acknowledge').actor).toBe('token:zabbix-script');
      const me = await app.inject({ method: 'GET', url: '/api/v1/session', headers: bearer(value) });
      expect(me.json()).toMatchObject({ user: { name: 'token:zabbix-script', role: 'technical', kind: 'token' } });
      expect(me.json().csrfToken).toBeUndefined();
      expect((await app.inject({ method: 'POST', url: '/api/v1/signals', headers: bearer(viewerToken), payload: HIS })).statusCode).toBe(403);
      expect((await app.inject({ method: 'GET', url: '/api/v1/incidents', headers: bearer(viewerToken) })).statusCode).toBe(200);
      // stored hashed
      const rows = await p.db
        .selectFrom('auth_tokens' as never)
        .selectAll()
        .execute();
      expect(JSON.stringify(rows)).not.toContain(value);

      await auth.accounts.revokeToken('zabbix-script');
      for (const headers of [bearer(value), bearer('llt_made_up'), { authorization: `Basic ${Buffer.from(`x:${viewerToken}`).toString('base64')}` }]) {
        const res = await app.inject({ method: 'GET', url: '/api/v1/incidents', headers });
        expect(res.statusCode).toBe(401);
        expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(res.json().code).toBe('TOKEN_INVALID');
      }
      await expect(auth.accounts.addToken({ name: 'wall', role: 'viewer' })).rejects.toMatchObject({ code: 'TOKEN_EXISTS' });
      await expect(auth.accounts.addToken({ name: 'zabbix-script', role: 'technical' })).resolves.toBeDefined(); // a revoked name is free again
    });

    it('ends sessions when the password changes or the account is disabled; a disabled account cannot sign in', async () => {
      await addUser('zhou', 'coordination');
      const s = await signIn('zhou');
      await auth.accounts.setPassword('zhou', 'another long password');
      expect((await as(s, 'GET', '/api/v1/incidents')).statusCode).toBe(401);
      expect((await login('zhou')).statusCode).toBe(401);
      const s2 = await signIn('zhou').catch(() => undefined);
      expect(s2).toBeUndefined();
      const ok = await login('zhou', 'another long password');
      expect(ok.statusCode).toBe(200);
      await auth.accounts.setDisabled('zhou', true);
      expect((await as({ cookie: cookieOf(ok), csrf: ok.json().csrfToken }, 'GET', '/api/v1/incidents')).statusCode).toBe(401);
      const disabled = await login('zhou', 'another long password');
      expect(disabled.statusCode).toBe(403);
      expect(disabled.json()).toMatchObject({ code: 'ACCOUNT_DISABLED' });
      await expect(auth.accounts.addUser({ username: 'weak', password: 'short', role: 'viewer' })).rejects.toMatchObject({ code: 'PASSWORD_WEAK' });
      await expect(auth.accounts.addUser({ username: 'zhou', password: PASSWORD, role: 'viewer' })).rejects.toMatchObject({ code: 'USER_EXISTS' });
      await expect(auth.accounts.addUser({ username: 'x', password: PASSWORD, role: 'root' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    });

    it('serves the live stream to signed-in people only, and ends it when they sign out', async () => {
      await addUser('wall', 'viewer');
      const address = await app.listen({ port: 0, host: '127.0.0.1' });
      expect((await fetch(`${address}/api/v1/events`)).status).toBe(401);
      const s = await signIn('wall');
      const stream = await fetch(`${address}/api/v1/events`, { headers: { cookie: s.cookie } });
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toBe('text/event-stream');
      const reader = stream.body!.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toMatch(/^retry: /);
      const out = await fetch(`${address}/api/v1/auth/logout`, { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
      expect(out.status).toBe(204);
      const ended = await Promise.race([
        (async () => {
          for (;;) if ((await reader.read()).done) return 'ended';
        })(),
        new Promise((r) => setTimeout(() => r('still open'), 3000)),
      ]);
      expect(ended).toBe('ended');
    });

    it('shows the sign-in audit to auditors only', async () => {
      await addUser('audit', 'auditor');
      await login('audit', 'wrong');
      const a = await signIn('audit');
      const res = await as(a, 'GET', '/api/v1/auth/signins?limit=5');
      expect(res.statusCode).toBe(200);
      expect(res.json().items.map((i: { outcome: string }) => i.outcome)).toEqual(['success', 'failure']);
      expect(res.json().items[0]).toMatchObject({ username: 'audit', ip: '127.0.0.1' });
      expect((await as(a, 'POST', '/api/v1/incidents', { title: 'x', systems: ['HIS'] })).statusCode).toBe(403);
    });
  });
}

function cookieOf(res: LightMyRequestResponse): string {
  const header = res.headers['set-cookie'];
  const first = Array.isArray(header) ? header[0]! : String(header);
  return first.split(';')[0]!;
}
