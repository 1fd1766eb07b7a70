import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { DirectorySnapshot } from '../../../engine/approver-resolution.js';
import { EMPLOYMENT_STATUSES, type Department } from '../../../engine/directory.js';
import type { DepartmentView } from '../../../services/department.service.js';
import {
  IMPORT_KINDS,
  IMPORT_MAX_BYTES,
  type ImportReport as ImportReportValue,
} from '../../../services/directory-import.service.js';
import type { EmployeeView } from '../../../services/employee.service.js';
import type { InviteView, SignInState } from '../../../services/credential.service.js';
import type { RoleView } from '../../../services/role.service.js';
import type { Services } from '../../../services/index.js';
import type { Page as StorePage } from '../../../store/executor.js';
import { enumOf, RevealQuery } from '../../admin/schemas.js';
import { presentProfile, PROFILE_FIELD_RULES, PROFILE_FIELDS } from '../../../services/employee-profile.js';
import type { HttpApp } from '../../http-app.js';
import type {
  ConsoleDepartment,
  ConsoleEmployee,
  ConsoleInvite,
  ConsoleRole,
  ImportReport,
  Page,
} from '../contract.js';
import { personOf } from '../index.js';
import { decodePeopleCursor, encodePeopleCursor, PageTokenQuery, SearchText } from '../paging.js';
import { iso, personOf as personRefOf } from '../render.js';
import { sendPeopleResult } from '../reply.js';
import { requireTenantAdmin } from './index.js';

// The same shapes as the admin API's (src/api/admin/schemas.ts); references are checked by the services.
const strict = { additionalProperties: false } as const;
const ExternalId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$' });
const RoleKey = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_]*$' });
const NameText = Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f]+$' });
const I18nName = Type.Object({ zh_cn: NameText, en_us: NameText }, strict);
const PersonName = Type.Object({ zh_cn: NameText, en_us: Type.Optional(NameText) }, strict);
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Email = Type.String({ format: 'email', maxLength: 254 });
const Status = enumOf(EMPLOYMENT_STATUSES);
// Profile fields: text or null; formats are the service's to check (it names the field).
const ProfileProperties = Object.fromEntries(
  PROFILE_FIELDS.map((field) => [
    field,
    Type.Optional(Nullable(Type.String({ maxLength: PROFILE_FIELD_RULES[field].maxLength }))),
  ]),
);

const DepartmentParams = Type.Object({ department_id: ExternalId });
const EmployeeParams = Type.Object({ user_id: ExternalId });
const RoleParams = Type.Object({ role_key: RoleKey });

const DepartmentCreate = Type.Object(
  {
    department_id: Type.Optional(ExternalId),
    name: I18nName,
    parent_department_id: Type.Optional(Nullable(ExternalId)),
    leader_user_id: Type.Optional(Nullable(ExternalId)),
  },
  strict,
);
const DepartmentPatch = Type.Object(
  {
    name: Type.Optional(I18nName),
    parent_department_id: Type.Optional(Nullable(ExternalId)),
    leader_user_id: Type.Optional(Nullable(ExternalId)),
  },
  strict,
);
const EmployeeCreate = Type.Object(
  {
    user_id: Type.Optional(ExternalId),
    name: PersonName,
    email: Email,
    department_id: Type.Optional(Nullable(ExternalId)),
    manager_user_id: Type.Optional(Nullable(ExternalId)),
    employment_status: Type.Optional(Status),
    ...ProfileProperties,
  },
  strict,
);
const EmployeePatch = Type.Object(
  {
    name: Type.Optional(PersonName),
    email: Type.Optional(Email),
    department_id: Type.Optional(Nullable(ExternalId)),
    manager_user_id: Type.Optional(Nullable(ExternalId)),
    employment_status: Type.Optional(Status),
    ...ProfileProperties,
  },
  strict,
);
const RoleMembers = Type.Array(
  Type.Object(
    { user_id: ExternalId, department_ids: Type.Optional(Type.Array(ExternalId, { maxItems: 200 })) },
    strict,
  ),
  { maxItems: 500 },
);
const RoleCreate = Type.Object(
  { role_key: RoleKey, name: I18nName, members: Type.Optional(RoleMembers) },
  strict,
);
const RolePatch = Type.Object({ name: Type.Optional(I18nName), members: Type.Optional(RoleMembers) }, strict);

const pageQuery = (max: number) => ({
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: max, default: Math.min(max, 50) })),
  page_token: Type.Optional(PageTokenQuery),
});
const DepartmentsQuery = Type.Object(pageQuery(500), strict);
const RolesQuery = Type.Object(pageQuery(100), strict);
const EmployeesQuery = Type.Object(
  {
    ...pageQuery(100),
    query: Type.Optional(SearchText),
    department_id: Type.Optional(ExternalId),
    employment_status: Type.Optional(Status),
  },
  strict,
);
// Base64 of the largest file, with room for line breaks some encoders add.
const MAX_BASE64 = Math.ceil(IMPORT_MAX_BYTES / 3) * 4 + 4096;
const ImportBody = Type.Object(
  {
    kind: enumOf(IMPORT_KINDS),
    content_base64: Type.String({ maxLength: MAX_BASE64 }),
    dry_run: Type.Boolean(),
  },
  strict,
);

const tags = ['console: directory'];

const departmentRefOf = (d: Department | undefined) =>
  d ? { department_id: d.departmentId, name: d.name } : null;

function departmentJson(view: DepartmentView, directory: DirectorySnapshot): ConsoleDepartment {
  const leader = view.department.leaderId ? directory.employees.get(view.department.leaderId) : undefined;
  return {
    department_id: view.department.departmentId,
    name: view.department.name,
    parent_department_id: view.parentDepartmentId,
    leader: leader ? personRefOf(leader, directory) : null,
  };
}

function employeeJson(
  view: EmployeeView,
  directory: DirectorySnapshot,
  signIn: SignInState | undefined,
  reveal = false,
): ConsoleEmployee {
  const { employee } = view;
  const manager = employee.managerId ? directory.employees.get(employee.managerId) : undefined;
  return {
    user_id: employee.userId,
    name: employee.name,
    email: employee.email,
    department: departmentRefOf(
      employee.departmentId ? directory.departments.get(employee.departmentId) : undefined,
    ),
    manager: manager ? personRefOf(manager, directory) : null,
    employment_status: employee.employmentStatus,
    ...presentProfile(view.profile, reveal),
    probation_status: view.profile.probation_status as ConsoleEmployee['probation_status'],
    sign_in: {
      has_password: signIn?.hasPassword ?? false,
      invite: signIn?.invite
        ? { status: signIn.invite.status, expires_at: iso(signIn.invite.expiresAt) }
        : null,
    },
  };
}

function roleJson(view: RoleView, directory: DirectorySnapshot): ConsoleRole {
  const byUserId = new Map([...directory.employees.values()].map((e) => [e.userId, e]));
  const byDepartmentId = new Map([...directory.departments.values()].map((d) => [d.departmentId, d]));
  return {
    role_key: view.role.roleKey,
    name: view.role.name,
    members: view.members.map((m) => {
      const person = byUserId.get(m.userId);
      return {
        person: person
          ? personRefOf(person, directory)
          : { user_id: m.userId, name: { zh_cn: m.userId, en_us: m.userId }, active: false },
        departments: m.departmentIds.map(
          (id) =>
            departmentRefOf(byDepartmentId.get(id)) ?? { department_id: id, name: { zh_cn: id, en_us: id } },
        ),
      };
    }),
  };
}

const reportJson = (r: ImportReportValue): ImportReport => ({
  kind: r.kind,
  dry_run: r.dryRun,
  applied: r.applied,
  rows: r.rows,
  creates: r.creates,
  updates: r.updates,
  unchanged: r.unchanged,
  problems: r.problems,
});

/**
 * Console: the directory — departments, employees (sign-in links included), roles with department
 * scopes, CSV import. Tenant admins only. The services are the admin API's: the same rules answer
 * both (docs/console-api.md "Directory and CSV import").
 */
export function registerConsoleDirectoryRoutes(admin: HttpApp, services: Services): void {
  const tenantOf = (request: FastifyRequest) => personOf(request).tenant;
  // Names for the references a view holds, from the cached directory (refreshed on every write).
  const directoryOf = (request: FastifyRequest) => services.processes.directory(tenantOf(request).id);
  const paged = <T, J>(page: StorePage<T>, render: (item: T) => J, bound: string): Page<J> => ({
    items: page.items.map(render),
    ...(page.nextAfterId !== undefined ? { page_token: encodePeopleCursor(page.nextAfterId, bound) } : {}),
  });
  const inviteJson = (request: FastifyRequest, invite: InviteView): ConsoleInvite => ({
    user_id: invite.employee.userId,
    url: `${admin.publicBaseUrl(request)}/invite/${invite.token}`,
    expires_at: iso(invite.expiresAt),
  });
  const employeesJson = async (request: FastifyRequest, views: EmployeeView[], reveal = false) => {
    const [directory, signIn] = await Promise.all([
      directoryOf(request),
      services.credentials.signInStates(views.map((v) => v.employee.id)),
    ]);
    return views.map((v) => employeeJson(v, directory, signIn.get(v.employee.id), reveal));
  };
  const oneEmployee = async (request: FastifyRequest, view: EmployeeView, reveal = false) => {
    const [json] = await employeesJson(request, [view], reveal);
    return json;
  };

  // --- departments ---
  admin.get(
    '/directory/departments',
    { schema: { tags, summary: 'Departments (flat, with parent ids)', querystring: DepartmentsQuery } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const { page_size: pageSize = 500, page_token: token } = request.query;
      const after = decodePeopleCursor(reply, token, 'console-departments');
      if (after === null) return reply;
      const result = await services.departments.list(tenantOf(request).tenantKey, {
        pageSize,
        ...(after !== undefined ? { afterId: after } : {}),
      });
      const directory = await directoryOf(request);
      return sendPeopleResult(reply, result, (page) =>
        paged(page, (v) => departmentJson(v, directory), 'console-departments'),
      );
    },
  );
  admin.post(
    '/directory/departments',
    { schema: { tags, summary: 'Create a department', body: DepartmentCreate } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const result = await services.departments.create(tenantOf(request).tenantKey, request.body);
      return sendPeopleResult(reply.status(201), result, async (v) =>
        departmentJson(v, await directoryOf(request)),
      );
    },
  );
  admin.patch(
    '/directory/departments/:department_id',
    {
      schema: {
        tags,
        summary: 'Rename, move, set or clear the leader',
        params: DepartmentParams,
        body: DepartmentPatch,
      },
    },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const result = await services.departments.update(
        tenantOf(request).tenantKey,
        request.params.department_id,
        request.body,
      );
      return sendPeopleResult(reply, result, async (v) => departmentJson(v, await directoryOf(request)));
    },
  );
  admin.delete(
    '/directory/departments/:department_id',
    { schema: { tags, summary: 'Delete an unused department', params: DepartmentParams } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const result = await services.departments.delete(
        tenantOf(request).tenantKey,
        request.params.department_id,
      );
      return sendPeopleResult(reply.status(result.ok ? 204 : 200), result, () => undefined);
    },
  );

  // --- employees ---
  admin.get(
    '/directory/employees',
    { schema: { tags, summary: 'Search employees', querystring: EmployeesQuery } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const { page_size: pageSize = 50, page_token: token, ...filter } = request.query;
      const bound = `console-employees:${JSON.stringify([
        filter.query ?? '',
        filter.department_id ?? '',
        filter.employment_status ?? '',
      ])}`;
      const after = decodePeopleCursor(reply, token, bound);
      if (after === null) return reply;
      const result = await services.employees.list(
        tenantOf(request).tenantKey,
        { pageSize, ...(after !== undefined ? { afterId: after } : {}) },
        { ...filter, query: filter.query?.trim() },
      );
      if (!result.ok) return sendPeopleResult(reply, result, () => undefined);
      const items = await employeesJson(request, result.value.items);
      return paged({ ...result.value, items }, (item) => item, bound);
    },
  );
  admin.get(
    '/directory/employees/:user_id',
    {
      schema: {
        tags,
        summary: 'One employee (?reveal=sensitive: bank account and ID number in full)',
        params: EmployeeParams,
        querystring: RevealQuery,
      },
    },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const result = await services.employees.get(tenantOf(request).tenantKey, request.params.user_id);
      return sendPeopleResult(reply, result, (v) =>
        oneEmployee(request, v, request.query.reveal === 'sensitive'),
      );
    },
  );
  admin.post(
    '/directory/employees',
    { schema: { tags, summary: 'Create an employee', body: EmployeeCreate } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const result = await services.employees.create(tenantOf(request).tenantKey, request.body);
      return sendPeopleResult(reply.status(201), result, (v) => oneEmployee(request, v));
    },
  );
  admin.patch(
    '/directory/employees/:user_id',
    {
      schema: {
        tags,
        summary: 'Edit name, email, department, manager, employment status, profile',
        params: EmployeeParams,
        body: EmployeePatch,
      },
    },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const result = await services.employees.update(
        tenantOf(request).tenantKey,
        request.params.user_id,
        request.body,
      );
      return sendPeopleResult(reply, result, (v) => oneEmployee(request, v));
    },
  );
  admin.post(
    '/directory/employees/:user_id/invite',
    { schema: { tags, summary: 'A fresh invite link (no mail is sent)', params: EmployeeParams } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const result = await services.credentials.createInvite(
        tenantOf(request).tenantKey,
        request.params.user_id,
      );
      return sendPeopleResult(reply, result, (invite) => inviteJson(request, invite));
    },
  );
  admin.post(
    '/directory/employees/:user_id/reset-password',
    {
      schema: {
        tags,
        summary: 'Remove the password, end the sessions, answer a fresh invite link',
        params: EmployeeParams,
      },
    },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const { tenantKey } = tenantOf(request);
      const cleared = await services.credentials.clearPassword(tenantKey, request.params.user_id);
      if (!cleared.ok) return sendPeopleResult(reply, cleared, () => undefined);
      const result = await services.credentials.createInvite(tenantKey, request.params.user_id);
      return sendPeopleResult(reply, result, (invite) => inviteJson(request, invite));
    },
  );

  // --- roles ---
  admin.get(
    '/directory/roles',
    { schema: { tags, summary: 'Roles and their members', querystring: RolesQuery } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const { page_size: pageSize = 50, page_token: token } = request.query;
      const after = decodePeopleCursor(reply, token, 'console-roles');
      if (after === null) return reply;
      const result = await services.roles.list(tenantOf(request).tenantKey, {
        pageSize,
        ...(after !== undefined ? { afterId: after } : {}),
      });
      const directory = await directoryOf(request);
      return sendPeopleResult(reply, result, (page) =>
        paged(page, (v) => roleJson(v, directory), 'console-roles'),
      );
    },
  );
  admin.post(
    '/directory/roles',
    { schema: { tags, summary: 'Create a role', body: RoleCreate } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const result = await services.roles.create(tenantOf(request).tenantKey, request.body);
      return sendPeopleResult(reply.status(201), result, async (v) =>
        roleJson(v, await directoryOf(request)),
      );
    },
  );
  admin.patch(
    '/directory/roles/:role_key',
    { schema: { tags, summary: 'Rename a role, replace its members', params: RoleParams, body: RolePatch } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const result = await services.roles.update(
        tenantOf(request).tenantKey,
        request.params.role_key,
        request.body,
      );
      return sendPeopleResult(reply, result, async (v) => roleJson(v, await directoryOf(request)));
    },
  );
  admin.delete(
    '/directory/roles/:role_key',
    { schema: { tags, summary: 'Delete a role', params: RoleParams } },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const result = await services.roles.delete(tenantOf(request).tenantKey, request.params.role_key);
      return sendPeopleResult(reply.status(result.ok ? 204 : 200), result, () => undefined);
    },
  );

  // --- CSV import ---
  admin.post(
    '/directory/import',
    {
      bodyLimit: MAX_BASE64 + 64 * 1024,
      schema: {
        tags,
        summary: 'CSV import of departments or employees: dry run, then apply',
        body: ImportBody,
      },
    },
    async (request, reply) => {
      if (!requireTenantAdmin(request, reply)) return reply;
      const { kind, content_base64: content, dry_run: dryRun } = request.body;
      const result = await services.directoryImport.run(tenantOf(request).tenantKey, kind, content, dryRun);
      return sendPeopleResult(reply, result, reportJson);
    },
  );
}
