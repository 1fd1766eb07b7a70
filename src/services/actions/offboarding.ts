import { applyPlan, compensateApplied, formDate, formEmployee, planChanges } from './record.js';
import type { BusinessAction } from './types.js';

/**
 * offboarding_info (44, 离职申请): the employee (`employee`, or else the initiator) leaves on
 * `last_day`: employment_status becomes `terminated` and `last_day` is recorded, effective on
 * `last_day`. Their open tasks are moved by the framework afterwards (docs/actions.md).
 */
export const offboarding: BusinessAction = {
  bizType: 'offboarding_info',
  async plan(ctx) {
    const employee = formEmployee(ctx);
    if (!employee.ok) return employee.result;
    const lastDay = formDate(ctx, 'last_day', true);
    if (!lastDay.ok) return lastDay.result;
    const day = lastDay.value as string;
    return planChanges(ctx, employee.value.id, { employment_status: 'terminated', last_day: day }, day);
  },
  apply: applyPlan,
  compensate: compensateApplied,
};
