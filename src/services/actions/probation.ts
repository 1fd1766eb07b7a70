import { applyPlan, compensateApplied, formDate, formEmployee, planChanges } from './record.js';
import type { BusinessAction } from './types.js';

/**
 * corehr_probation_default_flow (42, 试用期转正): the employee (`employee`, or else the initiator)
 * becomes regular on `regular_date`: probation_status `regular`, probation_end_date = regular_date,
 * effective on that date. Their employment_status stays `active` throughout.
 */
export const probation: BusinessAction = {
  bizType: 'corehr_probation_default_flow',
  async plan(ctx) {
    const employee = formEmployee(ctx);
    if (!employee.ok) return employee.result;
    if (employee.value.employmentStatus === 'terminated')
      return { ok: false, problem: 'employee has left the company', field: 'employee' };
    const regularDate = formDate(ctx, 'regular_date', true);
    if (!regularDate.ok) return regularDate.result;
    const day = regularDate.value as string;
    return planChanges(ctx, employee.value.id, { probation_status: 'regular', probation_end_date: day }, day);
  },
  apply: applyPlan,
  compensate: compensateApplied,
};
