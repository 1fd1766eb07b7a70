import type { Principal } from './auth.service.js';
import { CacheTrust, TRUSTED_BACKSTOP_MS } from './cache-trust.js';

interface Entry {
  principal: Principal;
  storedAt: number;
  expiresAt: number;
}

/**
 * Who a token belongs to: resolving it costs three queries on every Open API request
 * (BENCHMARKS.md). Kept by the token itself, not its hash: a hit then costs no HMAC (a tenth of a
 * process read's CPU). The database keeps only hashes, so that a copy of it holds no usable token;
 * this map lives in the server's memory, which holds each token anyway while its request is served. While the cache bus is trusted, a change to an app or tenant on any server
 * forgets its entries (store/cache-changes.ts), so entries live until the token expires (checked
 * against the database once a minute as a backstop); otherwise an entry lives `ttlMs` at most, so a
 * change on another server takes effect within that.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();
  /** Moves on every forget: a principal read from the database before it may be stale. */
  private generation = 0;

  constructor(
    private readonly ttlMs = 2000,
    private readonly limit = 10_000,
    private readonly trust: CacheTrust = new CacheTrust(),
  ) {}

  get(token: string, now: number): Principal | undefined {
    const hit = this.entries.get(token);
    if (!hit) return undefined;
    const life = this.trust.trusted ? TRUSTED_BACKSTOP_MS : this.ttlMs;
    if (hit.expiresAt <= now || hit.storedAt + life <= now) {
      this.entries.delete(token);
      return undefined;
    }
    return hit.principal;
  }

  /** Taken before reading a principal from the database, and handed to `set`. */
  mark(): number {
    return this.generation + this.trust.epoch * 2 ** 32;
  }

  /** Keeps the principal unless something was forgotten (or trust changed) since `mark`. */
  set(token: string, principal: Principal, now: number, tokenExpiresAt: number, mark: number): void {
    if (mark !== this.mark()) return;
    if (this.entries.size >= this.limit) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, { principal, storedAt: now, expiresAt: tokenExpiresAt });
  }

  forgetApp(appInternalId: string): void {
    this.generation += 1;
    for (const [key, entry] of this.entries)
      if (entry.principal.app.id === appInternalId) this.entries.delete(key);
  }

  forgetTenant(tenantId: string): void {
    this.generation += 1;
    for (const [key, entry] of this.entries)
      if (entry.principal.tenant.id === tenantId) this.entries.delete(key);
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
