import { type Employee, type EmploymentStatus, type I18nText } from '../engine/directory.js';
import { newOpenId, newUnionId, randomHex } from '../platform/id-generator.js';
import type { SecretBox } from '../platform/secrets.js';
import type { Page, PageRequest } from '../store/executor.js';
import { inTransaction, repositories, type Repositories, type ServiceContext } from './context.js';
import { invalidFields, notFound, ok, type FieldViolation, type Result } from './result.js';
import { loadTenant } from './tenant.service.js';
import { departmentRef, employeeRef } from './references.js';
import { refuse } from './refusals.js';
import {
  normalizeProfilePatch,
  openProfile,
  sealProfilePatch,
  type EmployeeProfile,
  type ProfileField,
  type ProfilePatch,
} from './employee-profile.js';

interface EmployeeCoreInput {
  user_id?: string | undefined;
  name: { zh_cn: string; en_us?: string | undefined };
  email: string;
  department_id?: string | null | undefined;
  manager_user_id?: string | null | undefined;
  employment_status?: EmploymentStatus | undefined;
}
/** The directory fields and the profile (employee-profile.ts): null or '' clears a profile field. */
export type EmployeeInput = EmployeeCoreInput & Partial<Record<ProfileField, string | null | undefined>>;

export type EmployeePatch = Partial<EmployeeInput>;

export interface EmployeeView {
  employee: Employee;
  departmentId: string | null;
  managerUserId: string | null;
  /** Plain text: the edge masks the sensitive fields (presentProfile). */
  profile: EmployeeProfile;
}

export interface EmployeeFilterInput {
  department_id?: string | undefined;
  manager_user_id?: string | undefined;
  employment_status?: EmploymentStatus | undefined;
  /** Part of a name, the email or the user_id (the console's search box). */
  query?: string | undefined;
}

const i18n = (name: EmployeeInput['name']): I18nText => ({
  zh_cn: name.zh_cn,
  en_us: name.en_us ?? name.zh_cn,
});

export class EmployeeService {
  constructor(private readonly ctx: ServiceContext) {}

  create(tenantKey: string, input: EmployeeInput): Promise<Result<EmployeeView>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const tenant = await loadTenant(repos, tenantKey);
      if (!tenant.ok) return tenant;
      const tenantId = tenant.value.id;
      const violations: FieldViolation[] = [];
      const userId = input.user_id ?? randomHex(4);
      const email = input.email.toLowerCase();
      if (await repos.employees.findBy(tenantId, 'user_id', userId)) {
        violations.push({ field: 'user_id', description: 'already used by another employee' });
      }
      if (await repos.employees.findBy(tenantId, 'email', email)) {
        violations.push({ field: 'email', description: 'already used by another employee' });
      }
      const departmentId = await departmentRef(
        repos,
        tenantId,
        input.department_id ?? null,
        'department_id',
        violations,
      );
      const managerId = await employeeRef(
        repos,
        tenantId,
        input.manager_user_id ?? null,
        'manager_user_id',
        violations,
      );
      const profile = normalizeProfilePatch(input, violations);
      if (violations.length > 0) return invalidFields(violations);
      const now = this.ctx.clock.now();
      const employee: Employee = {
        id: this.ctx.ids.next(),
        tenantId,
        userId,
        unionId: newUnionId(),
        name: i18n(input.name),
        email,
        departmentId,
        managerId,
        employmentStatus: input.employment_status ?? 'active',
        createdAt: now,
        updatedAt: now,
      };
      await repos.employees.insert(employee);
      await this.writeProfile(repos, employee, profile);
      await repos.tenants.bumpDirectoryVersion(employee.tenantId);
      // Every app of the tenant knows the new person under an open_id of its own.
      const appIds = await repos.apps.listIds(tenantId);
      await repos.apps.insertOpenIds(
        appIds.map((appId) => ({ appId, employeeId: employee.id, openId: newOpenId() })),
      );
      return ok(await viewOf(repos, this.ctx.secrets, employee));
    });
  }

  async get(tenantKey: string, userId: string): Promise<Result<EmployeeView>> {
    const repos = repositories(this.ctx.db);
    const found = await this.load(repos, tenantKey, userId);
    return found.ok ? ok(await viewOf(repos, this.ctx.secrets, found.value)) : found;
  }

  async list(
    tenantKey: string,
    page: PageRequest,
    filter: EmployeeFilterInput,
  ): Promise<Result<Page<EmployeeView>>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    const tenantId = tenant.value.id;
    const violations: FieldViolation[] = [];
    const departmentId =
      filter.department_id === undefined
        ? undefined
        : await departmentRef(repos, tenantId, filter.department_id, 'department_id', violations);
    const managerId =
      filter.manager_user_id === undefined
        ? undefined
        : await employeeRef(repos, tenantId, filter.manager_user_id, 'manager_user_id', violations);
    if (violations.length > 0) return invalidFields(violations);
    const result = await repos.employees.list(tenantId, page, {
      departmentId: departmentId ?? undefined,
      managerId: managerId ?? undefined,
      employmentStatus: filter.employment_status,
      text: filter.query,
    });
    return ok({ ...result, items: await viewsOf(repos, this.ctx.secrets, tenantId, result.items) });
  }

  update(tenantKey: string, userId: string, patch: EmployeePatch): Promise<Result<EmployeeView>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const found = await this.load(repos, tenantKey, userId);
      if (!found.ok) return found;
      const current = found.value;
      const tenantId = current.tenantId;
      const violations: FieldViolation[] = [];
      const next: Employee = { ...current, updatedAt: this.ctx.clock.now() };
      if (patch.user_id !== undefined && patch.user_id !== current.userId) {
        if (await repos.employees.findBy(tenantId, 'user_id', patch.user_id)) {
          violations.push({ field: 'user_id', description: 'already used by another employee' });
        }
        next.userId = patch.user_id;
      }
      if (patch.email !== undefined && patch.email.toLowerCase() !== current.email) {
        const email = patch.email.toLowerCase();
        if (await repos.employees.findBy(tenantId, 'email', email)) {
          violations.push({ field: 'email', description: 'already used by another employee' });
        }
        next.email = email;
      }
      if (patch.name !== undefined) next.name = i18n(patch.name);
      if (patch.employment_status !== undefined) next.employmentStatus = patch.employment_status;
      if (patch.department_id !== undefined) {
        next.departmentId = await departmentRef(
          repos,
          tenantId,
          patch.department_id,
          'department_id',
          violations,
        );
      }
      if (patch.manager_user_id !== undefined) {
        next.managerId = await employeeRef(
          repos,
          tenantId,
          patch.manager_user_id,
          'manager_user_id',
          violations,
        );
        if (next.managerId !== null) {
          const chain = await repos.employees.managerChain(tenantId, next.managerId);
          if (next.managerId === current.id || chain.some((e) => e.id === current.id)) {
            violations.push({
              field: 'manager_user_id',
              description:
                'would make a cycle: the employee cannot report to themself or to someone who reports to them',
            });
          }
        }
      }
      const profile = normalizeProfilePatch(patch, violations);
      if (violations.length > 0) return invalidFields(violations);
      await repos.employees.update(next);
      await this.writeProfile(repos, next, profile);
      await repos.tenants.bumpDirectoryVersion(next.tenantId);
      return ok(await viewOf(repos, this.ctx.secrets, next));
    });
  }

  delete(tenantKey: string, userId: string): Promise<Result<null>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const found = await this.load(repos, tenantKey, userId);
      if (!found.ok) return found;
      const employee = found.value;
      const led = await repos.departments.listLedBy(employee.tenantId, employee.id);
      if (led.length > 0) {
        return refuse('in_use', 'employee_leads_departments', {
          user_id: userId,
          department_ids: led.map((d) => d.departmentId),
        });
      }
      if ((await repos.employees.count({ managerId: employee.id })) > 0) {
        return refuse('in_use', 'employee_manages_others', { user_id: userId });
      }
      const roles = (await repos.roles.listAll(employee.tenantId)).filter((r) =>
        r.members.some((m) => m.employeeId === employee.id),
      );
      if (roles.length > 0) {
        return refuse('in_use', 'employee_in_roles', {
          user_id: userId,
          role_keys: roles.map((r) => r.roleKey),
        });
      }
      await repos.employees.delete(employee.tenantId, employee.id);
      await repos.tenants.bumpDirectoryVersion(employee.tenantId);
      return ok(null);
    });
  }

  private async writeProfile(repos: Repositories, employee: Employee, patch: ProfilePatch): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    const sealed = sealProfilePatch(this.ctx.secrets, patch);
    await repos.employees.updateProfile(employee.tenantId, employee.id, sealed, employee.updatedAt);
  }

  private async load(repos: Repositories, tenantKey: string, userId: string): Promise<Result<Employee>> {
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    const employee = await repos.employees.findBy(tenant.value.id, 'user_id', userId);
    return employee ? ok(employee) : notFound(`employee ${userId}`);
  }
}

async function viewOf(repos: Repositories, secrets: SecretBox, employee: Employee): Promise<EmployeeView> {
  const [view] = await viewsOf(repos, secrets, employee.tenantId, [employee]);
  if (!view) throw new Error('unreachable: one employee in, one view out');
  return view;
}

async function viewsOf(
  repos: Repositories,
  secrets: SecretBox,
  tenantId: string,
  employees: Employee[],
): Promise<EmployeeView[]> {
  const departmentIds = employees.flatMap((e) => (e.departmentId ? [e.departmentId] : []));
  const managerIds = employees.flatMap((e) => (e.managerId ? [e.managerId] : []));
  const departments = new Map(
    (await repos.departments.findManyByIds(tenantId, departmentIds)).map((d) => [d.id, d.departmentId]),
  );
  const managers = new Map(
    (await repos.employees.findManyByIds(tenantId, managerIds)).map((e) => [e.id, e.userId]),
  );
  const profiles = await repos.employees.findProfiles(
    tenantId,
    employees.map((e) => e.id),
  );
  return employees.map((employee) => ({
    employee,
    profile: openProfile(secrets, profiles.get(employee.id)),
    departmentId: employee.departmentId ? (departments.get(employee.departmentId) ?? null) : null,
    managerUserId: employee.managerId ? (managers.get(employee.managerId) ?? null) : null,
  }));
}
