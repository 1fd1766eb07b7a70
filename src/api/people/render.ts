import type { DirectorySnapshot } from '../../engine/approver-resolution.js';
import type { Employee } from '../../engine/directory.js';
import type { PersonRef } from './contract.js';

export const iso = (ms: number): string => new Date(ms).toISOString();

/** A person as the web app shows them; a missing id renders as itself (a person since deleted). */
export function personRef(directory: DirectorySnapshot, employeeId: string): PersonRef {
  const employee = directory.employees.get(employeeId);
  if (!employee)
    return { user_id: employeeId, name: { zh_cn: employeeId, en_us: employeeId }, active: false };
  return personOf(employee, directory);
}

export function personOf(employee: Employee, directory?: DirectorySnapshot): PersonRef {
  const department =
    employee.departmentId !== null ? directory?.departments.get(employee.departmentId) : undefined;
  return {
    user_id: employee.userId,
    name: employee.name,
    email: employee.email,
    ...(department ? { department: { department_id: department.departmentId, name: department.name } } : {}),
    active: employee.employmentStatus === 'active',
  };
}
