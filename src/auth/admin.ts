import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { ConflictError } from '../shared/errors.js';
import type { AdminAuditAction } from '../storage/index.js';
import { TOKEN_NAME, USERNAME, type ApiToken, type User } from './accounts.js';
import { ROLE_IDS } from './roles.js';
import type { AuthService, Caller } from './service.js';
import type { Principal } from './types.js';

/**
 * What an administrator does to accounts and tokens, as recorded in the sign-in audit (auth_signins, hash-chained):
 * `username` and `user_id` name the account (or `token:NAME` and the token's id), `reason` the administrator.
 */
export type AdminAction = AdminAuditAction;

const role = z.enum(ROLE_IDS as [string, ...string[]]);
const planRole = z.string().trim().min(1).max(60).optional();

export const accountCreateBody = z
  .object({
    username: z.string().trim().toLowerCase().regex(USERNAME, 'letters, digits, dot, dash, underscore and @; at most 64'),
    name: z.string().trim().min(1).max(100),
    role,
    planRole,
    password: z.string().min(1).max(1024),
    personId: z.string().trim().min(1).max(40).optional(),
  })
  .strict();
/** No password: one is generated and answered this once. */
export const passwordResetBody = z.object({ password: z.string().min(1).max(1024).optional() }).strict();
export const tokenCreateBody = z.object({ name: z.string().trim().regex(TOKEN_NAME, 'letters, digits, dot, dash and underscore; at most 100'), role, planRole }).strict();

/** Letters and digits nobody misreads on paper or a phone (no 0/O, 1/l/I). */
const READABLE = 'abcdefghjkmnpqrstuvwxyz23456789';
/** A one-time password an administrator hands over: 4 groups of 4 (about 79 bits). */
export const generatePassword = (): string => Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => READABLE[randomInt(READABLE.length)]).join('')).join('-');

/** An account as the administration screen lists it: lock-out and last sign-in added; never the password hash. */
export interface AccountAdminView {
  id: string;
  username: string;
  name: string;
  role: User['role'];
  planRole: string | null;
  person: User['person'];
  disabled: boolean;
  /** ISO time the lock-out after failed sign-ins ends, or null */
  lockedUntil: string | null;
  lastSigninAt: string | null;
  createdAt: string;
  passwordChangedAt: string;
}
export interface AccountAdminList {
  items: AccountAdminView[];
  /** the policy's minimum password length, for the form */
  passwordMinLength: number;
}
export interface TokenAdminView {
  id: string;
  name: string;
  role: ApiToken['role'];
  planRole: string | null;
  createdAt: string;
  /** the administrator who created it in the browser; null: created on the command line */
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const byText = (admin: Principal) => `by ${admin.name} (${admin.username})`;

/** Account and token administration over HTTP: each change is written to the sign-in audit in the administrator's name. */
export class AccessAdmin {
  constructor(private readonly auth: AuthService) {}

  private get accounts() {
    return this.auth.accounts;
  }

  private record(action: AdminAction, target: { username: string; id: string }, admin: Principal, caller: Caller, detail?: string) {
    return this.auth.audit({
      username: target.username,
      userId: target.id,
      outcome: action,
      reason: `${byText(admin)}${detail ? `: ${detail}` : ''}`.slice(0, 500),
      caller,
    });
  }

  async list(): Promise<AccountAdminList> {
    const [users, last] = await Promise.all([this.accounts.listUsers(), this.lastSignins()]);
    const items = await Promise.all(users.map(async (u) => this.view(u, last.get(u.username) ?? null)));
    return { items, passwordMinLength: this.auth.policy.minPasswordLength };
  }

  private async view(u: User, lastSignin?: number | null): Promise<AccountAdminView> {
    const lock = await this.auth.lockState(u.username);
    const last = lastSignin === undefined ? ((await this.lastSignins(u.username)).get(u.username) ?? null) : lastSignin;
    return {
      id: u.id,
      username: u.username,
      name: u.name,
      role: u.role,
      planRole: u.planRole,
      person: u.person,
      disabled: u.disabledAt !== null,
      lockedUntil: iso(lock.lockedUntil),
      lastSigninAt: iso(last),
      createdAt: iso(u.createdAt)!,
      passwordChangedAt: iso(u.passwordChangedAt)!,
    };
  }

  private async lastSignins(username?: string): Promise<Map<string, number>> {
    let q = this.accounts.db
      .selectFrom('auth_signins')
      .select(['username', (eb) => eb.fn.max('at').as('at')])
      .where('outcome', '=', 'success')
      .groupBy('username');
    if (username) q = q.where('username', '=', username);
    return new Map((await q.execute()).map((r) => [r.username, Number(r.at)]));
  }

  async add(input: z.output<typeof accountCreateBody>, admin: Principal, caller: Caller): Promise<AccountAdminView> {
    const user = await this.accounts.addUser(input);
    await this.record('account_add', user, admin, caller, `role ${user.role}${user.person ? `, person ${user.person.name}` : ''}`);
    return this.view(user, null);
  }

  /** Sets the password given, or a generated one (answered this once); ends the account's sessions. */
  async resetPassword(ref: string, password: string | undefined, admin: Principal, caller: Caller): Promise<{ account: AccountAdminView; generatedPassword?: string }> {
    const user = await this.accounts.userByRef(ref);
    const next = password ?? generatePassword();
    await this.accounts.setPassword(user.username, next);
    await this.record('password_reset', user, admin, caller, password === undefined ? 'generated' : 'set');
    return { account: await this.view(await this.accounts.userById(user.id)), ...(password === undefined ? { generatedPassword: next } : {}) };
  }

  async setDisabled(ref: string, disabled: boolean, admin: Principal, caller: Caller): Promise<AccountAdminView> {
    const user = await this.accounts.userByRef(ref);
    if (disabled && admin.kind === 'session' && admin.id === user.id) throw new ConflictError('you cannot disable your own account', 'ACCOUNT_SELF');
    await this.accounts.setDisabled(user.username, disabled);
    await this.record(disabled ? 'account_disable' : 'account_enable', user, admin, caller);
    return this.view(await this.accounts.userById(user.id));
  }

  async unlock(ref: string, admin: Principal, caller: Caller): Promise<AccountAdminView> {
    const user = await this.accounts.userByRef(ref);
    await this.record('unlock', user, admin, caller);
    return this.view(user);
  }

  async setPerson(ref: string, personId: string | null, admin: Principal, caller: Caller): Promise<AccountAdminView> {
    const before = await this.accounts.userByRef(ref);
    const user = await this.accounts.setPerson(before.id, personId);
    if (user.person) await this.record('person_link', user, admin, caller, `${user.person.name} (${user.person.id})`);
    else await this.record('person_unlink', user, admin, caller, before.person ? `${before.person.name} (${before.person.id})` : undefined);
    return this.view(user);
  }

  async tokens(): Promise<TokenAdminView[]> {
    const [tokens, created] = await Promise.all([this.accounts.listTokens(), this.accounts.db.selectFrom('auth_signins').select(['user_id', 'reason']).where('outcome', '=', 'token_add').execute()]);
    const by = new Map(created.map((r) => [r.user_id, r.reason?.match(/^by (.*) \([^()]*\)/)?.[1] ?? null]));
    return tokens.map((t) => ({
      id: t.id,
      name: t.name,
      role: t.role,
      planRole: t.planRole,
      createdAt: iso(t.createdAt)!,
      createdBy: by.get(t.id) ?? null,
      lastUsedAt: iso(t.lastUsedAt),
      revokedAt: iso(t.revokedAt),
    }));
  }

  /** The token's value is answered here, once; only its hash is kept. */
  async addToken(input: z.output<typeof tokenCreateBody>, admin: Principal, caller: Caller): Promise<{ token: TokenAdminView; value: string }> {
    const { token, value } = await this.accounts.addToken(input);
    await this.record('token_add', { username: `token:${token.name}`, id: token.id }, admin, caller, `role ${token.role}`);
    return { token: (await this.tokens()).find((t) => t.id === token.id)!, value };
  }

  async revokeToken(name: string, admin: Principal, caller: Caller): Promise<TokenAdminView> {
    const token = await this.accounts.revokeToken(name);
    await this.record('token_revoke', { username: `token:${token.name}`, id: token.id }, admin, caller);
    return (await this.tokens()).find((t) => t.id === token.id)!;
  }
}
