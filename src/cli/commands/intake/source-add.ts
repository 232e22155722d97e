import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { CliError, type CliCommand } from '../../command.js';
import { parseInput } from '../../../shared/parse-input.js';
import { createSourceSchema, SOURCE_TYPES } from '../../../intake/sources.js';
import { withSources } from './shared.js';

export const sourceAddCommand: CliCommand = {
  name: 'source add',
  summary: 'create an intake source; prints its key once, as the last line',
  usage: `source add NAME --type ${SOURCE_TYPES.join('|')} [--rules FILE.json] [--severity-map JSON] [--system ID] [--component NAME] [--period 5m] [--resolve-timeout 5m]`,
  async run(args) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        type: { type: 'string' },
        rules: { type: 'string' },
        'severity-map': { type: 'string' },
        system: { type: 'string' },
        component: { type: 'string' },
        period: { type: 'string' },
        'resolve-timeout': { type: 'string' },
      },
    });
    if (positionals.length !== 1) throw new CliError(`usage: lifeline ${this.usage}`, 2);
    if (!values.type) throw new CliError(`--type is required (${SOURCE_TYPES.join(', ')})`, 2);
    const json = (what: string, text: string) => {
      try {
        return JSON.parse(text) as unknown;
      } catch (err) {
        throw new CliError(`${what} is not JSON: ${(err as Error).message}`, 2);
      }
    };
    const options = Object.fromEntries(
      Object.entries({
        system: values.system,
        component: values.component,
        period: values.period,
        resolveTimeout: values['resolve-timeout'],
      }).filter(([, v]) => v !== undefined),
    );
    const input = parseInput(
      createSourceSchema,
      {
        name: positionals[0],
        type: values.type,
        options,
        ...(values.rules ? { rules: json(values.rules, fs.readFileSync(values.rules, 'utf8')) } : {}),
        ...(values['severity-map'] ? { severityMap: json('--severity-map', values['severity-map']) } : {}),
      },
      'arguments',
    );
    const { source, key } = await withSources((sources) => sources.create(input));
    console.log(`source ${source.name} (${source.type}) created; ${source.rules.length} mapping rule(s).`);
    console.log(
      source.type === 'heartbeat'
        ? `Beat with: curl -fsS <lifeline>/api/v1/heartbeat/<key> at least every ${source.options.period}. The key is shown only this once:`
        : source.type === 'pagerduty'
          ? 'Use it as the routing_key (or Authorization: Bearer <key>). The key is shown only this once:'
          : 'Send it as Authorization: Bearer <key>. The key is shown only this once:',
    );
    console.log(key);
    return 0;
  },
};
