import { parseArgs } from 'node:util';
import { CliError, type CliCommand } from '../../command.js';
import { openPlatform } from '../../context.js';

export const notifyTestCommand: CliCommand = {
  name: 'notify test',
  summary: 'send a clearly marked test message on one channel to one person (id, 工号, mobile or name)',
  usage: 'notify test --channel CHANNEL --to PERSON',
  async run(args) {
    const { values } = parseArgs({ args, options: { channel: { type: 'string' }, to: { type: 'string' } } });
    if (!values.channel || !values.to) throw new CliError('usage: lifeline notify test --channel CHANNEL --to PERSON', 2);
    const p = await openPlatform();
    try {
      const { paging } = p;
      const attempt = await paging.sendTest(values.channel, values.to);
      const d = attempt.delivery;
      if (d.status === 'sent') {
        console.log(`sent a test message to ${attempt.person.name} via ${values.channel} in ${attempt.ms} ms${d.providerRef ? ` (ref ${d.providerRef})` : ''}`);
        return 0;
      }
      console.error(`failed (${d.retryable ? 'retryable' : 'permanent'}): ${d.reason}`);
      return 1;
    } finally {
      await p.stop();
    }
  },
};
