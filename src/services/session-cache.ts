import { CacheTrust } from './cache-trust.js';
import type { PersonSession } from './session.service.js';

interface Entry {
  session: PersonSession;
  /** The session's last use as this server knows it (another server may have seen a later one). */
  lastSeenAt: number;
}

/**
 * People's live sessions by their cookie's token, with their tenant and employee: a people-API request
 * is answered without the three queries that resolve its cookie, nor the token's HMAC (the database
 * keeps hashes only; this map is in the server's memory, which holds each token anyway while its
 * request is served). A sign-out or a password change must
 * end a session at once on every server, so sessions are kept only where every other writer can be
 * checked for on each request, synchronously: on SQLite (`writtenElsewhere`, PRAGMA data_version —
 * another process's commit drops them all). On PostgreSQL another server's sign-out would arrive by
 * NOTIFY a moment later, so nothing is kept there and each request reads the database as before.
 * This server's own changes are applied as they commit: a sign-out or a password change
 * (`sessions`), any directory change of the tenant (the employee may have left or changed), the
 * tenant itself. Expiry is checked on every hit; an idle limit that seems reached is left to the
 * database.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  /** Moves on every forget: a session read from the database before it may be stale. */
  private generation = 0;
  /**
   * True when another process committed to the database since the last call (its sign-outs and
   * directory changes are not announced here): everything cached is dropped. Set by the server on
   * SQLite; without it nothing is cached.
   */
  writtenElsewhere: (() => boolean) | undefined;

  constructor(
    private readonly limit = 10_000,
    private readonly trust: CacheTrust = new CacheTrust(),
  ) {}

  /** The cached session, if live at `now` by its absolute and idle limits. */
  get(token: string, now: number, idleMs: number): Entry | undefined {
    if (!this.trust.trusted || !this.writtenElsewhere) return undefined;
    if (this.writtenElsewhere()) this.clear();
    const hit = this.entries.get(token);
    if (!hit) return undefined;
    if (hit.session.expiresAt <= now || hit.lastSeenAt + idleMs <= now) {
      this.entries.delete(token);
      return undefined;
    }
    return hit;
  }

  /** Taken before reading a session from the database, and handed to `set`. */
  mark(): number {
    return this.generation + this.trust.epoch * 2 ** 32;
  }

  /** Keeps the session unless something was forgotten (or trust changed) since `mark`. */
  set(token: string, session: PersonSession, lastSeenAt: number, mark: number): void {
    if (!this.trust.trusted || !this.writtenElsewhere || mark !== this.mark()) return;
    if (this.entries.size >= this.limit) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(token, { session, lastSeenAt });
  }

  forgetEmployee(employeeId: string): void {
    this.generation += 1;
    for (const [key, entry] of this.entries)
      if (entry.session.employee.id === employeeId) this.entries.delete(key);
  }

  forgetTenant(tenantId: string): void {
    this.generation += 1;
    for (const [key, entry] of this.entries)
      if (entry.session.tenant.id === tenantId) this.entries.delete(key);
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
