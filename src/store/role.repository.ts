import type { Role, RoleMember } from '../engine/directory.js';
import { toPage, type Executor, type Page, type PageRequest } from './executor.js';
import type { RoleTable } from './schema.js';

export class RoleRepository {
  constructor(private readonly db: Executor) {}

  async insert(role: Role): Promise<void> {
    await this.db
      .insertInto('roles')
      .values({
        id: role.id,
        tenant_id: role.tenantId,
        role_key: role.roleKey,
        name_zh_cn: role.name.zh_cn,
        name_en_us: role.name.en_us,
        created_at: role.createdAt,
        updated_at: role.updatedAt,
      })
      .execute();
    await this.replaceMembers(role.id, role.members);
  }

  async update(role: Role): Promise<void> {
    await this.db
      .updateTable('roles')
      .set({ name_zh_cn: role.name.zh_cn, name_en_us: role.name.en_us, updated_at: role.updatedAt })
      .where('id', '=', role.id)
      .where('tenant_id', '=', role.tenantId)
      .execute();
    await this.replaceMembers(role.id, role.members);
  }

  private async replaceMembers(roleId: string, members: RoleMember[]): Promise<void> {
    await this.db.deleteFrom('role_members').where('role_id', '=', roleId).execute();
    if (members.length === 0) return;
    await this.db
      .insertInto('role_members')
      .values(
        members.map((m) => ({
          role_id: roleId,
          employee_id: m.employeeId,
          department_ids: JSON.stringify(m.departmentIds),
        })),
      )
      .execute();
  }

  async findByKey(tenantId: string, roleKey: string): Promise<Role | undefined> {
    const row = await this.db
      .selectFrom('roles')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('role_key', '=', roleKey)
      .executeTakeFirst();
    if (!row) return undefined;
    const [role] = await this.withMembers([row]);
    return role;
  }

  async list(tenantId: string, page: PageRequest): Promise<Page<Role>> {
    let query = this.db
      .selectFrom('roles')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('id')
      .limit(page.pageSize + 1);
    if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
    const rows = await query.execute();
    return toPage(await this.withMembers(rows), page.pageSize, (r) => r.id);
  }

  async listAll(tenantId: string): Promise<Role[]> {
    const rows = await this.db.selectFrom('roles').selectAll().where('tenant_id', '=', tenantId).execute();
    return this.withMembers(rows);
  }

  private async withMembers(rows: RoleTable[]): Promise<Role[]> {
    if (rows.length === 0) return [];
    const members = await this.db
      .selectFrom('role_members')
      .selectAll()
      .where(
        'role_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('employee_id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      tenantId: row.tenant_id,
      roleKey: row.role_key,
      name: { zh_cn: row.name_zh_cn, en_us: row.name_en_us },
      members: members
        .filter((m) => m.role_id === row.id)
        .map((m) => ({ employeeId: m.employee_id, departmentIds: JSON.parse(m.department_ids) as string[] })),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    }));
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await this.db.deleteFrom('role_members').where('role_id', '=', id).execute();
    await this.db.deleteFrom('roles').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }
}
