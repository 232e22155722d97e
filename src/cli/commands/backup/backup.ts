import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../../config/index.js';
import { backup, MANIFEST } from '../../../storage/backup.js';
import { CliError, type CliCommand } from '../../command.js';
import { dataFiles, KEY_TABLES, reporting, size } from './shared.js';

export const backupCommand: CliCommand = {
  name: 'backup',
  summary:
    "write a consistent backup to the new folder DIR while the server runs: SQLite online backup of the database and the intake journal (or pg_dump on PostgreSQL), the data dir's secret and config files, and manifest.json (sha256, row counts)",
  usage: 'backup DIR',
  async run(args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    if (positionals.length !== 1) throw new CliError('name the new folder to write the backup to: lifeline backup DIR', 2);
    const dir = path.resolve(positionals[0]);
    const config = loadConfig();
    const manifest = await reporting(() => backup(dataFiles(config), dir));
    console.log(`backup written to ${dir} (${manifest.database}, Lifeline ${manifest.lifelineVersion}, ${manifest.migrations.length} migrations, last ${manifest.migrations.at(-1) ?? '—'})`);
    const width = Math.max(...manifest.files.map((f) => f.name.length));
    for (const f of manifest.files) {
      const rows = manifest.rows[f.name] ?? (f.role === 'dump' ? manifest.rows.schema : undefined);
      const counts = rows
        ? KEY_TABLES.filter((t) => t in rows)
            .map((t) => `${t} ${rows[t]}`)
            .join(', ')
        : '';
      console.log(`  ${f.name.padEnd(width)}  ${size(f.bytes).padStart(9)}  sha256 ${f.sha256.slice(0, 12)}…${counts ? `  ${counts}` : ''}`);
    }
    console.log(`  ${MANIFEST}: every file's sha256 and every table's row count; check and put back with: lifeline restore ${dir}`);
    return 0;
  },
};
