import type { DirectorySnapshot } from '../engine/approver-resolution.js';
import type { FieldValue, FormField, FormValues } from '../engine/form.js';
import type { FileLookup, StoredFileMeta } from './ports.js';
import type { FieldViolation } from './result.js';

/**
 * Form values in the people API's shapes (docs/people-api.md): people as user_id, departments as
 * department_id, date-times as ISO 8601, files as `{file_id, …}`, objects as `{wk_id, wk_api_name}`.
 * The engine holds people_corehr ids, Unix-ms strings and `{fileId, name, size}`.
 */

/** A file value as the people API shows it (contract FileRef). */
export interface PeopleFile {
  file_id: string;
  name: string;
  size: number;
  content_type: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Engine values → people shapes, form order, only fields that hold a value. */
export function engineToPeopleValues(
  form: readonly FormField[],
  values: FormValues | Record<string, FieldValue>,
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

function toPeople(field: FormField, value: FieldValue, directory: DirectorySnapshot): unknown {
  switch (field.type) {
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
      return Array.isArray(value)
        ? value.map((row) =>
            isObject(row) ? engineToPeopleValues(field.subFields ?? [], row, directory) : row,
          )
        : value;
    case 'text':
    case 'bool':
    case 'number':
    case 'enum':
    case 'date':
    case 'i18n':
    case 'list':
      return value;
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
 * People shapes → engine values. What cannot be read (an unknown user_id, a date-time that is not
 * ISO 8601, a file id not found) is named in `violations` under `prefix`; the engine then checks the
 * rest against the form.
 */
export async function peopleToEngineValues(
  form: readonly FormField[],
  values: Record<string, unknown>,
  directory: DirectorySnapshot,
  files: { lookup: FileLookup | undefined; tenantId: string; uploaderId: string },
  prefix: string,
): Promise<{ values: Record<string, unknown>; violations: FieldViolation[] }> {
  const violations: FieldViolation[] = [];
  const byUserId = new Map([...directory.employees.values()].map((e) => [e.userId, e.id]));
  const byDepartmentId = new Map([...directory.departments.values()].map((d) => [d.departmentId, d.id]));

  const fileIds: string[] = [];
  const collect = (fields: readonly FormField[], vals: Record<string, unknown>) => {
    for (const field of fields) {
      const value = vals[field.apiName];
      if (field.type === 'file' && isObject(value) && typeof value.file_id === 'string')
        fileIds.push(value.file_id);
      if (field.type === 'record' && Array.isArray(value))
        for (const row of value) if (isObject(row)) collect(field.subFields ?? [], row);
    }
  };
  collect(form, values);
  const known: Map<string, StoredFileMeta> =
    fileIds.length > 0 && files.lookup
      ? await files.lookup.describe(files.tenantId, fileIds)
      : new Map<string, StoredFileMeta>();

  const convert = (
    fields: readonly FormField[],
    vals: Record<string, unknown>,
    at: string,
  ): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const byName = new Map(fields.map((f) => [f.apiName, f]));
    for (const [name, value] of Object.entries(vals)) {
      const field = byName.get(name);
      const path = `${at}${name}`;
      if (!field) {
        out[name] = value;
        continue;
      }
      out[name] = one(field, value, path);
    }
    return out;
  };
  const one = (field: FormField, value: unknown, path: string): unknown => {
    switch (field.type) {
      case 'user':
      case 'employment': {
        if (typeof value !== 'string') return value;
        const id = byUserId.get(value);
        if (id === undefined) violations.push({ field: path, description: 'unknown user' });
        return id ?? value;
      }
      case 'department': {
        if (typeof value !== 'string') return value;
        const id = byDepartmentId.get(value);
        if (id === undefined) violations.push({ field: path, description: 'unknown department' });
        return id ?? value;
      }
      case 'date_time': {
        if (typeof value !== 'string' || !ISO_DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
          violations.push({
            field: path,
            description: 'must be an ISO 8601 date-time, e.g. 2026-12-01T09:00:00Z',
          });
          return value;
        }
        return String(Date.parse(value));
      }
      case 'file': {
        if (!isObject(value) || typeof value.file_id !== 'string') {
          violations.push({ field: path, description: 'must be {file_id} of an uploaded file' });
          return value;
        }
        const meta = known.get(value.file_id);
        if (!meta || meta.uploaderId !== files.uploaderId) {
          violations.push({ field: path, description: 'no such file uploaded by you' });
          return value;
        }
        return { fileId: meta.fileId, name: meta.name, size: meta.size, contentType: meta.contentType };
      }
      case 'object':
        return isObject(value) && typeof value.wk_id === 'string' && typeof value.wk_api_name === 'string'
          ? { wkId: value.wk_id, wkApiName: value.wk_api_name }
          : value;
      case 'record':
        return Array.isArray(value)
          ? (value as unknown[]).map((row, i) =>
              isObject(row) ? convert(field.subFields ?? [], row, `${path}[${i}].`) : row,
            )
          : value;
      case 'text':
      case 'bool':
      case 'number':
      case 'enum':
      case 'date':
      case 'i18n':
      case 'list':
        return value;
    }
  };
  return { values: convert(form, values, prefix), violations };
}
