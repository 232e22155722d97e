import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { DrillRunView } from '../../drills/service.js';
import { AppError, ValidationError } from '../../shared/errors.js';
import { CliError, type CliCommand } from '../command.js';
import { openPlatform } from '../context.js';

const ACTOR = 'cli';
const SERVER_NOTE = 'a running Lifeline server injects its steps on real time (within about a second); without one, nothing is injected until it starts';

function line(r: DrillRunView): string {
  const steps = `${r.nextStep}/${r.stepsTotal} steps in`;
  return `${r.id}  ${r.state.padEnd(7)}  ×${r.timeFactor}  ${r.startedAt}  ${steps}  ${r.scenarioName}${r.catalogueId ? ` (${r.catalogueId})` : ''}`;
}

/** Errors of the drill commands as the CLI says them: a bad scenario names its line and column. */
function cliError(err: unknown): never {
  if (err instanceof ValidationError) {
    const where = err.issues.map((i) => `${i.line !== undefined ? `${i.line}:${i.column} ` : ''}${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n  ');
    throw new CliError(`${err.message}\n  ${where}`, 2);
  }
  if (err instanceof AppError) throw new CliError(`${err.code}: ${err.message}`);
  throw err;
}

const drillStart: CliCommand = {
  name: 'drill start',
  summary: 'start a drill: inject a scenario (the simulate format) into the live system, marked 演练',
  usage: 'drill start SCENARIO.yaml [--time-factor N]',
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'time-factor': { type: 'string' } } });
    if (positionals.length !== 1) throw new CliError('name one scenario file: lifeline drill start SCENARIO.yaml [--time-factor N]', 2);
    const file = positionals[0];
    if (!fs.existsSync(file)) throw new CliError(`${file}: no such file`, 2);
    const factor = values['time-factor'] === undefined ? undefined : Number(values['time-factor']);
    if (factor !== undefined && !(Number.isFinite(factor) && factor >= 1 && factor <= 1000)) throw new CliError('--time-factor must be a number from 1 to 1000', 2);
    const p = await openPlatform();
    try {
      const run = await p.drills.startRun({ scenarioYaml: fs.readFileSync(file, 'utf8'), timeFactor: factor, organiser: ACTOR }, { inject: false }).catch(cliError);
      console.log(`drill started: ${line(run)}`);
      console.log(SERVER_NOTE);
      console.log(run.id);
      return 0;
    } finally {
      await p.stop();
    }
  },
};

const drillList: CliCommand = {
  name: 'drill list',
  summary: 'list drill runs, newest first',
  usage: 'drill list',
  async run(args) {
    parseArgs({ args, allowPositionals: false, options: {} });
    const p = await openPlatform();
    try {
      const runs = await p.drills.listRuns();
      if (runs.length === 0) console.log('no drill runs');
      for (const r of runs) console.log(line(r));
      return 0;
    } finally {
      await p.stop();
    }
  },
};

function change(verb: 'pause' | 'resume' | 'end', summary: string): CliCommand {
  return {
    name: `drill ${verb}`,
    summary,
    usage: `drill ${verb} ID`,
    async run(args) {
      const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
      if (positionals.length !== 1) throw new CliError(`name the run: lifeline drill ${verb} ID (see lifeline drill list)`, 2);
      const p = await openPlatform();
      try {
        const id = positionals[0];
        const run = await (verb === 'pause' ? p.drills.pauseRun(id, ACTOR) : verb === 'resume' ? p.drills.resumeRun(id, ACTOR, { inject: false }) : p.drills.endRun(id, ACTOR)).catch(cliError);
        console.log(`drill ${verb === 'end' ? 'ended' : verb === 'pause' ? 'paused' : 'resumed'}: ${line(run)}`);
        if (verb === 'resume') console.log(SERVER_NOTE);
        return 0;
      } finally {
        await p.stop();
      }
    },
  };
}

export const drillCommands: CliCommand[] = [
  drillStart,
  drillList,
  change('pause', 'pause a drill: nothing more is injected until it resumes'),
  change('resume', 'resume a paused drill; the remaining steps shift by the pause'),
  change('end', 'end a drill: its incidents close, its pages stop, nothing more is injected'),
];
