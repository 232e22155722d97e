import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseInput } from '../shared/parse-input.js';
import type { ProblemBody } from '../shared/errors.js';
import type { Clock } from '../shared/clock.js';
import { UnauthorizedError } from '../shared/errors.js';
import { authenticate, endStreams, SESSION_COOKIE, sessionCookieOptions } from './hook.js';
import { grants, PERMISSIONS, ROLE_IDS, ROLES, permissionsOf, type RoleId } from './roles.js';
import { SigninRefused, type AuthService, type Caller } from './service.js';
import { AccessAdmin, accountCreateBody, passwordResetBody, tokenCreateBody, type AccountAdminList, type AccountAdminView, type TokenAdminView } from './admin.js';
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

/** GET /api/v1/accounts: every local account (never a password hash) and the policy's minimum password length. */
export type AccountListResponse = AccountAdminList;
export type { AccountAdminView, TokenAdminView };
/** POST /api/v1/accounts/:id/password: the account; `generatedPassword` only when none was given (shown this once). */
export type PasswordResetResponse = Awaited<ReturnType<AccessAdmin['resetPassword']>>;
/** GET /api/v1/tokens */
export interface TokenListResponse {
  items: TokenAdminView[];
}
/** POST /api/v1/tokens: the token and its value, answered this once. */
export type TokenCreatedResponse = TokenAdminView & { value: string };
export type AccountCreateBody = z.input<typeof accountCreateBody>;
export type TokenCreateBody = z.input<typeof tokenCreateBody>;

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

  // Accounts and API tokens: administrators (access.manage). Every change is in the sign-in audit in the admin's name.
  const admin = new AccessAdmin(auth);
  const adminOf = (request: FastifyRequest): Principal => {
    if (!request.principal) throw new UnauthorizedError('sign in first', 'NOT_SIGNED_IN');
    return request.principal;
  };
  const manage = { config: { permission: 'access.manage' } } as const;
  type ById = { Params: { id: string } };
  app.get('/api/v1/accounts', manage, async () => (await admin.list()) satisfies AccountListResponse);
  app.post('/api/v1/accounts', manage, async (request, reply) => reply.status(201).send(await admin.add(parseInput(accountCreateBody, request.body), adminOf(request), callerOf(request))));
  app.patch<ById>('/api/v1/accounts/:id', manage, async (request) => admin.setPerson(request.params.id, parseInput(accountPatchBody, request.body).personId, adminOf(request), callerOf(request)));
  app.post<ById>('/api/v1/accounts/:id/password', manage, async (request, reply) =>
    reply.header('cache-control', 'no-store').send(await admin.resetPassword(request.params.id, parseInput(passwordResetBody, request.body ?? {}).password, adminOf(request), callerOf(request))),
  );
  app.post<ById>('/api/v1/accounts/:id/disable', manage, async (request) => admin.setDisabled(request.params.id, true, adminOf(request), callerOf(request)));
  app.post<ById>('/api/v1/accounts/:id/enable', manage, async (request) => admin.setDisabled(request.params.id, false, adminOf(request), callerOf(request)));
  app.post<ById>('/api/v1/accounts/:id/unlock', manage, async (request) => admin.unlock(request.params.id, adminOf(request), callerOf(request)));

  app.get('/api/v1/tokens', manage, async () => ({ items: await admin.tokens() }) satisfies TokenListResponse);
  app.post('/api/v1/tokens', manage, async (request, reply) => {
    const { token, value } = await admin.addToken(parseInput(tokenCreateBody, request.body), adminOf(request), callerOf(request));
    return reply
      .status(201)
      .header('cache-control', 'no-store')
      .send({ ...token, value } satisfies TokenCreatedResponse);
  });
  app.delete<{ Params: { name: string } }>('/api/v1/tokens/:name', manage, async (request) => admin.revokeToken(request.params.name, adminOf(request), callerOf(request)));

  app.get('/api/v1/auth/roles', { config: { permission: 'plan.read' } }, async () => ({
    items: ROLE_IDS.map((id: RoleId) => ({ id, name: ROLES[id].label, planRole: ROLES[id].planRole, grants: ROLES[id].permissions, permissions: permissionsOf(id) })),
  }));
}
