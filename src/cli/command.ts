/** One CLI command; `name` may have several words (`plan check`). Register it in cli/commands/index.ts. */
export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** Returns the exit code. Throwing a CliError prints its message and exits 1 (2 for usage). */
  run(args: string[]): Promise<number>;
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
