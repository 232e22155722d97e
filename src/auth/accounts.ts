import { createHash, randomBytes } from 'node:crypto';
import { TokenCache } from './token-cache.js';
import type { Plan } from '../plan/types.js';
import type { Clock } from '../shared/clock.js';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { linkAccounts } from '../people/account-links.js';
import type { Db, AuthTokensTable, AuthUsersTable } from '../storage/index.js';
import { checkPassword, hashPassword } from './passwords.js';
import { isRole, ROLE_IDS, ROLES, type RoleId } from './roles.js';

export const USERNAME = /^[a-z0-9][a-z0-9._@-]{0,63}$/;
export const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export interface User {
  id: string;
  username: string;
  name: string;
  role: RoleId;
  /** the plan role the person acts as (the account's own, else the role's) */
  planRole: string | null;
  createdAt: number;
  passwordChangedAt: number;
  disabledAt: number | null;
  /** the person of the directory this account belongs to (what the account acknowledges stops that person's pages) */
  person: { id: string; name: string } | null;
}

/** An account row with the name of its person (left join). */
export type AccountRow = AuthUsersTable & { person_name: string | null };

export interface ApiToken {
  id: string;
  name: string;
  role: RoleId;
  planRole: string | null;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export const userView = (r: AccountRow): User => ({
  id: r.id,
  username: r.username,
  name: r.display_name,
  role: r.role as RoleId,
  planRole: r.plan_role ?? (isRole(r.role) ? ROLES[r.role].planRole : null),
  createdAt: r.created_at,
  passwordChangedAt: r.password_changed_at,
  disabledAt: r.disabled_at,
  person: r.person_id ? { id: r.person_id, name: r.person_name ?? r.person_id } : null,
});
export const tokenView = (r: AuthTokensTable): ApiToken => ({
  id: r.id,
  name: r.name,
  role: r.role as RoleId,
  planRole: r.plan_role ?? (isRole(r.role) ? ROLES[r.role].planRole : null),
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export function requireRole(role: string | undefined): RoleId {
  if (!role || !isRole(role)) throw new ValidationError(`role must be one of ${ROLE_IDS.join(', ')}`, [{ path: 'role', message: `one of ${ROLE_IDS.join(', ')}` }]);
  return role;
}

function requirePlanRole(plan: Plan, planRole: string | undefined): string | null {
  if (planRole === undefined) return null;
  if (!plan.roles.some((r) => r.id === planRole)) {
    throw new ValidationError(`plan role must be one of the plan's roles: ${plan.roles.map((r) => r.id).join(', ')}`, [{ path: 'planRole', message: 'not a role of the plan' }]);
  }
  return planRole;
}

/** Local accounts and API tokens (the CLI manages them; the server reads them). */
export class Accounts {
  readonly db: Db;
  /** API tokens checked recently (the server's hot path); a revoke here clears it. */
  readonly tokens = new TokenCache();
  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly plan: Plan,
  ) {
    this.db = db;
  }

  /**
   * Creates an account, linked to `personId` when given, else to the one person whose 工号 or mobile is the user
   * name (`unlinked` says why a match linked nothing).
   */
  async addUser(input: { username: string; password: string; role: string; name?: string; planRole?: string; personId?: string }): Promise<User & { unlinked?: string }> {
    const username = input.username.trim().toLowerCase();
    if (!USERNAME.test(username)) throw new ValidationError('user name: letters, digits, dot, dash, underscore and @; at most 64', [{ path: 'username', message: 'invalid' }]);
    const role = requireRole(input.role);
    const planRole = requirePlanRole(this.plan, input.planRole);
    checkPassword(input.password, username);
    if (input.personId !== undefined) await this.requireFreePerson(input.personId, null);
    if (await this.db.selectFrom('auth_users').select('id').where('username', '=', username).executeTakeFirst()) {
      throw new ConflictError(`user ${username} exists`, 'USER_EXISTS').with({ username });
    }
    const now = this.clock.now();
    const row: AuthUsersTable = {
      id: newId('usr_'),
      username,
      display_name: input.name?.trim() || username,
      role,
      plan_role: planRole,
      password_hash: await hashPassword(input.password),
      created_at: now,
      password_changed_at: now,
      disabled_at: null,
      person_id: input.personId ?? null,
    };
    await this.db.insertInto('auth_users').values(row).execute();
    if (input.personId !== undefined) return this.userById(row.id);
    const linking = await linkAccounts(this.db, { accountIds: [row.id] });
    return { ...(await this.userById(row.id)), ...(linking.unlinked[0] ? { unlinked: linking.unlinked[0].message } : {}) };
  }

  private withPerson() {
    return this.db.selectFrom('auth_users').leftJoin('people', 'people.id', 'auth_users.person_id').selectAll('auth_users').select('people.name as person_name');
  }

  async userById(id: string): Promise<User> {
    const row = await this.withPerson().where('auth_users.id', '=', id).executeTakeFirst();
    if (!row) throw new NotFoundError(`account ${id}`, 'USER_NOT_FOUND');
    return userView(row);
  }

  /** An account by id or user name. */
  async userByRef(ref: string): Promise<User> {
    const row = await this.withPerson()
      .where((eb) => eb.or([eb('auth_users.id', '=', ref), eb('auth_users.username', '=', ref.trim().toLowerCase())]))
      .executeTakeFirst();
    if (!row) throw new NotFoundError(`account ${ref}`, 'USER_NOT_FOUND');
    return userView(row);
  }

  /** The person must exist, and no account but `self` may be linked to them (409). */
  private async requireFreePerson(personId: string, self: string | null): Promise<void> {
    const person = await this.db.selectFrom('people').select(['id', 'name']).where('id', '=', personId).executeTakeFirst();
    if (!person) throw new ValidationError(`no person ${personId} in the directory`, [{ path: 'personId', message: 'not a person of the directory' }], 'PERSON_NOT_FOUND');
    const other = await this.db.selectFrom('auth_users').select(['id', 'username']).where('person_id', '=', personId).executeTakeFirst();
    if (other && other.id !== self) {
      throw new ConflictError(`${person.name} is already linked to the account ${other.username}; unlink it first`, 'PERSON_ALREADY_LINKED', [
        { path: 'personId', message: `linked to ${other.username}` },
      ]).with({ name: person.name, username: other.username });
    }
  }

  /** Links an account (id or user name) to a person of the directory, or unlinks it (null). */
  async setPerson(ref: string, personId: string | null): Promise<User> {
    const user = await this.userByRef(ref);
    if (personId !== null) await this.requireFreePerson(personId, user.id);
    await this.db.updateTable('auth_users').set({ person_id: personId }).where('id', '=', user.id).execute();
    return this.userById(user.id);
  }

  async findUser(username: string): Promise<AccountRow | undefined> {
    return this.withPerson().where('auth_users.username', '=', username.trim().toLowerCase()).executeTakeFirst();
  }

  async getUser(username: string): Promise<AccountRow> {
    const row = await this.findUser(username);
    if (!row) throw new NotFoundError(`user ${username}`, 'USER_NOT_FOUND');
    return row;
  }

  async listUsers(): Promise<User[]> {
    return (await this.withPerson().orderBy('auth_users.username').execute()).map(userView);
  }

  /** A new password ends every session of the user. */
  async setPassword(username: string, password: string): Promise<User> {
    const row = await this.getUser(username);
    checkPassword(password, row.username);
    const now = this.clock.now();
    const password_hash = await hashPassword(password);
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('auth_users').set({ password_hash, password_changed_at: now }).where('id', '=', row.id).execute();
      await trx.deleteFrom('auth_sessions').where('user_id', '=', row.id).execute();
    });
    return userView({ ...row, password_hash, password_changed_at: now });
  }

  /** Disabling ends every session of the user at once. */
  async setDisabled(username: string, disabled: boolean): Promise<User> {
    const row = await this.getUser(username);
    const disabled_at = disabled ? (row.disabled_at ?? this.clock.now()) : null;
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('auth_users').set({ disabled_at }).where('id', '=', row.id).execute();
      if (disabled) await trx.deleteFrom('auth_sessions').where('user_id', '=', row.id).execute();
    });
    return userView({ ...row, disabled_at });
  }

  async setRole(username: string, role: string, planRole?: string): Promise<User> {
    const row = await this.getUser(username);
    const r = requireRole(role);
    const plan_role = requirePlanRole(this.plan, planRole);
    await this.db.updateTable('auth_users').set({ role: r, plan_role }).where('id', '=', row.id).execute();
    return userView({ ...row, role: r, plan_role });
  }

  /** Creates a token; its value is returned this once and only its sha256 is kept. */
  async addToken(input: { name: string; role: string; planRole?: string }): Promise<{ token: ApiToken; value: string }> {
    if (!TOKEN_NAME.test(input.name)) throw new ValidationError('token name: letters, digits, dot, dash and underscore; at most 100', [{ path: 'name', message: 'invalid' }]);
    const role = requireRole(input.role);
    const planRole = requirePlanRole(this.plan, input.planRole);
    const active = await this.db.selectFrom('auth_tokens').select('id').where('name', '=', input.name).where('revoked_at', 'is', null).executeTakeFirst();
    if (active) throw new ConflictError(`an active token named ${input.name} exists (revoke it first)`, 'TOKEN_EXISTS').with({ name: input.name });
    const value = `llt_${randomBytes(32).toString('base64url')}`;
    const row: AuthTokensTable = {
      id: newId('tok_'),
      name: input.name,
      role,
      plan_role: planRole,
      token_hash: sha256(value),
      created_at: this.clock.now(),
      last_used_at: null,
      revoked_at: null,
    };
    await this.db.insertInto('auth_tokens').values(row).execute();
    return { token: tokenView(row), value };
  }

  async listTokens(): Promise<ApiToken[]> {
    return (await this.db.selectFrom('auth_tokens').selectAll().orderBy('created_at').execute()).map(tokenView);
  }

  async revokeToken(name: string): Promise<ApiToken> {
    const row = await this.db.selectFrom('auth_tokens').selectAll().where('name', '=', name).where('revoked_at', 'is', null).executeTakeFirst();
    if (!row) throw new NotFoundError(`active token ${name}`, 'TOKEN_NOT_FOUND').with({ name });
    const revoked_at = this.clock.now();
    await this.db.updateTable('auth_tokens').set({ revoked_at }).where('id', '=', row.id).execute();
    this.tokens.clear();
    return tokenView({ ...row, revoked_at });
  }
}
