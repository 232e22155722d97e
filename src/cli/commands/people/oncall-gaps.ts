import { parseArgs } from 'node:util';
import type { CliCommand } from '../../command.js';
import { localDateTime } from '../../../people/zoned.js';
import { table, withPeople } from './shared.js';

export const oncallGapsCommand: CliCommand = {
  name: 'oncall gaps',
  summary: 'warn about duty slots nobody (active) holds in the coming days, for every role the plan pages',
  usage: 'oncall gaps [--days N] [--role ROLE]',
  async run(args) {
    const { values } = parseArgs({ args, options: { days: { type: 'string', default: '14' }, role: { type: 'string' } } });
    return withPeople(async (people, p) => {
      const gaps = await people.gaps({ days: Number(values.days), roles: values.role ? [values.role] : undefined });
      if (gaps.length === 0) {
        console.log(`every paged role is staffed for the next ${values.days} days`);
        return 0;
      }
      const tz = p.config.timezone;
      console.log(
        table([['ROLE', 'FROM', 'TO', 'WHY'], ...gaps.map((g) => [g.role, localDateTime(g.from, tz), localDateTime(g.to, tz), g.reason === 'nobody' ? 'nobody on duty' : 'only inactive people'])]),
      );
      return 1;
    });
  },
};
