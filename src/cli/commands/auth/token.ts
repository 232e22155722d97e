import { parseArgs } from 'node:util';
import { CliError, type CliCommand } from '../../command.js';
import { ROLE_IDS, isRole } from '../../../auth/roles.js';
import { iso, table, withAuth } from './shared.js';

export const tokenAddCommand: CliCommand = {
  name: 'token add',
  summary: 'create an API token for scripts; prints it once, as the last line',
  usage: `token add NAME --role ${ROLE_IDS.join('|')} [--plan-role ID]`,
  async run(args) {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { role: { type: 'string' }, 'plan-role': { type: 'string' } } });
    if (positionals.length !== 1) throw new CliError(`usage: lifeline ${this.usage}`, 2);
    if (!values.role || !isRole(values.role)) throw new CliError(`--role is required: one of ${ROLE_IDS.join(', ')}`, 2);
    const { token, value } = await withAuth((auth) => auth.accounts.addToken({ name: positionals[0]!, role: values.role!, planRole: values['plan-role'] }));
    console.log(`token ${token.name} created: role ${token.role}, acts in the plan as ${token.planRole ?? 'nobody (read only)'}.`);
    console.log('Send it as Authorization: Bearer <token>. Only its hash is kept; it is shown this once:');
    console.log(value);
    return 0;
  },
};

export const tokenListCommand: CliCommand = {
  name: 'token list',
  summary: 'list API tokens (never their values)',
  usage: 'token list [--json]',
  async run(args) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
    const tokens = await withAuth((auth) => auth.accounts.listTokens());
    if (values.json) {
      console.log(JSON.stringify(tokens, null, 2));
      return 0;
    }
    table([
      ['NAME', 'ROLE', 'PLAN ROLE', 'CREATED', 'LAST USED', 'STATE'],
      ...tokens.map((t) => [t.name, t.role, t.planRole ?? '-', iso(t.createdAt), iso(t.lastUsedAt), t.revokedAt === null ? 'active' : `revoked ${iso(t.revokedAt)}`]),
    ]);
    return 0;
  },
};

export const tokenRevokeCommand: CliCommand = {
  name: 'token revoke',
  summary: 'revoke an API token (refused from the next request on)',
  usage: 'token revoke NAME',
  async run(args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    if (positionals.length !== 1) throw new CliError(`usage: lifeline ${this.usage}`, 2);
    const token = await withAuth((auth) => auth.accounts.revokeToken(positionals[0]!));
    console.log(`token ${token.name} revoked.`);
    return 0;
  },
};
