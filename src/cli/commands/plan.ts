import { parseArgs } from 'node:util';
import { DEFAULT_PLAN_PATH, hasErrors, loadPlanFile } from '../../plan/load.js';
import { formatIssues, formatPlanTable } from '../../plan/show.js';
import { loadConfig } from '../../config/index.js';
import { CliError, type CliCommand } from '../command.js';

/** The plan file a command acts on: the argument, else LIFELINE_PLAN, else the built-in default. */
function planFile(positionals: string[]): string {
  if (positionals.length > 1) throw new CliError('name at most one plan file', 2);
  return positionals[0] ?? loadConfig().plan.path ?? DEFAULT_PLAN_PATH;
}

export const planCheckCommand: CliCommand = {
  name: 'plan check',
  summary: 'validate and lint a plan, dead rules included; print every error and warning (exit 1 on errors)',
  usage: 'plan check [FILE]',
  async run(args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    const file = planFile(positionals);
    const { plan, issues } = loadPlanFile(file);
    if (issues.length) console.log(formatIssues(issues));
    const errors = issues.filter((i) => i.severity !== 'warning').length;
    const warnings = issues.length - errors;
    console.log(`${file}: ${errors} error(s), ${warnings} warning(s)${plan ? ` — plan ${plan.plan.id}@${plan.plan.version} is usable` : ''}`);
    return hasErrors(issues) ? 1 : 0;
  },
};

export const planShowCommand: CliCommand = {
  name: 'plan show',
  summary: 'print the plan as readable tables (source, organisation, levels, criteria, deadlines, monitoring)',
  usage: 'plan show [FILE] [--lang zh|en]',
  async run(args) {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { lang: { type: 'string', default: 'zh' } } });
    if (values.lang !== 'zh' && values.lang !== 'en') throw new CliError('--lang is zh or en', 2);
    const file = planFile(positionals);
    const { plan, issues } = loadPlanFile(file);
    if (!plan) {
      console.error(formatIssues(issues));
      return 1;
    }
    console.log(formatPlanTable(plan, values.lang));
    return 0;
  },
};
