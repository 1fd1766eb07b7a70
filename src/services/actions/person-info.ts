import { PERSONAL_FIELDS, profileValueProblem } from '../employee-profile.js';
import {
  applyPlan,
  compensateApplied,
  formEmployee,
  formText,
  planChanges,
  type RecordValues,
} from './record.js';
import type { BusinessAction } from './types.js';

/**
 * person_info_change (54, 申请信息变更): the form's fields named like a personal profile field
 * (`phone`, `personal_email`, `address`, `emergency_contact_name`, `emergency_contact_phone`,
 * `bank_account`, `id_number`) are written to the employee's profile. An empty or absent field leaves
 * the value as it is. The employee is the form's `employee`, or else the initiator.
 */
export const personInfoChange: BusinessAction = {
  bizType: 'person_info_change',
  async plan(ctx) {
    const employee = formEmployee(ctx);
    if (!employee.ok) return employee.result;
    const wanted: Partial<RecordValues> = {};
    for (const field of PERSONAL_FIELDS) {
      const text = formText(ctx, field);
      if (!text.ok) return text.result;
      if (text.value === undefined) continue;
      const problem = profileValueProblem(field, text.value);
      if (problem) return { ok: false, problem: `${field} ${problem}`, field };
      wanted[field] = text.value;
    }
    if (Object.keys(wanted).length === 0)
      return {
        ok: false,
        problem: 'the form has no profile field to change (phone, address, bank_account, …)',
      };
    return planChanges(ctx, employee.value.id, wanted);
  },
  apply: applyPlan,
  compensate: compensateApplied,
};
