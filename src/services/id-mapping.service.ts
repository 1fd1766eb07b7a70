import type { Department, Employee } from '../engine/directory.js';
import type { StoredApp } from '../store/app.repository.js';
import { repositories, type ServiceContext } from './context.js';
import { invalidField, notFound, ok, type Result } from './result.js';
import { loadTenant } from './tenant.service.js';

/** The id types of docs/open-api.md (Identity). */
export const USER_ID_TYPES = ['open_id', 'union_id', 'user_id', 'people_corehr_id'] as const;
export type UserIdType = (typeof USER_ID_TYPES)[number];
export const DEPARTMENT_ID_TYPES = [
  'open_department_id',
  'department_id',
  'people_corehr_department_id',
] as const;
export type DepartmentIdType = (typeof DEPARTMENT_ID_TYPES)[number];

export interface EmployeeIds {
  user_id: string;
  union_id: string;
  people_corehr_id: string;
  /** Present when an app was named. */
  open_id?: string;
  open_ids: { app_id: string; open_id: string }[];
}

const OPEN_ID_CACHE_SIZE = 100_000;

/**
 * Converts between the id types. open_id needs the app it belongs to: the same person has a
 * different open_id in each app, and an open_id of another app resolves to nobody.
 */
export class IdMappingService {
  /** "appInternalId employeeId" → open_id. */
  private readonly openIds = new Map<string, string>();

  constructor(private readonly ctx: ServiceContext) {}

  async resolveUser(
    tenantId: string,
    type: UserIdType,
    value: string,
    app?: StoredApp,
  ): Promise<Employee | undefined> {
    const employees = repositories(this.ctx.db).employees;
    switch (type) {
      case 'user_id':
        return employees.findBy(tenantId, 'user_id', value);
      case 'union_id':
        return employees.findBy(tenantId, 'union_id', value);
      case 'people_corehr_id':
        return employees.findBy(tenantId, 'id', value);
      case 'open_id': {
        if (!app || app.tenantId !== tenantId) return undefined;
        const employeeId = await repositories(this.ctx.db).apps.employeeIdByOpenId(app.id, value);
        return employeeId === undefined ? undefined : employees.findBy(tenantId, 'id', employeeId);
      }
    }
  }

  async renderUser(employee: Employee, type: UserIdType, app?: StoredApp): Promise<string | undefined> {
    switch (type) {
      case 'user_id':
        return employee.userId;
      case 'union_id':
        return employee.unionId;
      case 'people_corehr_id':
        return employee.id;
      case 'open_id':
        return app ? repositories(this.ctx.db).apps.openIdOf(app.id, employee.id) : undefined;
    }
  }

  async resolveDepartment(
    tenantId: string,
    type: DepartmentIdType,
    value: string,
  ): Promise<Department | undefined> {
    const departments = repositories(this.ctx.db).departments;
    switch (type) {
      case 'department_id':
        return departments.findBy(tenantId, 'department_id', value);
      case 'open_department_id':
        return departments.findBy(tenantId, 'open_department_id', value);
      case 'people_corehr_department_id':
        return departments.findBy(tenantId, 'id', value);
    }
  }

  renderDepartment(department: Department, type: DepartmentIdType): string {
    switch (type) {
      case 'department_id':
        return department.departmentId;
      case 'open_department_id':
        return department.openDepartmentId;
      case 'people_corehr_department_id':
        return department.id;
    }
  }

  /**
   * open_ids of many people in one app, for rendering. A person's open_id in an app never changes
   * (it goes only with the app, whose internal id is never reused), so the ones read are remembered.
   */
  async openIdsOf(app: StoredApp, employeeIds: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const missing: string[] = [];
    for (const id of new Set(employeeIds)) {
      const known = this.openIds.get(`${app.id} ${id}`);
      if (known === undefined) missing.push(id);
      else found.set(id, known);
    }
    if (missing.length === 0) return found;
    for (const [id, openId] of await repositories(this.ctx.db).apps.openIdsOf(app.id, missing)) {
      found.set(id, openId);
      if (this.openIds.size >= OPEN_ID_CACHE_SIZE) this.openIds.clear();
      this.openIds.set(`${app.id} ${id}`, openId);
    }
    return found;
  }

  /** Every id of one person, found by any id type (admin look-up). */
  async employeeIds(
    tenantKey: string,
    type: UserIdType,
    value: string,
    appId?: string,
  ): Promise<Result<EmployeeIds>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    let app: StoredApp | undefined;
    if (appId !== undefined) {
      app = await repos.apps.findByAppId(appId);
      if (!app || app.tenantId !== tenant.value.id)
        return invalidField('app_id', 'unknown app in this tenant');
    } else if (type === 'open_id') {
      return invalidField('app_id', 'required when user_id_type is open_id: an open_id belongs to one app');
    }
    const employee = await this.resolveUser(tenant.value.id, type, value, app);
    if (!employee) return notFound(`employee with ${type} ${value}`);
    const appIds = await repos.apps.listIds(tenant.value.id);
    const openIds: EmployeeIds['open_ids'] = [];
    for (const internalId of appIds) {
      const other = await repos.apps.findById(internalId);
      const openId = await repos.apps.openIdOf(internalId, employee.id);
      if (other && openId) openIds.push({ app_id: other.appId, open_id: openId });
    }
    const ids: EmployeeIds = {
      user_id: employee.userId,
      union_id: employee.unionId,
      people_corehr_id: employee.id,
      open_ids: openIds,
    };
    const openId = app ? await repos.apps.openIdOf(app.id, employee.id) : undefined;
    if (openId) ids.open_id = openId;
    return ok(ids);
  }
}
