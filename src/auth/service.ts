import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Principal } from './types.js';
import type { Plan } from '../plan/types.js';
import type { Clock } from '../shared/clock.js';
import { appendChained, type Db } from '../storage/index.js';
import { AppError, ForbiddenError, UnauthorizedError } from '../shared/errors.js';
import { newId } from '../shared/ids.js';
import { Accounts, sha256, tokenView, userView, type User } from './accounts.js';
import { verifyPassword } from './passwords.js';
import { policyFromEnv, type AuthPolicy } from './policy.js';
import { isRole, ROLES } from './roles.js';
import type { AuthSigninsTable, SigninOutcome } from '../storage/index.js';

/** Who is asking: a signed-in person (session cookie) or a script (API token). */

/** 423 / 429 with the moment the caller may try again. */
export class SigninRefused extends AppError {
  constructor(
    status: 423 | 429,
    code: string,
    message: string,
    readonly retryAt: number,
  ) {
    super(code, status, message);
  }
}

export interface Caller {
  ip: string;
  userAgent: string;
}

const minutesText = (ms: number) => `${Math.max(1, Math.ceil(ms / 60_000))} min`;
const safeEqual = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Sign-in, sessions, token checks, lock-out and the sign-in audit, on the platform's database and clock. */
export class AuthService {
  readonly accounts: Accounts;
  constructor(
    private readonly p: { db: Db; clock: Clock; plan: Plan },
    readonly policy: AuthPolicy = policyFromEnv(),
  ) {
    this.accounts = new Accounts(p.db, p.clock, p.plan);
  }

  private get db() {
    return this.accounts.db;
  }

  private principalOfUser(user: User, session?: Principal['session']): Principal {
    return {
      kind: 'session',
      id: user.id,
      name: user.name,
      username: user.username,
      role: user.role,
      planRole: user.planRole,
      person: user.person,
      grants: ROLES[user.role]?.permissions ?? [],
      session,
    };
  }

  async audit(entry: { username: string; userId?: string | null; outcome: SigninOutcome; reason?: string; caller: Caller }): Promise<void> {
    const row: AuthSigninsTable = {
      id: newId('sgn_'),
      at: this.p.clock.now(),
      username: entry.username.slice(0, 64),
      user_id: entry.userId ?? null,
      outcome: entry.outcome,
      reason: entry.reason ?? null,
      ip: entry.caller.ip.slice(0, 64),
      user_agent: entry.caller.userAgent.slice(0, 300),
    };
    await appendChained(this.db, 'auth_signins', [row]);
  }

  /** Failed sign-ins of a user name since the window opened or it last signed in / was unlocked; the lock, if any. */
  async lockState(username: string, now = this.p.clock.now()): Promise<{ failures: number; lockedUntil: number | null }> {
    const { failureWindowMs, maxFailures, lockMs } = this.policy;
    const reset = await this.db
      .selectFrom('auth_signins')
      .select((eb) => eb.fn.max('at').as('at'))
      .where('username', '=', username)
      .where('outcome', 'in', ['success', 'unlock'])
      .executeTakeFirst();
    const since = Math.max(now - failureWindowMs, Number(reset?.at ?? 0));
    const failures = await this.db.selectFrom('auth_signins').select('at').where('username', '=', username).where('outcome', '=', 'failure').where('at', '>', since).orderBy('at', 'desc').execute();
    const lockedUntil = failures.length >= maxFailures ? failures[0]!.at + lockMs : null;
    return { failures: failures.length, lockedUntil: lockedUntil !== null && lockedUntil > now ? lockedUntil : null };
  }

  private async throttledUntil(ip: string, now: number): Promise<number | null> {
    const { failureWindowMs, maxFailuresPerIp } = this.policy;
    const rows = await this.db
      .selectFrom('auth_signins')
      .select('at')
      .where('ip', '=', ip)
      .where('outcome', '=', 'failure')
      .where('at', '>', now - failureWindowMs)
      .orderBy('at', 'desc')
      .limit(maxFailuresPerIp)
      .execute();
    return rows.length >= maxFailuresPerIp ? rows[rows.length - 1]!.at + failureWindowMs : null;
  }

  /**
   * Checks a user name and password. Refuses (423) a locked user name, known or not, even with the right password;
   * refuses (429) an address with too many failures. On success: a new session (never a reused id).
   */
  async login(usernameInput: string, password: string, caller: Caller): Promise<{ principal: Principal; cookie: string; expiresAt: number }> {
    const username = usernameInput.trim().toLowerCase();
    // one attempt per user name at a time: parallel guesses cannot all pass the lock check before any failure is recorded
    const previous = this.attempts.get(username) ?? Promise.resolve();
    const attempt = previous.catch(() => undefined).then(() => this.attempt(username, password, caller));
    const settled = attempt.catch(() => undefined);
    this.attempts.set(username, settled);
    void settled.then(() => this.attempts.get(username) === settled && this.attempts.delete(username));
    return attempt;
  }

  private readonly attempts = new Map<string, Promise<unknown>>();

  private async attempt(username: string, password: string, caller: Caller): Promise<{ principal: Principal; cookie: string; expiresAt: number }> {
    const now = this.p.clock.now();
    const throttled = await this.throttledUntil(caller.ip, now);
    if (throttled !== null) {
      await this.audit({ username, outcome: 'throttled', caller });
      throw new SigninRefused(429, 'SIGNIN_THROTTLED', `too many failed sign-ins from ${caller.ip}; try again in ${minutesText(throttled - now)}`, throttled);
    }
    const lock = await this.lockState(username, now);
    const row = await this.accounts.findUser(username);
    if (lock.lockedUntil !== null) {
      await this.audit({ username, userId: row?.id, outcome: 'locked', caller });
      throw new SigninRefused(
        423,
        'ACCOUNT_LOCKED',
        `this account is locked after ${this.policy.maxFailures} failed sign-ins within ${minutesText(this.policy.failureWindowMs)}; try again in ${minutesText(lock.lockedUntil - now)} or ask an administrator (lifeline user unlock ${username})`,
        lock.lockedUntil,
      );
    }
    const ok = await verifyPassword(row?.password_hash ?? null, password);
    if (!ok || !row) {
      await this.audit({ username, userId: row?.id, outcome: 'failure', reason: row ? 'bad_password' : 'unknown_user', caller });
      const left = this.policy.maxFailures - (lock.failures + 1);
      if (left <= 0) {
        const until = now + this.policy.lockMs;
        throw new SigninRefused(
          423,
          'ACCOUNT_LOCKED',
          `wrong user name or password; the account is now locked for ${minutesText(this.policy.lockMs)} after ${this.policy.maxFailures} failed sign-ins`,
          until,
        );
      }
      throw new UnauthorizedError(`wrong user name or password (${left} attempt${left === 1 ? '' : 's'} left before a ${minutesText(this.policy.lockMs)} lock-out)`, 'SIGNIN_FAILED').with({
        left,
        minutes: Math.max(1, Math.ceil(this.policy.lockMs / 60_000)),
      });
    }
    if (row.disabled_at !== null) {
      await this.audit({ username, userId: row.id, outcome: 'disabled', caller });
      throw new ForbiddenError('this account is disabled; ask an administrator', 'ACCOUNT_DISABLED');
    }
    const cookie = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const id = sha256(cookie);
    const expiresAt = now + this.policy.sessionMaxMs;
    await this.db
      .deleteFrom('auth_sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', now - this.policy.sessionIdleMs)]))
      .execute();
    await this.db
      .insertInto('auth_sessions')
      .values({
        id,
        user_id: row.id,
        csrf_token: csrfToken,
        created_at: now,
        last_seen_at: now,
        expires_at: expiresAt,
        ip: caller.ip.slice(0, 64),
        user_agent: caller.userAgent.slice(0, 300),
      })
      .execute();
    await this.audit({ username, userId: row.id, outcome: 'success', caller });
    return { principal: this.principalOfUser(userView(row), { id, csrfToken }), cookie, expiresAt };
  }

  /** The principal of a session cookie; throws 401 when it is unknown, expired (idle or absolute) or its user disabled. */
  async fromSession(cookie: string): Promise<Principal> {
    const id = sha256(cookie);
    const now = this.p.clock.now();
    const row = await this.db
      .selectFrom('auth_sessions')
      .innerJoin('auth_users', 'auth_users.id', 'auth_sessions.user_id')
      .leftJoin('people', 'people.id', 'auth_users.person_id')
      .selectAll('auth_users')
      .select(['auth_sessions.csrf_token', 'auth_sessions.last_seen_at', 'auth_sessions.expires_at', 'people.name as person_name'])
      .where('auth_sessions.id', '=', id)
      .executeTakeFirst();
    if (!row) throw new UnauthorizedError('your session has ended (signed out, or signed in elsewhere with a new password); sign in again', 'SESSION_INVALID');
    const idleEnd = row.last_seen_at + this.policy.sessionIdleMs;
    if (now >= row.expires_at || now >= idleEnd || row.disabled_at !== null) {
      await this.db.deleteFrom('auth_sessions').where('id', '=', id).execute();
      throw new UnauthorizedError(
        row.disabled_at !== null ? 'this account is disabled' : now >= row.expires_at ? 'your session has expired; sign in again' : 'your session expired after inactivity; sign in again',
        'SESSION_EXPIRED',
      );
    }
    if (now - row.last_seen_at >= this.policy.touchEveryMs) {
      await this.db.updateTable('auth_sessions').set({ last_seen_at: now }).where('id', '=', id).execute();
    }
    return this.principalOfUser(userView(row), { id, csrfToken: row.csrf_token });
  }

  /** The principal of an API token; throws 401 when it is unknown or revoked. */
  async fromToken(value: string): Promise<Principal> {
    const hash = sha256(value);
    const cached = this.accounts.tokens.get(hash);
    if (cached) return cached;
    const row = await this.db.selectFrom('auth_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
    if (!row || row.revoked_at !== null) throw new UnauthorizedError('unknown or revoked API token', 'TOKEN_INVALID');
    const now = this.p.clock.now();
    if (row.last_used_at === null || now - row.last_used_at >= this.policy.touchEveryMs) {
      await this.db.updateTable('auth_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
    }
    const t = tokenView(row);
    const principal: Principal = {
      kind: 'token',
      id: t.id,
      name: `token:${t.name}`,
      username: `token:${t.name}`,
      role: t.role,
      planRole: t.planRole,
      person: null,
      grants: isRole(t.role) ? ROLES[t.role].permissions : [],
    };
    this.accounts.tokens.remember(hash, principal);
    return principal;
  }

  /** Whether a session is still valid (for open event streams). */
  async sessionAlive(id: string): Promise<boolean> {
    const now = this.p.clock.now();
    const row = await this.db
      .selectFrom('auth_sessions')
      .innerJoin('auth_users', 'auth_users.id', 'auth_sessions.user_id')
      .select(['auth_sessions.last_seen_at', 'auth_sessions.expires_at', 'auth_users.disabled_at'])
      .where('auth_sessions.id', '=', id)
      .executeTakeFirst();
    return !!row && row.disabled_at === null && now < row.expires_at && now < row.last_seen_at + this.policy.sessionIdleMs;
  }

  checkCsrf(principal: Principal, header: string | string[] | undefined): void {
    if (!principal.session) return;
    const sent = Array.isArray(header) ? header[0] : header;
    if (!sent) throw new ForbiddenError('missing CSRF token: send the x-csrf-token header (from POST /api/v1/auth/login or GET /api/v1/session)', 'CSRF_TOKEN_MISSING');
    if (!safeEqual(sent, principal.session.csrfToken)) throw new ForbiddenError('the CSRF token does not belong to this session', 'CSRF_TOKEN_INVALID');
  }

  async logout(principal: Principal, caller: Caller): Promise<void> {
    if (!principal.session) return;
    await this.db.deleteFrom('auth_sessions').where('id', '=', principal.session.id).execute();
    await this.audit({ username: principal.username, userId: principal.id, outcome: 'logout', caller });
  }

  /** Lifts a lock-out (recorded in the audit; failures before it no longer count). */
  async unlock(username: string, caller: Caller): Promise<void> {
    const row = await this.accounts.getUser(username);
    await this.audit({ username: row.username, userId: row.id, outcome: 'unlock', caller });
  }

  async signins(query: { username?: string; limit: number }) {
    let q = this.db.selectFrom('auth_signins').selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(query.limit);
    if (query.username) q = q.where('username', '=', query.username.toLowerCase());
    return (await q.execute()).map((r) => ({
      at: new Date(r.at).toISOString(),
      username: r.username,
      outcome: r.outcome,
      reason: r.reason,
      ip: r.ip,
      userAgent: r.user_agent,
    }));
  }
}
