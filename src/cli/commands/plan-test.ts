import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseDocument } from 'yaml';
import { loadConfig } from '../../config/index.js';
import { DEFAULT_PLAN_PATH, hasErrors, loadPlanFile } from '../../plan/load.js';
import { formatIssues } from '../../plan/show.js';
import type { Plan } from '../../plan/types.js';
import { parseScenarioText } from '../../scenarios/load.js';
import type { Scenario } from '../../scenarios/scenario.js';
import { ValidationError } from '../../shared/errors.js';
import { runScenario } from '../../simulate/run.js';
import { CliError, type CliCommand } from '../command.js';

/** Every .yaml/.yml file under a folder, sorted by path. */
function yamlFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/** A scenario is a YAML document with `steps`; plan files and other YAML kept beside the scenarios are not. */
function looksLikeScenario(text: string): boolean {
  const doc = parseDocument(text);
  const js: unknown = doc.errors.length ? null : doc.toJS();
  return doc.errors.length > 0 || (typeof js === 'object' && js !== null && 'steps' in js);
}

interface Outcome {
  file: string;
  passed: boolean;
  lines: string[];
}

/**
 * `lifeline plan test DIR`: the hospital's own scenarios against its plan, for the plan's own CI. Every scenario under
 * DIR (recursively) runs on a virtual clock against the plan under test (`plan: default` in a scenario means that
 * plan; a scenario naming a plan file uses that file); each drill of the plan's catalogue must name a scenario
 * that exists under DIR. Exit 1 when a scenario is broken or an expectation fails.
 */
export const planTestCommand: CliCommand = {
  name: 'plan test',
  summary: "run a folder of scenarios against the plan (its drills' scenarios included); exit 1 on a broken scenario or a failed expectation",
  usage: 'plan test DIR [--plan FILE]',
  async run(args) {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { plan: { type: 'string' } } });
    if (positionals.length !== 1) throw new CliError('name one scenario folder, e.g. `lifeline plan test scenarios/`', 2);
    const dir = positionals[0]!;
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new CliError(`${dir}: no such folder`);
    const planPath = values.plan ?? loadConfig().plan.path ?? DEFAULT_PLAN_PATH;
    const loaded = loadPlanFile(planPath);
    if (!loaded.plan || hasErrors(loaded.issues)) {
      console.error(formatIssues(loaded.issues));
      throw new CliError(`${planPath}: the plan has errors (see \`lifeline plan check\`)`);
    }
    const planUnderTest = loaded.plan;
    const otherPlans = new Map<string, Plan>();
    const planFor = (scenario: Scenario, file: string): Plan => {
      if (scenario.plan === 'default') return planUnderTest;
      const key = path.resolve(path.dirname(file), scenario.plan);
      if (!otherPlans.has(key)) {
        const other = loadPlanFile(key);
        if (!other.plan) throw new ValidationError(`${scenario.plan}: invalid plan`, other.issues, 'PLAN_INVALID');
        otherPlans.set(key, other.plan);
      }
      return otherPlans.get(key)!;
    };

    const outcomes: Outcome[] = [];
    for (const file of yamlFiles(dir)) {
      const text = fs.readFileSync(file, 'utf8');
      if (!looksLikeScenario(text)) continue;
      try {
        const scenario = parseScenarioText(text, file);
        const result = await runScenario(scenario, planFor(scenario, file));
        outcomes.push({ file, passed: result.passed, lines: result.failures.map((f) => `${file}: ${f}`) });
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        outcomes.push({ file, passed: false, lines: [formatIssues(err.issues.length ? err.issues : [{ file, path: '', message: err.message }])] });
      }
    }
    for (const drill of planUnderTest.drills?.catalogue ?? []) {
      if (!drill.scenario) continue;
      const file = path.join(dir, drill.scenario);
      if (!fs.existsSync(file)) outcomes.push({ file, passed: false, lines: [`${planPath}: drill ${drill.id} names scenario ${drill.scenario}, which is not under ${dir}`] });
    }

    for (const o of outcomes) {
      console.log(`${o.passed ? 'PASS' : 'FAIL'}  ${o.file}`);
      for (const line of o.lines) console.log(`  ${line.replaceAll('\n', '\n  ')}`);
    }
    const failed = outcomes.filter((o) => !o.passed).length;
    if (outcomes.length === 0) throw new CliError(`${dir}: no scenario found (a scenario is a YAML file with \`steps\`)`);
    console.log(`\n${outcomes.length - failed} passed, ${failed} failed — plan ${planUnderTest.plan.id}@${planUnderTest.plan.version}`);
    return failed ? 1 : 0;
  },
};
