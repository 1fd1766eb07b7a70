import { canSeeProcess } from '../engine/visibility.js';
import type { I18nText } from '../engine/directory.js';
import type { JobRow } from '../store/job.repository.js';
import type { JobStatus } from '../store/schema.js';
import type { BusinessAction, RecordChange } from './actions/types.js';
import { repositories, type ServiceContext } from './context.js';
import { inScope, type FlowScope } from './monitoring.service.js';
import type { ProcessService } from './process.service.js';
import { fail, notFound, ok, type Result } from './result.js';
import { loadTenant } from './tenant.service.js';

/** The kinds of job a process has (notifications are the recipient's, not the process's). */
export const PROCESS_JOB_KINDS = ['timer', 'action', 'compensate', 'http_action'] as const;

export interface JobView {
  id: string;
  kind: string;
  key: string;
  processId: string | null;
  status: JobStatus;
  dueAt: number;
  attempts: number;
  lastError: string | null;
  result: unknown;
  createdAt: number;
  updatedAt: number;
}

export const jobView = (row: JobRow): JobView => ({
  id: row.id,
  kind: row.kind,
  key: row.key,
  processId: row.process_id,
  status: row.status,
  dueAt: row.due_at,
  attempts: row.attempts,
  lastError: row.last_error,
  result: row.result === null ? null : (JSON.parse(row.result) as unknown),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export interface ActionPreview {
  available: boolean;
  bizType: string;
  problem?: string;
  effectiveDate?: string;
  employeeId?: string;
  employee?: { userId: string; name: I18nText };
  changes: RecordChange[];
}

/** Sensitive values (bank account, ID number) as approvers see them: the last four characters. */
export const maskValue = (value: string | null): string | null =>
  value === null ? null : value.length <= 4 ? '****' : `****${value.slice(-4)}`;

/**
 * The system jobs of processes, for the people who answer for them (docs/actions.md "Failures"):
 * process admins (their flows) and tenant admins see each process's timers and actions, the failed
 * ones across their flows, and retry a failed one. And what a business action will do, for approvers.
 */
export class SystemJobService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly processes: ProcessService,
    private readonly actionFor: (bizType: string) => BusinessAction | undefined,
    private readonly kick: () => void = () => undefined,
  ) {}

  async ofProcess(tenantId: string, scope: FlowScope, processId: string): Promise<Result<JobView[]>> {
    const found = await this.processes.get(tenantId, processId);
    if (!found.ok || !inScope(scope, found.value.state)) return notFound(`process ${processId}`);
    const rows = await repositories(this.ctx.db).jobs.ofProcess(tenantId, processId, PROCESS_JOB_KINDS);
    return ok(rows.map(jobView));
  }

  async retry(
    tenantId: string,
    scope: FlowScope,
    processId: string,
    jobId: string,
  ): Promise<Result<JobView>> {
    const found = await this.processes.get(tenantId, processId);
    if (!found.ok || !inScope(scope, found.value.state)) return notFound(`process ${processId}`);
    const repos = repositories(this.ctx.db);
    const job = await repos.jobs.find(tenantId, jobId);
    if (!job || job.process_id !== processId) return notFound(`job ${jobId}`);
    if (!(await repos.jobs.retry(tenantId, jobId, this.ctx.clock.now())))
      return fail('process_status_conflict', `job ${jobId} is ${job.status}; only a failed job is retried`);
    this.kick();
    const after = await repos.jobs.find(tenantId, jobId);
    return after ? ok(jobView(after)) : notFound(`job ${jobId}`);
  }

  /** A tenant's jobs by state, newest first; a process admin's limited to their flows. */
  async list(
    tenantId: string,
    scope: FlowScope,
    filter: { status?: JobStatus | undefined; kind?: string | undefined },
    pageSize: number,
    beforeId?: string,
  ): Promise<{ items: JobView[]; next?: string }> {
    const repos = repositories(this.ctx.db);
    const items: JobView[] = [];
    let cursor = beforeId;
    // A process admin's page may need a few tenant pages (others' flows are skipped); bounded.
    for (let round = 0; round < 10 && items.length < pageSize; round++) {
      const rows = await repos.jobs.list(tenantId, filter, pageSize, cursor);
      const more = rows.length > pageSize;
      const page = rows.slice(0, pageSize);
      for (const row of page) {
        if (items.length >= pageSize) break;
        if (scope !== 'all') {
          if (row.process_id === null) continue;
          const found = await this.processes.get(tenantId, row.process_id);
          if (!found.ok || !inScope(scope, found.value.state)) {
            cursor = row.id;
            continue;
          }
        }
        items.push(jobView(row));
        cursor = row.id;
      }
      if (!more) return { items };
    }
    return cursor !== undefined ? { items, next: cursor } : { items };
  }

  /** For the operators' admin API: by tenant key. */
  async listForTenant(
    tenantKey: string,
    filter: { status?: JobStatus | undefined; kind?: string | undefined },
    pageSize: number,
    beforeId?: string,
  ): Promise<Result<{ items: JobView[]; next?: string }>> {
    const tenant = await loadTenant(repositories(this.ctx.db), tenantKey);
    if (!tenant.ok) return tenant;
    return ok(await this.list(tenant.value.id, 'all', filter, pageSize, beforeId));
  }

  async retryForTenant(tenantKey: string, jobId: string): Promise<Result<JobView>> {
    const repos = repositories(this.ctx.db);
    const tenant = await loadTenant(repos, tenantKey);
    if (!tenant.ok) return tenant;
    const job = await repos.jobs.find(tenant.value.id, jobId);
    if (!job) return notFound(`job ${jobId}`);
    if (!(await repos.jobs.retry(tenant.value.id, jobId, this.ctx.clock.now())))
      return fail('process_status_conflict', `job ${jobId} is ${job.status}; only a failed job is retried`);
    this.kick();
    const after = await repos.jobs.find(tenant.value.id, jobId);
    return after ? ok(jobView(after)) : notFound(`job ${jobId}`);
  }

  /**
   * What approving will do to the HR record (before → after), for whoever may see the process.
   * Sensitive values are masked unless the viewer is the employee concerned.
   */
  async preview(tenantId: string, viewerId: string, processId: string): Promise<Result<ActionPreview>> {
    const found = await this.processes.get(tenantId, processId);
    if (!found.ok || !canSeeProcess(found.value.definition, found.value.state, viewerId))
      return notFound(`process ${processId}`);
    const { state, definition, directory } = found.value;
    const action = this.actionFor(state.bizType);
    if (!action) return ok({ available: false, bizType: state.bizType, changes: [] });
    const planned = await action.plan({
      repos: repositories(this.ctx.db),
      secrets: this.ctx.secrets,
      tenantId,
      process: state,
      definition,
      directory,
      now: this.ctx.clock.now(),
    });
    if (!planned.ok)
      return ok({
        available: false,
        bizType: state.bizType,
        problem: `${planned.field ? `${planned.field}: ` : ''}${planned.problem}`,
        changes: [],
      });
    const { plan } = planned;
    const own = plan.employeeId === viewerId;
    const employee = plan.employeeId !== undefined ? directory.employees.get(plan.employeeId) : undefined;
    return ok({
      available: true,
      bizType: state.bizType,
      ...(plan.effectiveDate !== undefined ? { effectiveDate: plan.effectiveDate } : {}),
      ...(plan.employeeId !== undefined ? { employeeId: plan.employeeId } : {}),
      ...(employee ? { employee: { userId: employee.userId, name: employee.name } } : {}),
      changes: plan.changes.map((c) =>
        c.sensitive && !own ? { ...c, before: maskValue(c.before), after: maskValue(c.after) } : c,
      ),
    });
  }
}
