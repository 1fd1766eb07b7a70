import type { DirectorySnapshot } from '../engine/approver-resolution.js';
import type { FormField } from '../engine/form.js';
import type { FileLookup, StoredFileMeta } from './ports.js';
import type { FieldViolation } from './result.js';

/**
 * Form values as people send them (docs/people-api.md, contract `FormValue`) → the engine's values:
 * people as user_id, departments as department_id, date_time as an ISO 8601 string, files as
 * `{file_id}` of an upload of the person's own, objects as `{wk_id, wk_api_name}`. What cannot be
 * converted is named in `violations` (`<prefix><field>`); everything else is left for the engine
 * to validate (types, required fields, enum options …).
 */
export async function peopleToEngineValues(
  form: readonly FormField[],
  values: Record<string, unknown>,
  context: {
    directory: DirectorySnapshot;
    files: FileLookup | undefined;
    tenantId: string;
    /** Files may only be attached by the person who uploaded them. */
    uploaderId: string;
  },
  prefix = 'form_values.',
): Promise<{ values: Record<string, unknown>; violations: FieldViolation[] }> {
  const userIndex = new Map([...context.directory.employees.values()].map((e) => [e.userId, e.id]));
  const departmentIndex = new Map(
    [...context.directory.departments.values()].map((d) => [d.departmentId, d.id]),
  );
  const violations: FieldViolation[] = [];
  const wantedFiles = new Set<string>();
  collectFileIds(form, values, wantedFiles);
  const files =
    wantedFiles.size > 0 && context.files
      ? await context.files.describe(context.tenantId, [...wantedFiles])
      : new Map<string, StoredFileMeta>();

  const convert = (
    fields: readonly FormField[],
    input: Record<string, unknown>,
    at: string,
  ): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(input)) {
      const field = fields.find((f) => f.apiName === name);
      const path = `${at}${name}`;
      const bad = (description: string) => {
        violations.push({ field: path, description });
        return value;
      };
      if (!field || value === null || value === undefined) {
        out[name] = value;
        continue;
      }
      switch (field.type) {
        case 'user':
        case 'employment':
          out[name] = typeof value === 'string' ? (userIndex.get(value) ?? bad('unknown user')) : value;
          break;
        case 'department':
          out[name] =
            typeof value === 'string' ? (departmentIndex.get(value) ?? bad('unknown department')) : value;
          break;
        case 'date_time': {
          const ms = typeof value === 'string' && isDateTime(value) ? Date.parse(value) : NaN;
          out[name] = Number.isFinite(ms)
            ? String(ms)
            : bad('must be an ISO 8601 date and time, e.g. 2026-03-01T09:00:00Z');
          break;
        }
        case 'file': {
          const fileId = isObject(value) ? value.file_id : undefined;
          if (typeof fileId !== 'string') {
            out[name] = bad('must be {file_id} of an uploaded file');
            break;
          }
          if (!context.files) {
            out[name] = bad('file uploads are not available on this server');
            break;
          }
          const meta = files.get(fileId);
          if (!meta || meta.uploaderId !== context.uploaderId) {
            out[name] = bad('unknown file: upload it first (POST /api/v1/files)');
            break;
          }
          out[name] = { fileId: meta.fileId, name: meta.name, size: meta.size };
          break;
        }
        case 'object':
          out[name] =
            isObject(value) && typeof value.wk_id === 'string' && typeof value.wk_api_name === 'string'
              ? { wkId: value.wk_id, wkApiName: value.wk_api_name }
              : bad('must be {wk_id, wk_api_name}');
          break;
        case 'record':
          out[name] = Array.isArray(value)
            ? (value as unknown[]).map((row, i) =>
                isObject(row) ? convert(field.subFields ?? [], row, `${path}[${i}].`) : row,
              )
            : value;
          break;
        case 'text':
        case 'bool':
        case 'number':
        case 'enum':
        case 'date':
        case 'i18n':
        case 'list':
          out[name] = value;
          break;
      }
    }
    return out;
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

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function collectFileIds(fields: readonly FormField[], values: Record<string, unknown>, out: Set<string>) {
  for (const field of fields) {
    const value = values[field.apiName];
    if (field.type === 'file' && isObject(value) && typeof value.file_id === 'string') out.add(value.file_id);
    if (field.type === 'record' && Array.isArray(value))
      for (const row of value.slice(0, 500))
        if (isObject(row)) collectFileIds(field.subFields ?? [], row, out);
  }
}
