import { parseArgs } from 'node:util';
import type { ChainReport } from '../../../storage/index.js';
import { verifyChains } from '../../../storage/index.js';
import { CliError, type CliCommand } from '../../command.js';
import { openPlatform } from '../../context.js';

/** One line for a chain: intact with its length, or where it first breaks (table, sequence, id, what). */
export function chainLine(r: ChainReport): string {
  if (r.firstBroken) {
    const b = r.firstBroken;
    return `${r.table}: BROKEN at sequence ${b.seq}, id ${b.id}: ${b.problem}: ${b.detail}`;
  }
  return `${r.table}: intact, ${r.entries} entr${r.entries === 1 ? 'y' : 'ies'}${r.lastSeq === null ? '' : ` (sequence 1–${r.lastSeq})`}`;
}

export const auditVerifyCommand: CliCommand = {
  name: 'audit verify',
  summary: 'walk the hash chains of the timeline, the sign-in audit and the downtime event log; exit 1 at the first broken link',
  usage: 'audit verify [--json]',
  async run(args) {
    let values: { json?: boolean };
    try {
      ({ values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } }));
    } catch (err) {
      throw new CliError(`${(err as Error).message}\nusage: lifeline ${this.usage}`, 2);
    }
    const p = await openPlatform();
    let reports: ChainReport[];
    try {
      reports = await verifyChains(p.db);
    } finally {
      await p.stop();
    }
    if (values.json) console.log(JSON.stringify({ ok: reports.every((r) => r.ok), chains: reports }, null, 2));
    else for (const r of reports) (r.ok ? console.log : console.error)(chainLine(r));
    return reports.every((r) => r.ok) ? 0 : 1;
  },
};

/** `lifeline audit …` */
export const auditCommands: CliCommand[] = [auditVerifyCommand];
