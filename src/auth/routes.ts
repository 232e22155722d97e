import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseInput } from '../shared/parse-input.js';
import type { ProblemBody } from '../shared/errors.js';
import type { Clock } from '../shared/clock.js';
import { authenticate, endStreams, SESSION_COOKIE, sessionCookieOptions } from './hook.js';
import { grants, PERMISSIONS, ROLE_IDS, ROLES, permissionsOf, type RoleId } from './roles.js';
import { SigninRefused, type AuthService, type Caller } from './service.js';
import type { User } from './accounts.js';
import type { Principal } from './types.js';
import './types.js';

export const loginBody = z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(1024) }).strict();
export const accountPatchBody = z.object({ personId: z.string().trim().min(1).max(40).nullable() }).strict();
const signinsQuery = z.object({ username: z.string().max(64).optional(), limit: z.coerce.number().int().min(1).max(1000).default(200) });

export const callerOf = (request: FastifyRequest): Caller => ({ ip: request.ip, userAgent: String(request.headers['user-agent'] ?? '') });

/** The user as the web app reads it: display name, role, plan role and the grants (`*`, `incident.*` … as given, plus each known permission they cover). */
export function userOf(principal: Principal) {
  const known = (Object.keys(PERMISSIONS) as string[]).filter((p) => grants(principal.grants, p));
  return {
    name: principal.name,
    username: principal.username,
    role: principal.role,
    roleName: ROLES[principal.role]?.label,
    planRole: principal.planRole,
    /** the person of the directory the account is linked to */
    person: principal.person,
    kind: principal.kind,
    permissions: [...new Set([...principal.grants, ...known])],
  };
}

/** The signed-in user as GET /api/v1/session and POST /api/v1/auth/login answer it. */
export type SessionUser = ReturnType<typeof userOf>;
/** GET /api/v1/session: who is signed in; `csrfToken` (to send as x-csrf-token) when signed in by a session cookie. */
export interface SessionResponse {
  user: SessionUser;
  csrfToken?: string;
}
/** POST /api/v1/auth/login: the new session's CSRF token, the user and when the session ends. */
export interface LoginResponse {
  csrfToken: string;
  user: SessionUser;
  expiresAt: string;
}

/** A local account as the accounts API shows it (never its password). */
export const accountView = (u: User) => ({
  id: u.id,
  username: u.username,
  name: u.name,
  role: u.role,
  planRole: u.planRole,
  person: u.person,
  disabled: u.disabledAt !== null,
  createdAt: new Date(u.createdAt).toISOString(),
});
export type AccountView = ReturnType<typeof accountView>;
/** GET /api/v1/accounts */
export interface AccountListResponse {
  items: AccountView[];
}

/** 423 / 429 as problem+json with Retry-After (the shared handler has no titles for these). */
function refused(request: FastifyRequest, reply: FastifyReply, err: SigninRefused, now: number) {
  const retryAfter = Math.max(1, Math.ceil((err.retryAt - now) / 1000));
  return reply
    .status(err.status)
    .header('retry-after', String(retryAfter))
    .header('cache-control', 'no-store')
    .type('application/problem+json')
    .send({
      type: `https://lifeline.local/problems/${err.code.toLowerCase().replace(/_/g, '-')}`,
      title: err.status === 423 ? 'Locked' : 'Too Many Requests',
      status: err.status,
      detail: err.message,
      code: err.code,
      instance: request.url,
      requestId: request.id,
      retryAfterSeconds: retryAfter,
      retryAt: new Date(err.retryAt).toISOString(),
    } satisfies ProblemBody);
}

/** Sign-in, sign-out, the current session, the sign-in audit and the role table. Registered via src/http/extensions.ts. */
export async function authRoutes(app: FastifyInstance, deps: { auth: AuthService; clock: Clock; publicUrl: string }): Promise<void> {
  const { auth } = deps;
  const secure = deps.publicUrl.startsWith('https:');
  const cookieOptions = (request: FastifyRequest) => sessionCookieOptions(request, secure);

  app.post('/api/v1/auth/login', { config: { public: true } }, async (request, reply) => {
    const body = parseInput(loginBody, request.body);
    let result;
    try {
      result = await auth.login(body.username, body.password, callerOf(request));
    } catch (err) {
      if (err instanceof SigninRefused) return refused(request, reply, err, deps.clock.now());
      throw err;
    }
    // a new session replaces the one the browser may still hold
    const old = request.cookies[SESSION_COOKIE];
    if (old)
      await auth.fromSession(old).then(
        (prev) => prev.session && auth.logout(prev, callerOf(request)),
        () => undefined,
      );
    void reply.setCookie(SESSION_COOKIE, result.cookie, { ...cookieOptions(request), maxAge: Math.floor(auth.policy.sessionMaxMs / 1000) });
    return reply.header('cache-control', 'no-store').send({
      csrfToken: result.principal.session!.csrfToken,
      user: userOf(result.principal),
      expiresAt: new Date(result.expiresAt).toISOString(),
    } satisfies LoginResponse);
  });

  app.post('/api/v1/auth/logout', { config: { public: true } }, async (request, reply) => {
    const value = request.cookies[SESSION_COOKIE];
    if (value) {
      const principal = await auth.fromSession(value).catch(() => null);
      if (principal?.session) {
        auth.checkCsrf(principal, request.headers['x-csrf-token']);
        await auth.logout(principal, callerOf(request));
        endStreams(app, principal.session.id);
      }
    }
    void reply.clearCookie(SESSION_COOKIE, cookieOptions(request));
    return reply.status(204).send();
  });

  app.get('/api/v1/session', { config: { public: true } }, async (request, reply) => {
    const principal = await authenticate(auth, request, reply);
    return reply.header('cache-control', 'no-store').send({ user: userOf(principal), ...(principal.session ? { csrfToken: principal.session.csrfToken } : {}) } satisfies SessionResponse);
  });

  app.get('/api/v1/auth/signins', { config: { permission: 'security.audit' } }, async (request) => {
    const q = parseInput(signinsQuery, request.query, 'query');
    return { items: await auth.signins(q) };
  });

  // Accounts and the person each belongs to; linking is part of keeping the directory (people.manage, admins).
  app.get('/api/v1/accounts', { config: { permission: 'people.manage' } }, async () => ({ items: (await auth.accounts.listUsers()).map(accountView) }) satisfies AccountListResponse);
  app.patch<{ Params: { id: string } }>('/api/v1/accounts/:id', { config: { permission: 'people.manage' } }, async (request) =>
    accountView(await auth.accounts.setPerson(request.params.id, parseInput(accountPatchBody, request.body).personId)),
  );

  app.get('/api/v1/auth/roles', { config: { permission: 'plan.read' } }, async () => ({
    items: ROLE_IDS.map((id: RoleId) => ({ id, name: ROLES[id].label, planRole: ROLES[id].planRole, grants: ROLES[id].permissions, permissions: permissionsOf(id) })),
  }));
}
