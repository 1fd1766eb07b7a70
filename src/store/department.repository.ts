import type { Department } from '../engine/directory.js';
import { toPage, type Executor, type Page, type PageRequest } from './executor.js';
import type { DepartmentTable } from './schema.js';

const toDepartment = (row: DepartmentTable): Department => ({
  id: row.id,
  tenantId: row.tenant_id,
  departmentId: row.department_id,
  openDepartmentId: row.open_department_id,
  name: { zh_cn: row.name_zh_cn, en_us: row.name_en_us },
  parentId: row.parent_id,
  leaderId: row.leader_id,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toRow = (d: Department): DepartmentTable => ({
  id: d.id,
  tenant_id: d.tenantId,
  department_id: d.departmentId,
  open_department_id: d.openDepartmentId,
  name_zh_cn: d.name.zh_cn,
  name_en_us: d.name.en_us,
  parent_id: d.parentId,
  leader_id: d.leaderId,
  created_at: d.createdAt,
  updated_at: d.updatedAt,
});

export type DepartmentKey = 'id' | 'department_id' | 'open_department_id';

export class DepartmentRepository {
  constructor(private readonly db: Executor) {}

  async insert(department: Department): Promise<void> {
    await this.db.insertInto('departments').values(toRow(department)).execute();
  }

  async update(department: Department): Promise<void> {
    const { id, tenant_id, ...changes } = toRow(department);
    await this.db
      .updateTable('departments')
      .set(changes)
      .where('id', '=', id)
      .where('tenant_id', '=', tenant_id)
      .execute();
  }

  async findBy(tenantId: string, key: DepartmentKey, value: string): Promise<Department | undefined> {
    const row = await this.db
      .selectFrom('departments')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where(key, '=', value)
      .executeTakeFirst();
    return row && toDepartment(row);
  }

  async findManyByIds(tenantId: string, ids: readonly string[]): Promise<Department[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('departments')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', ids)
      .execute();
    return rows.map(toDepartment);
  }

  /** The whole tree of a tenant; used for cycle checks and ancestor walks. */
  async listAll(tenantId: string): Promise<Department[]> {
    const rows = await this.db
      .selectFrom('departments')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .execute();
    return rows.map(toDepartment);
  }

  async list(tenantId: string, page: PageRequest, parentId?: string | null): Promise<Page<Department>> {
    let query = this.db
      .selectFrom('departments')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('id')
      .limit(page.pageSize + 1);
    if (parentId === null) query = query.where('parent_id', 'is', null);
    else if (parentId !== undefined) query = query.where('parent_id', '=', parentId);
    if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
    return toPage((await query.execute()).map(toDepartment), page.pageSize, (d) => d.id);
  }

  async countChildren(id: string): Promise<number> {
    const row = await this.db
      .selectFrom('departments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('parent_id', '=', id)
      .executeTakeFirstOrThrow();
    return row.n;
  }

  async listLedBy(tenantId: string, employeeId: string): Promise<Department[]> {
    const rows = await this.db
      .selectFrom('departments')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('leader_id', '=', employeeId)
      .execute();
    return rows.map(toDepartment);
  }

  async delete(tenantId: string, id: string): Promise<void> {
    await this.db.deleteFrom('departments').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }
}
