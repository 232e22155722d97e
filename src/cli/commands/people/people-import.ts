import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CliError, type CliCommand } from '../../command.js';
import { importRoster } from '../../../people/importer.js';
import { withPeople } from './shared.js';

export const peopleImportCommand: CliCommand = {
  name: 'people import',
  summary: 'import people, role holders and a duty rota (值班表) from an .xlsx workbook or a CSV file',
  usage: 'people import FILE [--dry-run] [--partial] [--json]',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { 'dry-run': { type: 'boolean', default: false }, partial: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } },
    });
    const file = positionals[0];
    if (!file) throw new CliError('which file? usage: lifeline people import FILE', 2);
    if (!fs.existsSync(file)) throw new CliError(`${file} does not exist`);
    const bytes = fs.readFileSync(file);
    const report = await withPeople((people, p) =>
      importRoster(p.db, people.store, p.plan, bytes, { filename: path.basename(file), dryRun: values['dry-run'], partial: values.partial, actor: 'cli' }),
    );
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else {
      for (const s of report.sheets) console.log(`sheet ${s.name}: ${s.kind}, ${s.rows} rows`);
      for (const e of report.errors) console.error(`${e.sheet} row ${e.row}${e.field ? ` ${e.field}` : ''}: ${e.message}`);
      const what = `${report.people.created} people new, ${report.people.updated} updated, ${report.roles} roles, ${report.shifts} duty days`;
      console.log(report.applied ? `imported: ${what}` : report.errors.length ? `nothing imported (${report.errors.length} errors; --partial imports the good rows)` : `dry run: would import ${what}`);
    }
    return report.errors.length ? 1 : 0;
  },
};
