import { ConfigError } from '../config/index.js';
import { AppError } from '../shared/errors.js';
import { CliError, type CliCommand } from './command.js';
import { commands } from './commands/index.js';

function usage(): string {
  const width = Math.max(...commands.map((c) => c.usage.length));
  return ['usage: lifeline <command> [options]', '', ...commands.map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`)].join('\n');
}

/** Longest command name that prefixes the arguments wins (`plan check` before `plan`). */
function findCommand(argv: string[]): { command: CliCommand; rest: string[] } | undefined {
  const sorted = [...commands].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const command of sorted) {
    const words = command.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { command, rest: argv.slice(words.length) };
  }
  return undefined;
}

export async function main(argv: string[]): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    console.log(usage());
    return argv.length === 0 ? 2 : 0;
  }
  const found = findCommand(argv);
  if (!found) {
    console.error(`lifeline: unknown command '${argv.join(' ')}'\n\n${usage()}`);
    return 2;
  }
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    console.log(`usage: lifeline ${found.command.usage}\n\n${found.command.summary}`);
    return 0;
  }
  try {
    return await found.command.run(found.rest);
  } catch (err) {
    if (err instanceof CliError) {
      console.error(`lifeline ${found.command.name}: ${err.message}`);
      return err.exitCode;
    }
    if (err instanceof ConfigError) {
      console.error(`lifeline: ${err.message}`);
      return 1;
    }
    if (err instanceof AppError) {
      console.error(`lifeline ${found.command.name}: ${err.message}`);
      for (const i of err.issues) console.error(`  ${i.file ? `${i.file}:${i.line ?? 0}:${i.column ?? 0} ` : ''}${i.path}: ${i.message}`);
      return 1;
    }
    throw err;
  }
}
