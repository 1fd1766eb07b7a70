import type { Delegation, DirectorySnapshot } from '../engine/approver-resolution.js';
import type { Clock } from '../platform/clock.js';
import type { Repositories } from './context.js';

interface Cached {
  version: number;
  snapshot: DirectorySnapshot;
}

/**
 * The whole directory of a tenant as plain maps, for the engine's approver resolution. Cached per
 * tenant and reloaded when the tenant's directory_version moves (every directory write bumps it,
 * in the same transaction), so several servers sharing a database never decide on a stale copy.
 * Out-of-office delegations ride along: creating or cancelling one bumps the version too, and the
 * snapshot holds those not yet ended when it was loaded — the engine picks the one in force at its
 * `ctx.now`, so a delegation that starts or ends later needs no reload.
 */
export class DirectorySnapshots {
  private readonly cache = new Map<string, Cached>();

  /** Without a clock (tools that decide nothing) no delegations are loaded. */
  constructor(private readonly clock?: Clock) {}

  async load(repos: Repositories, tenantId: string): Promise<DirectorySnapshot> {
    const version = (await repos.tenants.directoryVersion(tenantId)) ?? -1;
    const cached = this.cache.get(tenantId);
    if (cached?.version === version) return cached.snapshot;
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
    this.cache.set(tenantId, { version, snapshot });
    return snapshot;
  }
}
