// `lifeline plan test DIR` (issue 18): the hospital's own scenario folder against its plan, for the plan's own CI.
// Passes on the shipped folder with the default plan; exits 1 on a broken scenario, on a failed expectation and
// on a drill of the catalogue whose scenario is missing — each named by its file (and line:column when broken).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './support/server.js';

const planTest = (dir: string) => {
  const r = spawnSync(process.execPath, ['bin/lifeline.js', 'plan', 'test', dir], { encoding: 'utf8', env: { ...process.env, LIFELINE_LOG_LEVEL: 'warn', LIFELINE_PLAN: '' } });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
};

/** A scenario folder with the default plan's drill scenarios and one passing scenario of our own. */
function folder(): string {
  const dir = tempDir('lifeline-plan-test-');
  fs.cpSync('scenarios/drills', path.join(dir, 'drills'), { recursive: true });
  fs.copyFileSync('scenarios/05-cpu-threshold-90-vs-91.yaml', path.join(dir, 'cpu.yaml'));
  fs.writeFileSync(path.join(dir, 'notes.yaml'), 'owner: 信息中心\n'); // not a scenario: skipped
  return dir;
}

describe('lifeline plan test', { timeout: 180_000 }, () => {
  it('passes on the shipped scenarios with the default plan', () => {
    const { status, out } = planTest('scenarios/');
    expect(out).toMatch(/\n(\d+) passed, 0 failed — plan hospital-it-emergency@/);
    expect(Number(/(\d+) passed/.exec(out)![1])).toBe(fs.readdirSync('scenarios', { recursive: true }).filter((f) => String(f).endsWith('.yaml') && !String(f).startsWith('plans')).length);
    expect(status).toBe(0);
  });

  it('passes on a folder of its own, skipping YAML that is not a scenario', () => {
    const { status, out } = planTest(folder());
    expect(out).toContain('4 passed, 0 failed');
    expect(out).not.toContain('notes.yaml');
    expect(status).toBe(0);
  });

  it('exits 1 on a broken scenario, naming file, line and column', () => {
    const dir = folder();
    fs.writeFileSync(
      path.join(dir, 'broken.yaml'),
      'name: broken\nplan: default\nstart: 2026-03-02T09:00:00+08:00\nsteps:\n  - at: 0m\n    signal: {source: zabbix, system: HIS, severity: purple, status: firing}\n',
    );
    const { status, out } = planTest(dir);
    expect(out).toMatch(/FAIL {2}.*broken\.yaml/);
    expect(out).toMatch(/broken\.yaml:6:\d+ error steps\.0\.signal\.severity/);
    expect(out).toContain('4 passed, 1 failed');
    expect(status).toBe(1);
  });

  it('exits 1 on a failed expectation', () => {
    const dir = folder();
    const wrong = fs.readFileSync('scenarios/drills/his-database-down.yaml', 'utf8').replace('expect: {level: L2, provisional: true}', 'expect: {level: L1, provisional: true}');
    fs.writeFileSync(path.join(dir, 'drills', 'his-database-down.yaml'), wrong);
    const { status, out } = planTest(dir);
    expect(out).toMatch(/FAIL {2}.*his-database-down\.yaml/);
    expect(out).toMatch(/at 1m: .*L1/);
    expect(status).toBe(1);
  });

  it("exits 1 when a drill of the plan's catalogue names a scenario the folder lacks", () => {
    const dir = folder();
    fs.rmSync(path.join(dir, 'drills', 'ransomware.yaml'));
    const { status, out } = planTest(dir);
    expect(out).toContain('drill DR.ransomware names scenario drills/ransomware.yaml');
    expect(status).toBe(1);
  });
});
