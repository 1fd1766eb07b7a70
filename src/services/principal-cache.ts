import type { Principal } from './auth.service.js';

/**
 * Who a token belongs to, remembered for a moment: resolving it costs three queries on every Open API
 * request (BENCHMARKS.md). Entries live `ttlMs` at most and never past the token's expiry; a change to
 * an app or tenant on this server forgets it at once, on another server within `ttlMs`.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, { principal: Principal; until: number }>();

  constructor(
    private readonly ttlMs = 2000,
    private readonly limit = 10_000,
  ) {}

  get(tokenHash: string, now: number): Principal | undefined {
    const hit = this.entries.get(tokenHash);
    if (!hit) return undefined;
    if (hit.until <= now) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return hit.principal;
  }

  set(tokenHash: string, principal: Principal, now: number, tokenExpiresAt: number): void {
    if (this.entries.size >= this.limit) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(tokenHash, { principal, until: Math.min(now + this.ttlMs, tokenExpiresAt) });
  }

  forgetApp(appInternalId: string): void {
    for (const [key, entry] of this.entries)
      if (entry.principal.app.id === appInternalId) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
