import type { Repositories } from './context.js';
import type { FieldViolation } from './result.js';

/**
 * Resolves a tenant-facing reference (a department's `department_id`, a person's `user_id`) in a
 * request to the internal id. An unknown one is recorded against `field`, so one answer names every
 * bad reference; `null` (clearing the reference) passes through.
 */
export async function departmentRef(
  repos: Repositories,
  tenantId: string,
  departmentId: string | null,
  field: string,
  violations: FieldViolation[],
): Promise<string | null> {
  if (departmentId === null) return null;
  const department = await repos.departments.findBy(tenantId, 'department_id', departmentId);
  if (!department) violations.push({ field, description: 'unknown department' });
  return department?.id ?? null;
}

export async function employeeRef(
  repos: Repositories,
  tenantId: string,
  userId: string | null,
  field: string,
  violations: FieldViolation[],
): Promise<string | null> {
  if (userId === null) return null;
  const employee = await repos.employees.findBy(tenantId, 'user_id', userId);
  if (!employee) violations.push({ field, description: 'unknown user' });
  return employee?.id ?? null;
}
