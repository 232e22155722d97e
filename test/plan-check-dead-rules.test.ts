import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.js';
import { loadDefaultPlan } from '../src/plan/load.js';
import { tempDir } from './support/server.js';

/**
 * `lifeline plan check` on copies of the default plan with one dead rule planted: each is named with
 * file:line:column, severity and key path; errors exit 1, warnings alone exit 0. The cases run the CLI's own
 * entry point in this process (2 CPUs cannot start sixteen tsx processes in time); one runs bin/lifeline.js.
 */
const DEFAULT = fs.readFileSync('src/plan/default-plan.yaml', 'utf8');
const plan = loadDefaultPlan();
/** Where a rule sits in its list (so that rules added to the default plan do not break these cases). */
const at = (list: readonly { id: string }[], id: string) => {
  const index = list.findIndex((x) => x.id === id);
  expect(index, id).toBeGreaterThanOrEqual(0);
  return index;
};

function writePlan(text: string): string {
  const file = path.join(tempDir('lifeline-dead-'), 'plan.yaml');
  fs.writeFileSync(file, text);
  return file;
}

async function planCheck(text: string): Promise<{ file: string; code: number; out: string }> {
  const file = writePlan(text);
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  try {
    const code = await main(['plan', 'check', file]);
    return { file, code, out: lines.join('\n') };
  } finally {
    log.mockRestore();
  }
}

function patch(text: string, from: string, to: string): string {
  expect(text.split(from), from).toHaveLength(2); // exactly one occurrence
  return text.replace(from, to);
}

/** 1-based line and column of `token` on the first line containing `line` (after patching). */
function locate(text: string, line: string, token: string): string {
  const lines = text.split('\n');
  const index = lines.findIndex((l) => l.includes(line));
  expect(index, line).toBeGreaterThanOrEqual(0);
  const column = lines[index]!.indexOf(token, lines[index]!.indexOf(line));
  expect(column, token).toBeGreaterThanOrEqual(0);
  return `${index + 1}:${column + 1}`;
}

interface Case {
  name: string;
  patches: [from: string, to: string][];
  severity: 'error' | 'warning';
  path: string;
  /** [text on the reported line, token the column points at] */
  at: [line: string, token: string];
  message: RegExp;
}

const cases: Case[] = [
  {
    name: 'a state metric compared with a number',
    patches: [['op: "==", value: down, colour: red', 'op: "==", value: 0, colour: red']],
    severity: 'error',
    path: 'monitoring.thresholds[1].value',
    at: ['id: db_red', '0, colour'],
    message: /state metric .*never equals the number 0/,
  },
  {
    name: 'a state metric compared with >',
    patches: [['op: "==", value: down, colour: red', 'op: ">", value: down, colour: red']],
    severity: 'error',
    path: 'monitoring.thresholds[1].op',
    at: ['id: db_red', '">"'],
    message: /cannot compare the state metric "db_service_up"; use == or !=/,
  },
  {
    name: 'a number metric compared with a state',
    patches: [['op: ">",  value: 90,', 'op: "==", value: down,']],
    severity: 'error',
    path: 'monitoring.thresholds[0].value',
    at: ['id: cpu_orange', 'down'],
    message: /number metric: it never matches "down"/,
  },
  {
    name: 'a threshold on an undeclared metric',
    patches: [['metric: cpu_usage_pct, op', 'metric: cpu_usage, op']],
    severity: 'error',
    path: 'monitoring.thresholds[0].metric',
    at: ['id: cpu_orange', 'cpu_usage'],
    message: /"cpu_usage" is not declared in monitoring\.metrics/,
  },
  {
    name: 'an escalation waiting for an obligation that is never breached',
    patches: [['when: { obligation_breached: O3.3 }', 'when: { obligation_breached: OR.1 }']],
    severity: 'error',
    path: 'escalations[0].when.obligation_breached',
    at: ['obligation_breached: OR.1', 'OR.1'],
    message: /"OR\.1" has no deadline .* never breached/,
  },
  {
    name: 'an escalation on a criterion that does not exist',
    patches: [['criterion_fired: [L1.a, L1.b, L1.c]', 'criterion_fired: [L1.a, L1.b, L1.x]']],
    severity: 'error',
    path: 'escalations[1].when.criterion_fired[2]',
    at: ['criterion_fired: [L1.a, L1.b, L1.x]', 'L1.x'],
    message: /criterion "L1\.x" is not defined/,
  },
  {
    name: 'an escalation with an empty when',
    patches: [['when: { criterion_fired: [L1.a, L1.b, L1.c] }', 'when: {}']],
    severity: 'error',
    path: 'escalations[1].when',
    at: ['when: {}', '{}'],
    message: /no trigger/,
  },
  {
    name: 'an obligation whose actor is never paged',
    patches: [
      ['on_breach: [mark_overdue, { page: monitoring_post }, { notify: tech_lead }]', 'on_breach: [mark_overdue, { notify: tech_lead }]'],
      ['    page_on_start: false\n    on_breach: [mark_overdue, { page: tech_lead }]', '    on_breach: [mark_overdue, { page: tech_lead }]'], // O3.1 pages the post again: one finding, OM.1's
    ],
    severity: 'warning',
    path: `obligations[${at(plan.obligations, 'OM.1')}].page_on_start`,
    at: ['page_on_start: false       # a routine round', 'false'],
    message: /nobody is ever paged for "OM\.1"/,
  },
  {
    name: 'a ladder with no path upward in time',
    patches: [
      ['        duration: { gt: PT2H }\n', ''],
      ['        duration: { gt: PT4H }\n', ''],
      ['        duration: { gt: PT1H }\n', ''],
      ['then: { set_level_at_least: L2 }', 'then: { set_level_at_least: L3 }'],
    ],
    severity: 'warning',
    path: 'levels[2].default',
    at: ['default: true', 'true'],
    message: /no path upward in time from the default level L3/,
  },
  {
    name: 'a checklist item naming no obligation',
    patches: [['obligation: O3.1, prov: "seed:三(二)1 (wording inferred)"', 'obligation: O3.9, prov: "seed:三(二)1 (wording inferred)"']],
    severity: 'error',
    path: 'checklists.tech.L3[0].obligation',
    at: ['id: T3.1', 'O3.9'],
    message: /obligation "O3\.9" is not defined/,
  },
  {
    name: 'a criterion using an undeclared impact flag',
    patches: [['impact_flags: [emergency_imaging_blocked] }', 'impact_flags: [emergency_imaging_stopped] }']],
    severity: 'warning',
    path: 'levels[0].criteria[1].when.impact_flags[0]',
    at: ['emergency_imaging_stopped', 'emergency_imaging_stopped'],
    message: /"emergency_imaging_stopped" is not declared in impact_flags/,
  },
  {
    name: 'an impact flag implying an unknown scenario',
    patches: [['en: "Data encrypted by ransomware" }, implies: { scenario: CYBER } }', 'en: "Data encrypted by ransomware" }, implies: { scenario: CYBERR } }']],
    severity: 'error',
    path: `impact_flags[${at(plan.impact_flags ?? [], 'ransomware_encryption')}].implies.scenario`,
    at: ['id: ransomware_encryption', 'CYBERR'],
    message: /scenario "CYBERR" is not defined/,
  },
  {
    name: 'issues_reports when no system issues reports',
    patches: [
      ['category: key, in_scope: true, issues_reports: true,', 'category: key, in_scope: true,'],
      ['category: medtech, in_scope: true, issues_reports: true,', 'category: medtech, in_scope: true,'],
    ],
    severity: 'warning',
    path: 'levels[1].criteria[1].when.issues_reports',
    at: ['when: { issues_reports: true', 'true'],
    message: /no system issues reports/,
  },
  {
    name: 'evidence recorded by an unknown platform event',
    patches: [['recorded_by: [downtime.session_started]', 'recorded_by: [downtime.session_begun]']],
    severity: 'error',
    path: `evidence[${at(plan.evidence, 'manual_mode_started')}].recorded_by[0]`,
    at: ['downtime.session_begun', 'downtime.session_begun'],
    message: /"downtime\.session_begun" is not a platform event; known: downtime\.session_started, downtime\.mi_reupload_done/,
  },
  {
    name: 'applies_if naming an unknown system',
    patches: [['applies_if: { systems_affected: [MI_SETTLEMENT,', 'applies_if: { systems_affected: [MI_SETTLEMNT,']],
    severity: 'error',
    path: `obligations[${at(plan.obligations, 'OR.3')}].applies_if.systems_affected[0]`,
    at: ['systems_affected: [MI_SETTLEMNT', 'MI_SETTLEMNT'],
    message: /system "MI_SETTLEMNT" is not defined/,
  },
];

const patched = (c: Case) => c.patches.reduce((t, [from, to]) => patch(t, from, to), DEFAULT);

describe('lifeline plan check: dead rules', () => {
  it.each(cases)('$name', async (c) => {
    const text = patched(c);
    const { file, code, out } = await planCheck(text);
    const line = out.split('\n').find((l) => l.includes(` ${c.severity} ${c.path}: `));
    expect(line, out).toBeDefined();
    expect(line!.startsWith(`${file}:${locate(text, ...c.at)} ${c.severity} ${c.path}: `), line).toBe(true);
    expect(line).toMatch(c.message);
    expect(code).toBe(c.severity === 'error' ? 1 : 0);
    if (c.severity === 'warning') expect(out).toMatch(/0 error\(s\), 1 warning\(s\)/);
  });

  it('the default plan has none', async () => {
    const { code, out } = await planCheck(DEFAULT);
    expect(out).toMatch(/0 error\(s\), 0 warning\(s\)/);
    expect(code).toBe(0);
  });

  it('the lifeline binary prints the same and exits 1', () => {
    const c = cases[0]!;
    const text = patched(c);
    const file = writePlan(text);
    const r = spawnSync(process.execPath, ['bin/lifeline.js', 'plan', 'check', file], { encoding: 'utf8', env: { ...process.env, LIFELINE_DATA_DIR: tempDir('lifeline-cli-') } });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${file}:${locate(text, ...c.at)} error ${c.path}: `);
  });
});
