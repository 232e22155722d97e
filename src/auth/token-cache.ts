import type { Principal } from './types.js';

/**
 * Recently checked API tokens, so that a monitoring tool posting thousands of alerts a second does not cost a
 * database look-up each. A revoke in this process clears it at once; one made by another process (the CLI)
 * takes effect within TOKEN_CACHE_MS.
 */
export const TOKEN_CACHE_MS = 1000;
const MAX_ENTRIES = 1000;

export class TokenCache {
  private readonly entries = new Map<string, { principal: Principal; until: number }>();

  get(hash: string, now = performance.now()): Principal | undefined {
    const hit = this.entries.get(hash);
    return hit && hit.until > now ? hit.principal : undefined;
  }

  remember(hash: string, principal: Principal, now = performance.now()): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(hash, { principal, until: now + TOKEN_CACHE_MS });
  }

  clear(): void {
    this.entries.clear();
  }
}
