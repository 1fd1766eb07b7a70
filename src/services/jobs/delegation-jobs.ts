import { DELEGATION_JOBS, type DelegationJobResult, type DelegationService } from '../delegation.service.js';
import type { JobHandler, JobOutcome } from './runner.js';

/** The result a job records: what moved, or why nothing had to. */
function outcomeOf(result: DelegationJobResult): JobOutcome {
  switch (result.kind) {
    case 'done':
      return { status: 'done', result: { moved: result.moved, not_moved: result.notMoved } };
    case 'nothing':
      return { status: 'done', result: { moved: 0, reason: result.reason } };
    case 'early':
      // Due by the runner's clock but not by the delegation's: only a clock that went back does this.
      return { status: 'retry', error: result.reason };
  }
}

const delegationIdOf = (payload: unknown): string => (payload as { delegation_id: string }).delegation_id;

/**
 * Out-of-office delegations' jobs (docs/people-api.md#out-of-office-delegation), keyed by the
 * delegation id: `delegation_start` hands the delegator's open tasks over when a range made ahead
 * starts, `delegation_end` gives the tasks held for them back when it ends (or finishes a cancel's
 * hand-back). Each reads the delegation as it is when it runs, so a cancelled one moves nothing wrong.
 */
export function delegationJobHandlers(delegations: DelegationService): Record<string, JobHandler> {
  return {
    [DELEGATION_JOBS.start]: {
      maxAttempts: 8,
      run: async (job) =>
        outcomeOf(await delegations.runStart(job.row.tenant_id, delegationIdOf(job.payload))),
    },
    [DELEGATION_JOBS.end]: {
      maxAttempts: 8,
      run: async (job) => outcomeOf(await delegations.runEnd(job.row.tenant_id, delegationIdOf(job.payload))),
    },
  };
}
