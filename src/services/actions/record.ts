import { isValidDate, type FieldValue } from '../../engine/form.js';
import type { Employee, EmploymentStatus } from '../../engine/directory.js';
import type { StoredProfile } from '../../store/employee.repository.js';
import {
  isProfileField,
  isSensitiveField,
  maskValue,
  openProfile,
  type EmployeeProfile,
  type ProfileField,
} from '../employee-profile.js';
import type {
  ActionContext,
  ActionPlan,
  AppliedAction,
  CompensationResult,
  PlanResult,
  RecordChange,
} from './types.js';

/**
 * What the employee-record actions share (docs/actions.md): reading the form, planning before → after,
 * writing the record in the job's transaction, and compensating only what nobody changed since.
 *
 * Sensitive values (bank account, ID number) never appear in plain text in a plan or an applied record
 * (both are stored with the job): their changes show masked values, and the sealed text travels in
 * `data.sealed` — the new value in a plan; before and after in an applied action.
 */

/** The employee fields an action may change: the directory's own and the profile. */
export type RecordField = 'department_id' | 'manager_id' | 'employment_status' | ProfileField;
export type RecordValues = Record<RecordField, string | null>;

interface SealedPair {
  before: string | null;
  after: string | null;
}
interface AppliedData {
  employeeId: string;
  sealed: Record<string, SealedPair>;
}

const problem = (text: string, field?: string): PlanResult =>
  field === undefined ? { ok: false, problem: text } : { ok: false, problem: text, field };

export type Picked<T> = { ok: true; value: T } | { ok: false; result: PlanResult };

/** A form value as one string, or undefined when empty or absent (a list of one counts as that one). */
function single(value: FieldValue | undefined): string | undefined | null {
  if (value === undefined || value === '') return undefined;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    return value.length === 1 && typeof value[0] === 'string' ? value[0] : null;
  }
  return typeof value === 'string' ? value : null;
}

/** Text of `field` (undefined when empty); a value of another shape is a problem naming the field. */
export function formText(ctx: ActionContext, field: string): Picked<string | undefined> {
  const value = single(ctx.process.formValues[field]);
  if (value === null) return { ok: false, result: problem(`${field} must be a single text value`, field) };
  return { ok: true, value };
}

/** The person the form names in `field`, or else the initiator; they must be in the directory. */
export function formEmployee(ctx: ActionContext, field = 'employee'): Picked<Employee> {
  const text = formText(ctx, field);
  if (!text.ok) return text;
  const id = text.value ?? ctx.process.initiatorId;
  const employee = ctx.directory.employees.get(id);
  if (!employee) return { ok: false, result: problem(`${field}: no such person in the directory`, field) };
  return { ok: true, value: employee };
}

/** A YYYY-MM-DD date from `field`. */
export function formDate(ctx: ActionContext, field: string, required: boolean): Picked<string | undefined> {
  const text = formText(ctx, field);
  if (!text.ok) return text;
  if (text.value === undefined)
    return required
      ? { ok: false, result: problem(`${field} is required`, field) }
      : { ok: true, value: undefined };
  if (!isValidDate(text.value))
    return { ok: false, result: problem(`${field} must be a date written YYYY-MM-DD`, field) };
  return { ok: true, value: text.value };
}

/** The employee's current record, sensitive values opened; and the sealed columns as stored. */
async function readRecord(
  ctx: ActionContext,
  employeeId: string,
): Promise<{ employee: Employee; values: RecordValues; stored: StoredProfile } | undefined> {
  const employee = await ctx.repos.employees.findBy(ctx.tenantId, 'id', employeeId);
  if (!employee) return undefined;
  const stored = (await ctx.repos.employees.findProfiles(ctx.tenantId, [employeeId])).get(employeeId);
  if (!stored) return undefined;
  const profile: EmployeeProfile = openProfile(ctx.secrets, stored);
  return {
    employee,
    stored,
    values: {
      ...profile,
      department_id: employee.departmentId,
      manager_id: employee.managerId,
      employment_status: employee.employmentStatus,
    },
  };
}

const shown = (field: string, value: string | null) => (isSensitiveField(field) ? maskValue(value) : value);

/**
 * The plan for setting `wanted` on the employee's record: one change per field whose value differs
 * (shown before → after, sensitive ones masked), the sealed new values in `data.sealed`.
 */
export async function planChanges(
  ctx: ActionContext,
  employeeId: string,
  wanted: Partial<RecordValues>,
  effectiveDate?: string,
): Promise<PlanResult> {
  const record = await readRecord(ctx, employeeId);
  if (!record) return problem('the employee is no longer in the directory', 'employee');
  const changes: RecordChange[] = [];
  const sealed: Record<string, string | null> = {};
  for (const [field, after] of Object.entries(wanted) as [RecordField, string | null][]) {
    const before = record.values[field];
    if (before === after) continue;
    if (isSensitiveField(field)) {
      changes.push({ field, before: maskValue(before), after: maskValue(after), sensitive: true });
      sealed[field] = after === null ? null : ctx.secrets.encrypt(after);
    } else changes.push({ field, before, after });
  }
  const plan: ActionPlan = {
    employeeId,
    changes,
    ...(effectiveDate !== undefined ? { effectiveDate } : {}),
    ...(Object.keys(sealed).length > 0 ? { data: { sealed } } : {}),
  };
  return { ok: true, plan };
}

/** Why the directory references in `values` cannot be written for `employee` now, if they cannot. */
async function referenceProblem(
  ctx: ActionContext,
  employee: Employee,
  values: Partial<RecordValues>,
): Promise<{ field: string; value: string | null } | undefined> {
  const departmentId = values.department_id;
  if (departmentId) {
    const [department] = await ctx.repos.departments.findManyByIds(ctx.tenantId, [departmentId]);
    if (!department) return { field: 'department_id', value: departmentId };
  }
  const managerId = values.manager_id;
  if (managerId) {
    const manager = await ctx.repos.employees.findBy(ctx.tenantId, 'id', managerId);
    const chain = manager ? await ctx.repos.employees.managerChain(ctx.tenantId, managerId) : [];
    // A missing manager, or one who is (or reports to) the employee: the manager chain would loop.
    if (!manager || managerId === employee.id || chain.some((e) => e.id === employee.id))
      return { field: 'manager_id', value: managerId };
  }
  return undefined;
}

/** Writes plain `values` (sensitive ones given sealed in `sealed`) and bumps the directory version. */
async function writeRecord(
  ctx: ActionContext,
  employee: Employee,
  values: Partial<RecordValues>,
  sealed: Record<string, string | null>,
): Promise<void> {
  const next: Employee = { ...employee, updatedAt: ctx.now };
  const profile: Partial<StoredProfile> = {};
  for (const [field, value] of Object.entries(values) as [RecordField, string | null][]) {
    if (field === 'department_id') next.departmentId = value;
    else if (field === 'manager_id') next.managerId = value;
    else if (field === 'employment_status') next.employmentStatus = (value ?? 'active') as EmploymentStatus;
    else if (isProfileField(field))
      profile[field] = isSensitiveField(field) ? (sealed[field] ?? null) : value;
  }
  await ctx.repos.employees.update(next);
  if (Object.keys(profile).length > 0)
    await ctx.repos.employees.updateProfile(ctx.tenantId, employee.id, profile, ctx.now);
  // Snapshots (approver resolution, pickers) reload on the next read.
  await ctx.repos.tenants.bumpDirectoryVersion(ctx.tenantId);
}

/** Thrown when a plan can no longer be applied (the job fails with this message). */
export class ActionNotApplicable extends Error {}

/**
 * Applies a plan made by `planChanges`: the before values are read now (the plan may be days old),
 * the directory references checked again, and every change written in the caller's transaction.
 */
export async function applyPlan(ctx: ActionContext, plan: ActionPlan): Promise<AppliedAction> {
  const employeeId = plan.employeeId;
  if (employeeId === undefined) throw new ActionNotApplicable('the plan names no employee');
  const record = await readRecord(ctx, employeeId);
  if (!record) throw new ActionNotApplicable(`employee ${employeeId} is no longer in the directory`);
  const planSealed = (plan.data?.sealed ?? {}) as Record<string, string | null>;
  const values: Partial<RecordValues> = {};
  const sealedAfter: Record<string, string | null> = {};
  const pairs: Record<string, SealedPair> = {};
  const changes: RecordChange[] = [];
  for (const change of plan.changes) {
    const field = change.field as RecordField;
    if (isSensitiveField(field)) {
      const after = planSealed[field] ?? null;
      const plain = after === null ? null : ctx.secrets.decrypt(after);
      values[field] = plain;
      sealedAfter[field] = after;
      pairs[field] = { before: record.stored[field as ProfileField], after };
      changes.push({
        field,
        before: maskValue(record.values[field]),
        after: maskValue(plain),
        sensitive: true,
      });
    } else {
      values[field] = change.after;
      changes.push({ field, before: record.values[field], after: change.after });
    }
  }
  const bad = await referenceProblem(ctx, record.employee, values);
  if (bad)
    throw new ActionNotApplicable(`${bad.field} ${bad.value ?? ''} can no longer be set on the employee`);
  await writeRecord(ctx, record.employee, values, sealedAfter);
  const data: AppliedData = { employeeId, sealed: pairs };
  return { changes, data: data as unknown as Record<string, unknown> };
}

/**
 * Restores the before values of `applied` when every field still holds what apply wrote. Otherwise
 * (a later change, or a reference that is gone) nothing is written and each such field is reported.
 */
export async function compensateApplied(
  ctx: ActionContext,
  applied: AppliedAction,
): Promise<CompensationResult> {
  const data = applied.data as unknown as AppliedData | undefined;
  if (applied.changes.length === 0) return { ok: true, restored: [] };
  if (!data?.employeeId)
    return { ok: false, conflicts: [{ field: 'employee', expected: null, found: null }] };
  const record = await readRecord(ctx, data.employeeId);
  if (!record)
    return { ok: false, conflicts: [{ field: 'employee', expected: data.employeeId, found: null }] };
  const conflicts: { field: string; expected: string | null; found: string | null }[] = [];
  const restore: Partial<RecordValues> = {};
  const sealedBefore: Record<string, string | null> = {};
  for (const change of applied.changes) {
    const field = change.field as RecordField;
    const found = record.values[field];
    if (isSensitiveField(field)) {
      const pair = data.sealed[field] ?? { before: null, after: null };
      const expected = pair.after === null ? null : ctx.secrets.decrypt(pair.after);
      if (found !== expected)
        conflicts.push({ field, expected: maskValue(expected), found: maskValue(found) });
      restore[field] = pair.before === null ? null : ctx.secrets.decrypt(pair.before);
      sealedBefore[field] = pair.before;
    } else {
      if (found !== change.after) conflicts.push({ field, expected: change.after, found });
      restore[field] = change.before;
    }
  }
  if (conflicts.length === 0) {
    const bad = await referenceProblem(ctx, record.employee, restore);
    // The old department or manager is gone (or would close a loop): restoring it is not possible.
    if (bad) conflicts.push({ field: bad.field, expected: bad.value, found: null });
  }
  if (conflicts.length > 0) return { ok: false, conflicts };
  await writeRecord(ctx, record.employee, restore, sealedBefore);
  return {
    ok: true,
    restored: applied.changes.map((c) => ({
      field: c.field,
      before: c.after,
      after: shown(c.field, restore[c.field as RecordField] ?? null),
      ...(c.sensitive ? { sensitive: true } : {}),
    })),
  };
}
