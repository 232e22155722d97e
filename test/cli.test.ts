import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './support/server.js';

const lifeline = (args: string[], env: Record<string, string> = {}) => {
  const r = spawnSync(process.execPath, ['bin/lifeline.js', ...args], { encoding: 'utf8', env: { ...process.env, LIFELINE_DATA_DIR: tempDir('lifeline-cli-'), ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('lifeline CLI', () => {
  it('plan check passes on the default plan', () => {
    const r = lifeline(['plan', 'check']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/0 error\(s\), 0 warning\(s\)/);
  });

  it('plan check prints every error of a broken copy with file, line and column, and exits 1', () => {
    const broken = path.join(tempDir('lifeline-plan-'), 'plan.yaml');
    const text = fs.readFileSync('src/plan/default-plan.yaml', 'utf8').replace('within: PT5M', 'within: five minutes').replace('actor: tech_oncall', 'actor: night_porter');
    fs.writeFileSync(broken, text);
    const r = lifeline(['plan', 'check', broken]);
    expect(r.code).toBe(1);
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(r.out).toContain(`${broken}:${lineOf('within: five minutes')}:`);
    expect(r.out).toMatch(/within: .*ISO 8601/);
    expect(r.out).toContain(`${broken}:${lineOf('actor: night_porter')}:`);
    expect(r.out).toMatch(/night_porter/);
  });

  it('plan show prints the levels and deadlines', () => {
    const r = lifeline(['plan', 'show', '--lang', 'en']);
    expect(r.code).toBe(0);
    for (const id of ['L1.a', 'L1.b', 'L1.c', 'L2.a', 'L2.b', 'O3.1', 'O3.3', 'E3to2']) expect(r.out).toContain(id);
  });

  it('simulate passes a scenario, fails a wrong expectation with exit 1, and prints --json', () => {
    const ok = lifeline(['simulate', 'scenarios/01-his-db-down-2h30m.yaml', '--json']);
    expect(ok.code).toBe(0);
    const result = JSON.parse(ok.out);
    expect(result).toMatchObject({ name: 'HIS database down for 2.5 hours', passed: true, failures: [] });
    expect(result.incidents[0]).toMatchObject({ systems: ['HIS'], state: 'recovering', level: 'L1' });
    expect(result.incidents[0].levelHistory.map((h: { level: string; rule: string }) => `${h.level}:${h.rule}`)).toEqual(['L2:L1.a', 'L2:E3to2', 'L1:L1.a']);
    const wrong = path.join(tempDir('lifeline-scn-'), 'wrong.yaml');
    fs.writeFileSync(wrong, fs.readFileSync('scenarios/01-his-db-down-2h30m.yaml', 'utf8').replace('expect: {level: L1,', 'expect: {level: L3,'));
    const bad = lifeline(['simulate', wrong]);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/level expected L3, got L1/);
  });

  it('a malformed scenario names file, line and column', () => {
    const file = path.join(tempDir('lifeline-scn-'), 'bad.yaml');
    fs.writeFileSync(file, 'name: x\nstart: 2026-03-02T09:00:00+08:00\nsteps:\n  - at: soon\n    expect: {level: L9}\n');
    const r = lifeline(['simulate', file]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${file}:4:`);
    expect(r.err).toContain(`${file}:5:`);
  });

  it('bad configuration stops with every problem listed', () => {
    const r = lifeline(['plan', 'check'], { LIFELINE_PORT: 'eighty', LIFELINE_DATABASE_URL: 'mysql://x' });
    expect(r.code).toBe(1);
    expect(r.err).toContain('LIFELINE_PORT');
    expect(r.err).toContain('LIFELINE_DATABASE_URL');
  });
});
