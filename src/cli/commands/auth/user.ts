import { parseArgs } from 'node:util';
import { CliError, type CliCommand } from '../../command.js';
import { checkPassword } from '../../../auth/passwords.js';
import { ROLE_IDS, ROLES, isRole } from '../../../auth/roles.js';
import { iso, newPassword, table, withAuth } from './shared.js';

const CLI_CALLER = (what: string) => ({ ip: 'cli', userAgent: `lifeline ${what}` });
const oneName = (positionals: string[], usage: string) => {
  if (positionals.length !== 1) throw new CliError(`usage: lifeline ${usage}`, 2);
  return positionals[0]!;
};

export const userAddCommand: CliCommand = {
  name: 'user add',
  summary: 'create a local account (asks for the password twice, or reads it from --password-stdin)',
  usage: `user add NAME --role ${ROLE_IDS.join('|')} [--name DISPLAY] [--plan-role ID] [--person 工号|MOBILE|ID] [--password-stdin]`,
  async run(args) {
    const { positionals, values } = parseArgs({
      args,
      allowPositionals: true,
      options: { role: { type: 'string' }, name: { type: 'string' }, 'plan-role': { type: 'string' }, person: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    });
    const username = oneName(positionals, this.usage).toLowerCase();
    if (!values.role || !isRole(values.role)) throw new CliError(`--role is required: one of ${ROLE_IDS.join(', ')}`, 2);
    const password = await newPassword(values['password-stdin'], username);
    checkPassword(password, username);
    const user = await withAuth(async (auth, p) => {
      const personId = values.person ? (await p.people.store.find(values.person)).id : undefined;
      return auth.accounts.addUser({ username, password, role: values.role!, name: values.name, planRole: values['plan-role'], personId });
    });
    console.log(`user ${user.username} created: ${user.name}, role ${user.role} (${ROLES[user.role].label.en}), acts in the plan as ${user.planRole ?? 'nobody (read only)'}.`);
    console.log(
      user.person ? `linked to ${user.person.name} (${user.person.id}) of the people directory.` : `not linked to a person${user.unlinked ? `: ${user.unlinked}` : ''} (lifeline user link).`,
    );
    return 0;
  },
};

export const userListCommand: CliCommand = {
  name: 'user list',
  summary: 'list local accounts (never their passwords)',
  usage: 'user list [--json]',
  async run(args) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
    const users = await withAuth(async (auth) => Promise.all((await auth.accounts.listUsers()).map(async (u) => ({ ...u, lockedUntil: (await auth.lockState(u.username)).lockedUntil }))));
    if (values.json) {
      console.log(JSON.stringify(users, null, 2));
      return 0;
    }
    table([
      ['USER', 'NAME', 'ROLE', 'PLAN ROLE', 'STATE', 'PASSWORD SET', 'PERSON'],
      ...users.map((u) => [
        u.username,
        u.name,
        u.role,
        u.planRole ?? '-',
        u.disabledAt !== null ? `disabled ${iso(u.disabledAt)}` : u.lockedUntil !== null ? `locked until ${iso(u.lockedUntil)}` : 'active',
        iso(u.passwordChangedAt),
        u.person ? `${u.person.name} (${u.person.id})` : '-',
      ]),
    ]);
    return 0;
  },
};

export const userPasswdCommand: CliCommand = {
  name: 'user passwd',
  summary: "set a user's password (ends their sessions)",
  usage: 'user passwd NAME [--password-stdin]',
  async run(args) {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { 'password-stdin': { type: 'boolean' } } });
    const username = oneName(positionals, this.usage).toLowerCase();
    await withAuth((auth) => auth.accounts.getUser(username)); // fail before asking
    const password = await newPassword(values['password-stdin'], username);
    await withAuth((auth) => auth.accounts.setPassword(username, password));
    console.log(`password of ${username} changed; their sessions have ended.`);
    return 0;
  },
};

const toggle = (name: 'user disable' | 'user enable', disabled: boolean): CliCommand => ({
  name,
  summary: disabled ? 'disable an account (ends its sessions at once)' : 'enable a disabled account',
  usage: `${name} NAME`,
  async run(args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    const username = oneName(positionals, `${name} NAME`).toLowerCase();
    await withAuth((auth) => auth.accounts.setDisabled(username, disabled));
    console.log(`user ${username} ${disabled ? 'disabled; their sessions have ended' : 'enabled'}.`);
    return 0;
  },
});
export const userDisableCommand = toggle('user disable', true);
export const userEnableCommand = toggle('user enable', false);

export const userUnlockCommand: CliCommand = {
  name: 'user unlock',
  summary: 'lift a lock-out after repeated failed sign-ins',
  usage: 'user unlock NAME',
  async run(args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    const username = oneName(positionals, this.usage).toLowerCase();
    await withAuth((auth) => auth.unlock(username, CLI_CALLER('user unlock')));
    console.log(`user ${username} unlocked.`);
    return 0;
  },
};

export const userRoleCommand: CliCommand = {
  name: 'user role',
  summary: "change a user's role (and plan role)",
  usage: `user role NAME --role ${ROLE_IDS.join('|')} [--plan-role ID]`,
  async run(args) {
    const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { role: { type: 'string' }, 'plan-role': { type: 'string' } } });
    const username = oneName(positionals, this.usage).toLowerCase();
    if (!values.role) throw new CliError(`--role is required: one of ${ROLE_IDS.join(', ')}`, 2);
    const user = await withAuth((auth) => auth.accounts.setRole(username, values.role!, values['plan-role']));
    console.log(`user ${user.username}: role ${user.role}, acts in the plan as ${user.planRole ?? 'nobody (read only)'}.`);
    return 0;
  },
};

export const userLinkCommand: CliCommand = {
  name: 'user link',
  summary: 'link an account to its person of the people directory (their acknowledgements stop their pages)',
  usage: 'user link NAME PERSON (工号, mobile, id or unique name)',
  async run(args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    if (positionals.length !== 2) throw new CliError(`usage: lifeline ${this.usage}`, 2);
    const [username, ref] = positionals as [string, string];
    const user = await withAuth(async (auth, p) => auth.accounts.setPerson(username, (await p.people.store.find(ref)).id));
    console.log(`user ${user.username} linked to ${user.person!.name} (${user.person!.id}).`);
    return 0;
  },
};

export const userUnlinkCommand: CliCommand = {
  name: 'user unlink',
  summary: 'unlink an account from its person of the people directory',
  usage: 'user unlink NAME',
  async run(args) {
    const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
    const username = oneName(positionals, this.usage).toLowerCase();
    await withAuth((auth) => auth.accounts.setPerson(username, null));
    console.log(`user ${username} is linked to nobody.`);
    return 0;
  },
};
