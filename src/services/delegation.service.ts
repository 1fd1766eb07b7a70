import type { DirectorySnapshot } from '../engine/approver-resolution.js';
import { delegationCycle } from '../engine/delegation.js';
import type { Employee } from '../engine/directory.js';
import type { StoredDelegation } from '../store/delegation.repository.js';
import type { Page, PageRequest } from '../store/executor.js';
import { inTransaction, repositories, type ServiceContext } from './context.js';
import type { DirectorySnapshots } from './directory-snapshot.js';
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
  /** Open tasks handed over by one `include_existing`; more stay with the delegator. */
  transferTasks: 500,
} as const;

export interface DelegationInput {
  delegateUserId: string;
  startsAt: number;
  endsAt: number;
  /** Hand the delegator's open tasks to the delegate now (the range must have started). */
  includeExisting: boolean;
}

export interface CreatedDelegation {
  delegation: StoredDelegation;
  /** include_existing: tasks handed over, and tasks that could not be (closed meanwhile, over the bound). */
  transferred: number;
  notTransferred: number;
}

/**
 * A person's out-of-office delegations. Every write bumps the tenant's directory version in its
 * transaction, so the directory snapshot (which carries the delegations the engine follows) is
 * reloaded by every server before its next decision. The bump comes first: it locks the tenant row,
 * so two delegations written at once in one tenant are checked one after the other (no overlap or
 * cycle can slip between them).
 */
export class DelegationService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly processes: ProcessService,
    private readonly snapshots: DirectorySnapshots,
  ) {}

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
      };
      const cycle = delegationCycle(current, delegation);
      if (cycle) {
        const names = await userIds(repos.employees, tenantId, cycle);
        return invalidField('delegate_user_id', `would make a delegation cycle: ${names.join(' → ')}`);
      }
      await repos.delegations.insert(delegation);
      return ok(delegation);
    });
    if (!created.ok) return created;
    const delegation = created.value;
    const handed = input.includeExisting
      ? await this.handOver(session, delegation)
      : { transferred: 0, notTransferred: 0 };
    return ok({ delegation, ...handed });
  }

  async cancel(session: PersonSession, delegationId: string): Promise<Result<StoredDelegation>> {
    const now = this.ctx.clock.now();
    return inTransaction(this.ctx.db, async (repos) => {
      const found = await repos.delegations.find(session.tenant.id, delegationId);
      if (!found || found.delegatorId !== session.employee.id) return notFound(`delegation ${delegationId}`);
      // Cancelling twice changes nothing (a double click): the first cancel's answer.
      if (found.cancelledAt !== undefined) return ok(found);
      if (found.endsAt <= now) return invalidField('delegation_id', 'has already ended');
      await repos.tenants.bumpDirectoryVersion(session.tenant.id);
      await repos.delegations.cancel(session.tenant.id, delegationId, now);
      return ok({ ...found, cancelledAt: now });
    });
  }

  /**
   * The delegator's open tasks go to the delegate through the ordinary transfer command, one process
   * at a time, as the system on the delegator's behalf (the audit line and the tasks say so). A task
   * that closed meanwhile is counted, not an error: the delegation stands either way.
   */
  private async handOver(
    session: PersonSession,
    delegation: StoredDelegation,
  ): Promise<{ transferred: number; notTransferred: number }> {
    const repos = repositories(this.ctx.db);
    const byProcess = new Map<string, string[]>();
    let seen = 0;
    let afterId: string | undefined;
    let more = true;
    while (more && seen < DELEGATION_LIMITS.transferTasks) {
      const page = await repos.processes.tasksOf(session.tenant.id, delegation.delegatorId, ['in_progress'], {
        pageSize: Math.min(100, DELEGATION_LIMITS.transferTasks - seen),
        afterId,
      });
      for (const task of page.items)
        byProcess.set(task.process_id, [...(byProcess.get(task.process_id) ?? []), task.id]);
      seen += page.items.length;
      afterId = page.nextAfterId;
      more = afterId !== undefined;
    }
    let transferred = 0;
    let notTransferred = 0;
    for (const [processId, taskIds] of byProcess) {
      const result = await this.processes.execute(session.tenant.id, processId, {
        kind: 'transfer',
        taskIds,
        toUserId: delegation.delegateId,
        system: true,
        onBehalfOf: delegation.delegatorId,
      });
      if (result.ok) transferred += taskIds.length;
      else notTransferred += taskIds.length;
    }
    if (more) notTransferred += await countOpen(repos.processes, session, afterId);
    return { transferred, notTransferred };
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
  if (input.includeExisting && input.startsAt > now)
    return invalidField(
      'include_existing',
      'existing tasks can be handed over only by a delegation that has already started',
    );
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

/** Open tasks left beyond the hand-over bound (counted, so the person hears some stayed). */
async function countOpen(
  processes: ReturnType<typeof repositories>['processes'],
  session: PersonSession,
  afterId: string | undefined,
): Promise<number> {
  let count = 0;
  let cursor = afterId;
  for (let i = 0; i < 100 && cursor !== undefined; i++) {
    const page = await processes.tasksOf(session.tenant.id, session.employee.id, ['in_progress'], {
      pageSize: 100,
      afterId: cursor,
    });
    count += page.items.length;
    cursor = page.nextAfterId;
  }
  return count;
}

export type { StoredDelegation };
