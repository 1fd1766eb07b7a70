import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { Clock } from '../../platform/clock.js';
import type { SecretBox } from '../../platform/secrets.js';
import { inTransaction, repositories, type Repositories } from '../context.js';
import { fail, ok, type Result } from '../result.js';
import { ActionNotApplicable } from '../actions/record.js';
import type { CalendarService } from '../calendar.service.js';
import type { ProcessService } from '../process.service.js';
import type { ProcessState } from '../../engine/process.js';
import type {
  ActionContext,
  ActionPlan,
  AppliedAction,
  BusinessAction,
  CompensationResult,
} from '../actions/types.js';
import type { FlowDefinition } from '../../engine/definition.js';
import type { DirectorySnapshot } from '../../engine/approver-resolution.js';
import type { NewJob } from '../../store/job.repository.js';
import type { CommandBatch } from '../group-commit.js';
import type { Written } from '../notifications/notifier.js';
import type { JobHandler, JobOutcome } from './runner.js';

/** What an `action` job carries: its process, and — once planned — the frozen plan. */
interface ActionPayload {
  process_id: string;
  biz_type: string;
  plan?: ActionPlan;
}

/** What a finished `action` job records, for the admins and for compensation. */
export interface ActionResult {
  /** No action for this business type: nothing to do (and nothing to compensate). */
  skipped?: string;
  applied?: AppliedAction;
  effectiveDate?: string;
}

export interface ActionJobDeps {
  db: Kysely<Database>;
  clock: Clock;
  secrets: SecretBox;
  processes: ProcessService;
  calendars: CalendarService;
  actionFor: (bizType: string) => BusinessAction | undefined;
  /** In the action's transaction, once applied: the initiator hears their request is done. */
  completedIn?: (repos: Repositories, tenantId: string, state: ProcessState) => Promise<unknown>;
  /**
   * Runs the transaction that applies (or compensates) a process's action and settles its job; by
   * default a transaction of its own. The server passes the process commands' group commit, so an
   * action shares the commit of the commands around it (`ProcessService.transact`).
   */
  transact?: <T>(processId: string, work: (repos: Repositories) => Promise<Result<T>>) => Promise<Result<T>>;
  /** After an action was applied (a person left: their open tasks move). */
  applied?: (tenantId: string, action: BusinessAction, plan: ActionPlan) => Promise<void>;
}

function transactFor(deps: ActionJobDeps): NonNullable<ActionJobDeps['transact']> {
  return deps.transact ?? ((_processId, work) => inTransaction(deps.db, work));
}

/**
 * Business actions as durable jobs (docs/actions.md). The first run plans from the completed process
 * and freezes the plan in the job; a plan effective on a later date waits until the start of that day
 * in the tenant's time zone. Applying writes the record and marks the job done in one transaction,
 * so it happens exactly once however often the job is retried.
 */
export function actionJobHandler(deps: ActionJobDeps): JobHandler {
  return {
    maxAttempts: 8,
    async run(job): Promise<JobOutcome> {
      const payload = job.payload as ActionPayload;
      const tenantId = job.row.tenant_id;
      const action = deps.actionFor(payload.biz_type);
      if (!action) return { status: 'done', result: { skipped: `no action for ${payload.biz_type}` } };
      const view = await deps.processes.get(tenantId, payload.process_id);
      if (!view.ok) return { status: 'cancelled', reason: view.error.message };
      const context = (repos: Repositories) => ({
        repos,
        secrets: deps.secrets,
        tenantId,
        process: view.value.state,
        definition: view.value.definition,
        directory: view.value.directory,
        now: deps.clock.now(),
      });
      let plan = payload.plan;
      if (!plan) {
        const planned = await planAt(action, context(repositories(deps.db)), deps.calendars);
        if (planned.kind === 'problem') return { status: 'failed', error: planned.error };
        plan = planned.plan;
        if (planned.kind === 'later') {
          // Not yet: the job waits, with its plan, until the day begins.
          await repositories(deps.db).jobs.postpone(
            job.row.id,
            job.row.lease_owner ?? '',
            planned.effective,
            {
              ...payload,
              plan,
            },
            deps.clock.now(),
          );
          return { status: 'settled' };
        }
      }
      const frozen = plan;
      const result = await transactFor(deps)(payload.process_id, async (repos) => {
        let record: ActionResult;
        try {
          record = await applied(action, context(repos), frozen);
        } catch (error) {
          // The record moved on so that the plan no longer fits (the person or department is gone).
          if (error instanceof ActionNotApplicable) return fail('invalid_field', error.message);
          throw error;
        }
        if (!(await job.settleIn(repos, record))) throw new Error('lost the job lease while applying');
        await deps.completedIn?.(repos, tenantId, view.value.state);
        return ok(record);
      });
      if (!result.ok) return { status: 'failed', error: result.error.message };
      await deps.applied?.(tenantId, action, frozen);
      return { status: 'settled' };
    },
  };
}

/**
 * An action with work after it is applied, outside its transaction (an offboarding moves the leaver's
 * open tasks, through commands of their own): applied by the job runner only, never inside the
 * completing command, which cannot wait for other commands.
 */
export const hasFollowUp = (action: BusinessAction): boolean => action.bizType === 'offboarding_info';

type Planned =
  { kind: 'now' | 'later'; plan: ActionPlan; effective: number } | { kind: 'problem'; error: string };

/** An action's plan from the completed process, and whether it takes effect now or on a later day. */
async function planAt(
  action: BusinessAction,
  ctx: ActionContext,
  calendars: CalendarService,
): Promise<Planned> {
  const planned = await action.plan(ctx);
  if (!planned.ok)
    return { kind: 'problem', error: `${planned.field ? `${planned.field}: ` : ''}${planned.problem}` };
  const plan = planned.plan;
  if (plan.effectiveDate === undefined) return { kind: 'now', plan, effective: ctx.now };
  // From the start of that day in the tenant's time zone.
  const effective = (await calendars.workingTime(ctx.repos, ctx.tenantId)).startOfDate(plan.effectiveDate);
  return { kind: effective > ctx.now ? 'later' : 'now', plan, effective };
}

/** Applies a plan (in the caller's transaction) and returns what its job records. */
async function applied(action: BusinessAction, ctx: ActionContext, plan: ActionPlan): Promise<ActionResult> {
  return {
    applied: await action.apply(ctx, plan),
    ...(plan.effectiveDate !== undefined ? { effectiveDate: plan.effectiveDate } : {}),
  };
}

/** What applying an action inside the command that completed its process needs. */
export interface ActionInCommandDeps {
  secrets: SecretBox;
  calendars: CalendarService;
  /** In the same transaction, once applied: the initiator hears their request is done. */
  completedIn?: (repos: Repositories, tenantId: string, state: ProcessState) => Promise<Written>;
}

/**
 * The business action of a process that has just completed, tried in the completing command's own
 * transaction (docs/actions.md): when it takes effect now and applies cleanly, the record changes, the
 * job is stored as done and the initiator is told, all in one commit with the approval — no second
 * command, no job for the runner to claim. Anything else (a problem with the plan, an effective date
 * still ahead, an apply that throws, which is undone alone) returns undefined, and the caller enqueues
 * the job for the runner, which plans, waits, retries and reports failures as before. Returns what
 * its notification wrote, when it applied.
 */
export async function applyActionInCommand(
  deps: ActionInCommandDeps,
  repos: Repositories,
  batch: CommandBatch,
  job: NewJob,
  action: BusinessAction,
  view: { state: ProcessState; definition: FlowDefinition; directory: DirectorySnapshot },
  now: number,
): Promise<Written | undefined> {
  const ctx: ActionContext = {
    repos,
    secrets: deps.secrets,
    tenantId: job.tenantId,
    process: view.state,
    definition: view.definition,
    directory: view.directory,
    now,
  };
  const tried = await batch.apart(async () => {
    const planned = await planAt(action, ctx, deps.calendars);
    if (planned.kind !== 'now') return undefined;
    const record = await applied(action, ctx, planned.plan);
    // A job with its key exists (it cannot, for a process completes once): undone, left to the runner.
    if (!(await repos.jobs.recordDone(job, record, now))) throw new Error('the action job exists already');
    return (await deps.completedIn?.(repos, job.tenantId, view.state)) ?? { told: [], jobs: false };
  });
  return tried.ok ? tried.value : undefined;
}

/**
 * Reverses a revoked process's action (docs/actions.md "Compensation"): a change not yet effective is
 * cancelled; an applied one is undone unless a later change touched the same fields, which is
 * recorded as a conflict (failed, for the process admins) with nothing written.
 */
export function compensateJobHandler(deps: ActionJobDeps): JobHandler {
  return {
    maxAttempts: 8,
    async run(job): Promise<JobOutcome> {
      const payload = job.payload as ActionPayload;
      const tenantId = job.row.tenant_id;
      const repos = repositories(deps.db);
      const now = deps.clock.now();
      // Not yet effective (or not yet run): it never happens.
      if (
        await repos.jobs.cancelByKey(tenantId, 'action', payload.process_id, now, 'the process was revoked')
      )
        return { status: 'done', result: { cancelled: 'the change had not taken effect; it never will' } };
      const actionJob = await repos.jobs.findByKey(tenantId, 'action', payload.process_id);
      if (actionJob?.status === 'running')
        return { status: 'retry', error: 'the action is running; compensating after it' };
      const recorded = actionJob?.result ? (JSON.parse(actionJob.result) as ActionResult) : undefined;
      if (!recorded?.applied) return { status: 'done', result: { skipped: 'nothing was applied' } };
      const action = deps.actionFor(payload.biz_type);
      if (!action) return { status: 'done', result: { skipped: `no action for ${payload.biz_type}` } };
      const view = await deps.processes.get(tenantId, payload.process_id);
      if (!view.ok) return { status: 'cancelled', reason: view.error.message };
      const applied = recorded.applied;
      const outcome = await transactFor(deps)<CompensationResult>(payload.process_id, async (trx) => {
        const compensated = await action.compensate(
          {
            repos: trx,
            secrets: deps.secrets,
            tenantId,
            process: view.value.state,
            definition: view.value.definition,
            directory: view.value.directory,
            now,
          },
          applied,
        );
        if (!compensated.ok) return ok(compensated);
        if (!(await job.settleIn(trx, { restored: compensated.restored })))
          throw new Error('lost the job lease');
        return ok(compensated);
      });
      if (!outcome.ok) return { status: 'retry', error: outcome.error.message };
      if (!outcome.value.ok)
        return {
          status: 'failed',
          error: `conflict: changed since the approval — ${outcome.value.conflicts
            .map((c) => `${c.field} is now ${c.found ?? 'empty'}, not ${c.expected ?? 'empty'}`)
            .join('; ')}`,
        };
      return { status: 'settled' };
    },
  };
}

/**
 * After an offboarding took effect: the leaver's open tasks go to their manager, or else to each
 * process's first active process admin, through the ordinary transfer command (recorded, evented).
 */
export async function moveLeaversTasks(
  processes: ProcessService,
  db: Kysely<Database>,
  tenantId: string,
  employeeId: string,
): Promise<void> {
  const repos = repositories(db);
  const directory = await processes.directory(tenantId);
  const managerId = directory.employees.get(employeeId)?.managerId ?? undefined;
  const manager =
    managerId !== undefined && directory.employees.get(managerId)?.employmentStatus === 'active'
      ? managerId
      : undefined;
  const byProcess = new Map<string, string[]>();
  let afterId: string | undefined;
  // Bounded: a leaver with more open tasks than this keeps the rest (visible in monitoring).
  for (let page = 0; page < 20; page++) {
    const tasks = await repos.processes.tasksOf(tenantId, employeeId, ['in_progress'], {
      pageSize: 100,
      afterId,
    });
    for (const task of tasks.items)
      byProcess.set(task.process_id, [...(byProcess.get(task.process_id) ?? []), task.id]);
    afterId = tasks.nextAfterId;
    if (afterId === undefined) break;
  }
  for (const [processId, taskIds] of byProcess) {
    let target = manager;
    if (target === undefined) {
      const view = await processes.get(tenantId, processId);
      if (!view.ok) continue;
      target = view.value.definition.processAdminIds.find(
        (id) => id !== employeeId && directory.employees.get(id)?.employmentStatus === 'active',
      );
    }
    if (target === undefined) continue;
    await processes.execute(tenantId, processId, {
      kind: 'transfer',
      taskIds,
      toUserId: target,
      system: true,
      remark: 'the assignee left the company',
    });
  }
}
