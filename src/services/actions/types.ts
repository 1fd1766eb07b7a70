import type { DirectorySnapshot } from '../../engine/approver-resolution.js';
import type { FlowDefinition } from '../../engine/definition.js';
import type { ProcessState } from '../../engine/process.js';
import type { SecretBox } from '../../platform/secrets.js';
import type { Repositories } from '../context.js';

/**
 * Business actions (系统作业): what a completed process of a business type does to the HR record
 * (docs/actions.md). Each action is planned from the process (also before completion, so that the
 * approver sees the exact change), applied by a durable job in one transaction with the job's "done",
 * and compensated when the process is revoked.
 */

/** One employee field an action changes: shown to approvers as before → after. */
export interface RecordChange {
  /** The employee field's api name: `department_id`, `manager_id`, `job_title`, `phone`, `employment_status` … */
  field: string;
  /** Values as the people API shows them (ids are people_corehr ids); null = empty. */
  before: string | null;
  after: string | null;
  /** Masked in responses unless the reader may see it (bank account, ID number). */
  sensitive?: boolean;
  /**
   * What a field that is not an employee field stands for, in both languages: a leave balance's type
   * name (`leave_balance.annual` → 年假 / Annual leave), so readers need not know the tenant's keys.
   */
  label?: { zh_cn: string; en_us: string };
}

/** What an action will do: computed from the process when it completes (and earlier, for preview). */
export interface ActionPlan {
  /** Whose record (people_corehr_id); absent for an action that touches no record (HTTP). */
  employeeId?: string;
  /** YYYY-MM-DD in the tenant's time zone from which it applies; absent = at once. */
  effectiveDate?: string;
  changes: RecordChange[];
  /** Anything else `apply` needs (leave: type and days). JSON-serialisable. */
  data?: Record<string, unknown>;
}

export type PlanResult =
  | { ok: true; plan: ActionPlan }
  /** The form lacks what the action needs; shown to the approver and recorded on completion. */
  | { ok: false; problem: string; field?: string };

export interface ActionContext {
  /** In a transaction when applying or compensating; a plain connection when planning. */
  repos: Repositories;
  tenantId: string;
  process: ProcessState;
  definition: FlowDefinition;
  directory: DirectorySnapshot;
  now: number;
  /** Seals and opens the sensitive profile fields (bank account, ID number) the record actions write. */
  secrets: SecretBox;
}

/** What `apply` did, stored with the job: enough to compensate. */
export interface AppliedAction {
  changes: RecordChange[];
  data?: Record<string, unknown>;
}

export type CompensationResult =
  | { ok: true; restored: RecordChange[] }
  /** Later changes touched the same fields: nothing is written; reported to the process admins. */
  | { ok: false; conflicts: { field: string; expected: string | null; found: string | null }[] };

export interface BusinessAction {
  /** The business type's api name (`job_change`) this action belongs to. */
  bizType: string;
  plan(ctx: ActionContext): Promise<PlanResult>;
  /** Runs in the job's transaction; the job is marked done in the same one (effect-once). */
  apply(ctx: ActionContext, plan: ActionPlan): Promise<AppliedAction>;
  /** Reverses `applied` unless a later change touched the same fields (then a conflict, nothing written). */
  compensate(ctx: ActionContext, applied: AppliedAction): Promise<CompensationResult>;
}
