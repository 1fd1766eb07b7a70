import type { DirectorySnapshot } from '../engine/approver-resolution.js';
import type { FieldType, FormField } from '../engine/form.js';
import type { FileLookup, StoredFileMeta } from './ports.js';
import type { FieldViolation } from './result.js';

/**
 * Form values in the people API's shapes (docs/people-api.md, contract `FormValue`) and the engine's,
 * both ways. People send and see people as user_id, departments as department_id, date-times as
 * ISO 8601, files as `{file_id, …}` and objects as `{wk_id, wk_api_name}`; the engine holds
 * people_corehr ids, Unix-ms strings, `{fileId, name, size, contentType}` and `{wkId, wkApiName}`.
 * Text, bool, number, enum, date, i18n and list values are the same in both.
 */

/** A file value as the people API shows it (contract FileRef). */
export interface PeopleFile {
  file_id: string;
  name: string;
  size: number;
  content_type: string;
}

/** Where people values are converted for: the files named must be uploads of `uploaderId`'s own. */
export interface PeopleValuesContext {
  directory: DirectorySnapshot;
  files: FileLookup | undefined;
  tenantId: string;
  /** Files may only be attached by the person who uploaded them: attaching shows them to others. */
  uploaderId: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The field types whose values differ between the two shapes; the others are the same in both. */
type ConvertedType = Extract<
  FieldType,
  'user' | 'employment' | 'department' | 'date_time' | 'file' | 'object' | 'record'
>;
const CONVERTED = new Set<FieldType>([
  'user',
  'employment',
  'department',
  'date_time',
  'file',
  'object',
  'record',
]);
const convertedType = (type: FieldType): ConvertedType | undefined =>
  CONVERTED.has(type) ? (type as ConvertedType) : undefined;

/** Record rows each through `convert`; a row that is not an object is left for the engine to refuse. */
const mapRows = (value: unknown, convert: (row: Record<string, unknown>, index: number) => unknown) =>
  Array.isArray(value)
    ? (value as unknown[]).map((row, i) => (isObject(row) ? convert(row, i) : row))
    : value;

/** Engine values → people shapes, form order, only fields that hold a value. */
export function engineToPeopleValues(
  form: readonly FormField[],
  values: Readonly<Record<string, unknown>>,
  directory: DirectorySnapshot,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of form) {
    const value = values[field.apiName];
    if (value === undefined) continue;
    out[field.apiName] = toPeople(field, value, directory);
  }
  return out;
}

function toPeople(field: FormField, value: unknown, directory: DirectorySnapshot): unknown {
  const type = convertedType(field.type);
  if (type === undefined) return value;
  switch (type) {
    case 'user':
    case 'employment':
      return typeof value === 'string' ? (directory.employees.get(value)?.userId ?? value) : value;
    case 'department':
      return typeof value === 'string' ? (directory.departments.get(value)?.departmentId ?? value) : value;
    case 'date_time':
      return typeof value === 'string' && /^\d{1,15}$/.test(value)
        ? new Date(Number(value)).toISOString()
        : value;
    case 'file':
      return isObject(value) ? peopleFile(value) : value;
    case 'object':
      return isObject(value) && 'wkId' in value ? { wk_id: value.wkId, wk_api_name: value.wkApiName } : value;
    case 'record':
      return mapRows(value, (row) => engineToPeopleValues(field.subFields ?? [], row, directory));
  }
}

/** An engine file value as a FileRef; the content type is kept when the file service recorded one. */
export function peopleFile(value: Record<string, unknown>): PeopleFile {
  return {
    file_id: typeof value.fileId === 'string' ? value.fileId : '',
    name: typeof value.name === 'string' ? value.name : '',
    size: typeof value.size === 'number' ? value.size : 0,
    content_type: typeof value.contentType === 'string' ? value.contentType : 'application/octet-stream',
  };
}

/**
 * People shapes → engine values. What cannot be converted (an unknown user_id, a date-time that is
 * not ISO 8601, a file that is not one's own upload) is named in `violations` as `<prefix><field>`;
 * everything else is left for the engine to validate (types, required fields, enum options …).
 */
export async function peopleToEngineValues(
  form: readonly FormField[],
  values: Record<string, unknown>,
  context: PeopleValuesContext,
  prefix: string,
): Promise<{ values: Record<string, unknown>; violations: FieldViolation[] }> {
  const { directory } = context;
  const userIndex = new Map([...directory.employees.values()].map((e) => [e.userId, e.id]));
  const departmentIndex = new Map([...directory.departments.values()].map((d) => [d.departmentId, d.id]));
  const wantedFiles = new Set<string>();
  collectFileIds(form, values, wantedFiles);
  const files =
    wantedFiles.size > 0 && context.files
      ? await context.files.describe(context.tenantId, [...wantedFiles])
      : new Map<string, StoredFileMeta>();
  const violations: FieldViolation[] = [];

  const convert = (
    fields: readonly FormField[],
    input: Record<string, unknown>,
    at: string,
  ): Record<string, unknown> => {
    const byName = new Map(fields.map((f) => [f.apiName, f]));
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(input)) {
      const field = byName.get(name);
      // Unknown fields and empty values go through as they are: the engine names them.
      out[name] = field && value !== null && value !== undefined ? one(field, value, `${at}${name}`) : value;
    }
    return out;
  };

  const one = (field: FormField, value: unknown, path: string): unknown => {
    const bad = (description: string) => {
      violations.push({ field: path, description });
      return value;
    };
    const type = convertedType(field.type);
    if (type === undefined) return value;
    switch (type) {
      case 'user':
      case 'employment':
        return typeof value === 'string' ? (userIndex.get(value) ?? bad('unknown user')) : value;
      case 'department':
        return typeof value === 'string' ? (departmentIndex.get(value) ?? bad('unknown department')) : value;
      case 'date_time': {
        const ms = typeof value === 'string' && isDateTime(value) ? Date.parse(value) : NaN;
        return Number.isFinite(ms)
          ? String(ms)
          : bad('must be an ISO 8601 date and time, e.g. 2026-03-01T09:00:00Z');
      }
      case 'file': {
        const fileId = isObject(value) ? value.file_id : undefined;
        if (typeof fileId !== 'string') return bad('must be {file_id} of an uploaded file');
        if (!context.files) return bad('file uploads are not available on this server');
        const meta = files.get(fileId);
        if (!meta || meta.uploaderId !== context.uploaderId)
          return bad('unknown file: upload it first (POST /api/v1/files)');
        return { fileId: meta.fileId, name: meta.name, size: meta.size, contentType: meta.contentType };
      }
      case 'object':
        return isObject(value) && typeof value.wk_id === 'string' && typeof value.wk_api_name === 'string'
          ? { wkId: value.wk_id, wkApiName: value.wk_api_name }
          : bad('must be {wk_id, wk_api_name}');
      case 'record':
        return mapRows(value, (row, i) => convert(field.subFields ?? [], row, `${path}[${i}].`));
    }
  };
  return { values: convert(form, values, prefix), violations };
}

// A date and a time, with seconds and a zone: what `Date.toISOString()` and date-time pickers write.
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO date-time whose date exists (Date.parse would roll 2026-02-31 over into March). */
function isDateTime(text: string): boolean {
  if (!ISO_DATE_TIME.test(text)) return false;
  const day = text.slice(0, 10);
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === day;
}

/** The file ids the values name; rows past the engine's 500-row limit are not looked up (it refuses them). */
function collectFileIds(fields: readonly FormField[], values: Record<string, unknown>, out: Set<string>) {
  for (const field of fields) {
    const value = values[field.apiName];
    if (field.type === 'file' && isObject(value) && typeof value.file_id === 'string') out.add(value.file_id);
    if (field.type === 'record' && Array.isArray(value))
      for (const row of value.slice(0, 500))
        if (isObject(row)) collectFileIds(field.subFields ?? [], row, out);
  }
}
