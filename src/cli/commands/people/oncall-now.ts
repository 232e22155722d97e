import { parseArgs } from 'node:util';
import type { CliCommand } from '../../command.js';
import { localDateTime } from '../../../people/zoned.js';
import { table, withPeople } from './shared.js';

export const oncallNowCommand: CliCommand = {
  name: 'oncall now',
  summary: 'who holds each role of the plan now (or --at TIME), until when, and their deputies',
  usage: 'oncall now [--at ISO-TIME] [--json]',
  async run(args) {
    const { values } = parseArgs({ args, options: { at: { type: 'string' }, json: { type: 'boolean', default: false } } });
    const at = values.at ? Date.parse(values.at) : undefined;
    if (values.at && Number.isNaN(at)) throw new Error(`--at ${values.at} is not a time (2026-03-02T09:00:00+08:00)`);
    return withPeople(async (people, p) => {
      const items = await people.onDutyNow(at);
      if (values.json) {
        console.log(JSON.stringify({ items }, null, 2));
        return 0;
      }
      const tz = p.config.timezone;
      const rows = [
        ['ROLE', '角色', 'ON DUTY', 'SOURCE', 'UNTIL', 'DEPUTIES'],
        ...items.map((i) => [i.role, i.roleName.zh, i.person?.name ?? '— nobody —', i.source, i.until ? localDateTime(Date.parse(i.until), tz) : '', i.deputies.map((d) => d.name).join(', ')]),
      ];
      console.log(table(rows));
      return 0;
    });
  },
};
