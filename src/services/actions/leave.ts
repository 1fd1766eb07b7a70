import { daysText, LEAVE_BIZ_TYPE, readLeaveRequest } from '../leave-request.js';
import type {
  ActionContext,
  ActionPlan,
  AppliedAction,
  BusinessAction,
  CompensationResult,
} from './types.js';

/**
 * Leave application (biz type 56): a completed request debits its days from the initiator's balance of
 * its leave type (docs/leave.md "The business action"). The ledger entry's idempotency key
 * `<process_id>:debit` makes the debit happen once however often the job runs; a revoke credits the
 * same days back under `<process_id>:credit`. Rejected or withdrawn requests debited nothing (their
 * days only counted as pending while in progress), so they need no credit.
 */

const field = (typeKey: string) => `leave_balance.${typeKey}`;
const debitKey = (processId: string) => `${processId}:debit`;
const creditKey = (processId: string) => `${processId}:credit`;

interface LeaveData {
  leave_type: string;
  /** Hundredths of a day. */
  centidays: number;
}

function leaveData(data: Record<string, unknown> | undefined): LeaveData | undefined {
  const type = data?.leave_type;
  const centidays = data?.centidays;
  return typeof type === 'string' && typeof centidays === 'number' && Number.isInteger(centidays)
    ? { leave_type: type, centidays }
    : undefined;
}

async function balanceOf(ctx: ActionContext, employeeId: string, typeKey: string): Promise<number> {
  const sums = await ctx.repos.leave.balances(ctx.tenantId, [employeeId], typeKey);
  return sums.get(employeeId)?.get(typeKey) ?? 0;
}

export const leaveAction: BusinessAction = {
  bizType: LEAVE_BIZ_TYPE,

  async plan(ctx) {
    const employeeId = ctx.process.initiatorId;
    const reading = readLeaveRequest(ctx.process.formValues);
    if (reading.kind === 'no_type')
      return { ok: false, problem: 'the form has no leave type (leave_type)', field: 'leave_type' };
    const type = await ctx.repos.leave.type(ctx.tenantId, reading.typeKey);
    // A type the tenant does not track (or no longer does): nothing to debit.
    if (!type?.active) return { ok: true, plan: { employeeId, changes: [] } };
    if (reading.kind === 'problem') return { ok: false, problem: reading.description, field: reading.field };
    const before = await balanceOf(ctx, employeeId, type.key);
    const data: LeaveData = { leave_type: type.key, centidays: reading.centidays };
    return {
      ok: true,
      plan: {
        employeeId,
        changes: [
          {
            field: field(type.key),
            before: daysText(before),
            after: daysText(before - reading.centidays),
            label: type.name,
          },
        ],
        data: { ...data },
      },
    };
  },

  async apply(ctx, plan: ActionPlan): Promise<AppliedAction> {
    const data = leaveData(plan.data);
    const employeeId = plan.employeeId ?? ctx.process.initiatorId;
    if (!data) return { changes: [] };
    const key = debitKey(ctx.process.id);
    const before = await balanceOf(ctx, employeeId, data.leave_type);
    const created = await ctx.repos.leave.append(
      ctx.tenantId,
      [
        {
          // The context has no id generator: the key is unique, and so is this.
          id: `${ctx.process.id}-debit`,
          employeeId,
          typeKey: data.leave_type,
          kind: 'debit',
          amount: -data.centidays,
          reason: `leave request ${ctx.process.id}`,
          processId: ctx.process.id,
          idempotencyKey: key,
          createdBy: null,
        },
      ],
      ctx.now,
    );
    // Run again after a lost commit reply: the entry is there, the balance already holds it.
    const after = created.has(key) ? before - data.centidays : before;
    const shownBefore = created.has(key) ? before : before + data.centidays;
    return {
      changes: [{ field: field(data.leave_type), before: daysText(shownBefore), after: daysText(after) }],
      data: { ...data, employee_id: employeeId },
    };
  },

  async compensate(ctx, applied: AppliedAction): Promise<CompensationResult> {
    const data = leaveData(applied.data);
    if (!data) return { ok: true, restored: [] };
    const employeeId =
      typeof applied.data?.employee_id === 'string' ? applied.data.employee_id : ctx.process.initiatorId;
    const debit = await ctx.repos.leave.entryByKey(ctx.tenantId, debitKey(ctx.process.id));
    if (!debit)
      return {
        ok: false,
        conflicts: [{ field: field(data.leave_type), expected: daysText(-data.centidays), found: null }],
      };
    const key = creditKey(ctx.process.id);
    const before = await balanceOf(ctx, employeeId, debit.typeKey);
    const created = await ctx.repos.leave.append(
      ctx.tenantId,
      [
        {
          id: `${ctx.process.id}-credit`,
          employeeId: debit.employeeId,
          typeKey: debit.typeKey,
          kind: 'credit',
          amount: -debit.amount,
          reason: `leave request ${ctx.process.id} revoked`,
          processId: ctx.process.id,
          idempotencyKey: key,
          createdBy: null,
        },
      ],
      ctx.now,
    );
    const after = created.has(key) ? before - debit.amount : before;
    const shownBefore = created.has(key) ? before : before + debit.amount;
    return {
      ok: true,
      restored: [{ field: field(debit.typeKey), before: daysText(shownBefore), after: daysText(after) }],
    };
  },
};
