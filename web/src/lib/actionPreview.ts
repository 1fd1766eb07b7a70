/** Employee fields an approval's business action may change, each with a catalogue key. */
export const CHANGE_FIELDS = [
  'department_id',
  'manager_id',
  'job_title',
  'phone',
  'address',
  'personal_email',
  'emergency_contact_name',
  'emergency_contact_phone',
  'bank_account',
  'id_number',
  'employment_status',
  'probation_end_date',
  'last_day',
] as const;

const KNOWN = new Set<string>(CHANGE_FIELDS);

/**
 * The catalogue key and values naming a changed field: a known field's own key, a leave balance
 * (`leave_balance.<type>`) the balance key with its type's name (`label`, in the reader's language; the
 * type's key when the server gave none); anything else as the server named it.
 */
export function changeFieldLabel(
  field: string,
  label?: string,
): { key: string; values: Record<string, string> } {
  if (KNOWN.has(field)) return { key: `on_approval.field.${field}`, values: {} };
  const balance = /^leave_balance\.(.+)$/.exec(field);
  if (balance?.[1]) return { key: 'on_approval.leave_balance', values: { type: label ?? balance[1] } };
  return { key: 'on_approval.other_field', values: { field: label ?? field } };
}
