import { profileValueProblem } from '../employee-profile.js';
import {
  applyPlan,
  compensateApplied,
  formDate,
  formEmployee,
  formText,
  planChanges,
  type RecordValues,
} from './record.js';
import type { BusinessAction } from './types.js';

/**
 * job_change (43, 员工异动): moves the employee (`employee`, or else the initiator) to `new_department`,
 * under `new_manager`, with `new_job_title` — whichever of the three the form fills in — from
 * `effective_date` (at once when empty). `target_department` is read when there is no `new_department`.
 */
export const jobChange: BusinessAction = {
  bizType: 'job_change',
  async plan(ctx) {
    const employee = formEmployee(ctx);
    if (!employee.ok) return employee.result;
    const person = employee.value;
    if (person.employmentStatus === 'terminated')
      return { ok: false, problem: 'employee has left the company', field: 'employee' };
    const effective = formDate(ctx, 'effective_date', false);
    if (!effective.ok) return effective.result;
    const wanted: Partial<RecordValues> = {};

    // `target_department` is what the demo's job change form calls it.
    const departmentField =
      ctx.process.formValues.new_department === undefined ? 'target_department' : 'new_department';
    const department = formText(ctx, departmentField);
    if (!department.ok) return department.result;
    if (department.value !== undefined) {
      if (!ctx.directory.departments.has(department.value))
        return { ok: false, problem: `${departmentField}: no such department`, field: departmentField };
      wanted.department_id = department.value;
    }

    const manager = formText(ctx, 'new_manager');
    if (!manager.ok) return manager.result;
    if (manager.value !== undefined) {
      const problem = managerProblem(ctx.directory.employees, person.id, manager.value);
      if (problem) return { ok: false, problem: `new_manager: ${problem}`, field: 'new_manager' };
      wanted.manager_id = manager.value;
    }

    const title = formText(ctx, 'new_job_title');
    if (!title.ok) return title.result;
    if (title.value !== undefined) {
      const problem = profileValueProblem('job_title', title.value);
      if (problem) return { ok: false, problem: `new_job_title ${problem}`, field: 'new_job_title' };
      wanted.job_title = title.value;
    }

    if (Object.keys(wanted).length === 0)
      return {
        ok: false,
        problem: 'the form names no new department, manager or job title',
        field: 'new_department',
      };
    return planChanges(ctx, person.id, wanted, effective.value);
  },
  apply: applyPlan,
  compensate: compensateApplied,
};

/** A manager must exist, be active, and not be the employee or report to them (no loop). */
function managerProblem(
  employees: ReadonlyMap<string, { id: string; managerId: string | null; employmentStatus: string }>,
  employeeId: string,
  managerId: string,
): string | undefined {
  const manager = employees.get(managerId);
  if (!manager) return 'no such person';
  if (manager.employmentStatus !== 'active') return 'is not an active employee';
  const seen = new Set<string>();
  for (let current: string | null = managerId; current !== null && !seen.has(current);) {
    if (current === employeeId)
      return 'the employee cannot report to themself or to someone who reports to them';
    seen.add(current);
    current = employees.get(current)?.managerId ?? null;
  }
  return undefined;
}
