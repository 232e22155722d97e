import type { Principal } from './types.js';

/**
 * Recently checked API tokens, so that a monitoring tool posting thousands of alerts a second does not cost a
 * database look-up each. A revoke in this process clears it at once; one made by another process (the CLI)
 * takes effect within TOKEN_CACHE_MS.
 */
export const TOKEN_CACHE_MS = 1000;
const MAX_ENTRIES = 1000;

const caches = new WeakMap<object, Map<string, { principal: Principal; until: number }>>();

const cacheOf = (db: object) => {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  return cache;
};

export function cachedToken(db: object, hash: string, now = performance.now()): Principal | undefined {
  const hit = caches.get(db)?.get(hash);
  return hit && hit.until > now ? hit.principal : undefined;
}

export function rememberToken(db: object, hash: string, principal: Principal, now = performance.now()): void {
  const cache = cacheOf(db);
  if (cache.size >= MAX_ENTRIES) cache.clear();
  cache.set(hash, { principal, until: now + TOKEN_CACHE_MS });
}

export function forgetTokens(db: object): void {
  caches.get(db)?.clear();
}
