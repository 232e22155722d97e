import { parseArgs } from 'node:util';
import { CliError, type CliCommand } from '../../command.js';
import { withSources } from './shared.js';

export const sourceRevokeCommand: CliCommand = {
  name: 'source revoke',
  summary: 'revoke an intake source key (its signals are kept)',
  usage: 'source revoke NAME',
  async run(args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    if (positionals.length !== 1) throw new CliError(`usage: lifeline ${this.usage}`, 2);
    const source = await withSources((sources) => sources.revoke(positionals[0]!));
    console.log(`source ${source.name} revoked at ${new Date(source.revokedAt!).toISOString()}; its key is refused from now on.`);
    return 0;
  },
};
