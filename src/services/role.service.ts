import type { I18nText, Role, RoleMember } from '../engine/directory.js';
import type { Page, PageRequest } from '../store/executor.js';
import { inTransaction, repositories, type Repositories, type ServiceContext } from './context.js';
import { invalidField, invalidFields, notFound, ok, type FieldViolation, type Result } from './result.js';
import { loadTenant } from './tenant.service.js';

export interface RoleMemberInput {
  user_id: string;
  /** Departments (tenant department_id) the member serves, sub-departments included; empty or absent: all. */
  department_ids?: string[] | undefined;
}

export interface RoleInput {
  role_key: string;
  name: I18nText;
  members?: RoleMemberInput[] | undefined;
}

export type RolePatch = Partial<Omit<RoleInput, 'role_key'>>;

export interface RoleView {
  role: Role;
  members: { userId: string; departmentIds: string[] }[];
}

export class RoleService {
  constructor(private readonly ctx: ServiceContext) {}

  create(tenantKey: string, input: RoleInput): Promise<Result<RoleView>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const tenant = await loadTenant(repos, tenantKey);
      if (!tenant.ok) return tenant;
      const tenantId = tenant.value.id;
      if (await repos.roles.findByKey(tenantId, input.role_key))
        return invalidField('role_key', 'already used by another role');
      const members = await resolveMembers(repos, tenantId, input.members ?? []);
      if (!members.ok) return members;
      const now = this.ctx.clock.now();
      const role: Role = {
        id: this.ctx.ids.next(),
        tenantId,
        roleKey: input.role_key,
        name: input.name,
        members: members.value,
        createdAt: now,
        updatedAt: now,
      };
      await repos.roles.insert(role);
      await repos.tenants.bumpDirectoryVersion(role.tenantId);
      return ok(await viewOf(repos, await stored(repos, role)));
    });
  }

  async get(tenantKey: string, roleKey: string): Promise<Result<RoleView>> {
    const repos = repositories(this.ctx.db);
    const found = await this.load(repos, tenantKey, roleKey);
    return found.ok ? ok(await viewOf(repos, found.value)) : found;
  }

  async list(tenantKey: string, page: PageRequest): Promise<Result<Page<RoleView>>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    const result = await repos.roles.list(tenant.value.id, page);
    const items: RoleView[] = [];
    for (const role of result.items) items.push(await viewOf(repos, role));
    return ok({ ...result, items });
  }

  /**
   * The tenant's roles as choices for a picker (the flow designer's role approver rule): key and name,
   * by key, at most `limit`; `truncated` when the tenant has more.
   */
  async options(
    tenantKey: string,
    limit: number,
  ): Promise<Result<{ items: { roleKey: string; name: I18nText }[]; truncated: boolean }>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    const page = await repos.roles.list(tenant.value.id, { pageSize: limit });
    const items = page.items
      .map((role) => ({ roleKey: role.roleKey, name: role.name }))
      .sort((a, b) => (a.roleKey < b.roleKey ? -1 : a.roleKey > b.roleKey ? 1 : 0));
    return ok({ items, truncated: page.nextAfterId !== undefined });
  }

  update(tenantKey: string, roleKey: string, patch: RolePatch): Promise<Result<RoleView>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const found = await this.load(repos, tenantKey, roleKey);
      if (!found.ok) return found;
      const next: Role = { ...found.value, updatedAt: this.ctx.clock.now() };
      if (patch.name !== undefined) next.name = patch.name;
      if (patch.members !== undefined) {
        const members = await resolveMembers(repos, next.tenantId, patch.members);
        if (!members.ok) return members;
        next.members = members.value;
      }
      await repos.roles.update(next);
      await repos.tenants.bumpDirectoryVersion(next.tenantId);
      return ok(await viewOf(repos, await stored(repos, next)));
    });
  }

  delete(tenantKey: string, roleKey: string): Promise<Result<null>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const found = await this.load(repos, tenantKey, roleKey);
      if (!found.ok) return found;
      await repos.roles.delete(found.value.tenantId, found.value.id);
      await repos.tenants.bumpDirectoryVersion(found.value.tenantId);
      return ok(null);
    });
  }

  private async load(repos: Repositories, tenantKey: string, roleKey: string): Promise<Result<Role>> {
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    const role = await repos.roles.findByKey(tenant.value.id, roleKey);
    return role ? ok(role) : notFound(`role ${roleKey}`);
  }
}

async function resolveMembers(
  repos: Repositories,
  tenantId: string,
  input: RoleMemberInput[],
): Promise<Result<RoleMember[]>> {
  const violations: FieldViolation[] = [];
  const members: RoleMember[] = [];
  const seen = new Set<string>();
  for (const [i, member] of input.entries()) {
    const employee = await repos.employees.findBy(tenantId, 'user_id', member.user_id);
    if (!employee) violations.push({ field: `members[${i}].user_id`, description: 'unknown user' });
    else if (seen.has(employee.id))
      violations.push({ field: `members[${i}].user_id`, description: 'listed twice' });
    const departmentIds: string[] = [];
    for (const [j, departmentId] of (member.department_ids ?? []).entries()) {
      const department = await repos.departments.findBy(tenantId, 'department_id', departmentId);
      if (!department)
        violations.push({ field: `members[${i}].department_ids[${j}]`, description: 'unknown department' });
      else if (!departmentIds.includes(department.id)) departmentIds.push(department.id);
    }
    if (employee) {
      seen.add(employee.id);
      members.push({ employeeId: employee.id, departmentIds });
    }
  }
  return violations.length > 0 ? invalidFields(violations) : ok(members);
}

/** The role as read back, so a write answers with the same member order as a later read. */
async function stored(repos: Repositories, role: Role): Promise<Role> {
  return (await repos.roles.findByKey(role.tenantId, role.roleKey)) ?? role;
}

async function viewOf(repos: Repositories, role: Role): Promise<RoleView> {
  const employees = new Map(
    (
      await repos.employees.findManyByIds(
        role.tenantId,
        role.members.map((m) => m.employeeId),
      )
    ).map((e) => [e.id, e.userId]),
  );
  const departments = new Map(
    (
      await repos.departments.findManyByIds(
        role.tenantId,
        role.members.flatMap((m) => m.departmentIds),
      )
    ).map((d) => [d.id, d.departmentId]),
  );
  return {
    role,
    members: role.members.map((m) => ({
      userId: employees.get(m.employeeId) ?? m.employeeId,
      departmentIds: m.departmentIds.map((id) => departments.get(id) ?? id),
    })),
  };
}
