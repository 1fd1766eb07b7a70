import dayjs, { type Dayjs } from 'dayjs';
import type { FileRef, FormField, FormValue, FormValues } from '@contract';

/**
 * Conversions between the people API's form values (contract `FormValue`) and what the Ant Design
 * controls hold (dayjs for dates, nested objects for i18n/object, arrays of rows for records), plus the
 * checks the browser can make before asking the server. The server stays the judge: these only spare
 * a round trip for the obvious (required, number format).
 */

/** What the form controls hold for one field. */
export type FieldState = unknown;
export type FormState = Record<string, FieldState>;

const DECIMAL = /^-?\d{1,15}(\.\d{1,10})?$/;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function isDayjs(v: unknown): v is Dayjs {
  return dayjs.isDayjs(v);
}

/** Empty as the server sees it (undefined, null, '', []), plus empty pairs the controls leave behind. */
export function isEmptyState(field: FormField, state: FieldState): boolean {
  if (state === undefined || state === null || state === '') return true;
  if (Array.isArray(state)) return state.length === 0;
  switch (field.type) {
    case 'i18n':
      return !isObject(state) || (blank(state.zh_cn) && blank(state.en_us));
    case 'object':
      return !isObject(state) || (blank(state.wk_id) && blank(state.wk_api_name));
    case 'file':
      return !isObject(state) || typeof state.file_id !== 'string';
    case 'bool':
      return typeof state !== 'boolean';
    case 'text':
    case 'number':
    case 'enum':
    case 'date':
    case 'date_time':
    case 'user':
    case 'employment':
    case 'department':
    case 'list':
    case 'record':
      return false;
  }
}

function blank(v: unknown): boolean {
  return typeof v !== 'string' || v.trim() === '';
}

/** One field's control state → its API value, or undefined when empty (left out of the request). */
export function valueFromState(field: FormField, state: FieldState): FormValue | undefined {
  if (field.type === 'bool') return typeof state === 'boolean' ? state : false;
  if (isEmptyState(field, state)) return undefined;
  switch (field.type) {
    case 'text':
    case 'enum':
    case 'user':
    case 'employment':
    case 'department':
      return typeof state === 'string' ? state : String(state);
    case 'number':
      return typeof state === 'number' ? String(state) : String(state).trim();
    case 'date':
      return isDayjs(state) ? state.format('YYYY-MM-DD') : String(state);
    case 'date_time':
      return isDayjs(state) ? state.toISOString() : String(state);
    case 'i18n': {
      const pair = state as Record<string, unknown>;
      return { zh_cn: str(pair.zh_cn), en_us: str(pair.en_us) };
    }
    case 'list':
      return Array.isArray(state) ? state.map(String).filter((s) => s.trim() !== '') : [];
    case 'file': {
      const f = state as FileRef;
      return { file_id: f.file_id, name: f.name, size: f.size, content_type: f.content_type };
    }
    case 'object': {
      const o = state as Record<string, unknown>;
      return { wk_id: str(o.wk_id).trim(), wk_api_name: str(o.wk_api_name).trim() };
    }
    case 'record': {
      const rows = Array.isArray(state) ? state : [];
      return rows.map((row) => valuesFromState(field.sub_fields ?? [], isObject(row) ? row : {}));
    }
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The whole form's control state → the request's `form_values` (empty fields left out). */
export function valuesFromState(fields: readonly FormField[], state: FormState): FormValues {
  const out: FormValues = {};
  for (const field of fields) {
    const value = valueFromState(field, state[field.api_name]);
    if (value !== undefined) out[field.api_name] = value;
  }
  return out;
}

/** One API value → what the field's control holds (dates become dayjs; unknown shapes are dropped). */
export function stateFromValue(field: FormField, value: unknown): FieldState {
  if (value === undefined || value === null) return undefined;
  switch (field.type) {
    case 'date': {
      if (typeof value !== 'string') return undefined;
      const d = dayjs(value, 'YYYY-MM-DD');
      return d.isValid() ? d : undefined;
    }
    case 'date_time': {
      if (typeof value !== 'string') return undefined;
      // Old drafts or engine values may hold Unix milliseconds.
      const d = /^\d+$/.test(value) ? dayjs(Number(value)) : dayjs(value);
      return d.isValid() ? d : undefined;
    }
    case 'bool':
      return typeof value === 'boolean' ? value : undefined;
    case 'list':
      return Array.isArray(value) ? value.filter((v) => typeof v === 'string') : undefined;
    case 'i18n':
      return isObject(value) ? { zh_cn: str(value.zh_cn), en_us: str(value.en_us) } : undefined;
    case 'object':
      return isObject(value) ? { wk_id: str(value.wk_id), wk_api_name: str(value.wk_api_name) } : undefined;
    case 'file':
      return isObject(value) && typeof value.file_id === 'string' ? value : undefined;
    case 'record':
      return Array.isArray(value)
        ? value.map((row) => stateFromValues(field.sub_fields ?? [], isObject(row) ? row : {}))
        : undefined;
    case 'text':
    case 'number':
    case 'enum':
    case 'user':
    case 'employment':
    case 'department':
      return typeof value === 'string' ? value : undefined;
  }
}

export function stateFromValues(fields: readonly FormField[], values: Record<string, unknown>): FormState {
  const out: FormState = {};
  for (const field of fields) {
    const state = stateFromValue(field, values[field.api_name]);
    if (state !== undefined) out[field.api_name] = state;
  }
  return out;
}

/** A problem the browser can see before the server does; `code` is translated by the page. */
export interface ClientProblem {
  /** Path in the form state: ['days'] or ['items', 0, 'amount']. */
  path: (string | number)[];
  code: 'required' | 'number' | 'i18n_both';
}

/** One field's problem, or undefined. Record rows are checked column by column (every column required, as on the server). */
export function fieldProblem(
  field: FormField,
  state: FieldState,
  required: boolean,
): ClientProblem['code'] | undefined {
  if (isEmptyState(field, state)) return required && field.type !== 'bool' ? 'required' : undefined;
  if (field.type === 'number') {
    const text = typeof state === 'number' ? String(state) : String(state).trim();
    if (!DECIMAL.test(text)) return 'number';
  }
  if (field.type === 'i18n' && isObject(state) && (blank(state.zh_cn) || blank(state.en_us)))
    return 'i18n_both';
  return undefined;
}

export function clientProblems(fields: readonly FormField[], state: FormState): ClientProblem[] {
  const out: ClientProblem[] = [];
  for (const field of fields) {
    const value = state[field.api_name];
    const code = fieldProblem(field, value, field.required);
    if (code) out.push({ path: [field.api_name], code });
    if (field.type === 'record' && Array.isArray(value)) {
      value.forEach((row, i) => {
        const cells = isObject(row) ? row : {};
        for (const sub of field.sub_fields ?? []) {
          const c = fieldProblem(sub, cells[sub.api_name], sub.required);
          if (c) out.push({ path: [field.api_name, i, sub.api_name], code: c });
        }
      });
    }
  }
  return out;
}

/** A readable text for a value on the read-only form and the print view (people/departments resolved by the caller). */
export function formatFileSize(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let size = bytes;
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : 1;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(size)} ${units[unit] ?? 'B'}`;
}
