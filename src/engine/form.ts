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
  /** Shown under the field on the form. */
  helpText?: I18nText;
  /** Prefilled by the approval center (text, number, bool, enum, date, list); never filled in by the engine. */
  defaultValue?: FieldValue;
  /** number: bounds (inclusive); date: YYYY-MM-DD; date_time: ISO 8601. */
  min?: number | string;
  max?: number | string;
  /** number: at most this many decimal places. */
  precision?: number;
  /** text: length bounds (characters) and a regular expression the whole text must match. */
  minLength?: number;
  maxLength?: number;
  pattern?: string;
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

export function isValidDate(text: string): boolean {
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

/** A field's text constraints (min/max length, pattern); empty text is left to `required`. */
function textProblem(field: FormField, value: string): string | undefined {
  // Characters as people count them (code points), not UTF-16 units.
  // eslint-disable-next-line @typescript-eslint/no-misused-spread
  const length = [...value].length;
  if (field.minLength !== undefined && length < field.minLength)
    return `must be at least ${field.minLength} characters`;
  if (field.maxLength !== undefined && length > field.maxLength)
    return `must be at most ${field.maxLength} characters`;
  if (field.pattern !== undefined && !compiledPattern(field.pattern)?.test(value))
    return `must match the pattern ${field.pattern}`;
  return undefined;
}

const patterns = new Map<string, RegExp | null>();
/** The field's pattern anchored to the whole text; null when it does not compile (refused at publish). */
export function compiledPattern(pattern: string): RegExp | null {
  let compiled = patterns.get(pattern);
  if (compiled === undefined) {
    try {
      compiled = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      compiled = null;
    }
    if (patterns.size > 1000) patterns.clear();
    patterns.set(pattern, compiled);
  }
  return compiled;
}

/** A number's bounds and decimal places. */
function numberProblem(field: FormField, value: string): string | undefined {
  const n = Number(value);
  if (typeof field.min === 'number' && n < field.min) return `must be at least ${field.min}`;
  if (typeof field.max === 'number' && n > field.max) return `must be at most ${field.max}`;
  const decimals = value.split('.')[1]?.length ?? 0;
  if (field.precision !== undefined && decimals > field.precision)
    return field.precision === 0
      ? 'must be a whole number'
      : `must have at most ${field.precision} decimal places`;
  return undefined;
}

/** Why a value does not fit its field (type and constraints), or undefined; for defaults and calculated values. */
export function valueProblem(field: FormField, value: unknown, refs: ReferenceCheck): string | undefined {
  const out: FieldViolation[] = [];
  return problemOf(field, value, refs, field.apiName, out) ?? out[0]?.description;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (pure: the engine does not use Date). */
export function epochDay(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:\d{2})?$/;
/** Unix ms of an ISO 8601 date-time (`2026-01-01T09:00:00Z`, `…+08:00`; no zone = UTC), or NaN. */
export function isoToMs(text: string): number {
  const m = ISO.exec(text);
  if (!m || !isValidDate(`${m[1]}-${m[2]}-${m[3]}`)) return Number.NaN;
  const [hours, minutes, seconds] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (hours > 23 || minutes > 59 || seconds > 59) return Number.NaN;
  const millis = Number((m[7] ?? '0').padEnd(3, '0'));
  const zone = m[8] ?? 'Z';
  const offset =
    zone === 'Z'
      ? 0
      : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const day = epochDay(Number(m[1]), Number(m[2]), Number(m[3]));
  return ((day * 24 + hours) * 60 + minutes - offset) * 60_000 + seconds * 1000 + millis;
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
      return value === '' ? undefined : textProblem(field, value);
    case 'bool':
      if (typeof value !== 'boolean') return bad('must be true or false');
      return undefined;
    case 'number':
      if (typeof value !== 'string' || !DECIMAL.test(value))
        return bad('must be a decimal number written as a string, e.g. "3.5"');
      return numberProblem(field, value);
    case 'enum': {
      const allowed = (field.options ?? []).map((o) => o.value);
      if (typeof value !== 'string' || !allowed.includes(value))
        return bad(`must be one of ${allowed.join(', ')}`);
      return undefined;
    }
    case 'date':
      if (typeof value !== 'string' || !isValidDate(value)) return bad('must be a date written YYYY-MM-DD');
      if (typeof field.min === 'string' && value < field.min) return bad(`must be on or after ${field.min}`);
      if (typeof field.max === 'string' && value > field.max) return bad(`must be on or before ${field.max}`);
      return undefined;
    case 'date_time':
      if (typeof value !== 'string' || !/^\d{1,15}$/.test(value))
        return bad('must be Unix milliseconds written as a string');
      if (typeof field.min === 'string' && Number(value) < isoToMs(field.min))
        return bad(`must be at or after ${field.min}`);
      if (typeof field.max === 'string' && Number(value) > isoToMs(field.max))
        return bad(`must be at or before ${field.max}`);
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
  options: { requireAll: boolean; allowed?: ReadonlySet<string> },
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
  if (!options.requireAll) return;
  for (const field of fields) {
    if (field.required && isEmpty(values[field.apiName]))
      out.push({ field: `${prefix}${field.apiName}`, description: 'is required' });
  }
}

export function isEmpty(value: unknown): boolean {
  return (
    value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)
  );
}

/**
 * Each value against its field: known field, right type, within the field's bounds (record rows
 * cell by cell, every required column filled). `requireAll` also names empty required fields;
 * `allowed` limits which fields may be given. Form rules are applied by form-rules.ts.
 */
export function checkFieldValues(
  fields: readonly FormField[],
  values: Record<string, unknown>,
  refs: ReferenceCheck,
  options: { requireAll: boolean; allowed?: ReadonlySet<string> },
): FieldViolation[] {
  const out: FieldViolation[] = [];
  checkValues(fields, values, refs, '', out, options);
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
