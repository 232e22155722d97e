import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadPlan } from '../../plan/load.js';
import type { Plan } from '../../plan/types.js';
import { loadScenarioFile } from '../../scenarios/load.js';
import { runScenario, type SimulationResult } from '../../simulate/run.js';
import { CliError, type CliCommand } from '../command.js';

export const simulateCommand: CliCommand = {
  name: 'simulate',
  summary: 'run scenarios against the plan on a virtual clock; exit 1 if an expectation fails',
  usage: 'simulate SCENARIO.yaml… [--plan FILE] [--json]',
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { plan: { type: 'string' }, json: { type: 'boolean', default: false } } });
    if (positionals.length === 0) throw new CliError('name at least one scenario file', 2);
    const plans = new Map<string, Plan>();
    const planFor = (ref: string, scenarioFile: string): Plan => {
      const key = values.plan ?? (ref === 'default' ? 'default' : path.resolve(path.dirname(scenarioFile), ref));
      if (!plans.has(key)) plans.set(key, loadPlan(key === 'default' ? undefined : key));
      return plans.get(key)!;
    };
    const results: SimulationResult[] = [];
    for (const file of positionals) {
      if (!fs.existsSync(file)) throw new CliError(`${file}: no such file`);
      const scenario = loadScenarioFile(file);
      results.push(await runScenario(scenario, planFor(scenario.plan, file)));
    }
    if (values.json) {
      const out = results.map(({ incidents, ...r }) => ({ ...r, incidents: incidents.map(({ timeline: _t, ...i }) => i) }));
      console.log(JSON.stringify(out.length === 1 ? out[0] : out, null, 2));
    } else {
      for (const r of results) printResult(r);
      const failed = results.filter((r) => !r.passed).length;
      console.log(`\n${results.length - failed} scenario(s) passed, ${failed} failed`);
    }
    return results.every((r) => r.passed) ? 0 : 1;
  },
};

function printResult(r: SimulationResult): void {
  console.log(`\n${r.passed ? 'PASS' : 'FAIL'}  ${r.name}`);
  for (const i of r.incidents) {
    console.log(`  incident ${i.id} [${i.systems.join(', ') || '—'}] ${i.state} ${i.level}${i.provisional ? ' (provisional)' : ''}`);
    for (const t of i.timeline) console.log(`    ${t.at.slice(11, 19)}  ${t.kind.padEnd(20)} ${t.message}  (${t.actor})`);
    console.log(`    obligations: ${i.obligations.map((o) => `${o.id}=${o.state}`).join(' ')}`);
  }
  for (const f of r.failures) console.log(`  ✗ ${f}`);
}
