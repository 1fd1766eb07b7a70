import type { Employee, I18nText } from '../engine/directory.js';
import type { FlowDefinition } from '../engine/definition.js';
import type { AuditEntry, ProcessState } from '../engine/process.js';
import type { Page, PageRequest } from '../store/executor.js';
import type { LeaveEntry, LeaveType } from '../store/leave.repository.js';

export type { LeaveEntry, LeaveType };
import type { LeaveEntryKind, LeaveOverBalance } from '../store/schema.js';
import { inTransaction, repositories, type Repositories, type ServiceContext } from './context.js';
import {
  centidaysOfNumber,
  CENTIDAYS_PER_DAY,
  daysText,
  LEAVE_BIZ_TYPE,
  MAX_ENTRY_DAYS,
  readLeaveRequest,
} from './leave-request.js';
import {
  fail,
  invalidField,
  invalidFields,
  notFound,
  ok,
  type FieldViolation,
  type Result,
} from './result.js';
import { loadTenant } from './tenant.service.js';

/** A tenant keeps at most this many leave types (the lists are not paged). */
export const MAX_LEAVE_TYPES = 50;
/** One bulk grant or accrual names at most this many people (one transaction). */
export const MAX_BULK_EMPLOYEES = 500;
/** Entries an admin writes; debits and credits are the business action's alone. */
export const ADMIN_ENTRY_KINDS = [
  'grant',
  'accrual',
  'adjustment',
] as const satisfies readonly LeaveEntryKind[];
export type AdminEntryKind = (typeof ADMIN_ENTRY_KINDS)[number];

export interface LeaveTypeInput {
  key: string;
  name: I18nText;
  over_balance?: LeaveOverBalance | undefined;
  active?: boolean | undefined;
}
export type LeaveTypePatch = Partial<Omit<LeaveTypeInput, 'key'>>;

/** One person's standing in one leave type, in hundredths of a day. */
export interface LeaveBalance {
  type: LeaveType;
  balance: number;
  /** Days of their requests not yet debited (in progress, or approved with the debit still to run). */
  pending: number;
  available: number;
}

export interface EmployeeBalances {
  employee: Employee;
  balances: LeaveBalance[];
}

export interface EntryInput {
  leave_type: string;
  kind: AdminEntryKind;
  /** Days (at most two decimal places); grant and accrual positive, adjustment either sign but not 0. */
  amount: number;
  reason: string;
  user_ids: string[];
  /** The client's key for this batch: sending it again writes nothing new. */
  request_key?: string | undefined;
}

export interface EntriesWritten {
  entries: (LeaveEntry & { employee: Employee })[];
  /** How many were new (a repeated request_key writes none). */
  created: number;
}

/** What a leave request over its balance left in the audit, for a 'warn' type. */
export interface LeaveWarning {
  leave_type: string;
  days: string;
  available: string;
}

/**
 * Pending days per person and type from their open leave requests (centidays). Requests whose days
 * cannot be read count nothing: they could not have started against a tracked type.
 */
function pendingOf(open: { initiatorId: string; formValues: Record<string, unknown> }[]) {
  const pending = new Map<string, Map<string, number>>();
  for (const request of open) {
    const reading = readLeaveRequest(request.formValues);
    if (reading.kind !== 'request') continue;
    let perType = pending.get(request.initiatorId);
    if (!perType) pending.set(request.initiatorId, (perType = new Map<string, number>()));
    perType.set(reading.typeKey, (perType.get(reading.typeKey) ?? 0) + reading.centidays);
  }
  return pending;
}

/** Balances of these people in these types: the ledger's sums less what their open requests hold. */
async function balancesOf(
  repos: Repositories,
  tenantId: string,
  employeeIds: string[],
  types: LeaveType[],
): Promise<Map<string, LeaveBalance[]>> {
  const sums = await repos.leave.balances(
    tenantId,
    employeeIds,
    types.length === 1 ? types[0]?.key : undefined,
  );
  const pending = pendingOf(await repos.leave.openRequests(tenantId, employeeIds));
  return new Map(
    employeeIds.map((id) => [
      id,
      types.map((type) => {
        const balance = sums.get(id)?.get(type.key) ?? 0;
        const held = pending.get(id)?.get(type.key) ?? 0;
        return { type, balance, pending: held, available: balance - held };
      }),
    ]),
  );
}

/**
 * The rule at start (docs/leave.md "At start"): a leave request of an active leave type may not ask for
 * more than is available (balance − pending). Over it, a 'refuse' type refuses with `form_invalid`
 * naming the days field and the amount available; a 'warn' type lets it start and returns the warning
 * for the audit trail. Other business types, forms without a leave type, and types the tenant does not
 * track (unknown or inactive) pass unchecked. Runs in the start's transaction, before the insert.
 */
export async function checkLeaveBalance(
  repos: Repositories,
  tenantId: string,
  definition: FlowDefinition,
  formValues: Record<string, unknown>,
  initiatorId: string,
): Promise<Result<{ warning?: LeaveWarning }>> {
  if (definition.bizType !== LEAVE_BIZ_TYPE) return ok({});
  const reading = readLeaveRequest(formValues);
  if (reading.kind === 'no_type') return ok({});
  const type = await repos.leave.type(tenantId, reading.typeKey);
  if (!type?.active) return ok({});
  if (reading.kind === 'problem')
    return fail('form_invalid', `${reading.field}: ${reading.description}`, [
      { field: reading.field, description: reading.description },
    ]);
  const [standing] = (await balancesOf(repos, tenantId, [initiatorId], [type])).get(initiatorId) ?? [];
  const available = standing?.available ?? 0;
  if (reading.centidays <= available) return ok({});
  const asked = daysText(reading.centidays);
  const left = daysText(available);
  if (type.overBalance === 'warn')
    return ok({ warning: { leave_type: type.key, days: asked, available: left } });
  const description = `${asked} days asked; only ${left} days of ${type.name.en_us} (${type.key}) available`;
  return fail('form_invalid', `${reading.daysField}: ${description}`, [
    { field: reading.daysField, description },
  ]);
}

/** The audit line a 'warn' type's request over its balance starts with (shown on the timeline). */
export function leaveWarningAudit(state: ProcessState, warning: LeaveWarning): AuditEntry {
  return { at: state.createdAt, actor: 'system', action: 'leave_balance_warning', detail: { ...warning } };
}

/**
 * Leave types, balances and the ledger (docs/leave.md): tenant admins keep them in the console; each
 * person reads their own balances. Admin entries are grant / accrual / adjustment; debits and credits
 * are written by the leave business action only (src/services/actions/leave.ts).
 */
export class LeaveService {
  constructor(private readonly ctx: ServiceContext) {}

  async types(tenantKey: string): Promise<Result<LeaveType[]>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    return tenant.ok ? ok(await repos.leave.types(tenant.value.id)) : tenant;
  }

  createType(tenantKey: string, input: LeaveTypeInput): Promise<Result<LeaveType>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const tenant = await loadTenant(repos, tenantKey);
      if (!tenant.ok) return tenant;
      const existing = await repos.leave.types(tenant.value.id);
      if (existing.some((t) => t.key === input.key))
        return invalidField('key', 'already used by another leave type');
      if (existing.length >= MAX_LEAVE_TYPES)
        return invalidField('key', `a tenant has at most ${MAX_LEAVE_TYPES} leave types`);
      const now = this.ctx.clock.now();
      const type: LeaveType = {
        key: input.key,
        name: input.name,
        overBalance: input.over_balance ?? 'refuse',
        active: input.active ?? true,
        createdAt: now,
        updatedAt: now,
      };
      await repos.leave.insertType(tenant.value.id, type);
      return ok(type);
    });
  }

  updateType(tenantKey: string, key: string, patch: LeaveTypePatch): Promise<Result<LeaveType>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const tenant = await loadTenant(repos, tenantKey);
      if (!tenant.ok) return tenant;
      const found = await repos.leave.type(tenant.value.id, key);
      if (!found) return notFound(`leave type ${key}`);
      const next: LeaveType = {
        ...found,
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.over_balance !== undefined ? { overBalance: patch.over_balance } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        updatedAt: this.ctx.clock.now(),
      };
      await repos.leave.updateType(tenant.value.id, next);
      return ok(next);
    });
  }

  /** Only a type with no ledger entries; one with history is deactivated instead (409 `in_use`). */
  deleteType(tenantKey: string, key: string): Promise<Result<null>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const tenant = await loadTenant(repos, tenantKey);
      if (!tenant.ok) return tenant;
      if (!(await repos.leave.type(tenant.value.id, key))) return notFound(`leave type ${key}`);
      if (await repos.leave.hasEntries(tenant.value.id, key))
        return fail('in_use', `leave type ${key} has ledger entries; set active to false instead`);
      await repos.leave.deleteType(tenant.value.id, key);
      return ok(null);
    });
  }

  /**
   * Balances page by page of employees (by id), each with every leave type's (or the one asked for):
   * people without entries show 0. Filters: one person (`user_id`), one type, a search text.
   */
  async balances(
    tenantKey: string,
    filter: { userId?: string | undefined; typeKey?: string | undefined; text?: string | undefined },
    page: PageRequest,
  ): Promise<Result<Page<EmployeeBalances>>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    const tenantId = tenant.value.id;
    let types = await repos.leave.types(tenantId);
    if (filter.typeKey !== undefined) {
      types = types.filter((t) => t.key === filter.typeKey);
      if (types.length === 0) return invalidField('leave_type', 'unknown leave type');
    }
    let employees: Page<Employee>;
    if (filter.userId !== undefined) {
      const employee = await repos.employees.findBy(tenantId, 'user_id', filter.userId);
      if (!employee) return invalidField('user_id', 'unknown user');
      employees = { items: page.afterId === undefined ? [employee] : [] };
    } else employees = await repos.employees.list(tenantId, page, { text: filter.text });
    const balances = await balancesOf(
      repos,
      tenantId,
      employees.items.map((e) => e.id),
      types,
    );
    return ok({
      ...employees,
      items: employees.items.map((employee) => ({ employee, balances: balances.get(employee.id) ?? [] })),
    });
  }

  /** A person's own balances in the active leave types. */
  async mine(tenantId: string, employeeId: string): Promise<LeaveBalance[]> {
    const repos = repositories(this.ctx.db);
    const types = (await repos.leave.types(tenantId)).filter((t) => t.active);
    return (await balancesOf(repos, tenantId, [employeeId], types)).get(employeeId) ?? [];
  }

  /**
   * Grants, accruals or adjustments for many people at once (at most MAX_BULK_EMPLOYEES), all or
   * nothing. With `request_key` each person's entry is keyed `admin:<request_key>:<employee>`, so a
   * retried request writes nothing twice.
   */
  record(tenantKey: string, actorId: string | null, input: EntryInput): Promise<Result<EntriesWritten>> {
    return inTransaction(this.ctx.db, async (repos) => {
      const tenant = await loadTenant(repos, tenantKey);
      if (!tenant.ok) return tenant;
      const tenantId = tenant.value.id;
      const violations: FieldViolation[] = [];
      const type = await repos.leave.type(tenantId, input.leave_type);
      if (!type) violations.push({ field: 'leave_type', description: 'unknown leave type' });
      else if (!type.active)
        violations.push({ field: 'leave_type', description: 'leave type is not active' });
      const amount = centidaysOfNumber(input.amount);
      if (amount === undefined)
        violations.push({ field: 'amount', description: 'at most two decimal places' });
      else if (Math.abs(amount) > MAX_ENTRY_DAYS * CENTIDAYS_PER_DAY)
        violations.push({
          field: 'amount',
          description: `must be between -${MAX_ENTRY_DAYS} and ${MAX_ENTRY_DAYS} days`,
        });
      else if (input.kind !== 'adjustment' && amount <= 0)
        violations.push({ field: 'amount', description: `a ${input.kind} must be more than 0 days` });
      else if (amount === 0) violations.push({ field: 'amount', description: 'an adjustment must not be 0' });
      if (input.reason.trim() === '') violations.push({ field: 'reason', description: 'is required' });
      if (input.user_ids.length === 0)
        violations.push({ field: 'user_ids', description: 'name at least one person' });
      if (input.user_ids.length > MAX_BULK_EMPLOYEES)
        violations.push({ field: 'user_ids', description: `at most ${MAX_BULK_EMPLOYEES} people at once` });
      const seen = new Set<string>();
      const employees: Employee[] = [];
      for (const [i, userId] of input.user_ids.slice(0, MAX_BULK_EMPLOYEES).entries()) {
        if (seen.has(userId)) {
          violations.push({ field: `user_ids[${i}]`, description: 'named twice' });
          continue;
        }
        seen.add(userId);
        const employee = await repos.employees.findBy(tenantId, 'user_id', userId);
        if (!employee) violations.push({ field: `user_ids[${i}]`, description: 'unknown user' });
        else employees.push(employee);
      }
      if (violations.length > 0 || !type || amount === undefined) return invalidFields(violations);
      const now = this.ctx.clock.now();
      const entries = employees.map((employee) => ({
        id: this.ctx.ids.next(),
        employeeId: employee.id,
        typeKey: type.key,
        kind: input.kind,
        amount,
        reason: input.reason,
        processId: null,
        idempotencyKey:
          input.request_key !== undefined
            ? `admin:${input.request_key}:${employee.id}`
            : `admin:${this.ctx.ids.next()}`,
        createdBy: actorId,
      }));
      const created = await repos.leave.append(tenantId, entries, now);
      // A repeated key answers with what the first request wrote.
      const written: EntriesWritten['entries'] = [];
      for (const [i, entry] of entries.entries()) {
        const stored = created.has(entry.idempotencyKey)
          ? { ...entry, createdAt: now }
          : await repos.leave.entryByKey(tenantId, entry.idempotencyKey);
        if (stored) written.push({ ...stored, employee: employees[i] as Employee });
      }
      return ok({ entries: written, created: created.size });
    });
  }

  /** One person's ledger, newest first, with their balances. */
  async ledger(
    tenantKey: string,
    userId: string,
    typeKey: string | undefined,
    page: PageRequest,
  ): Promise<Result<{ employee: Employee; balances: LeaveBalance[]; entries: Page<LeaveEntry> }>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    const tenantId = tenant.value.id;
    const employee = await repos.employees.findBy(tenantId, 'user_id', userId);
    if (!employee) return notFound(`employee ${userId}`);
    let types = await repos.leave.types(tenantId);
    if (typeKey !== undefined) {
      types = types.filter((t) => t.key === typeKey);
      if (types.length === 0) return invalidField('leave_type', 'unknown leave type');
    }
    const balances = (await balancesOf(repos, tenantId, [employee.id], types)).get(employee.id) ?? [];
    return ok({
      employee,
      balances,
      entries: await repos.leave.ledger(tenantId, employee.id, typeKey, page),
    });
  }
}
