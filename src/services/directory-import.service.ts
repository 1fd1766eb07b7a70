import { parse } from 'csv-parse/sync';
import {
  EMPLOYMENT_STATUSES,
  type Department,
  type Employee,
  type EmploymentStatus,
} from '../engine/directory.js';
import { newOpenDepartmentId, newOpenId, newUnionId } from '../platform/id-generator.js';
import { inTransaction, repositories, type Repositories, type ServiceContext } from './context.js';
import { invalidField, ok, type Result } from './result.js';
import { loadTenant } from './tenant.service.js';

/**
 * CSV import of departments and employees (docs/console/directory.md lists the columns). A file is
 * checked as a whole against the directory as it would be after the import — rows may name
 * departments and managers defined earlier or later in the same file — and applied in one
 * transaction only when no row has a problem: an import is all or nothing.
 */

export const IMPORT_KINDS = ['departments', 'employees'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** The largest file (decoded bytes) and the most data rows one import takes. */
export const IMPORT_MAX_BYTES = 2 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 10_000;

export const IMPORT_COLUMNS: Record<ImportKind, { all: readonly string[]; required: readonly string[] }> = {
  departments: {
    all: ['department_id', 'name_zh', 'name_en', 'parent_department_id', 'leader_user_id'],
    required: ['department_id', 'name_zh'],
  },
  employees: {
    all: ['user_id', 'name_zh', 'name_en', 'email', 'department_id', 'manager_user_id', 'employment_status'],
    required: ['user_id', 'name_zh', 'email'],
  },
};

/**
 * One thing wrong with the file: `line` is the file's line (the header is line 1); `column` a header
 * name; `code` and `params` let a client word it in its own language; `message` is the English.
 */
export interface ImportProblem {
  line: number;
  column: string | null;
  code: ImportProblemCode;
  params: ImportProblemParams;
  message: string;
}

export interface ImportProblemParams {
  /** The offending value (clipped to 40 characters). */
  value?: string;
  /** Another line it clashes with. */
  other_line?: number;
  /** The user_id holding an email already. */
  user_id?: string;
  /** The ids around a cycle, first one repeated at the end. */
  cycle?: string[];
  values?: number;
  columns?: number;
  /** What is allowed (columns, statuses). */
  allowed?: string[];
  /** The parser's own words, for broken CSV. */
  detail?: string;
}

const IMPORT_MESSAGES = {
  csv_invalid: (p) => `not valid CSV: ${p.detail ?? ''}`,
  no_header: () => 'the file has no header row',
  unknown_column: (p) => `unknown column "${p.value ?? ''}"; the columns are ${(p.allowed ?? []).join(', ')}`,
  duplicate_column: () => 'column listed twice',
  missing_column: (p) => `the column "${p.value ?? ''}" is required`,
  value_count: (p) => `has ${p.values ?? 0} values; the header has ${p.columns ?? 0} columns`,
  required: () => 'is required',
  bad_id: (p) => `"${p.value ?? ''}" is not an id (1–64 letters, digits, _ . @ -)`,
  too_long: () => `is longer than ${MAX_NAME} characters`,
  control_character: () => 'holds a control character',
  bad_email: (p) => `"${p.value ?? ''}" is not an email address`,
  bad_status: (p) => `"${p.value ?? ''}" is not one of ${(p.allowed ?? []).join(', ')}`,
  duplicate_id: (p) => `${p.value ?? ''} is also on line ${p.other_line ?? 0}`,
  duplicate_email: (p) => `${p.value ?? ''} is also on line ${p.other_line ?? 0}`,
  email_taken: (p) => `${p.value ?? ''} is already the email of ${p.user_id ?? ''}`,
  own_parent: () => 'a department cannot be its own parent',
  own_manager: () => 'an employee cannot be their own manager',
  unknown_department: (p) => `unknown department ${p.value ?? ''} (import departments first)`,
  unknown_parent: (p) => `unknown department ${p.value ?? ''} (neither in this file nor in the directory)`,
  unknown_leader: (p) => `unknown employee ${p.value ?? ''} (import employees first, then leaders)`,
  unknown_manager: (p) => `unknown employee ${p.value ?? ''} (neither in this file nor in the directory)`,
  department_cycle: (p) => `would make a department cycle: ${(p.cycle ?? []).join(' → ')}`,
  manager_cycle: (p) => `would make a manager cycle: ${(p.cycle ?? []).join(' → ')}`,
} satisfies Record<string, (p: ImportProblemParams) => string>;

export type ImportProblemCode = keyof typeof IMPORT_MESSAGES;

function problemAt(
  line: number,
  column: string | null,
  code: ImportProblemCode,
  params: ImportProblemParams = {},
): ImportProblem {
  return { line, column, code, params, message: IMPORT_MESSAGES[code](params) };
}

export interface ImportReport {
  kind: ImportKind;
  dryRun: boolean;
  /** True only when the rows were written (not a dry run, no problems). */
  applied: boolean;
  rows: number;
  creates: number;
  updates: number;
  unchanged: number;
  problems: ImportProblem[];
}

// The same shapes the admin API's schemas enforce (src/api/admin/schemas.ts), so an imported row is
// one the API would have taken.
const EXTERNAL_ID = /^[A-Za-z0-9_.@-]{1,64}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_NAME = 100;
const MAX_EMAIL = 254;
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;

interface CsvRow {
  line: number;
  values: Map<string, string>;
}

/** A parsed file: its header and rows, or the problems that stop reading it. */
interface ParsedFile {
  header: string[];
  rows: CsvRow[];
  problems: ImportProblem[];
}

export class DirectoryImportService {
  constructor(private readonly ctx: ServiceContext) {}

  /**
   * Checks (dry run) or applies an import. File-level refusals (not base64, too large, not UTF-8,
   * too many rows) are `invalid_field` on `content_base64`; row problems come back in the report,
   * and then nothing is written.
   */
  async run(
    tenantKey: string,
    kind: ImportKind,
    contentBase64: string,
    dryRun: boolean,
  ): Promise<Result<ImportReport>> {
    const decoded = decodeContent(contentBase64);
    if (!decoded.ok) return decoded;
    const parsed = parseCsv(decoded.value, kind);
    if (parsed.rows.length > IMPORT_MAX_ROWS)
      return invalidField(
        'content_base64',
        `the file has ${parsed.rows.length} rows; one import takes at most ${IMPORT_MAX_ROWS} (split the file)`,
      );
    const report = (plan: Plan, applied: boolean): ImportReport => ({
      kind,
      dryRun,
      applied,
      rows: parsed.rows.length,
      creates: plan.creates,
      updates: plan.updates,
      unchanged: plan.unchanged,
      problems: [...parsed.problems, ...plan.problems].sort((a, b) => a.line - b.line),
    });
    const planFor = (repos: Repositories, tenantId: string) =>
      kind === 'departments'
        ? planDepartments(repos, tenantId, parsed)
        : planEmployees(repos, tenantId, parsed);

    if (dryRun) {
      const repos = repositories(this.ctx.db);
      const tenant = await loadTenant(repos, tenantKey);
      if (!tenant.ok) return tenant;
      return ok(report(await planFor(repos, tenant.value.id), false));
    }
    // Checked again inside the transaction that writes, against the directory as it is now.
    return inTransaction(this.ctx.db, async (repos) => {
      const tenant = await loadTenant(repos, tenantKey);
      if (!tenant.ok) return tenant;
      const plan = await planFor(repos, tenant.value.id);
      const problems = parsed.problems.length + plan.problems.length;
      if (problems > 0 || plan.creates + plan.updates === 0) return ok(report(plan, false));
      await plan.apply(this.ctx, tenant.value.id);
      await repos.tenants.bumpDirectoryVersion(tenant.value.id);
      return ok(report(plan, true));
    });
  }
}

// --- reading the file -------------------------------------------------------------------------

function decodeContent(contentBase64: string): Result<string> {
  const compact = contentBase64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0)
    return invalidField('content_base64', 'is not base64 (send the file bytes base64-encoded)');
  if ((compact.length / 4) * 3 > IMPORT_MAX_BYTES + 2)
    return invalidField(
      'content_base64',
      `the file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MiB; split it into several imports`,
    );
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length > IMPORT_MAX_BYTES)
    return invalidField(
      'content_base64',
      `the file is larger than ${IMPORT_MAX_BYTES / 1024 / 1024} MiB; split it into several imports`,
    );
  if (bytes.length === 0) return invalidField('content_base64', 'the file is empty');
  const bad = firstInvalidUtf8(bytes);
  if (bad !== undefined) {
    const line = 1 + bytes.subarray(0, bad).filter((b) => b === 0x0a).length;
    const byte = bytes[bad]?.toString(16).toUpperCase().padStart(2, '0');
    return invalidField(
      'content_base64',
      `the file is not UTF-8 text: byte 0x${byte} on line ${line} is not valid UTF-8 (GBK, GB2312 and ` +
        `other legacy encodings are not accepted); save the file as "CSV UTF-8" and import it again`,
    );
  }
  // The decoder drops a leading byte-order mark, which spreadsheet programs like to write.
  const text = new TextDecoder('utf-8').decode(bytes);
  const nul = text.indexOf('\u0000');
  if (nul >= 0)
    return invalidField(
      'content_base64',
      `the file holds a NUL character (line ${1 + (text.slice(0, nul).match(/\n/g)?.length ?? 0)}): not a text file`,
    );
  return ok(text);
}

/** The offset of the first byte that breaks UTF-8 (overlong forms and surrogates included), if any. */
export function firstInvalidUtf8(bytes: Uint8Array): number | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i += 1;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0xff >> (need + 2));
    for (let k = 1; k <= need; k += 1) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return undefined;
}

function parseCsv(text: string, kind: ImportKind): ParsedFile {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    return {
      header: [],
      rows: [],
      problems: [
        problemAt(typeof line === 'number' ? line : 1, null, 'csv_invalid', {
          detail: (error as Error).message.replace(/^Invalid [^:]*:\s*/, ''),
        }),
      ],
    };
  }
  const [first, ...data] = records;
  if (!first)
    return {
      header: [],
      rows: [],
      problems: [problemAt(1, null, 'no_header')],
    };
  const header = first.record.map((h) => h.trim().toLowerCase());
  const columns = IMPORT_COLUMNS[kind];
  const problems: ImportProblem[] = [];
  const seen = new Set<string>();
  for (const name of header) {
    if (!columns.all.includes(name))
      problems.push(problemAt(1, name, 'unknown_column', { value: clip(name), allowed: [...columns.all] }));
    else if (seen.has(name)) problems.push(problemAt(1, name, 'duplicate_column'));
    seen.add(name);
  }
  for (const name of columns.required)
    if (!seen.has(name)) problems.push(problemAt(1, name, 'missing_column', { value: name }));
  const rows: CsvRow[] = [];
  for (const { record, info } of data) {
    if (record.length !== header.length) {
      problems.push(
        problemAt(info.lines, null, 'value_count', { values: record.length, columns: header.length }),
      );
    }
    const values = new Map<string, string>();
    header.forEach((name, i) => values.set(name, record[i] ?? ''));
    rows.push({ line: info.lines, values });
  }
  return { header, rows, problems };
}

// --- checking rows -----------------------------------------------------------------------------

interface Plan {
  creates: number;
  updates: number;
  unchanged: number;
  problems: ImportProblem[];
  apply(ctx: ServiceContext, tenantId: string): Promise<void>;
}

/** Reads one row's cells; each check records its problem against the row's line and column. */
class RowReader {
  constructor(
    readonly row: CsvRow,
    private readonly header: ReadonlySet<string>,
    private readonly problems: ImportProblem[],
  ) {}

  has(column: string): boolean {
    return this.header.has(column);
  }

  problem(column: string | null, code: ImportProblemCode, params: ImportProblemParams = {}): void {
    this.problems.push(problemAt(this.row.line, column, code, params));
  }

  /** The cell, '' when empty or the column is absent. */
  raw(column: string): string {
    return this.row.values.get(column) ?? '';
  }

  id(column: string, required: boolean): string | null {
    const value = this.raw(column);
    if (value === '') {
      if (required && this.has(column)) this.problem(column, 'required');
      return null;
    }
    if (!EXTERNAL_ID.test(value)) {
      this.problem(column, 'bad_id', { value: clip(value) });
      return null;
    }
    return value;
  }

  /** An optional id pointing elsewhere: undefined when the column is absent, null when empty or bad. */
  reference(column: string): string | null | undefined {
    return this.has(column) ? this.id(column, false) : undefined;
  }

  name(column: string, required: boolean): string | null {
    const value = this.raw(column);
    if (value === '') {
      if (required && this.has(column)) this.problem(column, 'required');
      return null;
    }
    if (value.length > MAX_NAME) this.problem(column, 'too_long');
    else if (CONTROL.test(value)) this.problem(column, 'control_character');
    else return value;
    return null;
  }
}

const clip = (value: string) => (value.length > 40 ? `${value.slice(0, 40)}…` : value);

/**
 * Departments and employees are both trees of ids with one column pointing up (the parent
 * department, the manager), and their files are checked alike: which columns and problem codes
 * belong to which kind is this table.
 */
const TREES = {
  departments: {
    idColumn: 'department_id',
    parentColumn: 'parent_department_id',
    ownParent: 'own_parent',
    unknownParent: 'unknown_parent',
    cycle: 'department_cycle',
  },
  employees: {
    idColumn: 'user_id',
    parentColumn: 'manager_user_id',
    ownParent: 'own_manager',
    unknownParent: 'unknown_manager',
    cycle: 'manager_cycle',
  },
} as const satisfies Record<
  ImportKind,
  {
    idColumn: string;
    parentColumn: string;
    ownParent: ImportProblemCode;
    unknownParent: ImportProblemCode;
    cycle: ImportProblemCode;
  }
>;

/** A row with a good, unique id; `parent` is undefined when the file has no parent column. */
interface TreeRow {
  line: number;
  id: string;
  parent: string | null | undefined;
}

/**
 * Reads every row: the id (required, once per file) and, through `readFields`, the rest in column
 * order. Rows without a usable id are left out of the plan (their problems are reported).
 */
function treeRows<Fields extends { parent: string | null | undefined }>(
  kind: ImportKind,
  parsed: ParsedFile,
  problems: ImportProblem[],
  readFields: (reader: RowReader) => Fields,
): (Fields & TreeRow)[] {
  const { idColumn, parentColumn, ownParent } = TREES[kind];
  const header = new Set(parsed.header);
  const rows: (Fields & TreeRow)[] = [];
  const firstLine = new Map<string, number>();
  for (const row of parsed.rows) {
    const r = new RowReader(row, header, problems);
    const id = r.id(idColumn, true);
    const fields = readFields(r);
    if (id === null) continue;
    const earlier = firstLine.get(id);
    if (earlier !== undefined) {
      r.problem(idColumn, 'duplicate_id', { value: id, other_line: earlier });
      continue;
    }
    firstLine.set(id, row.line);
    if (fields.parent === id) r.problem(parentColumn, ownParent);
    rows.push({ ...fields, line: row.line, id });
  }
  return rows;
}

/**
 * The tree as it would be after the import: a row's parent may be in the file (before or after it)
 * or in the directory (`directoryParent`: each id there and its parent). Unknown parents and cycles
 * are recorded against the row's line; the answer walks up that tree (an unknown parent reads as none).
 */
function treeAfterImport(
  kind: ImportKind,
  rows: readonly TreeRow[],
  directoryParent: ReadonlyMap<string, string | null>,
  problems: ImportProblem[],
): (id: string) => string | null {
  const { parentColumn, unknownParent, cycle: cycleCode } = TREES[kind];
  const inFile = new Map(rows.map((row) => [row.id, row]));
  const known = (id: string) => inFile.has(id) || directoryParent.has(id);
  for (const row of rows) {
    if (row.parent && !known(row.parent))
      problems.push(problemAt(row.line, parentColumn, unknownParent, { value: row.parent }));
  }
  const parentOf = (id: string): string | null => {
    const row = inFile.get(id);
    if (row && row.parent !== undefined) return row.parent !== null && !known(row.parent) ? null : row.parent;
    return directoryParent.get(id) ?? null;
  };
  for (const row of rows) {
    if (row.parent === row.id) continue;
    const cycle = cycleThrough(row.id, parentOf);
    if (cycle) problems.push(problemAt(row.line, parentColumn, cycleCode, { cycle }));
  }
  return parentOf;
}

/** Sorts rows into creates, updates and unchanged; the writes keep each row with what it changes. */
function tally<Row extends TreeRow, Current>(
  rows: readonly Row[],
  currentOf: (id: string) => Current | undefined,
  isUnchanged: (row: Row, current: Current) => boolean,
) {
  let creates = 0;
  let updates = 0;
  let unchanged = 0;
  const writes = new Map<string, { row: Row; current: Current | undefined }>();
  for (const row of rows) {
    const current = currentOf(row.id);
    if (current !== undefined && isUnchanged(row, current)) {
      unchanged += 1;
      continue;
    }
    if (current === undefined) creates += 1;
    else updates += 1;
    writes.set(row.id, { row, current });
  }
  return { creates, updates, unchanged, writes };
}

/** Follows `parentOf` from `start`; the ids of the loop when it comes back to `start`. */
function cycleThrough(start: string, parentOf: (id: string) => string | null): string[] | undefined {
  const path = [start];
  const seen = new Set(path);
  let current = parentOf(start);
  while (current !== null) {
    if (current === start) return [...path, start];
    if (seen.has(current)) return undefined; // a loop further up, reported from its own rows
    seen.add(current);
    path.push(current);
    current = parentOf(current);
  }
  return undefined;
}

/** Orders ids so that each comes after its parent (when the parent is in the list too). */
function parentsFirst(ids: string[], parentOf: (id: string) => string | null): string[] {
  const wanted = new Set(ids);
  const done = new Set<string>();
  const order: string[] = [];
  const visit = (id: string) => {
    const stack: string[] = [];
    let current: string | null = id;
    while (current !== null && wanted.has(current) && !done.has(current) && !stack.includes(current)) {
      stack.push(current);
      current = parentOf(current);
    }
    for (const item of stack.reverse()) {
      done.add(item);
      order.push(item);
    }
  };
  ids.forEach(visit);
  return order;
}

/** Each id in the directory (`key`) with its parent's (null at the top); `id`s are internal. */
function parentsInDirectory(
  items: readonly { id: string; key: string; parentId: string | null }[],
): Map<string, string | null> {
  const keyOf = new Map(items.map((item) => [item.id, item.key]));
  return new Map(
    items.map((item) => [item.key, item.parentId === null ? null : (keyOf.get(item.parentId) ?? null)]),
  );
}

async function planDepartments(repos: Repositories, tenantId: string, parsed: ParsedFile): Promise<Plan> {
  const problems: ImportProblem[] = [];
  const [existing, employees] = await Promise.all([
    repos.departments.listAll(tenantId),
    repos.employees.listAll(tenantId),
  ]);
  const byDepartmentId = new Map(existing.map((d) => [d.departmentId, d]));
  const employeeByUserId = new Map(employees.map((e) => [e.userId, e]));
  const directoryParent = parentsInDirectory(
    existing.map((d) => ({ id: d.id, key: d.departmentId, parentId: d.parentId })),
  );

  const rows = treeRows('departments', parsed, problems, (r) => ({
    nameZh: r.name('name_zh', true) ?? undefined,
    nameEn: r.name('name_en', false) ?? undefined,
    parent: r.reference('parent_department_id'),
    leader: r.reference('leader_user_id'),
  }));
  for (const row of rows) {
    if (row.leader && !employeeByUserId.has(row.leader))
      problems.push(problemAt(row.line, 'leader_user_id', 'unknown_leader', { value: row.leader }));
  }
  const parentOf = treeAfterImport('departments', rows, directoryParent, problems);

  type Row = (typeof rows)[number];
  const finalOf = (row: Row, current: Department | undefined) => {
    const nameZh = row.nameZh ?? current?.name.zh_cn ?? row.id;
    return {
      name: { zh_cn: nameZh, en_us: row.nameEn ?? row.nameZh ?? current?.name.en_us ?? nameZh },
      parent: parentOf(row.id),
      leaderId:
        row.leader === undefined
          ? (current?.leaderId ?? null)
          : row.leader === null
            ? null
            : (employeeByUserId.get(row.leader)?.id ?? null),
    };
  };
  const { writes, ...counts } = tally(
    rows,
    (id) => byDepartmentId.get(id),
    (row, current) => {
      const next = finalOf(row, current);
      return (
        next.name.zh_cn === current.name.zh_cn &&
        next.name.en_us === current.name.en_us &&
        next.parent === (directoryParent.get(current.departmentId) ?? null) &&
        next.leaderId === current.leaderId
      );
    },
  );

  return {
    ...counts,
    problems,
    async apply(ctx) {
      const internalId = new Map(existing.map((d) => [d.departmentId, d.id]));
      const now = ctx.clock.now();
      for (const departmentId of parentsFirst([...writes.keys()], parentOf)) {
        const { row, current } = writes.get(departmentId) ?? {};
        if (!row) continue;
        const next = finalOf(row, current);
        const parentId = next.parent === null ? null : (internalId.get(next.parent) ?? null);
        if (current) {
          await repos.departments.update({
            ...current,
            name: next.name,
            parentId,
            leaderId: next.leaderId,
            updatedAt: now,
          });
        } else {
          const id = ctx.ids.next();
          internalId.set(departmentId, id);
          await repos.departments.insert({
            id,
            tenantId,
            departmentId,
            openDepartmentId: newOpenDepartmentId(),
            name: next.name,
            parentId,
            leaderId: next.leaderId,
            createdAt: now,
            updatedAt: now,
          });
        }
      }
    },
  };
}

async function planEmployees(repos: Repositories, tenantId: string, parsed: ParsedFile): Promise<Plan> {
  const problems: ImportProblem[] = [];
  const [existing, departments] = await Promise.all([
    repos.employees.listAll(tenantId),
    repos.departments.listAll(tenantId),
  ]);
  const byUserId = new Map(existing.map((e) => [e.userId, e]));
  const byEmail = new Map(existing.map((e) => [e.email, e]));
  const departmentByExternal = new Map(departments.map((d) => [d.departmentId, d]));
  const directoryManager = parentsInDirectory(
    existing.map((e) => ({ id: e.id, key: e.userId, parentId: e.managerId })),
  );

  const rows = treeRows('employees', parsed, problems, (r) => {
    const nameZh = r.name('name_zh', true) ?? undefined;
    const nameEn = r.name('name_en', false) ?? undefined;
    let email: string | undefined;
    const rawEmail = r.raw('email');
    if (r.has('email')) {
      if (rawEmail === '') r.problem('email', 'required');
      else if (rawEmail.length > MAX_EMAIL || !EMAIL.test(rawEmail) || CONTROL.test(rawEmail))
        r.problem('email', 'bad_email', { value: clip(rawEmail) });
      else email = rawEmail.toLowerCase();
    }
    const department = r.reference('department_id');
    if (department && !departmentByExternal.has(department))
      r.problem('department_id', 'unknown_department', { value: department });
    const parent = r.reference('manager_user_id');
    let status: EmploymentStatus | undefined;
    const rawStatus = r.raw('employment_status');
    if (rawStatus !== '') {
      if ((EMPLOYMENT_STATUSES as readonly string[]).includes(rawStatus))
        status = rawStatus as EmploymentStatus;
      else
        r.problem('employment_status', 'bad_status', {
          value: clip(rawStatus),
          allowed: [...EMPLOYMENT_STATUSES],
        });
    }
    return { nameZh, nameEn, email, department, parent, status };
  });
  const inFile = new Map(rows.map((row) => [row.id, row]));
  // Managers may be people this file creates, on earlier or later lines.
  const managerOf = treeAfterImport('employees', rows, directoryManager, problems);

  // Emails as they would be after the import: one person each.
  const emailLine = new Map<string, number>();
  for (const row of rows) {
    if (row.email === undefined) continue;
    const earlier = emailLine.get(row.email);
    if (earlier !== undefined) {
      problems.push(
        problemAt(row.line, 'email', 'duplicate_email', { value: row.email, other_line: earlier }),
      );
      continue;
    }
    emailLine.set(row.email, row.line);
    const owner = byEmail.get(row.email);
    // Taken unless its owner is this row's person, or a person this file gives another email.
    if (owner && owner.userId !== row.id) {
      const ownerRow = inFile.get(owner.userId);
      if (!ownerRow || ownerRow.email === undefined || ownerRow.email === owner.email)
        problems.push(
          problemAt(row.line, 'email', 'email_taken', { value: row.email, user_id: owner.userId }),
        );
    }
  }

  type Row = (typeof rows)[number];
  const finalOf = (row: Row, current: Employee | undefined) => {
    const nameZh = row.nameZh ?? current?.name.zh_cn ?? row.id;
    const department =
      row.department === undefined
        ? (current?.departmentId ?? null)
        : row.department === null
          ? null
          : (departmentByExternal.get(row.department)?.id ?? null);
    return {
      name: {
        zh_cn: nameZh,
        en_us: row.nameEn ?? (row.nameZh !== undefined ? nameZh : (current?.name.en_us ?? nameZh)),
      },
      email: row.email ?? current?.email ?? '',
      departmentId: department,
      managerUserId: managerOf(row.id),
      employmentStatus: row.status ?? current?.employmentStatus ?? 'active',
    };
  };
  const { writes, ...counts } = tally(
    rows,
    (userId) => byUserId.get(userId),
    (row, current) => {
      const next = finalOf(row, current);
      return (
        next.name.zh_cn === current.name.zh_cn &&
        next.name.en_us === current.name.en_us &&
        next.email === current.email &&
        next.departmentId === current.departmentId &&
        next.managerUserId === (directoryManager.get(current.userId) ?? null) &&
        next.employmentStatus === current.employmentStatus
      );
    },
  );

  return {
    ...counts,
    problems,
    async apply(ctx) {
      const internalId = new Map(existing.map((e) => [e.userId, e.id]));
      const now = ctx.clock.now();
      const appIds = await repos.apps.listIds(tenantId);
      // An email moving from one person to another: free the old holders' emails first, so the
      // unique index never sees two people with one email mid-way.
      for (const { row, current } of writes.values()) {
        if (current && row.email !== undefined && row.email !== current.email)
          await repos.employees.update({ ...current, email: `moving-${current.id}@import.invalid` });
      }
      const openIds: { appId: string; employeeId: string; openId: string }[] = [];
      for (const userId of parentsFirst([...writes.keys()], managerOf)) {
        const { row, current } = writes.get(userId) ?? {};
        if (!row) continue;
        const next = finalOf(row, current);
        const manager = next.managerUserId;
        const managerId = manager === null ? null : (internalId.get(manager) ?? null);
        const employee: Employee = {
          id: current?.id ?? ctx.ids.next(),
          tenantId,
          userId,
          unionId: current?.unionId ?? newUnionId(),
          name: next.name,
          email: next.email,
          departmentId: next.departmentId,
          managerId,
          employmentStatus: next.employmentStatus,
          createdAt: current?.createdAt ?? now,
          updatedAt: now,
        };
        internalId.set(userId, employee.id);
        if (current) await repos.employees.update(employee);
        else {
          await repos.employees.insert(employee);
          // Every app of the tenant knows the new person under an open_id of its own.
          for (const appId of appIds) openIds.push({ appId, employeeId: employee.id, openId: newOpenId() });
        }
      }
      await repos.apps.insertOpenIds(openIds);
    },
  };
}
