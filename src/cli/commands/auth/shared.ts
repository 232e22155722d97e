import { openPlatform } from '../../context.js';
import { CliError } from '../../command.js';
import type { Lifeline } from '../../../app/compose.js';
import type { AuthService } from '../../../auth/service.js';

/** Runs `job` on the configured database (the same one the server uses), then closes it. */
export async function withAuth<T>(job: (auth: AuthService, p: Lifeline) => Promise<T>): Promise<T> {
  const p = await openPlatform();
  try {
    return await job(p.auth, p);
  } finally {
    await p.stop();
  }
}

export function table(rows: string[][]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const r of rows)
    console.log(
      r
        .map((cell, c) => cell.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    );
}

export const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads a line from the terminal without echoing it. */
function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = process.stdin;
    input.setRawMode(true); // before the prompt: nothing typed after it is echoed
    process.stderr.write(prompt);
    let value = '';
    input.resume();
    input.setEncoding('utf8');
    const done = (err?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new CliError('cancelled', 130));
        if (ch === '\u0004') return done();
        if (ch === '\u007f' || ch === '\b') value = [...value].slice(0, -1).join('');
        else if (ch >= ' ') value += ch;
      }
    };
    input.on('data', onData);
  });
}

/**
 * The new password: from stdin with --password-stdin (first line, without its line break), else asked twice on
 * the terminal. There is no default password and no password argument (it would show in `ps` and shell history).
 */
export async function newPassword(fromStdin: boolean | undefined, username: string): Promise<string> {
  if (fromStdin) {
    const text = await readStdin();
    const password = text.split(/\r?\n/)[0] ?? '';
    if (!password) throw new CliError('--password-stdin: stdin was empty', 2);
    return password;
  }
  if (!process.stdin.isTTY) throw new CliError('no terminal to ask for the password: pipe it in with --password-stdin', 2);
  const first = await askHidden(`New password for ${username}: `);
  const second = await askHidden('Repeat it: ');
  if (first !== second) throw new CliError('the two passwords differ; nothing changed');
  return first;
}
