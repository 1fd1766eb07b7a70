import { wouldCreateCycle, type Department, type I18nText } from '../engine/directory.js';
import { newOpenDepartmentId, randomHex } from '../platform/id-generator.js';
import type { Page, PageRequest } from '../store/executor.js';
import { inTransaction, repositories, type Repositories, type ServiceContext } from './context.js';
import { invalidFields, notFound, ok, type FieldViolation, type Result } from './result.js';
import { loadTenant } from './tenant.service.js';
import { departmentRef, employeeRef } from './references.js';
import { refuse } from './refusals.js';

export interface DepartmentInput {
  department_id?: string | undefined;
  name: I18nText;
  parent_department_id?: string | null | undefined;
  leader_user_id?: string | null | undefined;
}

export type DepartmentPatch = Partial<DepartmentInput>;

/** A department with its references rendered as tenant-facing ids. */
export interface DepartmentView {
  department: Department;
  parentDepartmentId: string | null;
  leaderUserId: string | null;
}

export class DepartmentService {
  constructor(private readonly ctx: ServiceContext) {}

  create(tenantKey: string, input: DepartmentInput): Promise<Result<DepartmentView>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const tenant = await loadTenant(repos, tenantKey);
      if (!tenant.ok) return tenant;
      const tenantId = tenant.value.id;
      const violations: FieldViolation[] = [];
      const departmentId = input.department_id ?? `dept_${randomHex(6)}`;
      if (await repos.departments.findBy(tenantId, 'department_id', departmentId)) {
        violations.push({ field: 'department_id', description: 'already used by another department' });
      }
      const parent = await departmentRef(
        repos,
        tenantId,
        input.parent_department_id ?? null,
        'parent_department_id',
        violations,
      );
      const leader = await employeeRef(
        repos,
        tenantId,
        input.leader_user_id ?? null,
        'leader_user_id',
        violations,
      );
      if (violations.length > 0) return invalidFields(violations);
      const now = this.ctx.clock.now();
      const department: Department = {
        id: this.ctx.ids.next(),
        tenantId,
        departmentId,
        openDepartmentId: newOpenDepartmentId(),
        name: input.name,
        parentId: parent,
        leaderId: leader,
        createdAt: now,
        updatedAt: now,
      };
      await repos.departments.insert(department);
      await repos.tenants.bumpDirectoryVersion(department.tenantId);
      return ok(await viewOf(repos, department));
    });
  }

  async get(tenantKey: string, departmentId: string): Promise<Result<DepartmentView>> {
    const repos = repositories(this.ctx.db);
    const found = await this.load(repos, tenantKey, departmentId);
    return found.ok ? ok(await viewOf(repos, found.value)) : found;
  }

  async list(
    tenantKey: string,
    page: PageRequest,
    parentDepartmentId?: string,
  ): Promise<Result<Page<DepartmentView>>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    let parentId: string | undefined;
    if (parentDepartmentId !== undefined) {
      const parent = await repos.departments.findBy(tenant.value.id, 'department_id', parentDepartmentId);
      if (!parent)
        return invalidFields([{ field: 'parent_department_id', description: 'unknown department' }]);
      parentId = parent.id;
    }
    const result = await repos.departments.list(tenant.value.id, page, parentId);
    return ok({ ...result, items: await viewsOf(repos, tenant.value.id, result.items) });
  }

  update(tenantKey: string, departmentId: string, patch: DepartmentPatch): Promise<Result<DepartmentView>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const found = await this.load(repos, tenantKey, departmentId);
      if (!found.ok) return found;
      const current = found.value;
      const violations: FieldViolation[] = [];
      const next: Department = { ...current, updatedAt: this.ctx.clock.now() };
      if (patch.department_id !== undefined && patch.department_id !== current.departmentId) {
        if (await repos.departments.findBy(current.tenantId, 'department_id', patch.department_id)) {
          violations.push({ field: 'department_id', description: 'already used by another department' });
        }
        next.departmentId = patch.department_id;
      }
      if (patch.name !== undefined) next.name = patch.name;
      if (patch.parent_department_id !== undefined) {
        next.parentId = await departmentRef(
          repos,
          current.tenantId,
          patch.parent_department_id,
          'parent_department_id',
          violations,
        );
        const tree = new Map((await repos.departments.listAll(current.tenantId)).map((d) => [d.id, d]));
        if (next.parentId !== null && wouldCreateCycle(current.id, next.parentId, (d) => d.parentId, tree)) {
          violations.push({
            field: 'parent_department_id',
            description:
              'would make a cycle: the department cannot sit under itself or its own sub-department',
          });
        }
      }
      if (patch.leader_user_id !== undefined) {
        next.leaderId = await employeeRef(
          repos,
          current.tenantId,
          patch.leader_user_id,
          'leader_user_id',
          violations,
        );
      }
      if (violations.length > 0) return invalidFields(violations);
      await repos.departments.update(next);
      await repos.tenants.bumpDirectoryVersion(next.tenantId);
      return ok(await viewOf(repos, next));
    });
  }

  delete(tenantKey: string, departmentId: string): Promise<Result<null>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const found = await this.load(repos, tenantKey, departmentId);
      if (!found.ok) return found;
      const department = found.value;
      if ((await repos.departments.countChildren(department.id)) > 0) {
        return refuse('in_use', 'department_has_subdepartments', { department_id: departmentId });
      }
      if ((await repos.employees.count({ departmentId: department.id })) > 0) {
        return refuse('in_use', 'department_has_employees', { department_id: departmentId });
      }
      const roles = (await repos.roles.listAll(department.tenantId)).filter((r) =>
        r.members.some((m) => m.departmentIds.includes(department.id)),
      );
      if (roles.length > 0) {
        return refuse('in_use', 'department_in_role_scope', {
          department_id: departmentId,
          role_keys: roles.map((r) => r.roleKey),
        });
      }
      await repos.departments.delete(department.tenantId, department.id);
      await repos.tenants.bumpDirectoryVersion(department.tenantId);
      return ok(null);
    });
  }

  private async load(
    repos: Repositories,
    tenantKey: string,
    departmentId: string,
  ): Promise<Result<Department>> {
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    const department = await repos.departments.findBy(tenant.value.id, 'department_id', departmentId);
    return department ? ok(department) : notFound(`department ${departmentId}`);
  }
}

async function viewOf(repos: Repositories, department: Department): Promise<DepartmentView> {
  const [view] = await viewsOf(repos, department.tenantId, [department]);
  if (!view) throw new Error('unreachable: one department in, one view out');
  return view;
}

export async function viewsOf(
  repos: Repositories,
  tenantId: string,
  departments: Department[],
): Promise<DepartmentView[]> {
  const parentIds = departments.flatMap((d) => (d.parentId ? [d.parentId] : []));
  const leaderIds = departments.flatMap((d) => (d.leaderId ? [d.leaderId] : []));
  const parents = new Map(
    (await repos.departments.findManyByIds(tenantId, parentIds)).map((d) => [d.id, d.departmentId]),
  );
  const leaders = new Map(
    (await repos.employees.findManyByIds(tenantId, leaderIds)).map((e) => [e.id, e.userId]),
  );
  return departments.map((department) => ({
    department,
    parentDepartmentId: department.parentId ? (parents.get(department.parentId) ?? null) : null,
    leaderUserId: department.leaderId ? (leaders.get(department.leaderId) ?? null) : null,
  }));
}
