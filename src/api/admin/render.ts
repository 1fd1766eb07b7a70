import type { Tenant } from '../../engine/directory.js';
import type { AppView } from '../../services/app.service.js';
import type { DepartmentView } from '../../services/department.service.js';
import type { EmployeeView } from '../../services/employee.service.js';
import { presentProfile } from '../../services/employee-profile.js';
import type { RoleView } from '../../services/role.service.js';

/** Admin API shapes: snake_case, tenant-facing ids, times as Unix-ms strings (docs/open-api.md). */

const ms = (value: number): string => String(value);

export const tenantJson = (t: Tenant) => ({
  tenant_key: t.tenantKey,
  name: t.name,
  created_at: ms(t.createdAt),
  updated_at: ms(t.updatedAt),
});

export const departmentJson = ({ department: d, parentDepartmentId, leaderUserId }: DepartmentView) => ({
  department_id: d.departmentId,
  open_department_id: d.openDepartmentId,
  people_corehr_department_id: d.id,
  name: d.name,
  parent_department_id: parentDepartmentId,
  leader_user_id: leaderUserId,
  created_at: ms(d.createdAt),
  updated_at: ms(d.updatedAt),
});

/** `reveal`: the sensitive profile fields in full (only `GET …/employees/:user_id?reveal=sensitive`). */
export const employeeJson = (
  { employee: e, departmentId, managerUserId, profile }: EmployeeView,
  reveal = false,
) => ({
  user_id: e.userId,
  union_id: e.unionId,
  people_corehr_id: e.id,
  name: e.name,
  email: e.email,
  department_id: departmentId,
  manager_user_id: managerUserId,
  employment_status: e.employmentStatus,
  ...presentProfile(profile, reveal),
  created_at: ms(e.createdAt),
  updated_at: ms(e.updatedAt),
});

export const roleJson = ({ role, members }: RoleView) => ({
  role_key: role.roleKey,
  name: role.name,
  members: members.map((m) => ({ user_id: m.userId, department_ids: m.departmentIds })),
  created_at: ms(role.createdAt),
  updated_at: ms(role.updatedAt),
});

export const appJson = ({ app, verificationToken, encryptKey, appSecret }: AppView) => ({
  app_id: app.appId,
  name: app.name,
  scopes: app.scopes,
  event: {
    request_url: app.eventRequestUrl,
    verification_token: verificationToken,
    encrypt_key: encryptKey,
    event_types: app.eventTypes,
    delivery_mode: app.eventDeliveryMode,
  },
  ...(appSecret !== undefined ? { app_secret: appSecret } : {}),
  created_at: ms(app.createdAt),
  updated_at: ms(app.updatedAt),
});
