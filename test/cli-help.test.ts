import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commands } from '../src/cli/commands/index.js';
import { main } from '../src/cli/main.js';

/** Runs `lifeline …` in this process (a process each would take minutes on a small machine), capturing what it prints. */
async function run(argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void (stdout += `${args.join(' ')}\n`));
  vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void (stderr += `${args.join(' ')}\n`));
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const status = await main(argv);
    return { status, stdout, stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

describe('every lifeline command answers --help', () => {
  const dataDir = process.env.LIFELINE_DATA_DIR;
  afterEach(() => {
    if (dataDir === undefined) delete process.env.LIFELINE_DATA_DIR;
    else process.env.LIFELINE_DATA_DIR = dataDir;
  });

  it('prints its usage and summary and exits 0, touching no database', async () => {
    process.env.LIFELINE_DATA_DIR = '/nonexistent/lifeline-help'; // opening anything there would fail
    for (const command of commands) {
      for (const flag of ['--help', '-h']) {
        const r = await run([...command.name.split(' '), flag]);
        expect({ command: command.name, flag, status: r.status, stderr: r.stderr }).toEqual({ command: command.name, flag, status: 0, stderr: '' });
        expect(r.stdout).toContain(`usage: lifeline ${command.usage}`);
        expect(r.stdout).toContain(command.summary);
      }
    }
  });

  it('the installed binary answers it too', () => {
    const r = spawnSync(process.execPath, ['bin/lifeline.js', 'plan', 'show', '--help'], { encoding: 'utf8', env: { ...process.env, LIFELINE_DATA_DIR: '/nonexistent/lifeline-help' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('usage: lifeline plan show');
  }, 60_000);
});
