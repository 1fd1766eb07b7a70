import type { FieldValue, FileValue, FormField, ObjectValue, RecordRow } from '../../engine/form.js';
import type { FieldViolation } from '../../services/result.js';
import type { Identity } from './identity.js';

/** The SDK's typed value object (`variable_value`); requests never carry `user_value`. */
export interface VariableValue {
  text_value?: string;
  bool_value?: boolean;
  number_value?: string;
  enum_value?: string;
  date_value?: string;
  date_time_value?: string;
  i18n_value?: { zh_cn?: string; en_us?: string };
  object_value?: { wk_id?: string; wk_api_name?: string };
  user_value?: string;
  department_value?: string;
  employment_value?: string;
  list_values?: string[];
  file_value?: { open_file_id?: string; file_name?: string; length?: number; mime_type?: string };
  record_values?: { variable_api_name?: string; sub_value_key?: string; record_id?: string }[];
}

export interface FlowDataItem {
  variable_api_name?: string;
  variable_value?: VariableValue;
  sub_values?: { key?: string; value?: VariableValue }[];
}

/** Which key of variable_value carries each field type in requests. */
const REQUEST_KEY: Record<FormField['type'], keyof VariableValue> = {
  text: 'text_value',
  bool: 'bool_value',
  number: 'number_value',
  enum: 'enum_value',
  date: 'date_value',
  date_time: 'date_time_value',
  i18n: 'i18n_value',
  user: 'employment_value',
  employment: 'employment_value',
  department: 'department_value',
  list: 'list_values',
  file: 'file_value',
  object: 'object_value',
  record: 'record_values',
};

/** What a user or employment field accepts, for errors that must say it. */
const personForms = (identity: Identity) =>
  `employment_value: the person's people_corehr_id, or their id in the request's user_id_type (${identity.userIdType})`;

/**
 * Request values → the engine's values. A value under the wrong key for its field's type is named, and
 * so is a field given twice; departments arrive in the request's department_id_type. People (user and
 * employment fields) arrive under employment_value, as the SDK's request type has no user_value: a
 * people_corehr_id is looked up first, then an id of the request's user_id_type.
 */
export async function toEngineValues(
  form: readonly FormField[],
  items: readonly FlowDataItem[],
  identity: Identity,
  prefix: string,
): Promise<{ values: Record<string, unknown>; violations: FieldViolation[] }> {
  const values: Record<string, unknown> = {};
  const violations: FieldViolation[] = [];
  const firstAt = new Map<string, number>();
  for (const [i, item] of items.entries()) {
    const name = item.variable_api_name ?? '';
    const field = form.find((f) => f.apiName === name);
    if (!field) {
      violations.push({
        field: `${prefix}[${i}].variable_api_name`,
        description: name ? `"${name}" is not a field of this form` : 'is required',
      });
      continue;
    }
    const first = firstAt.get(name);
    if (first !== undefined) {
      // Which of the two values should win is not the server's guess to make.
      violations.push({
        field: `${prefix}[${i}].variable_api_name`,
        description: `"${name}" is given twice (also ${prefix}[${first}])`,
      });
      continue;
    }
    firstAt.set(name, i);
    const converted = await cellValue(
      field,
      item.variable_value ?? {},
      item.sub_values ?? [],
      identity,
      `${prefix}.${name}`,
      violations,
    );
    if (converted !== undefined) values[name] = converted;
  }
  return { values, violations };
}

async function cellValue(
  field: FormField,
  v: VariableValue,
  subValues: readonly { key?: string; value?: VariableValue }[],
  identity: Identity,
  path: string,
  violations: FieldViolation[],
): Promise<unknown> {
  const key = REQUEST_KEY[field.type];
  const given = Object.keys(v).filter((k) => v[k as keyof VariableValue] !== undefined);
  if (given.length > 0 && !given.includes(key)) {
    const takes = field.type === 'user' || field.type === 'employment' ? personForms(identity) : key;
    violations.push({
      field: path,
      description: `a ${field.type} field takes ${takes}; not ${given.join(', ')}`,
    });
    return undefined;
  }
  switch (field.type) {
    case 'i18n':
      return v.i18n_value && { zh_cn: v.i18n_value.zh_cn ?? '', en_us: v.i18n_value.en_us ?? '' };
    case 'object':
      return (
        v.object_value && { wkId: v.object_value.wk_id ?? '', wkApiName: v.object_value.wk_api_name ?? '' }
      );
    case 'file':
      return (
        v.file_value && {
          fileId: v.file_value.open_file_id ?? '',
          name: v.file_value.file_name ?? '',
          size: v.file_value.length ?? 0,
        }
      );
    case 'department': {
      if (v.department_value === undefined) return undefined;
      const department = identity.department(v.department_value);
      if (!department)
        violations.push({
          field: path,
          description: `unknown department for department_id_type ${identity.departmentIdType}`,
        });
      return department?.id;
    }
    case 'user':
    case 'employment': {
      const id = v.employment_value;
      if (id === undefined) return undefined;
      const person = identity.directory.employees.get(id) ?? (await identity.person(id));
      if (!person)
        violations.push({
          field: path,
          description: `no person has this id; a ${field.type} field takes ${personForms(identity)}`,
        });
      return person?.id;
    }
    case 'record': {
      if (v.record_values === undefined) return undefined;
      const cells = new Map(subValues.map((s) => [s.key ?? '', s.value ?? {}]));
      const rows = new Map<string, Record<string, unknown>>();
      const filled = new Set<string>();
      for (const [j, ref] of v.record_values.entries()) {
        const column = (field.subFields ?? []).find((c) => c.apiName === ref.variable_api_name);
        const cellPath = `${path}.record_values[${j}]`;
        if (!column) {
          violations.push({
            field: cellPath,
            description: `"${ref.variable_api_name ?? ''}" is not a column of ${field.apiName}`,
          });
          continue;
        }
        const cell = cells.get(ref.sub_value_key ?? '');
        if (!cell) {
          violations.push({
            field: cellPath,
            description: `sub_value_key "${ref.sub_value_key ?? ''}" has no entry in sub_values`,
          });
          continue;
        }
        const cellKey = JSON.stringify([ref.record_id ?? '', column.apiName]);
        if (filled.has(cellKey)) {
          violations.push({
            field: cellPath,
            description: `row "${ref.record_id ?? ''}" already has a value for ${column.apiName}`,
          });
          continue;
        }
        filled.add(cellKey);
        const row = rows.get(ref.record_id ?? '') ?? {};
        rows.set(ref.record_id ?? '', row);
        const value = await cellValue(
          column,
          cell,
          [],
          identity,
          `${path}[${ref.record_id ?? ''}].${column.apiName}`,
          violations,
        );
        if (value !== undefined) row[column.apiName] = value;
      }
      return [...rows.values()];
    }
    case 'text':
    case 'bool':
    case 'number':
    case 'enum':
    case 'date':
    case 'date_time':
    case 'list':
      return v[key];
  }
}

/** An engine value → the SDK's `variable_value` (+ `sub_values` for record lists), in the request's id types. */
export function toVariableValue(
  field: FormField,
  value: FieldValue,
  identity: Identity,
): { variable_value: VariableValue; sub_values?: { key: string; value: VariableValue }[] } {
  switch (field.type) {
    case 'text':
      return { variable_value: { text_value: value as string } };
    case 'bool':
      return { variable_value: { bool_value: value as boolean } };
    case 'number':
      return { variable_value: { number_value: value as string } };
    case 'enum':
      return { variable_value: { enum_value: value as string } };
    case 'date':
      return { variable_value: { date_value: value as string } };
    case 'date_time':
      return { variable_value: { date_time_value: value as string } };
    case 'i18n':
      return { variable_value: { i18n_value: value as { zh_cn: string; en_us: string } } };
    case 'user':
      return { variable_value: { user_value: identity.userId(value as string) } };
    case 'employment':
      return { variable_value: { employment_value: value as string } };
    case 'department':
      return { variable_value: { department_value: identity.departmentId(value as string) } };
    case 'list':
      return { variable_value: { list_values: value as string[] } };
    case 'file': {
      const file = value as FileValue;
      // A stored file (uploaded through the people API) answers with its own metadata.
      const stored = identity.file(file.fileId);
      return {
        variable_value: {
          file_value: stored
            ? {
                open_file_id: file.fileId,
                file_name: stored.name,
                length: stored.size,
                mime_type: stored.contentType,
              }
            : { open_file_id: file.fileId, file_name: file.name, length: file.size },
        },
      };
    }
    case 'object': {
      const object = value as ObjectValue;
      return { variable_value: { object_value: { wk_id: object.wkId, wk_api_name: object.wkApiName } } };
    }
    case 'record': {
      const rows = value as RecordRow[];
      const refs: NonNullable<VariableValue['record_values']> = [];
      const subValues: { key: string; value: VariableValue }[] = [];
      rows.forEach((row, i) => {
        const recordId = `row_${i + 1}`;
        for (const column of field.subFields ?? []) {
          const cell = row[column.apiName];
          if (cell === undefined) continue;
          const key = `${recordId}.${column.apiName}`;
          refs.push({ variable_api_name: column.apiName, sub_value_key: key, record_id: recordId });
          subValues.push({ key, value: toVariableValue(column, cell, identity).variable_value });
        }
      });
      return { variable_value: { record_values: refs }, sub_values: subValues };
    }
  }
}

/** People named inside values, so their open_ids can be loaded in one query before rendering. */
export function peopleInValues(form: readonly FormField[], values: Record<string, FieldValue>): string[] {
  const out: string[] = [];
  for (const field of form) {
    const value = values[field.apiName];
    if (field.type === 'user' && typeof value === 'string') out.push(value);
    if (field.type === 'record' && Array.isArray(value))
      out.push(...(value as RecordRow[]).flatMap((row) => peopleInValues(field.subFields ?? [], row)));
  }
  return out;
}

/** File ids inside values, so stored files' metadata can be loaded in one query before rendering. */
export function filesInValues(form: readonly FormField[], values: Record<string, FieldValue>): string[] {
  const out: string[] = [];
  for (const field of form) {
    const value = values[field.apiName];
    if (field.type === 'file' && typeof value === 'object' && 'fileId' in value) out.push(value.fileId);
    if (field.type === 'record' && Array.isArray(value))
      out.push(...(value as RecordRow[]).flatMap((row) => filesInValues(field.subFields ?? [], row)));
  }
  return out;
}
