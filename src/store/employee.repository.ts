import type { Employee, EmploymentStatus } from '../engine/directory.js';
import { sql } from 'kysely';
import { toPage, type Executor, type Page, type PageRequest } from './executor.js';
import type { EmployeeTable } from './schema.js';

/** The profile columns (0018), kept out of `Employee`: the engine's directory snapshot does not carry them. */
export const PROFILE_COLUMNS = [
  'job_title',
  'phone',
  'personal_email',
  'address',
  'emergency_contact_name',
  'emergency_contact_phone',
  'bank_account',
  'id_number',
  'probation_status',
  'probation_end_date',
  'last_day',
] as const;
export type ProfileColumn = (typeof PROFILE_COLUMNS)[number];
/** A profile as stored: `bank_account` and `id_number` sealed (the service layer opens them). */
export type StoredProfile = Pick<EmployeeTable, ProfileColumn>;

const toEmployee = (row: EmployeeTable): Employee => ({
  id: row.id,
  tenantId: row.tenant_id,
  userId: row.user_id,
  unionId: row.union_id,
  name: { zh_cn: row.name_zh_cn, en_us: row.name_en_us },
  email: row.email,
  departmentId: row.department_id,
  managerId: row.manager_id,
  employmentStatus: row.employment_status as EmploymentStatus,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toRow = (e: Employee): Omit<EmployeeTable, ProfileColumn> => ({
  id: e.id,
  tenant_id: e.tenantId,
  user_id: e.userId,
  union_id: e.unionId,
  name_zh_cn: e.name.zh_cn,
  name_en_us: e.name.en_us,
  email: e.email,
  department_id: e.departmentId,
  manager_id: e.managerId,
  employment_status: e.employmentStatus,
  created_at: e.createdAt,
  updated_at: e.updatedAt,
});

export type EmployeeKey = 'id' | 'user_id' | 'union_id' | 'email';

export interface EmployeeFilter {
  departmentId?: string | undefined;
  managerId?: string | undefined;
  employmentStatus?: EmploymentStatus | undefined;
  /** Part of a name (either language), the email or the user_id, case-insensitive. */
  text?: string | undefined;
}

/** `text` as a LIKE pattern matching it anywhere, its own % _ \\ taken literally. */
const containsPattern = (text: string) => `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class EmployeeRepository {
  constructor(private readonly db: Executor) {}

  async insert(employee: Employee): Promise<void> {
    await this.db.insertInto('employees').values(toRow(employee)).execute();
  }

  async update(employee: Employee): Promise<void> {
    const { id, tenant_id, ...changes } = toRow(employee);
    await this.db
      .updateTable('employees')
      .set(changes)
      .where('id', '=', id)
      .where('tenant_id', '=', tenant_id)
      .execute();
  }

  /** Writes only the profile columns given (an `update` of the directory fields leaves them alone). */
  async updateProfile(
    tenantId: string,
    id: string,
    changes: Partial<StoredProfile>,
    updatedAt: number,
  ): Promise<void> {
    await this.db
      .updateTable('employees')
      .set({ ...changes, updated_at: updatedAt })
      .where('id', '=', id)
      .where('tenant_id', '=', tenantId)
      .execute();
  }

  async findProfiles(tenantId: string, ids: readonly string[]): Promise<Map<string, StoredProfile>> {
    const out = new Map<string, StoredProfile>();
    if (ids.length === 0) return out;
    const rows = await this.db
      .selectFrom('employees')
      .select(['id', ...PROFILE_COLUMNS])
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', ids)
      .execute();
    for (const { id, ...profile } of rows) out.set(id, profile);
    return out;
  }

  async findBy(tenantId: string, key: EmployeeKey, value: string): Promise<Employee | undefined> {
    const row = await this.db
      .selectFrom('employees')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where(key, '=', value)
      .executeTakeFirst();
    return row && toEmployee(row);
  }

  async findManyByIds(tenantId: string, ids: readonly string[]): Promise<Employee[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('employees')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', ids)
      .execute();
    return rows.map(toEmployee);
  }

  /** The manager chain upward from `employeeId` (exclusive), nearest first; stops on a cycle. */
  async managerChain(tenantId: string, employeeId: string, maxDepth = 64): Promise<Employee[]> {
    const chain: Employee[] = [];
    const seen = new Set<string>([employeeId]);
    let current = await this.findBy(tenantId, 'id', employeeId);
    while (current?.managerId && !seen.has(current.managerId) && chain.length < maxDepth) {
      seen.add(current.managerId);
      current = await this.findBy(tenantId, 'id', current.managerId);
      if (current) chain.push(current);
    }
    return chain;
  }

  async list(tenantId: string, page: PageRequest, filter: EmployeeFilter = {}): Promise<Page<Employee>> {
    let query = this.db
      .selectFrom('employees')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('id')
      .limit(page.pageSize + 1);
    if (filter.departmentId !== undefined) query = query.where('department_id', '=', filter.departmentId);
    if (filter.managerId !== undefined) query = query.where('manager_id', '=', filter.managerId);
    if (filter.employmentStatus !== undefined)
      query = query.where('employment_status', '=', filter.employmentStatus);
    if (filter.text !== undefined && filter.text !== '') {
      const pattern = containsPattern(filter.text);
      query = query.where((eb) =>
        eb.or(
          (['name_zh_cn', 'name_en_us', 'email', 'user_id'] as const).map((column) =>
            eb(sql`lower(${sql.ref(column)})`, 'like', sql`${pattern} escape '\\'`),
          ),
        ),
      );
    }
    if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
    return toPage((await query.execute()).map(toEmployee), page.pageSize, (e) => e.id);
  }

  async listAll(tenantId: string): Promise<Employee[]> {
    const rows = await this.db
      .selectFrom('employees')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .execute();
    return rows.map(toEmployee);
  }

  async listIds(tenantId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('employees')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .execute();
    return rows.map((r) => r.id);
  }

  async count(where: { departmentId?: string; managerId?: string }): Promise<number> {
    let query = this.db.selectFrom('employees').select((eb) => eb.fn.countAll<number>().as('n'));
    if (where.departmentId !== undefined) query = query.where('department_id', '=', where.departmentId);
    if (where.managerId !== undefined) query = query.where('manager_id', '=', where.managerId);
    const row = await query.executeTakeFirstOrThrow();
    return row.n;
  }

  /**
   * The employee and every row that is theirs alone: open ids, role memberships, admin grants, and
   * their password, invite links, sessions and preferences (a deleted person must not sign in, nor a
   * new one with the same user_id inherit them). Run it inside the caller's transaction.
   */
  async delete(tenantId: string, id: string): Promise<void> {
    for (const table of EMPLOYEE_OWNED_TABLES)
      await this.db.deleteFrom(table).where('employee_id', '=', id).execute();
    await this.db.deleteFrom('employees').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }
}

/** Tables whose rows belong to one employee and go with them (processes and tasks stay: they are history). */
const EMPLOYEE_OWNED_TABLES = [
  'app_open_ids',
  'role_members',
  'tenant_admins',
  'people_credentials',
  'people_invites',
  'people_sessions',
  'employee_preferences',
  'notification_preferences',
] as const;
