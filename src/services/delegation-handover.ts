import type { StoredDelegation } from '../store/delegation.repository.js';
import type { Page, PageRequest } from '../store/executor.js';
import { repositories } from './context.js';
import type { ProcessService } from './process.service.js';

/** How many open tasks one hand-over (or hand-back) moves at most; more stay where they are. */
export const HANDOVER_BOUND = 500;

export interface Moved {
  /** Tasks moved. */
  moved: number;
  /** Tasks that could not be: closed meanwhile, refused, or over the bound. */
  notMoved: number;
}

/** Why tasks go back to the delegator: the range ended, or the delegator cancelled it. */
export type ReturnReason = 'ended' | 'cancelled';

interface TaskRef {
  id: string;
  process_id: string;
}
type Pager = (page: PageRequest) => Promise<Page<TaskRef>>;

/**
 * Moves open tasks between a delegator and their out-of-office delegate, each process through the
 * ordinary transfer command as the system, so the audit line, the new tasks and the events are those
 * of any transfer. A process whose transfer is refused (its task closed meanwhile) is counted, not an
 * error: the delegation stands either way. Running one twice moves nothing twice: what was moved no
 * longer matches.
 */
export class DelegationHandover {
  constructor(private readonly processes: ProcessService) {}

  /** The delegator's open tasks go to the delegate, on the delegator's behalf. */
  handOver(repos: ReturnType<typeof repositories>, d: StoredDelegation): Promise<Moved> {
    return this.move(
      (page) => repos.processes.tasksOf(d.tenantId, d.delegatorId, ['in_progress'], page),
      (processId, taskIds) =>
        this.processes.execute(d.tenantId, processId, {
          kind: 'transfer',
          taskIds,
          toUserId: d.delegateId,
          system: true,
          onBehalfOf: d.delegatorId,
        }),
    );
  }

  /**
   * The open tasks held for the delegator that came through this delegation — created for them
   * while it was in force, or handed over by it — go back to the delegator, whoever on the delegate's
   * chain holds them. Tasks created before the range or after it are another delegation's.
   */
  handBack(
    repos: ReturnType<typeof repositories>,
    d: StoredDelegation,
    reason: ReturnReason,
  ): Promise<Moved> {
    const until = d.cancelledAt !== undefined ? Math.min(d.cancelledAt + 1, d.endsAt) : d.endsAt;
    return this.move(
      (page) => repos.processes.openTasksHeldFor(d.tenantId, d.delegatorId, d.startsAt, until, page),
      (processId, taskIds) =>
        this.processes.execute(d.tenantId, processId, {
          kind: 'transfer',
          taskIds,
          toUserId: d.delegatorId,
          system: true,
          outOfOfficeReturn: reason,
        }),
    );
  }

  /** Reads up to the bound, one transfer per process; the tasks beyond the bound are counted. */
  private async move(
    pageOf: Pager,
    transfer: (processId: string, taskIds: string[]) => Promise<{ ok: boolean }>,
  ): Promise<Moved> {
    const byProcess = new Map<string, string[]>();
    let seen = 0;
    let afterId: string | undefined;
    let more = true;
    while (more && seen < HANDOVER_BOUND) {
      const page = await pageOf({ pageSize: Math.min(100, HANDOVER_BOUND - seen), afterId });
      for (const task of page.items)
        byProcess.set(task.process_id, [...(byProcess.get(task.process_id) ?? []), task.id]);
      seen += page.items.length;
      afterId = page.nextAfterId;
      more = afterId !== undefined;
    }
    let moved = 0;
    let notMoved = 0;
    for (const [processId, taskIds] of byProcess) {
      if ((await transfer(processId, taskIds)).ok) moved += taskIds.length;
      else notMoved += taskIds.length;
    }
    if (more) notMoved += await countRest(pageOf, afterId);
    return { moved, notMoved };
  }
}

/** Open tasks left beyond the bound (counted, so the person hears some stayed; the count is bounded too). */
async function countRest(pageOf: Pager, afterId: string | undefined): Promise<number> {
  let count = 0;
  let cursor = afterId;
  for (let i = 0; i < 100 && cursor !== undefined; i++) {
    const page = await pageOf({ pageSize: 100, afterId: cursor });
    count += page.items.length;
    cursor = page.nextAfterId;
  }
  return count;
}
