import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * Test helper for tests against a running `lifeline start`: headers that let a test read and manage through
 * the API. With sign-in (auth), an admin API token made with `lifeline token add` on the same data dir;
 * on a build without the `token` command, none are needed.
 */
export function adminHeaders(dataDir: string): Record<string, string> {
  try {
    const out = execFileSync(process.execPath, ['bin/lifeline.js', 'token', 'add', `intake-tests-${randomBytes(3).toString('hex')}`, '--role', 'admin'], {
      env: { ...process.env, LIFELINE_DATA_DIR: dataDir, LIFELINE_LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { authorization: `Bearer ${out.trim().split('\n').at(-1)}` };
  } catch (err) {
    const e = err as { status?: number; stderr?: string };
    if (e.status === 2 && /unknown command/.test(e.stderr ?? '')) return {};
    throw err;
  }
}
