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
 * the value as it is. The employee is the form's `employee`, or else the initiator. A form may instead
 * name one field in `field` and give its value in `new_value` (the demo's information change does).
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
    // The demo's form (src/services/demo-flows.ts) names the field in an enum `field` and its value in
    // `new_value`: read the same way, one field at a time.
    const chosen = formText(ctx, 'field');
    const newValue = formText(ctx, 'new_value');
    if (chosen.ok && newValue.ok && chosen.value !== undefined && newValue.value !== undefined) {
      const field = PERSONAL_FIELDS.find((f) => f === chosen.value);
      if (!field)
        return { ok: false, problem: `field ${chosen.value} cannot be changed here`, field: 'field' };
      const problem = profileValueProblem(field, newValue.value);
      if (problem) return { ok: false, problem: `new_value ${problem}`, field: 'new_value' };
      wanted[field] = newValue.value;
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
