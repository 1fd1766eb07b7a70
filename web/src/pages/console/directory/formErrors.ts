import type { FormInstance } from 'antd';
import { violationsByField } from '../../../lib/errors';

/**
 * Puts the server's per-field refusals beside the form's fields (`name.zh_cn` → ['name', 'zh_cn']);
 * answers whether the error still needs an alert (no field shows it, or not all of it).
 */
export function showViolations(form: FormInstance, error: unknown, fields: readonly string[]): boolean {
  const rest: Record<string, string> = {};
  const byField = violationsByField(error);
  const placed: { name: (string | number)[]; errors: string[] }[] = [];
  for (const [field, description] of Object.entries(byField)) {
    const match = fields.find((f) => field === f || field.startsWith(`${f}.`) || field.startsWith(`${f}[`));
    if (match) placed.push({ name: match.split('.'), errors: [description] });
    else rest[field] = description;
  }
  form.setFields(placed);
  return placed.length === 0 || Object.keys(rest).length > 0;
}
