import type { Tenant } from '../engine/directory.js';
import { toPage, type Executor, type Page, type PageRequest } from './executor.js';
import type { Selectable } from 'kysely';
import type { TenantTable } from './schema.js';
import { NotificationRepository } from './notification.repository.js';
import { announceChange } from './cache-changes.js';
import { keptQuery } from './kept-query.js';

const toTenant = (row: Selectable<TenantTable>): Tenant => ({
  id: row.id,
  tenantKey: row.tenant_key,
  name: row.name,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export class TenantRepository {
  constructor(private readonly db: Executor) {}

  async insert(tenant: Tenant): Promise<void> {
    await this.db
      .insertInto('tenants')
      .values({
        id: tenant.id,
        tenant_key: tenant.tenantKey,
        name: tenant.name,
        created_at: tenant.createdAt,
        updated_at: tenant.updatedAt,
      })
      .execute();
  }

  async findByKey(tenantKey: string): Promise<Tenant | undefined> {
    const row = await this.db
      .selectFrom('tenants')
      .selectAll()
      .where('tenant_key', '=', tenantKey)
      .executeTakeFirst();
    return row && toTenant(row);
  }

  async findById(id: string): Promise<Tenant | undefined> {
    // The event dispatcher reads its apps' tenants on every round.
    const [row] = (
      await keptQuery(this.db, 'tenants.findById', { id }, (v) =>
        this.db.selectFrom('tenants').selectAll().where('id', '=', v.id),
      )
    ).rows;
    return row && toTenant(row);
  }

  async list(page: PageRequest): Promise<Page<Tenant>> {
    let query = this.db
      .selectFrom('tenants')
      .selectAll()
      .orderBy('id')
      .limit(page.pageSize + 1);
    if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
    return toPage((await query.execute()).map(toTenant), page.pageSize, (t) => t.id);
  }

  async update(id: string, changes: { name: string; updatedAt: number }): Promise<void> {
    await this.db
      .updateTable('tenants')
      .set({ name: changes.name, updated_at: changes.updatedAt })
      .where('id', '=', id)
      .execute();
    await announceChange(this.db, { kind: 'tenant', tenantId: id });
  }

  /**
   * Marks the directory as changed, so cached snapshots reload on every server (call inside the
   * changing transaction: the announcement goes out when it commits). Returns the new version.
   */
  async bumpDirectoryVersion(id: string): Promise<number | undefined> {
    const row = await this.db
      .updateTable('tenants')
      .set((eb) => ({ directory_version: eb('directory_version', '+', 1) }))
      .where('id', '=', id)
      .returning('directory_version')
      .executeTakeFirst();
    if (row)
      await announceChange(this.db, { kind: 'directory', tenantId: id, version: row.directory_version });
    return row?.directory_version;
  }

  /** Whether these repositories work inside a transaction (what they read may not be committed). */
  get inTransaction(): boolean {
    return this.db.isTransaction;
  }

  async directoryVersion(id: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('tenants')
      .select('directory_version')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.directory_version;
  }

  /** Removes the tenant and everything it owns; the caller runs this inside a transaction. */
  async deleteCascade(id: string): Promise<void> {
    await announceChange(this.db, { kind: 'tenant', tenantId: id });
    const apps = this.db.selectFrom('apps').select('id').where('tenant_id', '=', id);
    const roles = this.db.selectFrom('roles').select('id').where('tenant_id', '=', id);
    const processes = this.db.selectFrom('processes').select('id').where('tenant_id', '=', id);
    const definitions = this.db.selectFrom('flow_definitions').select('id').where('tenant_id', '=', id);
    await this.db.deleteFrom('event_deliveries').where('tenant_id', '=', id).execute();
    // Sign-in: the single sign-on secret, password hashes and invite links go with the tenant.
    await this.db.deleteFrom('tenant_sso').where('tenant_id', '=', id).execute();
    await this.db.deleteFrom('people_invites').where('tenant_id', '=', id).execute();
    await this.db.deleteFrom('people_credentials').where('tenant_id', '=', id).execute();
    await this.db.deleteFrom('people_sessions').where('tenant_id', '=', id).execute();
    await this.db.deleteFrom('employee_preferences').where('tenant_id', '=', id).execute();
    await new NotificationRepository(this.db).deleteTenant(id);
    await this.db.deleteFrom('tenant_admins').where('tenant_id', '=', id).execute();
    await this.db.deleteFrom('delegations').where('tenant_id', '=', id).execute();
    await this.db.deleteFrom('file_links').where('tenant_id', '=', id).execute();
    await this.db.deleteFrom('files').where('tenant_id', '=', id).execute();
    await this.db.deleteFrom('outbox').where('tenant_id', '=', id).execute();
    await this.db.deleteFrom('process_tasks').where('process_id', 'in', processes).execute();
    await this.db.deleteFrom('process_ccs').where('process_id', 'in', processes).execute();
    await this.db.deleteFrom('processes').where('tenant_id', '=', id).execute();
    await this.db.deleteFrom('flow_definition_versions').where('definition_id', 'in', definitions).execute();
    await this.db.deleteFrom('flow_definitions').where('tenant_id', '=', id).execute();
    await this.db.deleteFrom('access_tokens').where('tenant_id', '=', id).execute();
    await this.db.deleteFrom('app_open_ids').where('app_id', 'in', apps).execute();
    await this.db.deleteFrom('apps').where('tenant_id', '=', id).execute();
    await this.db.deleteFrom('role_members').where('role_id', 'in', roles).execute();
    await this.db.deleteFrom('roles').where('tenant_id', '=', id).execute();
    // Break the references inside the directory before deleting it.
    await this.db
      .updateTable('employees')
      .set({ manager_id: null, department_id: null })
      .where('tenant_id', '=', id)
      .execute();
    await this.db
      .updateTable('departments')
      .set({ parent_id: null, leader_id: null })
      .where('tenant_id', '=', id)
      .execute();
    await this.db.deleteFrom('employees').where('tenant_id', '=', id).execute();
    await this.db.deleteFrom('departments').where('tenant_id', '=', id).execute();
    await this.db.deleteFrom('tenants').where('id', '=', id).execute();
  }
}
