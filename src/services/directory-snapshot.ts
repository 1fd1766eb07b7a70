import type { Delegation, DirectorySnapshot } from '../engine/approver-resolution.js';
import type { Clock } from '../platform/clock.js';
import type { Repositories } from './context.js';
import { CacheTrust, TRUSTED_BACKSTOP_MS } from './cache-trust.js';

interface Cached {
  version: number;
  snapshot: DirectorySnapshot;
  /** Until when (performance.now()) it is used without asking the database; 0: ask each time. */
  trustedUntil: number;
}

/** An announced directory version not seen in the database after this long was rolled back. */
const ROLLED_BACK_AFTER_MS = 10_000;

/**
 * The whole directory of a tenant as plain maps, for the engine's approver resolution. Cached per
 * tenant with the tenant's directory_version (every directory write bumps it, in the same
 * transaction). While the cache bus is trusted (services/cache-trust.ts) a snapshot is used without
 * asking the database until a write is announced (store/cache-changes.ts: on PostgreSQL by NOTIFY
 * from any server) — no query per request; otherwise, or once a minute as a backstop, the version
 * is read first and the snapshot reloaded when it moved, so servers sharing a database never decide
 * on a stale copy. A snapshot read under an older announced version is never trusted, whatever order
 * the read and the announcement arrive in.
 * Out-of-office delegations ride along: creating or cancelling one bumps the version too, and the
 * snapshot holds those not yet ended when it was loaded — the engine picks the one in force at its
 * `ctx.now`, so a delegation that starts or ends later needs no reload.
 */
export class DirectorySnapshots {
  private readonly cache = new Map<string, Cached>();
  /** The newest version announced per tenant, and when (performance.now()). */
  private readonly announced = new Map<string, { version: number; at: number }>();
  /** Version reads from the database, for tests of the no-query path. */
  versionReads = 0;

  /** Without a clock (tools that decide nothing) no delegations are loaded. */
  constructor(
    private readonly clock?: Clock,
    private readonly trust: CacheTrust = new CacheTrust(),
  ) {}

  /** A directory write was announced (this server's, in its transaction, or another's on commit). */
  changed(tenantId: string, version: number): void {
    const known = this.announced.get(tenantId);
    if (!known || known.version < version) this.announced.set(tenantId, { version, at: performance.now() });
    const cached = this.cache.get(tenantId);
    if (cached && cached.version < version) cached.trustedUntil = 0;
  }

  forget(tenantId: string): void {
    this.cache.delete(tenantId);
    this.announced.delete(tenantId);
  }

  clear(): void {
    this.cache.clear();
    this.announced.clear();
  }

  async load(repos: Repositories, tenantId: string): Promise<DirectorySnapshot> {
    const cached = this.cache.get(tenantId);
    if (cached && this.trust.trusted && performance.now() < cached.trustedUntil) return cached.snapshot;
    const epoch = this.trust.epoch;
    this.versionReads += 1;
    const version = (await repos.tenants.directoryVersion(tenantId)) ?? -1;
    const now = performance.now();
    const known = this.announced.get(tenantId);
    if (known && known.version > version && now - known.at > ROLLED_BACK_AFTER_MS)
      this.announced.delete(tenantId);
    // Trusted only if nothing newer was announced and the bus stayed up throughout the read — and not
    // read inside a transaction, which may have written the version itself and not commit it.
    const trustable =
      this.trust.trusted &&
      this.trust.epoch === epoch &&
      !repos.tenants.inTransaction &&
      !((this.announced.get(tenantId)?.version ?? -1) > version);
    const trustedUntil = trustable ? now + TRUSTED_BACKSTOP_MS : 0;
    if (cached?.version === version) {
      cached.trustedUntil = trustedUntil;
      return cached.snapshot;
    }
    const [employees, departments, roles, delegations] = await Promise.all([
      repos.employees.listAll(tenantId),
      repos.departments.listAll(tenantId),
      repos.roles.listAll(tenantId),
      this.clock ? repos.delegations.current(tenantId, this.clock.now()) : [],
    ]);
    const byDelegator = new Map<string, Delegation[]>();
    for (const d of delegations) {
      const { delegatorId, delegateId, startsAt, endsAt } = d;
      byDelegator.set(delegatorId, [
        ...(byDelegator.get(delegatorId) ?? []),
        { delegatorId, delegateId, startsAt, endsAt },
      ]);
    }
    const snapshot: DirectorySnapshot = {
      employees: new Map(employees.map((e) => [e.id, e])),
      departments: new Map(departments.map((d) => [d.id, d])),
      roles: new Map(roles.map((r) => [r.roleKey, r])),
      ...(byDelegator.size > 0 ? { delegations: byDelegator } : {}),
    };
    // A write announced while the snapshot loaded may not be in it.
    const stillTrustable =
      trustable && this.trust.epoch === epoch && !((this.announced.get(tenantId)?.version ?? -1) > version);
    this.cache.set(tenantId, { version, snapshot, trustedUntil: stillTrustable ? trustedUntil : 0 });
    return snapshot;
  }
}
