// `lifeline user …` and `lifeline token …` as a user runs them, against a real server on the same database.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabase, postgresUnavailable } from './support/databases.js';
import { startServer, tempDir, type RunningServer } from './support/server.js';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/lifeline.js ARGS` with stdin piped (not a terminal), as a script would. */
function lifeline(env: Record<string, string>, args: string[], input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/lifeline.js', ...args], { env: { ...process.env, LIFELINE_LOG_LEVEL: 'warn', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1)!;
const ok = (run: Run) => expect(run.code, run.stderr).toBe(0);

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && postgresUnavailable)(`user and token CLI on ${dialect}`, () => {
    let server: RunningServer | undefined;
    let drop: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await server?.stop();
      await drop?.();
    });

    it('creates the first admin and a token; both work against a server on the same data; revoke, passwd and disable take effect', async () => {
      const env: Record<string, string> = { LIFELINE_DATA_DIR: tempDir('lifeline-auth-cli-') };
      if (dialect === 'postgres') {
        const fresh = await freshDatabase('postgres');
        drop = fresh.drop;
        env.LIFELINE_DATABASE_URL = (fresh.db as { url: string }).url;
      }
      const PASSWORD = 'a long admin passphrase 2026';

      const noTty = await lifeline(env, ['user', 'add', 'admin', '--role', 'admin']);
      expect(noTty.code).toBe(2);
      expect(noTty.stderr).toMatch(/no terminal to ask for the password: pipe it in with --password-stdin/);
      const weak = await lifeline(env, ['user', 'add', 'admin', '--role', 'admin', '--password-stdin'], 'short\n');
      expect(weak.code).toBe(1);
      expect(weak.stderr).toMatch(/at least 10 characters/);
      const badRole = await lifeline(env, ['user', 'add', 'admin', '--role', 'root', '--password-stdin'], `${PASSWORD}\n`);
      expect(badRole.code).toBe(2);
      expect(badRole.stderr).toMatch(/--role is required: one of admin, commander, hq_member/);

      const add = await lifeline(env, ['user', 'add', 'Admin', '--role', 'admin', '--name', '信息中心管理员', '--password-stdin'], `${PASSWORD}\n`);
      expect(add.code, add.stderr).toBe(0);
      expect(add.stdout).toMatch(/user admin created: 信息中心管理员, role admin \(Administrator\), acts in the plan as deputy_commander/);
      expect((await lifeline(env, ['user', 'add', 'admin', '--role', 'viewer', '--password-stdin'], `${PASSWORD}\n`)).stderr).toMatch(/user admin exists/);

      const token = await lifeline(env, ['token', 'add', 'zabbix-bridge', '--role', 'technical']);
      expect(token.code, token.stderr).toBe(0);
      const value = lastLine(token.stdout);
      expect(value).toMatch(/^llt_[\w-]{43}$/);
      expect(token.stdout).toMatch(/shown this once/);

      server = await startServer(env);
      const url = server.url;
      const bearer = { authorization: `Bearer ${value}` };
      expect((await fetch(`${url}/api/v1/incidents`)).status).toBe(401);
      const post = await fetch(`${url}/api/v1/signals`, {
        method: 'POST',
        headers: { ...bearer, 'content-type': 'application/json' },
        body: JSON.stringify({ source: 'zabbix', system: 'HIS', severity: 'red', status: 'firing', summary: 'HIS 数据库服务中断', dedupKey: 'cli-1' }),
      });
      expect(post.status).toBe(202);
      expect((await fetch(`${url}/api/v1/incidents`, { headers: bearer })).status).toBe(200);

      const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: PASSWORD }) });
      expect(login.status).toBe(200);
      const { csrfToken, user } = (await login.json()) as { csrfToken: string; user: { name: string; permissions: string[] } };
      expect(user).toMatchObject({ name: '信息中心管理员', permissions: expect.arrayContaining(['*']) });
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      expect((await fetch(`${url}/api/v1/session`, { headers: { cookie } })).status).toBe(200);

      const list = await lifeline(env, ['token', 'list']);
      expect(list.stdout).toMatch(/zabbix-bridge\s+technical\s+tech_oncall\s+\S+\s+\S+\s+active/);
      expect(list.stdout).not.toContain(value);
      ok(await lifeline(env, ['token', 'revoke', 'zabbix-bridge']));
      const revoked = await fetch(`${url}/api/v1/incidents`, { headers: bearer });
      expect(revoked.status).toBe(401);
      expect(revoked.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect((await lifeline(env, ['token', 'list'])).stdout).toMatch(/zabbix-bridge.*revoked/);

      const users = await lifeline(env, ['user', 'list']);
      expect(users.stdout).toMatch(/admin\s+信息中心管理员\s+admin\s+deputy_commander\s+active/);
      expect(users.stdout).not.toMatch(/argon2/);

      ok(await lifeline(env, ['user', 'passwd', 'admin', '--password-stdin'], 'another long passphrase\n'));
      expect((await fetch(`${url}/api/v1/session`, { headers: { cookie } })).status).toBe(401); // a new password ends sessions
      const relogin = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'another long passphrase' }),
      });
      expect(relogin.status).toBe(200);
      expect(csrfToken).not.toBe(((await relogin.json()) as { csrfToken: string }).csrfToken);

      ok(await lifeline(env, ['user', 'disable', 'admin']));
      const disabled = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'another long passphrase' }),
      });
      expect(disabled.status).toBe(403);
      expect((await lifeline(env, ['user', 'list'])).stdout).toMatch(/admin.*disabled/);
    }, 180_000);
  });
}
