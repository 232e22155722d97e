import type { ServerResponse } from 'node:http';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthorizedError } from '../shared/errors.js';
import { grants } from './roles.js';
import type { AuthService } from './service.js';
import type { Principal, RouteAuthConfig, RouteInfo } from './types.js';
import './types.js';

export const SESSION_COOKIE = 'lifeline_session';

/** The session cookie's attributes: the same when it is set and when it is cleared (a clear must not weaken them). */
export const sessionCookieOptions = (request: FastifyRequest, secure = false) => ({
  path: '/',
  httpOnly: true,
  sameSite: 'strict' as const,
  secure: secure || request.protocol === 'https',
});
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SWEEP_MS = 30_000;

export const bearerOf = (request: FastifyRequest): string | undefined => {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
};

/** The principal of a request: an API token (Authorization: Bearer) first, else the session cookie; 401 otherwise. */
export async function authenticate(auth: AuthService, request: FastifyRequest, reply: FastifyReply): Promise<Principal> {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const token = bearerOf(request);
    if (!token) throw new UnauthorizedError('Authorization must be "Bearer TOKEN" (a token from `lifeline token add`)', 'TOKEN_INVALID');
    return auth.fromToken(token);
  }
  const value = request.cookies[SESSION_COOKIE];
  if (!value) throw new UnauthorizedError('sign in first (POST /api/v1/auth/login), or send Authorization: Bearer TOKEN', 'NOT_SIGNED_IN');
  try {
    return await auth.fromSession(value);
  } catch (err) {
    void reply.clearCookie(SESSION_COOKIE, sessionCookieOptions(request));
    throw err;
  }
}

export function requirePermission(principal: Principal, permission: string): void {
  if (!grants(principal.grants, permission)) {
    throw new ForbiddenError(`the role ${principal.role} does not grant ${permission}`, 'PERMISSION_DENIED');
  }
}

/** Open responses (event streams) per session, ended when the session ends (logout, expiry, password, disable). */
class OpenStreams {
  private readonly bySession = new Map<string, Set<ServerResponse>>();
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly auth: AuthService) {}

  track(sessionId: string, res: ServerResponse): void {
    let set = this.bySession.get(sessionId);
    if (!set) this.bySession.set(sessionId, (set = new Set()));
    set.add(res);
    res.once('close', () => {
      set.delete(res);
      if (set.size === 0 && this.bySession.get(sessionId) === set) this.bySession.delete(sessionId);
    });
  }

  end(sessionId: string): void {
    for (const res of this.bySession.get(sessionId) ?? []) res.end();
    this.bySession.delete(sessionId);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.sweep().catch(() => undefined), SWEEP_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async sweep(): Promise<void> {
    for (const id of [...this.bySession.keys()]) if (!(await this.auth.sessionAlive(id))) this.end(id);
  }
}

/** Every route of the app with what it declares (for tests and the start-up warning). */
export const declaredRoutes = (app: FastifyInstance): RouteInfo[] => app.declaredRoutes();
const undeclared = (r: RouteInfo) => !r.public && r.permission === null && (r.url.startsWith('/api/') || !SAFE_METHODS.has(r.method));
/** Ends the open event streams of a session at once (after logout). */
export const endStreams = (app: FastifyInstance, sessionId: string) => app.endStreams(sessionId);

/**
 * The one permission check of the server. Every route declares `config.public` or `config.permission`
 * (src/auth/types.ts); an /api/ route (or any route that is not GET/HEAD) that declares neither is refused
 * with 403: a new route is closed until its author says who may use it. Installed before any route.
 */
export async function installAuth(app: FastifyInstance, auth: AuthService): Promise<void> {
  await app.register(cookie);
  app.decorateRequest('principal', null);
  const streams = new OpenStreams(auth);
  app.decorate('endStreams', (sessionId: string) => streams.end(sessionId));
  const routes: RouteInfo[] = [];
  app.decorate('declaredRoutes', () => routes);
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as RouteAuthConfig;
    const permission = typeof config.permission === 'function' ? 'dynamic' : (config.permission ?? null);
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, public: config.public === true, permission });
  });
  app.addHook('onReady', async () => {
    streams.start();
    const users = await auth.accounts.db
      .selectFrom('auth_users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    if (Number(users?.n ?? 0) === 0) app.log.warn('no accounts yet: create the first administrator with `npx lifeline user add admin --role admin`');
    const closed = routes.filter(undeclared);
    if (closed.length) app.log.warn({ routes: closed.map((r) => `${r.method} ${r.url}`) }, 'routes without config.permission or config.public: refused to everyone (403)');
  });
  app.addHook('onClose', async () => streams.stop());

  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions;
    if (route.url === undefined) return; // no such route: the 404 handler answers
    const config = (route.config ?? {}) as RouteAuthConfig;
    if (config.public === true) return;
    if (config.permission === undefined) {
      if (!route.url.startsWith('/api/') && SAFE_METHODS.has(request.method)) return; // the web app's pages and files
      throw new ForbiddenError(`${request.method} ${route.url} declares no permission, so nobody may use it (routes declare config.permission or config.public)`, 'ROUTE_NOT_DECLARED');
    }
    const principal = await authenticate(auth, request, reply);
    request.principal = principal;
    if (principal.session && !SAFE_METHODS.has(request.method)) auth.checkCsrf(principal, request.headers['x-csrf-token']);
    if (typeof config.permission === 'string') requirePermission(principal, config.permission);
    if (principal.session) streams.track(principal.session.id, reply.raw);
  });

  // A permission that depends on the request (the type of an incident action) is decided once the body is parsed.
  app.addHook('preHandler', async (request) => {
    const permission = (request.routeOptions.config as RouteAuthConfig | undefined)?.permission;
    if (typeof permission === 'function' && request.principal) requirePermission(request.principal, permission(request));
  });
}
