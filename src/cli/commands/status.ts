import path from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors.js';
import { CliError, type CliCommand } from '../command.js';
import { openPlatform } from '../context.js';

export const statusExportCommand: CliCommand = {
  name: 'status export',
  summary: "write the patient status page to DIR as static files (index.html, en/index.html, status.json) for the hospital's website or CDN",
  usage: 'status export DIR',
  async run(args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    if (positionals.length !== 1) throw new CliError('name the folder to write the status page to: lifeline status export DIR', 2);
    const dir = path.resolve(positionals[0]);
    const p = await openPlatform();
    try {
      const files = await p.statusPage.exportTo(dir);
      const doc = (await p.statusPage.page.current()).doc;
      const affected = doc.services.filter((s) => s.state !== 'normal').length;
      console.log(
        `status page written to ${dir}: ${files.map((f) => path.relative(dir, f)).join(', ')} (${affected ? `${affected} of ${doc.services.length} services affected` : 'all services normal'})`,
      );
      return 0;
    } catch (err) {
      if (err instanceof AppError && err.code === 'EXPORT_NOT_WRITABLE') throw new CliError(err.message);
      throw err;
    } finally {
      await p.stop();
    }
  },
};
