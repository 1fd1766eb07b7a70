import type { Tenant } from '../engine/directory.js';
import { randomHex } from '../platform/id-generator.js';
import type { Page, PageRequest } from '../store/executor.js';
import { inTransaction, repositories, type Repositories, type ServiceContext } from './context.js';
import { invalidField, notFound, ok, type Result } from './result.js';
import type { PrincipalCache } from './principal-cache.js';

export interface TenantInput {
  tenant_key?: string | undefined;
  name: string;
}

/** Looks a tenant up by key inside a unit of work; every directory call starts here. */
export async function loadTenant(repos: Repositories, tenantKey: string): Promise<Result<Tenant>> {
  const tenant = await repos.tenants.findByKey(tenantKey);
  return tenant ? ok(tenant) : notFound(`tenant ${tenantKey}`);
}

export class TenantService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly principals?: PrincipalCache,
  ) {}

  create(input: TenantInput): Promise<Result<Tenant>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const tenantKey = input.tenant_key ?? randomHex(8);
      if (await repos.tenants.findByKey(tenantKey))
        return invalidField('tenant_key', 'already used by another tenant');
      const now = this.ctx.clock.now();
      const tenant: Tenant = {
        id: this.ctx.ids.next(),
        tenantKey,
        name: input.name,
        createdAt: now,
        updatedAt: now,
      };
      await repos.tenants.insert(tenant);
      return ok(tenant);
    });
  }

  async get(tenantKey: string): Promise<Result<Tenant>> {
    return loadTenant(repositories(this.ctx.db), tenantKey);
  }

  list(page: PageRequest): Promise<Page<Tenant>> {
    return repositories(this.ctx.db).tenants.list(page);
  }

  update(tenantKey: string, input: { name?: string | undefined }): Promise<Result<Tenant>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const found = await loadTenant(repos, tenantKey);
      if (!found.ok) return found;
      const tenant = {
        ...found.value,
        name: input.name ?? found.value.name,
        updatedAt: this.ctx.clock.now(),
      };
      await repos.tenants.update(tenant.id, tenant);
      return ok(tenant);
    });
  }

  /** Deletes the tenant with its directory, roles, apps and tokens. */
  async delete(tenantKey: string): Promise<Result<null>> {
    const result = await inTransaction(this.ctx.db, async (repos) => {
      const found = await loadTenant(repos, tenantKey);
      if (!found.ok) return found;
      await repos.tenants.deleteCascade(found.value.id);
      this.principals?.clear();
      return ok(null);
    });
    // The tenant's apps are gone: their long connections close.
    if (result.ok) this.ctx.accessChanged?.();
    return result;
  }
}
