import type { Executor } from './executor.js';

/** Who administers each tenant in the console (the tenant_admins table). */
export class TenantAdminRepository {
  constructor(private readonly db: Executor) {}

  async isAdmin(tenantId: string, employeeId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('tenant_admins')
      .select('employee_id')
      .where('tenant_id', '=', tenantId)
      .where('employee_id', '=', employeeId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Every admin of a tenant, oldest grant first; a tenant has few, so no paging. */
  async list(tenantId: string): Promise<{ employeeId: string; grantedAt: number }[]> {
    const rows = await this.db
      .selectFrom('tenant_admins')
      .select(['employee_id', 'granted_at'])
      .where('tenant_id', '=', tenantId)
      .orderBy('granted_at')
      .orderBy('employee_id')
      .execute();
    return rows.map((r) => ({ employeeId: r.employee_id, grantedAt: r.granted_at }));
  }

  async count(tenantId: string): Promise<number> {
    const row = await this.db
      .selectFrom('tenant_admins')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async grant(tenantId: string, employeeId: string, at: number): Promise<void> {
    await this.db
      .insertInto('tenant_admins')
      .values({ tenant_id: tenantId, employee_id: employeeId, granted_at: at })
      .onConflict((oc) => oc.columns(['tenant_id', 'employee_id']).doNothing())
      .execute();
  }

  async revoke(tenantId: string, employeeId: string): Promise<void> {
    await this.db
      .deleteFrom('tenant_admins')
      .where('tenant_id', '=', tenantId)
      .where('employee_id', '=', employeeId)
      .execute();
  }
}
