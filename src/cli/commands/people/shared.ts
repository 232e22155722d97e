import { openPlatform } from '../../context.js';
import type { Lifeline } from '../../../app/compose.js';
import type { PeopleService } from '../../../people/service.js';

/** Runs `job` on the configured database (the one the server uses), then closes it. */
export async function withPeople<T>(job: (people: PeopleService, p: Lifeline) => Promise<T>): Promise<T> {
  const p = await openPlatform();
  try {
    return await job(p.people, p);
  } finally {
    await p.stop();
  }
}

export function table(rows: string[][]): string {
  const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => width(r[c] ?? ''))));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell + ' '.repeat(widths[c]! - width(cell)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
