import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../../config/index.js';
import { refuseIfRunning, restore, verifyBackup } from '../../../storage/backup.js';
import { CliError, type CliCommand } from '../../command.js';
import { dataFiles, reporting } from './shared.js';

export const restoreCommand: CliCommand = {
  name: 'restore',
  summary:
    'put the backup in DIR back into the configured data dir (or PostgreSQL database, with pg_restore --clean): refuses while Lifeline runs on it or if a file fails its manifest checksum; replaces existing data only with --force, keeping it in <data dir>/pre-restore-<time>/',
  usage: 'restore DIR [--force] [--check]',
  async run(args) {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { force: { type: 'boolean', default: false }, check: { type: 'boolean', default: false } } });
    if (positionals.length !== 1) throw new CliError('name the backup folder: lifeline restore DIR', 2);
    const dir = path.resolve(positionals[0]);
    if (values.check) {
      const manifest = await reporting(async () => verifyBackup(dir));
      console.log(`${dir}: ${manifest.files.length} files match manifest.json (${manifest.database} backup of ${manifest.createdAt}, Lifeline ${manifest.lifelineVersion}); nothing restored`);
      return 0;
    }
    const config = loadConfig();
    const files = dataFiles(config);
    const result = await reporting(async () => {
      verifyBackup(dir); // a damaged backup is refused before anything else is looked at
      await refuseIfRunning(files, config.server);
      return restore(dir, files, { force: values.force });
    });
    const m = result.manifest;
    console.log(`restored the ${m.database} backup of ${m.createdAt} (Lifeline ${m.lifelineVersion}, ${m.migrations.length} migrations) from ${dir}; every file matched its sha256`);
    for (const r of result.restored) console.log(`  ${r}`);
    if (result.keptIn) console.log(`the replaced files are kept in ${result.keptIn}`);
    console.log('start Lifeline again (systemctl start lifeline): it applies any newer migrations and fires the timers that fell due meanwhile');
    return 0;
  },
};
