import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { commands } from '../src/cli/commands/index.js';

describe('every lifeline command answers --help', () => {
  it('prints its usage and summary and exits 0, touching no database', () => {
    for (const command of commands) {
      for (const flag of ['--help', '-h']) {
        const r = spawnSync(process.execPath, ['bin/lifeline.js', ...command.name.split(' '), flag], { encoding: 'utf8', env: { ...process.env, LIFELINE_DATA_DIR: '/nonexistent/lifeline-help' } });
        expect({ command: command.name, flag, status: r.status, stderr: r.stderr }).toEqual({ command: command.name, flag, status: 0, stderr: '' });
        expect(r.stdout).toContain(`usage: lifeline ${command.usage}`);
        expect(r.stdout).toContain(command.summary);
      }
    }
  }, 120_000);
});
