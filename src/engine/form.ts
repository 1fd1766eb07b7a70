import type { I18nText } from './directory.js';
import type { FieldViolation } from './result.js';

/** Form field types (docs/open-api.md form data). */
export const FIELD_TYPES = [
  'text',
  'bool',
  'number',
  'enum',
  'date',
  'date_time',
  'i18n',
  'user',
  'department',
  'employment',
  'list',
  'file',
  'object',
  'record',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface EnumOption {
  value: string;
  label: I18nText;
}

export interface FormField {
  apiName: string;
  label: I18nText;
  type: FieldType;
  required: boolean;
  /** enum: the allowed values. */
  options?: EnumOption[];
  /** record: the columns of each row. */
  subFields?: FormField[];
}

export interface FileValue {
  fileId: string;
  name: string;
  size: number;
}
export interface ObjectValue {
  wkId: string;
  wkApiName: string;
}
export type RecordRow = Record<string, FieldValue>;

/**
 * A field's value in the engine's own terms. number: a decimal string; date: YYYY-MM-DD;
 * date_time: Unix ms as a string; user/employment: the person's people_corehr_id; department: the
 * department's people_corehr_department_id.
 */
export type FieldValue = string | boolean | I18nText | string[] | FileValue | ObjectValue | RecordRow[];
export type FormValues = Record<string, FieldValue>;

/** What the engine needs to know about ids in values: does this person / department exist? */
export interface ReferenceCheck {
  employeeExists(id: string): boolean;
  departmentExists(id: string): boolean;
}

const DECIMAL = /^-?\d{1,15}(\.\d{1,10})?$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isValidDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const daysInMonth = [
    31,
    y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  return d <= (daysInMonth[mo - 1] ?? 0);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a value does not fit its field, or undefined; problems inside record rows go straight to `out`. */
function problemOf(
  field: FormField,
  value: unknown,
  refs: ReferenceCheck,
  path: string,
  out: FieldViolation[],
): string | undefined {
  const bad = (description: string): string => description;
  switch (field.type) {
    case 'text':
      if (typeof value !== 'string') return bad('must be text');
      if (value.length > 10_000) return bad('must be at most 10000 characters');
      return undefined;
    case 'bool':
      if (typeof value !== 'boolean') return bad('must be true or false');
      return undefined;
    case 'number':
      if (typeof value !== 'string' || !DECIMAL.test(value))
        return bad('must be a decimal number written as a string, e.g. "3.5"');
      return undefined;
    case 'enum': {
      const allowed = (field.options ?? []).map((o) => o.value);
      if (typeof value !== 'string' || !allowed.includes(value))
        return bad(`must be one of ${allowed.join(', ')}`);
      return undefined;
    }
    case 'date':
      if (typeof value !== 'string' || !isValidDate(value)) return bad('must be a date written YYYY-MM-DD');
      return undefined;
    case 'date_time':
      if (typeof value !== 'string' || !/^\d{1,15}$/.test(value))
        return bad('must be Unix milliseconds written as a string');
      return undefined;
    case 'i18n':
      if (!isObject(value) || typeof value.zh_cn !== 'string' || typeof value.en_us !== 'string') {
        return bad('must be {zh_cn, en_us}');
      }
      return undefined;
    case 'user':
    case 'employment':
      if (typeof value !== 'string' || !refs.employeeExists(value)) return bad('unknown user');
      return undefined;
    case 'department':
      if (typeof value !== 'string' || !refs.departmentExists(value)) return bad('unknown department');
      return undefined;
    case 'list':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
        return bad('must be a list of strings');
      if (value.length > 1000) return bad('must have at most 1000 items');
      return undefined;
    case 'file':
      if (
        !isObject(value) ||
        typeof value.fileId !== 'string' ||
        typeof value.name !== 'string' ||
        typeof value.size !== 'number'
      ) {
        return bad('must be file metadata {file id, name, size}');
      }
      return undefined;
    case 'object':
      if (!isObject(value) || typeof value.wkId !== 'string' || typeof value.wkApiName !== 'string') {
        return bad('must be an object reference {wk_id, wk_api_name}');
      }
      return undefined;
    case 'record': {
      if (!Array.isArray(value)) return bad('must be a list of rows');
      if (value.length > 500) return bad('must have at most 500 rows');
      value.forEach((row, i) => {
        if (!isObject(row)) {
          out.push({ field: `${path}[${i}]`, description: 'must be a row of values' });
          return;
        }
        checkValues(field.subFields ?? [], row, refs, `${path}[${i}].`, out, { requireAll: true });
      });
      return undefined;
    }
  }
}

function checkValues(
  fields: readonly FormField[],
  values: Record<string, unknown>,
  refs: ReferenceCheck,
  prefix: string,
  out: FieldViolation[],
  options: { requireAll: boolean; allowed?: ReadonlySet<string>; required?: ReadonlySet<string> },
): void {
  const byName = new Map(fields.map((f) => [f.apiName, f]));
  for (const [name, value] of Object.entries(values)) {
    const field = byName.get(name);
    if (!field) {
      out.push({ field: `${prefix}${name}`, description: 'is not a field of this form' });
      continue;
    }
    if (options.allowed && !options.allowed.has(name)) {
      out.push({ field: `${prefix}${name}`, description: 'is not editable at this node' });
      continue;
    }
    const problem = problemOf(field, value, refs, `${prefix}${name}`, out);
    if (problem !== undefined) out.push({ field: `${prefix}${name}`, description: problem });
  }
  for (const field of fields) {
    const mustHave = options.required
      ? options.required.has(field.apiName)
      : options.requireAll && field.required;
    if (mustHave && isEmpty(values[field.apiName]))
      out.push({ field: `${prefix}${field.apiName}`, description: 'is required' });
  }
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)
  );
}

/** Values submitted at start: every required field present, every value of its field's type. */
export function validateStartValues(
  fields: readonly FormField[],
  values: Record<string, unknown>,
  refs: ReferenceCheck,
): FieldViolation[] {
  const out: FieldViolation[] = [];
  checkValues(fields, values, refs, '', out, { requireAll: true });
  return out;
}

/**
 * Values submitted at a node: only its editable fields; its required fields must end up filled
 * (from this submission or what the form already holds).
 */
export function validateNodeValues(
  fields: readonly FormField[],
  current: FormValues,
  submitted: Record<string, unknown>,
  editable: readonly string[],
  required: readonly string[],
  refs: ReferenceCheck,
): FieldViolation[] {
  const out: FieldViolation[] = [];
  checkValues(fields, submitted, refs, '', out, { requireAll: false, allowed: new Set(editable) });
  for (const name of required) {
    if (isEmpty(submitted[name]) && isEmpty(current[name]))
      out.push({ field: name, description: 'is required at this node' });
  }
  return out;
}

/** Form values as plain data for conditions: numbers as numbers, everything else as stored. */
export function conditionView(fields: readonly FormField[], values: FormValues): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.apiName];
    if (value === undefined) continue;
    view[field.apiName] = field.type === 'number' && typeof value === 'string' ? Number(value) : value;
  }
  return view;
}
