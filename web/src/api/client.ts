// A small typed fetch wrapper for /api/v1: JSON in and out, the CSRF header on every non-GET request,
// problem+json errors turned into ApiError, and hooks for the UI (show the error, ask to sign in again on 401).
// An action refused because the session expired is not lost: it is held (in memory, and in sessionStorage should
// the page be left for the login page) and sent again, once, after the person signs in again.
import type { Problem } from './types';

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

export interface RequestOptions {
  /** Do not report failures to the UI (the caller handles them, e.g. an optional endpoint). */
  quiet?: boolean;
  /** Do not redirect to the login page on 401 (login page, ack page, session probe). */
  no401Redirect?: boolean;
  signal?: AbortSignal;
}

let csrfToken: string | undefined;
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

type ErrorListener = (error: ApiError) => void;
const errorListeners = new Set<ErrorListener>();
/** `held`: an action waits for the person to sign in again (resumeHeld sends it). */
type UnauthorizedListener = (held: boolean) => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();
/** Called for every failed request that is not `quiet`. Returns an unsubscribe function. */
export function onApiError(listener: ErrorListener): () => void {
  errorListeners.add(listener);
  return () => errorListeners.delete(listener);
}
/** Called on a 401 unless the request asked not to be redirected. */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

async function send(url: string, init: RequestInit): Promise<Response> {
  // Dev-only fixture; `import.meta.env.DEV` is false in `vite build`, so this branch and its chunk are dropped.
  if (import.meta.env.DEV && import.meta.env.VITE_LIFELINE_FIXTURE === '1') {
    const { fixtureFetch } = await import('./fixture');
    return fixtureFetch(url, init);
  }
  return fetch(url, init);
}

async function readProblem(res: Response): Promise<Problem> {
  const type = res.headers.get('content-type') ?? '';
  try {
    if (type.includes('json')) return (await res.json()) as Problem;
    const text = await res.text();
    return { status: res.status, title: res.statusText, detail: text.slice(0, 300) || res.statusText };
  } catch {
    return { status: res.status, title: res.statusText };
  }
}

/** An action (not a read) to send again after signing in: what sessionStorage keeps. */
export interface PendingAction {
  method: string;
  path: string;
  body?: unknown;
  /** when it was refused (epoch ms): a stale one is not replayed */
  at: number;
}
export const PENDING_ACTION_KEY = 'lifeline.pendingAction';
/** An action older than this is not completed after sign-in (the person may have moved on). */
const PENDING_MAX_AGE_MS = 30 * 60_000;

interface Held {
  action: PendingAction;
  options: RequestOptions;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}
let held: Held[] = [];

function storePending(actions: PendingAction[]): void {
  try {
    if (actions.length) sessionStorage.setItem(PENDING_ACTION_KEY, JSON.stringify(actions));
    else sessionStorage.removeItem(PENDING_ACTION_KEY);
  } catch {
    /* private mode: the in-memory copy still completes it */
  }
}

/** Takes (and removes, so that it is never sent twice) the actions a previous page kept for after sign-in. */
export function takeStoredActions(now = Date.now()): PendingAction[] {
  try {
    const raw = sessionStorage.getItem(PENDING_ACTION_KEY);
    sessionStorage.removeItem(PENDING_ACTION_KEY);
    const list = raw ? (JSON.parse(raw) as PendingAction[]) : [];
    return Array.isArray(list) ? list.filter((a) => typeof a?.path === 'string' && now - Number(a.at) < PENDING_MAX_AGE_MS) : [];
  } catch {
    return [];
  }
}

/** Whether an action waits for sign-in (held here, or kept by a previous page). */
export function hasPendingAction(): boolean {
  if (held.length) return true;
  try {
    return sessionStorage.getItem(PENDING_ACTION_KEY) !== null;
  } catch {
    return false;
  }
}

/** After signing in again: sends every held action once (their callers get the answers) and the ones a previous page kept. */
export async function resumeHeld(): Promise<number> {
  const mine = held;
  held = [];
  const kept = takeStoredActions().filter((a) => !mine.some((h) => h.action.at === a.at && h.action.path === a.path));
  for (const h of mine) {
    try {
      h.resolve(await request(h.action.method, h.action.path, h.action.body, h.options));
    } catch (error) {
      h.reject(error);
    }
  }
  for (const a of kept) await request(a.method, a.path, a.body).catch(() => undefined); // the error reporter says why
  return mine.length + kept.length;
}

/** The person gave up signing in here: held actions fail (they stay in sessionStorage for the login page). */
export function dropHeld(): void {
  const mine = held;
  held = [];
  for (const h of mine) h.reject(new ApiError(401, { status: 401, code: 'SESSION_EXPIRED' }));
}

export async function request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await send(API_BASE + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (cause) {
    if ((cause as Error).name === 'AbortError') throw cause;
    const error = new ApiError(0, { title: 'network', code: 'NETWORK_ERROR', detail: (cause as Error).message });
    if (!options.quiet) errorListeners.forEach((l) => l(error));
    throw error;
  }
  if (!res.ok) {
    const error = new ApiError(res.status, await readProblem(res));
    if (res.status === 401 && !options.no401Redirect) {
      const action = method !== 'GET' && method !== 'HEAD' && unauthorizedListeners.size > 0;
      if (action) {
        // kept for after sign-in: completed then, once
        const pending: PendingAction = { method, path, body, at: Date.now() };
        const waiting = new Promise<T>((resolve, reject) => held.push({ action: pending, options, resolve: resolve as (v: unknown) => void, reject }));
        storePending(held.map((h) => h.action));
        unauthorizedListeners.forEach((l) => l(true));
        return waiting;
      }
      unauthorizedListeners.forEach((l) => l(false));
    } else if (!options.quiet) errorListeners.forEach((l) => l(error));
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export const get = <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options);
export const post = <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body ?? {}, options);
