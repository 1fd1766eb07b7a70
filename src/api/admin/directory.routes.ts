import { Type } from 'typebox';
import type { Services } from '../../services/index.js';
import { pageJson, pageRequest, PageQuery } from '../pagination.js';
import { sendResult } from '../reply.js';
import type { AdminApp } from './index.js';
import { departmentJson, employeeJson, roleJson } from './render.js';
import {
  DepartmentCreate,
  DepartmentUpdate,
  EmployeeCreate,
  EmployeeUpdate,
  ExternalId,
  IdLookupQuery,
  RoleCreate,
  RoleKey,
  RevealQuery,
  RoleUpdate,
  TenantKey,
} from './schemas.js';

const DepartmentParams = Type.Object({ tenant_key: TenantKey, department_id: ExternalId });
const EmployeeParams = Type.Object({ tenant_key: TenantKey, user_id: ExternalId });
const RoleParams = Type.Object({ tenant_key: TenantKey, role_key: RoleKey });
const TenantOnly = Type.Object({ tenant_key: TenantKey });
const IdParams = Type.Object({ tenant_key: TenantKey, id: Type.String({ minLength: 1, maxLength: 64 }) });

export function registerDirectoryRoutes(admin: AdminApp, services: Services): void {
  const { departments, employees, roles } = services;

  // --- departments ---
  admin.post(
    '/tenants/:tenant_key/departments',
    { schema: { params: TenantOnly, body: DepartmentCreate } },
    async (req, reply) =>
      sendResult(
        reply.status(201),
        await departments.create(req.params.tenant_key, req.body),
        departmentJson,
      ),
  );
  admin.get(
    '/tenants/:tenant_key/departments',
    {
      schema: {
        params: TenantOnly,
        querystring: Type.Object({ ...PageQuery, parent_department_id: Type.Optional(ExternalId) }),
      },
    },
    async (req, reply) => {
      const page = pageRequest(req.query, reply);
      if (!page) return reply;
      const result = await departments.list(req.params.tenant_key, page, req.query.parent_department_id);
      return sendResult(reply, result, (p) => pageJson(p, departmentJson));
    },
  );
  admin.get(
    '/tenants/:tenant_key/departments/:department_id',
    { schema: { params: DepartmentParams } },
    async (req, reply) =>
      sendResult(
        reply,
        await departments.get(req.params.tenant_key, req.params.department_id),
        departmentJson,
      ),
  );
  admin.patch(
    '/tenants/:tenant_key/departments/:department_id',
    { schema: { params: DepartmentParams, body: DepartmentUpdate } },
    async (req, reply) =>
      sendResult(
        reply,
        await departments.update(req.params.tenant_key, req.params.department_id, req.body),
        departmentJson,
      ),
  );
  admin.delete(
    '/tenants/:tenant_key/departments/:department_id',
    { schema: { params: DepartmentParams } },
    async (req, reply) =>
      sendResult(
        reply,
        await departments.delete(req.params.tenant_key, req.params.department_id),
        () => ({}),
      ),
  );

  // --- employees ---
  admin.post(
    '/tenants/:tenant_key/employees',
    { schema: { params: TenantOnly, body: EmployeeCreate } },
    async (req, reply) =>
      sendResult(reply.status(201), await employees.create(req.params.tenant_key, req.body), (view) =>
        employeeJson(view),
      ),
  );
  admin.get(
    '/tenants/:tenant_key/employees',
    {
      schema: {
        params: TenantOnly,
        querystring: Type.Object({
          ...PageQuery,
          department_id: Type.Optional(ExternalId),
          manager_user_id: Type.Optional(ExternalId),
        }),
      },
    },
    async (req, reply) => {
      const page = pageRequest(req.query, reply);
      if (!page) return reply;
      const result = await employees.list(req.params.tenant_key, page, req.query);
      return sendResult(reply, result, (p) => pageJson(p, (view) => employeeJson(view)));
    },
  );
  admin.get(
    '/tenants/:tenant_key/employees/:user_id',
    { schema: { params: EmployeeParams, querystring: RevealQuery } },
    async (req, reply) =>
      sendResult(reply, await employees.get(req.params.tenant_key, req.params.user_id), (view) =>
        employeeJson(view, req.query.reveal === 'sensitive'),
      ),
  );
  admin.patch(
    '/tenants/:tenant_key/employees/:user_id',
    { schema: { params: EmployeeParams, body: EmployeeUpdate } },
    async (req, reply) =>
      sendResult(reply, await employees.update(req.params.tenant_key, req.params.user_id, req.body), (view) =>
        employeeJson(view),
      ),
  );
  admin.delete(
    '/tenants/:tenant_key/employees/:user_id',
    { schema: { params: EmployeeParams } },
    async (req, reply) =>
      sendResult(reply, await employees.delete(req.params.tenant_key, req.params.user_id), () => ({})),
  );
  admin.get(
    '/tenants/:tenant_key/employee_ids/:id',
    { schema: { params: IdParams, querystring: IdLookupQuery } },
    async (req, reply) =>
      sendResult(
        reply,
        await services.ids.employeeIds(
          req.params.tenant_key,
          req.query.user_id_type ?? 'user_id',
          req.params.id,
          req.query.app_id,
        ),
        (ids) => ids,
      ),
  );

  // --- roles ---
  admin.post(
    '/tenants/:tenant_key/roles',
    { schema: { params: TenantOnly, body: RoleCreate } },
    async (req, reply) =>
      sendResult(reply.status(201), await roles.create(req.params.tenant_key, req.body), roleJson),
  );
  admin.get(
    '/tenants/:tenant_key/roles',
    { schema: { params: TenantOnly, querystring: Type.Object(PageQuery) } },
    async (req, reply) => {
      const page = pageRequest(req.query, reply);
      if (!page) return reply;
      return sendResult(reply, await roles.list(req.params.tenant_key, page), (p) => pageJson(p, roleJson));
    },
  );
  admin.get('/tenants/:tenant_key/roles/:role_key', { schema: { params: RoleParams } }, async (req, reply) =>
    sendResult(reply, await roles.get(req.params.tenant_key, req.params.role_key), roleJson),
  );
  admin.patch(
    '/tenants/:tenant_key/roles/:role_key',
    { schema: { params: RoleParams, body: RoleUpdate } },
    async (req, reply) =>
      sendResult(reply, await roles.update(req.params.tenant_key, req.params.role_key, req.body), roleJson),
  );
  admin.delete(
    '/tenants/:tenant_key/roles/:role_key',
    { schema: { params: RoleParams } },
    async (req, reply) =>
      sendResult(reply, await roles.delete(req.params.tenant_key, req.params.role_key), () => ({})),
  );
}
