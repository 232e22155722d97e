import type { FastifyRequest } from 'fastify';
import type { RoleId } from './roles.js';

/** Who makes a request: a signed-in person (session) or an API token. */
export interface Principal {
  kind: 'session' | 'token';
  /** user id or token id */
  id: string;
  /** recorded as the actor of what they do (a person's display name; `token:NAME` for a token) */
  name: string;
  username: string;
  role: RoleId;
  planRole: string | null;
  /** the person of the directory a signed-in account is linked to (null: not linked, or an API token) */
  person: { id: string; name: string } | null;
  grants: readonly string[];
  session?: { id: string; csrfToken: string };
}

/** Who acts: the signed-in person when auth is present, else the plan role named in the body. */
export type ActorOf = (request: FastifyRequest, claimed?: string) => { actor: string; role?: string; personId?: string | null };

/** A route and what it declares (for tests and the start-up warning). */
export interface RouteInfo {
  method: string;
  url: string;
  public: boolean;
  permission: string | 'dynamic' | null;
}

/**
 * What a route declares (`config` of the route options); the global hook (src/auth/hook.ts) enforces it.
 * - `{ public: true }`: no sign-in (health, sign-in itself, intake endpoints with their own keys, ack links)
 * - `{ permission: 'incident.read' }`: a signed-in person or API token whose role grants it
 * - `{ permission: (request) => name }`: decided from the parsed request (checked just before the handler)
 * A route under /api/ declaring neither is refused with 403 (fail closed).
 */
export interface RouteAuthConfig {
  public?: boolean;
  permission?: string | ((request: FastifyRequest) => string);
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with what it declares (src/auth/hook.ts; empty without the auth hook). */
    declaredRoutes(): RouteInfo[];
    /** Ends the open event streams of a session at once (after logout). */
    endStreams(sessionId: string): void;
  }
  interface FastifyContextConfig extends RouteAuthConfig {}
  interface FastifyRequest {
    /** the signed-in person or API token; null on public routes and without the auth hook */
    principal: Principal | null;
  }
}
