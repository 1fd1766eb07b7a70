import type { DirectorySnapshot } from '../engine/approver-resolution.js';
import type { FormField, FormValues, FieldValue } from '../engine/form.js';
import type { FieldViolation } from './result.js';

/**
 * Form values in the admin API's plain form: `{field: value}`, people as their user_id and
 * departments as their department_id, numbers as decimal strings. The engine holds people_corehr ids.
 */
export function plainToEngineValues(
  form: readonly FormField[],
  values: Record<string, unknown>,
  directory: DirectorySnapshot,
  prefix = '',
): { values: Record<string, unknown>; violations: FieldViolation[] } {
  const violations: FieldViolation[] = [];
  const userIndex = new Map([...directory.employees.values()].map((e) => [e.userId, e.id]));
  const departmentIndex = new Map([...directory.departments.values()].map((d) => [d.departmentId, d.id]));
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(values)) {
    const field = form.find((f) => f.apiName === name);
    if (!field || typeof value !== 'string') {
      out[name] = field?.type === 'record' && Array.isArray(value) ? recordRows(field, value) : value;
      continue;
    }
    if (field.type === 'user' || field.type === 'employment') {
      const id = userIndex.get(value);
      if (id === undefined) violations.push({ field: `${prefix}${name}`, description: 'unknown user' });
      out[name] = id ?? value;
    } else if (field.type === 'department') {
      const id = departmentIndex.get(value);
      if (id === undefined) violations.push({ field: `${prefix}${name}`, description: 'unknown department' });
      out[name] = id ?? value;
    } else out[name] = value;
  }
  function recordRows(field: FormField, rows: unknown[]): unknown[] {
    return rows.map((row, i) => {
      if (typeof row !== 'object' || row === null || Array.isArray(row)) return row;
      const converted = plainToEngineValues(
        field.subFields ?? [],
        row as Record<string, unknown>,
        directory,
        `${prefix}${field.apiName}[${i}].`,
      );
      violations.push(...converted.violations);
      return converted.values;
    });
  }
  return { values: out, violations };
}

export function engineToPlainValues(
  form: readonly FormField[],
  values: FormValues,
  directory: DirectorySnapshot,
): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const field of form) {
    const value = values[field.apiName];
    if (value === undefined) continue;
    if ((field.type === 'user' || field.type === 'employment') && typeof value === 'string') {
      out[field.apiName] = directory.employees.get(value)?.userId ?? value;
    } else if (field.type === 'department' && typeof value === 'string') {
      out[field.apiName] = directory.departments.get(value)?.departmentId ?? value;
    } else if (field.type === 'record' && Array.isArray(value)) {
      out[field.apiName] = (value as Record<string, FieldValue>[]).map((row) =>
        engineToPlainValues(field.subFields ?? [], row, directory),
      );
    } else out[field.apiName] = value;
  }
  return out;
}
