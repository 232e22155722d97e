import { parseArgs } from 'node:util';
import type { CliCommand } from '../../command.js';
import { withSources } from './shared.js';

export const sourceListCommand: CliCommand = {
  name: 'source list',
  summary: 'list intake sources (never their keys)',
  usage: 'source list [--json]',
  async run(args) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
    const list = await withSources((sources) => sources.list());
    if (values.json) {
      console.log(JSON.stringify(list, null, 2));
      return 0;
    }
    const rows = [
      ['NAME', 'TYPE', 'CREATED', 'STATE', 'RULES'],
      ...list.map((s) => [s.name, s.type, new Date(s.createdAt).toISOString(), s.revokedAt === null ? 'active' : `revoked ${new Date(s.revokedAt).toISOString()}`, String(s.rules.length)]),
    ];
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    for (const r of rows)
      console.log(
        r
          .map((cell, c) => cell.padEnd(widths[c]!))
          .join('  ')
          .trimEnd(),
      );
    return 0;
  },
};
