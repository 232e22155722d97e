import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildKit, findChromium, printToPdf, writeKit } from '../../downtime/index.js';
import { createKit } from '../../downtime/forms.js';
import { fetchContacts } from '../../downtime/kit-routes.js';
import { buildApp } from '../../http/app.js';
import { appExtensions } from '../../http/extensions.js';
import { CliError, type CliCommand } from '../command.js';
import { openPlatform } from '../context.js';

export const kitExportCommand: CliCommand = {
  name: 'kit export',
  summary: 'write the offline downtime kit to DIR: HTML that opens from file:// plus forms.pdf (system Chromium)',
  usage: 'kit export DIR [--copies N] [--no-pdf]',
  async run(args) {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { copies: { type: 'string' }, 'no-pdf': { type: 'boolean', default: false } } });
    if (positionals.length !== 1) throw new CliError('name the folder to write the kit to: lifeline kit export DIR', 2);
    const copies = values.copies === undefined ? undefined : Number(values.copies);
    if (copies !== undefined && (!Number.isInteger(copies) || copies < 1 || copies > 99)) throw new CliError('--copies is a whole number from 1 to 99', 2);
    const chromium = values['no-pdf'] ? undefined : findChromium();
    if (!values['no-pdf'] && !chromium) throw new CliError('no Chromium found for the PDF (set LIFELINE_CHROMIUM=/path/to/chromium, or use --no-pdf)');
    const dir = path.resolve(positionals[0]);
    const p = await openPlatform();
    try {
      const ctx = p.downtime;
      // The rota comes from the server's own routes, in process (the CLI runs where the database is).
      const app = await buildApp(p, { extensions: appExtensions, logger: false });
      const contacts = await fetchContacts(app).finally(() => app.close());
      const kit = await createKit(ctx, 'export', `cli:${os.userInfo().username}`, copies);
      const files = await buildKit(ctx, kit, { contacts, generatedAt: p.clock.now() });
      writeKit(dir, files);
      if (chromium) await printToPdf(chromium, path.join(dir, 'forms', 'all.html'), path.join(dir, 'forms.pdf'));
      console.log(
        `kit ${kit.code} written to ${dir}: index.html, ${files.length - 2} form pages${chromium ? ', forms.pdf' : ''} (${kit.copies_per_form} serial-numbered copies of each form; on-call: ${contacts.entries.length ? `${contacts.entries.length} entries` : contacts.source})`,
      );
      console.log(`open ${path.join(dir, 'index.html')} in a browser; it states its generation date and warns once it is a week old`);
      return 0;
    } finally {
      await p.stop();
    }
  },
};
