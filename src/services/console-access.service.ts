import type { Employee } from '../engine/directory.js';
import { inTransaction, repositories, type ServiceContext } from './context.js';
import type { DefinitionService } from './definition.service.js';
import { notFound, ok, type Result } from './result.js';
import { refuse } from './refusals.js';
import { loadTenant } from './tenant.service.js';

/** What one person may do in the admin console of their tenant. */
export interface ConsoleAccess {
  /** Everything in the tenant: directory, apps, every flow and process. */
  tenantAdmin: boolean;
  /** Definitions whose `process_admins` name the person: those flows and their processes. */
  flowIds: string[];
}

export interface TenantAdminView {
  employee: Employee;
  grantedAt: number;
}

/**
 * Console roles. Tenant admins are granted through the admin API (operators) or by another tenant
 * admin in the console; process admins are named per flow in its definition. The admin token stays
 * for operators and automation and is not a person.
 */
export class ConsoleAccessService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly definitions: DefinitionService,
  ) {}

  async access(tenantId: string, person: { id: string; userId: string }): Promise<ConsoleAccess> {
    const repos = repositories(this.ctx.db);
    const tenantAdmin = await repos.tenantAdmins.isAdmin(tenantId, person.id);
    const flowIds = await this.definitions.administeredBy(tenantId, person);
    return { tenantAdmin, flowIds };
  }

  /** Whether the person may administer this flow (tenant admin, or one of its process admins). */
  async mayAdministerFlow(
    tenantId: string,
    person: { id: string; userId: string },
    flowId: string,
  ): Promise<boolean> {
    const access = await this.access(tenantId, person);
    return access.tenantAdmin || access.flowIds.includes(flowId);
  }

  async listAdmins(tenantKey: string): Promise<Result<TenantAdminView[]>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    const out: TenantAdminView[] = [];
    for (const grant of await repos.tenantAdmins.list(tenant.value.id)) {
      const employee = await repos.employees.findBy(tenant.value.id, 'id', grant.employeeId);
      if (employee) out.push({ employee, grantedAt: grant.grantedAt });
    }
    return ok(out);
  }

  grant(tenantKey: string, userId: string): Promise<Result<TenantAdminView>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const tenant = await loadTenant(repos, tenantKey);
      if (!tenant.ok) return tenant;
      const employee = await repos.employees.findBy(tenant.value.id, 'user_id', userId);
      if (!employee) return notFound(`employee ${userId}`);
      const at = this.ctx.clock.now();
      await repos.tenantAdmins.grant(tenant.value.id, employee.id, at);
      return ok({ employee, grantedAt: at });
    });
  }

  /** Removes a tenant admin; the last one cannot be removed by a person (`lastOneStays`). */
  revoke(tenantKey: string, userId: string, options: { lastOneStays: boolean }): Promise<Result<null>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const tenant = await loadTenant(repos, tenantKey);
      if (!tenant.ok) return tenant;
      const employee = await repos.employees.findBy(tenant.value.id, 'user_id', userId);
      if (!employee) return notFound(`employee ${userId}`);
      if (!(await repos.tenantAdmins.isAdmin(tenant.value.id, employee.id)))
        return notFound(`tenant admin ${userId}`);
      if (options.lastOneStays && (await repos.tenantAdmins.count(tenant.value.id)) <= 1)
        return refuse('in_use', 'last_tenant_admin', { user_id: userId });
      await repos.tenantAdmins.revoke(tenant.value.id, employee.id);
      return ok(null);
    });
  }
}
