import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { exportRecords } from '../../downtime/index.js';
import { CliError, type CliCommand } from '../command.js';
import { openPlatform } from '../context.js';

export const downtimeExportCommand: CliCommand = {
  name: 'downtime export',
  summary: 'export downtime records (sessions, numbers, forms, back-entry, reconciliation, audit) as JSON for archiving',
  usage: 'downtime export FILE [--incident ID]',
  async run(args) {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { incident: { type: 'string' } } });
    if (positionals.length !== 1) throw new CliError('name the file to write: lifeline downtime export FILE (- for stdout)', 2);
    const p = await openPlatform();
    try {
      const data = await exportRecords(p.downtime, { incident: values.incident });
      const text = JSON.stringify(data, null, 2);
      if (positionals[0] === '-') process.stdout.write(text + '\n');
      else {
        fs.writeFileSync(positionals[0], text);
        console.log(`${positionals[0]}: ${data.sessions.length} session(s), ${data.numbers.length} number(s), ${data.forms.length} form(s), ${data.items.length} back-entry record(s)`);
      }
      return 0;
    } finally {
      await p.stop();
    }
  },
};
