// A small typed fetch wrapper for /api/v1: JSON in and out, the CSRF header on every non-GET request,
// problem+json errors turned into ApiError, and hooks for the UI (show the error, go to /login on 401).
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
const unauthorizedListeners = new Set<() => void>();
/** Called for every failed request that is not `quiet`. Returns an unsubscribe function. */
export function onApiError(listener: ErrorListener): () => void {
  errorListeners.add(listener);
  return () => errorListeners.delete(listener);
}
/** Called on a 401 unless the request asked not to be redirected. */
export function onUnauthorized(listener: () => void): () => void {
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
    if (res.status === 401 && !options.no401Redirect) unauthorizedListeners.forEach((l) => l());
    else if (!options.quiet) errorListeners.forEach((l) => l(error));
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export const get = <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options);
export const post = <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body ?? {}, options);
