import type { ProcessService } from '../process.service.js';
import type { JobHandler } from './runner.js';

/** Refusals that mean the timer has nothing left to do: its task or process moved on. */
const STALE = new Set([
  'process_status_conflict',
  'task_status_conflict',
  'task_not_found',
  'process_not_found',
]);

/**
 * Fires node timers through the command path (docs/timers.md): the engine decides whether the timer
 * still applies, so a timer whose task was decided meanwhile changes nothing and is cancelled.
 */
export function timerJobHandler(processes: ProcessService): JobHandler {
  return {
    maxAttempts: 8,
    async run(job) {
      const { process_id: processId, timer } = job.payload as { process_id: string; timer: string };
      const result = await processes.execute(job.row.tenant_id, processId, {
        kind: 'timer',
        key: timer,
        system: true,
      });
      if (result.ok) return { status: 'done' };
      // Due by this server's clock but not by the engine's reading (a calendar edit): try again later.
      if (/is not due until/.test(result.error.message))
        return { status: 'retry', error: result.error.message };
      if (STALE.has(result.error.kind)) return { status: 'cancelled', reason: result.error.message };
      return { status: 'retry', error: result.error.message };
    },
  };
}
