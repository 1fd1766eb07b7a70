import type { DirectorySnapshot } from '../engine/approver-resolution.js';
import { delegationCycle } from '../engine/delegation.js';
import type { Employee } from '../engine/directory.js';
import type { StoredDelegation } from '../store/delegation.repository.js';
import type { Page, PageRequest } from '../store/executor.js';
import { inTransaction, repositories, type ServiceContext } from './context.js';
import type { DirectorySnapshots } from './directory-snapshot.js';
import type { NewJob } from '../store/job.repository.js';
import { DelegationHandover, HANDOVER_BOUND, type ReturnReason } from './delegation-handover.js';
import type { ProcessService } from './process.service.js';
import { invalidField, notFound, ok, type Result } from './result.js';
import type { PersonSession } from './session.service.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Bounds of out-of-office delegations (docs/people-api.md#out-of-office-delegation). */
export const DELEGATION_LIMITS = {
  /** Delegations of one person that have not ended (in force or to come). */
  perPerson: 20,
  /** From start to end. */
  maxRangeMs: 366 * DAY_MS,
  /** How far ahead a delegation may start. */
  maxLeadMs: 2 * 366 * DAY_MS,
  /** Open tasks handed over (or back) by one run; more stay where they are. */
  transferTasks: HANDOVER_BOUND,
} as const;

/** Durable jobs of a delegation (docs/adr/0007-durable-jobs.md), keyed by the delegation id. */
export const DELEGATION_JOBS = {
  /** At `startsAt`: the hand-over of a delegation made ahead with `include_existing`. */
  start: 'delegation_start',
  /** At `endsAt` (brought forward by a cancel): the hand-back of a delegation with `return_on_end`. */
  end: 'delegation_end',
} as const;

/**
 * A cancel gives the tasks back at once; its job stays, due this much later, to finish the hand-back
 * should the server stop before it did (run again, it finds nothing left to move).
 */
const CANCEL_BACKSTOP_MS = 60_000;

export interface DelegationInput {
  delegateUserId: string;
  startsAt: number;
  endsAt: number;
  /** Hand the delegator's open tasks to the delegate: now if the range has started, else when it starts. */
  includeExisting: boolean;
  /** Give the tasks still held for the delegator back when the range ends or is cancelled. */
  returnOnEnd: boolean;
}

export interface CreatedDelegation {
  delegation: StoredDelegation;
  /** include_existing in a started range: tasks handed over, and tasks that could not be. */
  transferred: number;
  notTransferred: number;
}

export interface CancelledDelegation {
  delegation: StoredDelegation;
  /** return_on_end: tasks given back to the delegator now, and those that stayed with the delegate. */
  returned: number;
  notReturned: number;
}

/** What a delegation's job did (its result), or why it had nothing to do. */
export type DelegationJobResult =
  | { kind: 'done'; moved: number; notMoved: number }
  | { kind: 'nothing'; reason: string }
  | { kind: 'early'; reason: string };

/**
 * A person's out-of-office delegations. Every write bumps the tenant's directory version in its
 * transaction, so the directory snapshot (which carries the delegations the engine follows) is
 * reloaded by every server before its next decision. The bump comes first: it locks the tenant row,
 * so two delegations written at once in one tenant are checked one after the other (no overlap or
 * cycle can slip between them). The hand-over at a future start and the hand-back at the end are
 * durable jobs written in the same transaction as the delegation.
 */
export class DelegationService {
  private readonly handover: DelegationHandover;

  constructor(
    private readonly ctx: ServiceContext,
    processes: ProcessService,
    private readonly snapshots: DirectorySnapshots,
  ) {
    this.handover = new DelegationHandover(processes);
  }

  /** The person's delegations, newest first, and the directory to name the delegates with. */
  async list(
    session: PersonSession,
    page: PageRequest,
  ): Promise<{ page: Page<StoredDelegation>; directory: DirectorySnapshot }> {
    const repos = repositories(this.ctx.db);
    const [found, directory] = await Promise.all([
      repos.delegations.listOf(session.tenant.id, session.employee.id, page),
      this.snapshots.load(repos, session.tenant.id),
    ]);
    return { page: found, directory };
  }

  /** Where a delegation stands now. */
  statusOf(d: StoredDelegation): 'scheduled' | 'active' | 'ended' | 'cancelled' {
    const now = this.ctx.clock.now();
    if (d.cancelledAt !== undefined) return 'cancelled';
    if (d.endsAt <= now) return 'ended';
    return d.startsAt <= now ? 'active' : 'scheduled';
  }

  /** The directory as it is now (after a write: with it). */
  directory(session: PersonSession): Promise<DirectorySnapshot> {
    return this.snapshots.load(repositories(this.ctx.db), session.tenant.id);
  }

  async create(session: PersonSession, input: DelegationInput): Promise<Result<CreatedDelegation>> {
    const tenantId = session.tenant.id;
    const me = session.employee.id;
    const now = this.ctx.clock.now();
    const created = await inTransaction(this.ctx.db, async (repos) => {
      await repos.tenants.bumpDirectoryVersion(tenantId);
      const delegate = await repos.employees.findBy(tenantId, 'user_id', input.delegateUserId);
      const checked = checkDelegate(delegate, me);
      if (!checked.ok) return checked;
      const range = checkRange(input, now);
      if (!range.ok) return range;
      const current = await repos.delegations.current(tenantId, now);
      const mine = current.filter((d) => d.delegatorId === me);
      if (mine.length >= DELEGATION_LIMITS.perPerson)
        return invalidField(
          'start_time',
          `you already have ${DELEGATION_LIMITS.perPerson} delegations that have not ended; cancel one first`,
        );
      const overlapping = mine.find((d) => d.startsAt < input.endsAt && input.startsAt < d.endsAt);
      if (overlapping)
        return invalidField(
          'start_time',
          `overlaps your delegation ${overlapping.id} (${iso(overlapping.startsAt)} to ${iso(overlapping.endsAt)})`,
        );
      const delegation: StoredDelegation = {
        id: this.ctx.ids.next(),
        tenantId,
        delegatorId: me,
        delegateId: checked.value.id,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        createdAt: now,
        includeExisting: input.includeExisting,
        returnOnEnd: input.returnOnEnd,
      };
      const cycle = delegationCycle(current, delegation);
      if (cycle) {
        const names = await userIds(repos.employees, tenantId, cycle);
        return invalidField('delegate_user_id', `would make a delegation cycle: ${names.join(' → ')}`);
      }
      await repos.delegations.insert(delegation);
      const jobs = [
        ...(delegation.includeExisting && delegation.startsAt > now
          ? [this.job(delegation, DELEGATION_JOBS.start, delegation.startsAt)]
          : []),
        ...(delegation.returnOnEnd ? [this.job(delegation, DELEGATION_JOBS.end, delegation.endsAt)] : []),
      ];
      if (jobs.length > 0) await repos.jobs.enqueue(jobs, now);
      return ok({ delegation, jobs: jobs.length });
    });
    if (!created.ok) return created;
    const { delegation, jobs } = created.value;
    if (jobs > 0) this.ctx.jobsWritten?.();
    // A range that has started hands the tasks over now; one ahead of us, by its job at the start.
    const handed =
      delegation.includeExisting && delegation.startsAt <= now
        ? await this.handover.handOver(repositories(this.ctx.db), delegation)
        : { moved: 0, notMoved: 0 };
    return ok({ delegation, transferred: handed.moved, notTransferred: handed.notMoved });
  }

  async cancel(session: PersonSession, delegationId: string): Promise<Result<CancelledDelegation>> {
    const tenantId = session.tenant.id;
    const now = this.ctx.clock.now();
    const cancelled = await inTransaction(this.ctx.db, async (repos) => {
      const found = await repos.delegations.find(tenantId, delegationId);
      if (!found || found.delegatorId !== session.employee.id) return notFound(`delegation ${delegationId}`);
      // Cancelling twice changes nothing (a double click): the first cancel's answer.
      if (found.cancelledAt !== undefined) return ok({ delegation: found, first: false });
      if (found.endsAt <= now) return invalidField('delegation_id', 'has already ended');
      await repos.tenants.bumpDirectoryVersion(tenantId);
      // A cancel at the same moment won: its answer, and its hand-back (not a second one).
      if (!(await repos.delegations.cancel(tenantId, delegationId, now)))
        return ok({
          delegation: (await repos.delegations.find(tenantId, delegationId)) ?? found,
          first: false,
        });
      const reason = 'the delegation was cancelled';
      await repos.jobs.cancelByKey(tenantId, DELEGATION_JOBS.start, delegationId, now, reason);
      // Nothing came through a delegation cancelled before it started: no hand-back either.
      if (found.startsAt > now)
        await repos.jobs.cancelByKey(tenantId, DELEGATION_JOBS.end, delegationId, now, reason);
      else
        await repos.jobs.rescheduleByKey(
          tenantId,
          DELEGATION_JOBS.end,
          delegationId,
          now + CANCEL_BACKSTOP_MS,
          now,
        );
      return ok({ delegation: { ...found, cancelledAt: now }, first: true });
    });
    if (!cancelled.ok) return cancelled;
    const { delegation, first } = cancelled.value;
    const back =
      first && delegation.returnOnEnd && delegation.startsAt <= now
        ? await this.returnTasks(delegation, 'cancelled')
        : { kind: 'nothing' as const, reason: '' };
    return ok({
      delegation,
      returned: back.kind === 'done' ? back.moved : 0,
      notReturned: back.kind === 'done' ? back.notMoved : 0,
    });
  }

  /**
   * The `delegation_start` job: hands the delegator's open tasks over as the range starts — unless the
   * delegation was cancelled or has ended meanwhile (then nothing moves).
   */
  async runStart(tenantId: string, delegationId: string): Promise<DelegationJobResult> {
    const repos = repositories(this.ctx.db);
    const d = await repos.delegations.find(tenantId, delegationId);
    const now = this.ctx.clock.now();
    if (!d) return { kind: 'nothing', reason: `delegation ${delegationId} not found` };
    if (d.cancelledAt !== undefined) return { kind: 'nothing', reason: 'the delegation was cancelled' };
    if (!d.includeExisting) return { kind: 'nothing', reason: 'the delegation hands no tasks over' };
    if (d.endsAt <= now) return { kind: 'nothing', reason: 'the delegation ended before its start ran' };
    if (d.startsAt > now) return { kind: 'early', reason: `the delegation starts at ${iso(d.startsAt)}` };
    const moved = await this.handover.handOver(repos, d);
    return { kind: 'done', ...moved };
  }

  /**
   * The `delegation_end` job: gives the tasks still held for the delegator back at the end of the
   * range, or finishes what a cancel started. Run again, it finds nothing left to move.
   */
  async runEnd(tenantId: string, delegationId: string): Promise<DelegationJobResult> {
    const d = await repositories(this.ctx.db).delegations.find(tenantId, delegationId);
    const now = this.ctx.clock.now();
    if (!d) return { kind: 'nothing', reason: `delegation ${delegationId} not found` };
    if (!d.returnOnEnd)
      return { kind: 'nothing', reason: 'the delegation keeps its tasks with the delegate' };
    if (d.cancelledAt === undefined && d.endsAt > now)
      return { kind: 'early', reason: `the delegation ends at ${iso(d.endsAt)}` };
    if (d.cancelledAt !== undefined && d.cancelledAt < d.startsAt)
      return { kind: 'nothing', reason: 'the delegation was cancelled before it started' };
    return this.returnTasks(d, d.cancelledAt !== undefined ? 'cancelled' : 'ended');
  }

  /** The hand-back, unless the delegator is no longer active: then the delegate keeps the tasks. */
  private async returnTasks(d: StoredDelegation, reason: ReturnReason): Promise<DelegationJobResult> {
    const repos = repositories(this.ctx.db);
    const directory = await this.snapshots.load(repos, d.tenantId);
    const status = directory.employees.get(d.delegatorId)?.employmentStatus;
    if (status !== 'active')
      return { kind: 'nothing', reason: `the delegator is not active (${status ?? 'gone'}): the tasks stay` };
    return { kind: 'done', ...(await this.handover.handBack(repos, d, reason)) };
  }

  private job(d: StoredDelegation, kind: string, dueAt: number): NewJob {
    return {
      id: this.ctx.ids.next(),
      tenantId: d.tenantId,
      kind,
      key: d.id,
      dueAt,
      payload: { delegation_id: d.id },
    };
  }
}

function checkDelegate(delegate: Employee | undefined, me: string): Result<Employee> {
  if (!delegate) return invalidField('delegate_user_id', 'no person with this user_id in your organisation');
  if (delegate.id === me) return invalidField('delegate_user_id', 'must be someone other than yourself');
  if (delegate.employmentStatus !== 'active')
    return invalidField('delegate_user_id', `is not an active employee (${delegate.employmentStatus})`);
  return ok(delegate);
}

function checkRange(input: DelegationInput, now: number): Result<null> {
  if (input.endsAt <= input.startsAt) return invalidField('end_time', 'must be after start_time');
  if (input.endsAt <= now) return invalidField('end_time', 'must be in the future');
  if (input.endsAt - input.startsAt > DELEGATION_LIMITS.maxRangeMs)
    return invalidField('end_time', 'a delegation lasts at most 366 days');
  if (input.startsAt - now > DELEGATION_LIMITS.maxLeadMs)
    return invalidField('start_time', 'must be within two years from now');
  return ok(null);
}

const iso = (ms: number) => new Date(ms).toISOString();

async function userIds(
  employees: ReturnType<typeof repositories>['employees'],
  tenantId: string,
  ids: string[],
): Promise<string[]> {
  const out: string[] = [];
  for (const id of ids) out.push((await employees.findBy(tenantId, 'id', id))?.userId ?? id);
  return out;
}

export type { StoredDelegation };
