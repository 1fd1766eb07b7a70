import type { DirectorySnapshot } from '../engine/approver-resolution.js';
import type { Repositories } from './context.js';

interface Cached {
  version: number;
  snapshot: DirectorySnapshot;
}

/**
 * The whole directory of a tenant as plain maps, for the engine's approver resolution. Cached per
 * tenant and reloaded when the tenant's directory_version moves (every directory write bumps it,
 * in the same transaction), so several servers sharing a database never decide on a stale copy.
 */
export class DirectorySnapshots {
  private readonly cache = new Map<string, Cached>();

  async load(repos: Repositories, tenantId: string): Promise<DirectorySnapshot> {
    const version = (await repos.tenants.directoryVersion(tenantId)) ?? -1;
    const cached = this.cache.get(tenantId);
    if (cached?.version === version) return cached.snapshot;
    const [employees, departments, roles] = await Promise.all([
      repos.employees.listAll(tenantId),
      repos.departments.listAll(tenantId),
      repos.roles.listAll(tenantId),
    ]);
    const snapshot: DirectorySnapshot = {
      employees: new Map(employees.map((e) => [e.id, e])),
      departments: new Map(departments.map((d) => [d.id, d])),
      roles: new Map(roles.map((r) => [r.roleKey, r])),
    };
    this.cache.set(tenantId, { version, snapshot });
    return snapshot;
  }
}
