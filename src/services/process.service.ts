import type { FlowDefinition } from '../engine/definition.js';
import type { DirectorySnapshot } from '../engine/approver-resolution.js';
import type { EngineFailure } from '../engine/result.js';
import { isWireEvent, type EngineEvent, type ProcessState } from '../engine/process.js';
import { decide, startProcess, type Command, type StartInput } from '../engine/transitions.js';
import type { Page, PageRequest } from '../store/executor.js';
import type { ModifiedPosition, OutboxRow, ProcessSearch } from '../store/process.repository.js';
import { repositories, type Repositories, type ServiceContext } from './context.js';
import type { DefinitionService } from './definition.service.js';
import type { DirectorySnapshots } from './directory-snapshot.js';
import { GroupCommit, RetryCommand, type CommandBatch } from './group-commit.js';
import { PublishedDefinitions } from './published-definitions.js';
import { fail, ok, type Failure, type Result } from './result.js';
import { plainToEngineValues } from './form-values.js';
import { fileIdsInProcess } from './file.service.js';
import { processChange, type ProcessChange } from './live.service.js';
import { CalendarService } from './calendar.service.js';
import { timersOf } from '../engine/timers.js';
import { actionFor } from './actions/index.js';
import { httpActionKey, type HttpActionEvent } from './jobs/http-action-jobs.js';
import { applyActionInCommand, hasFollowUp } from './jobs/action-jobs.js';
import type { NewJob } from '../store/job.repository.js';
import { checkLeaveBalance, leaveWarningAudit } from './leave.service.js';

/** A timer job's idempotency key: the engine's timer key is unique within its process. */
export const timerJobKey = (processId: string, timerKey: string): string => `${processId}:${timerKey}`;
import type { Notifier } from './notifications/notifier.js';
import type { ReadCache } from './read-cache.js';

/** The jobs a finished process shows as system steps (docs/actions.md "In the timeline"). */
export const SYSTEM_STEP_KINDS = ['action', 'compensate', 'http_action'] as const;

/** One system step: a business action, its compensation, or an HTTP action, as its job stands. */
export interface SystemStep {
  jobId: string;
  kind: (typeof SYSTEM_STEP_KINDS)[number];
  status: 'pending' | 'running' | 'done' | 'failed' | 'cancelled';
  createdAt: number;
  updatedAt: number;
  dueAt: number;
  attempts: number;
  /** The last failure; shown to the flow's process admins only. */
  error?: string;
}

/** What the timeline and the Open API's system lists call each system step. */
export const SYSTEM_STEP_NAMES: Record<SystemStep['kind'], { zh_cn: string; en_us: string }> = {
  action: { zh_cn: '系统作业', en_us: 'Business action' },
  compensate: { zh_cn: '系统作业补偿', en_us: 'Compensation' },
  http_action: { zh_cn: 'HTTP 动作', en_us: 'HTTP action' },
};

export interface ProcessView {
  state: ProcessState;
  definition: FlowDefinition;
  directory: DirectorySnapshot;
}

/** The people a command told, and those its business action told besides. */
const withAlso = (told: string[] | undefined, more: string[]): string[] | undefined =>
  more.length === 0 ? told : [...new Set([...(told ?? []), ...more])];

function fromEngine(error: EngineFailure): Failure {
  return error.violations
    ? { kind: error.kind, message: error.message, violations: error.violations }
    : { kind: error.kind, message: error.message };
}

/**
 * Process use cases: each command loads the process, lets the engine decide, and writes the new
 * state with its outbox events atomically (group commit: commands arriving together share one
 * transaction, each in its own savepoint). A version check serialises commands on one process: the
 * loser of a race is re-decided on the winner's state, where the engine refuses it with the
 * documented conflict if its task has closed.
 */
export class ProcessService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly snapshots: DirectorySnapshots,
    private readonly definitions: DefinitionService,
    private readonly commands: GroupCommit,
    private readonly published: PublishedDefinitions = new PublishedDefinitions(),
    private readonly calendars: CalendarService = new CalendarService(ctx),
    private readonly notifier?: Notifier,
    private readonly reads?: ReadCache,
  ) {}

  async start(
    tenantId: string,
    definitionId: string,
    input: Omit<StartInput, 'processId'>,
  ): Promise<Result<ProcessState>> {
    const processId = this.ctx.ids.next();
    const notice: { change?: ProcessChange; jobs?: boolean } = {};
    const result = await this.commands.run(processId, async (repos, batch) => {
      const definition = await this.definitions.startable(repos, tenantId, definitionId);
      if (!definition.ok) return definition;
      const directory = await this.snapshots.load(repos, tenantId);
      const decision = startProcess(definition.value, { ...input, processId }, this.engineContext(directory));
      if (!decision.ok) return { ok: false, error: fromEngine(decision.error) };
      const { state, events } = decision.value;
      // Leave requests over their balance (docs/leave.md "At start"): refused, or started with a warning.
      const leave = await checkLeaveBalance(
        repos,
        tenantId,
        definition.value,
        state.formValues,
        state.initiatorId,
      );
      if (!leave.ok) return leave;
      if (leave.value.warning) state.audit.push(leaveWarningAudit(state, leave.value.warning));
      await repos.processes.insert(tenantId, state);
      Object.assign(
        notice,
        await this.writeAlong(
          repos,
          batch,
          tenantId,
          { definition: definition.value, directory },
          undefined,
          state,
          events,
        ),
      );
      return ok(state);
    });
    this.committed(result, notice.change, notice.jobs);
    return result;
  }

  /**
   * Start with the admin API's plain values: people as user_id, departments as department_id
   * (see form-values.ts); converted against the definition's form, then started as usual.
   */
  async startPlain(
    tenantId: string,
    definitionId: string,
    input: {
      initiatorUserId: string;
      formValues: Record<string, unknown>;
      selectedApprovers?: Record<string, string[]> | undefined;
    },
  ): Promise<Result<ProcessState>> {
    const repos = repositories(this.ctx.db);
    const definition = await this.definitions.startable(repos, tenantId, definitionId);
    if (!definition.ok) return definition;
    const directory = await this.snapshots.load(repos, tenantId);
    const userIndex = new Map([...directory.employees.values()].map((e) => [e.userId, e.id]));
    const initiatorId = userIndex.get(input.initiatorUserId);
    if (initiatorId === undefined)
      return fail('invalid_field', 'unknown initiator', [
        { field: 'initiator_user_id', description: 'unknown user' },
      ]);
    const values = plainToEngineValues(definition.value.form, input.formValues, directory, 'form_values.');
    if (values.violations.length > 0) return fail('form_invalid', 'form values invalid', values.violations);
    const selected: Record<string, string[]> = {};
    for (const [node, userIds] of Object.entries(input.selectedApprovers ?? {}))
      selected[node] = userIds.map((u) => userIndex.get(u) ?? u);
    return this.start(tenantId, definitionId, {
      initiatorId,
      formValues: values.values,
      selectedApprovers: selected,
    });
  }

  async execute(tenantId: string, processId: string, command: Command): Promise<Result<ProcessState>> {
    const notice: { change?: ProcessChange; jobs?: boolean } = {};
    const result = await this.commands.run(processId, async (repos, batch) => {
      const record = await repos.processes.find(tenantId, processId);
      if (!record) return fail('process_not_found', `process ${processId} not found`);
      const definition = await this.versionOf(repos, record.state);
      const directory = await this.snapshots.load(repos, tenantId);
      const workingTime =
        command.kind === 'timer' ? await this.calendars.workingTime(repos, tenantId) : undefined;
      const decision = decide(definition, record.state, command, {
        ...this.engineContext(directory),
        workingTime,
      });
      if (!decision.ok) return { ok: false, error: fromEngine(decision.error) };
      const { state, events } = decision.value;
      // Another server committed a change to this process first: decide again on its state.
      if (!(await repos.processes.update(tenantId, state, record.version, record.state)))
        throw new RetryCommand();
      Object.assign(
        notice,
        await this.writeAlong(repos, batch, tenantId, { definition, directory }, record.state, state, events),
      );
      return ok(state);
    });
    this.committed(result, notice.change, notice.jobs);
    return result;
  }

  /**
   * After a command's transaction committed: every process change (people's, apps', the system's)
   * passes here, so live updates are fed from this one place.
   */
  private committed(result: Result<ProcessState>, change: ProcessChange | undefined, jobs = false): void {
    if (result.ok && change) {
      this.reads?.changed(change);
      this.ctx.processChanged?.(change);
    }
    if (result.ok && jobs) this.ctx.jobsWritten?.();
  }

  /**
   * What a command writes beside the process row, in its transaction: its events (made into deliveries
   * by the batch, or outbox rows), its files' links, its notifications and its jobs. Returns what the
   * caller hears after the commit: the process change (with who was notified) and whether jobs wait.
   */
  private async writeAlong(
    repos: Repositories,
    batch: CommandBatch,
    tenantId: string,
    flow: { definition: FlowDefinition; directory: DirectorySnapshot },
    before: ProcessState | undefined,
    state: ProcessState,
    events: EngineEvent[],
  ): Promise<{ change: ProcessChange; jobs: boolean }> {
    const { definition, directory } = flow;
    const outbox = this.outboxRows(tenantId, state, events);
    if (!batch.events(outbox)) await repos.processes.appendOutbox(outbox);
    await repos.files.link(tenantId, state.id, [...fileIdsInProcess(definition.form, state)]);
    const told = await this.notifier?.record(repos, tenantId, definition, before, state, events);
    // After the command's own notifications: a business action applied now tells the initiator it is done.
    const scheduled = await this.scheduleJobs(repos, batch, tenantId, definition, directory, before, state);
    const change = processChange(tenantId, definition, before, state, events);
    change.notified = withAlso(told?.told, scheduled.notified);
    // Emails and chat messages of the notifications are jobs too: the runner wakes for them.
    return { change, jobs: scheduled.jobs || told?.jobs === true };
  }

  /**
   * Keeps the process's jobs in step with its new state, in the command's transaction: one `timer`
   * job per timer the engine lists (pending ones no longer listed are cancelled), a business `action`
   * when it completes — applied here when it takes effect now (`applyActionInCommand`), else a job — and
   * a `compensate` job when a completed process is revoked. `jobs`: whether any job waits for the
   * runner; `notified`: who the applied action told.
   */
  private async scheduleJobs(
    repos: Repositories,
    batch: CommandBatch,
    tenantId: string,
    definition: FlowDefinition,
    directory: DirectorySnapshot,
    before: ProcessState | undefined,
    state: ProcessState,
  ): Promise<{ jobs: boolean; notified: string[] }> {
    let notified: string[] = [];
    let notifiedJobs = false;
    const now = this.ctx.clock.now();
    let written = false;
    if (definition.nodes.some((n) => n.kind === 'approval' && n.timers !== undefined)) {
      const timers = timersOf(definition, state, await this.calendars.workingTime(repos, tenantId));
      const keys = timers.map((t) => timerJobKey(state.id, t.key));
      await repos.jobs.cancelPending(
        tenantId,
        state.id,
        'timer',
        keys,
        now,
        'its task was decided or moved on',
      );
      written =
        (await repos.jobs.enqueue(
          timers.map((t, i) => ({
            id: this.ctx.ids.next(),
            tenantId,
            kind: 'timer',
            key: keys[i] ?? '',
            processId: state.id,
            dueAt: t.dueAt,
            payload: { process_id: state.id, timer: t.key },
          })),
          now,
        )) > 0;
    }
    const finished = (status: ProcessState['status']) => before?.status !== status && state.status === status;
    const completed = finished('completed');
    // Revoked after it had completed (a withdrawn request is `withdrawn`, never `revoked`).
    const revoked = finished('revoked') && before?.status !== 'in_progress';
    const jobs: NewJob[] = [];
    const job = (kind: string, key: string, payload: Record<string, unknown>): NewJob => ({
      id: this.ctx.ids.next(),
      tenantId,
      kind,
      key,
      processId: state.id,
      dueAt: now,
      payload,
    });
    const action = actionFor(state.bizType);
    if ((completed || revoked) && action !== undefined) {
      const actionJob = job(completed ? 'action' : 'compensate', state.id, {
        process_id: state.id,
        biz_type: state.bizType,
      });
      const appliedNow =
        completed && !hasFollowUp(action)
          ? await applyActionInCommand(
              {
                secrets: this.ctx.secrets,
                calendars: this.calendars,
                ...(this.notifier ? { completedIn: this.notifier.requestCompleted.bind(this.notifier) } : {}),
              },
              repos,
              batch,
              actionJob,
              action,
              { state, definition, directory },
              now,
            )
          : undefined;
      if (appliedNow) ({ told: notified, jobs: notifiedJobs } = appliedNow);
      else jobs.push(actionJob);
    }
    const http = definition.httpAction;
    if (http && (completed || (revoked && http.onRevoke))) {
      const event: HttpActionEvent = completed ? 'process.completed' : 'process.revoked';
      jobs.push(job('http_action', httpActionKey(state.id, event), { process_id: state.id, event }));
    }
    if (jobs.length > 0) written = (await repos.jobs.enqueue(jobs, now)) > 0 || written;
    return { jobs: written || notifiedJobs, notified };
  }

  /**
   * The process's system steps (node type 7): its business action, compensation and HTTP actions
   * as their jobs stand. Only a finished process has any, so a running one costs no query.
   */
  async systemSteps(tenantId: string, state: ProcessState): Promise<SystemStep[]> {
    if (state.status !== 'completed' && state.status !== 'revoked' && state.status !== 'revoking') return [];
    const rows = await repositories(this.ctx.db).jobs.ofProcess(tenantId, state.id, SYSTEM_STEP_KINDS);
    return rows.map((row) => ({
      jobId: row.id,
      kind: row.kind as SystemStep['kind'],
      status: row.status,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      dueAt: row.due_at,
      attempts: row.attempts,
      ...(row.last_error !== null ? { error: row.last_error } : {}),
    }));
  }

  /**
   * Whether the process may show system steps in its present state (a finished process whose flow
   * has a business action or an HTTP action): they change with their jobs, without a process change.
   */
  mayHaveSystemSteps(definition: FlowDefinition, state: ProcessState): boolean {
    if (state.status !== 'completed' && state.status !== 'revoked' && state.status !== 'revoking')
      return false;
    return actionFor(state.bizType) !== undefined || definition.httpAction !== undefined;
  }

  /**
   * Runs other work on a process's data (a business action's job) as one more command: in its own
   * savepoint of the next group-commit transaction, after the commands on the process queued before
   * it. Under load it shares their commit instead of paying one of its own.
   */
  transact<T>(processId: string, work: (repos: Repositories) => Promise<Result<T>>): Promise<Result<T>> {
    return this.commands.run(processId, work);
  }

  async get(tenantId: string, processId: string): Promise<Result<ProcessView>> {
    const repos = repositories(this.ctx.db);
    const record = await repos.processes.find(tenantId, processId);
    if (!record) return fail('process_not_found', `process ${processId} not found`);
    return ok({
      state: record.state,
      definition: await this.versionOf(repos, record.state),
      directory: await this.snapshots.load(repos, tenantId),
    });
  }

  search(tenantId: string, filter: ProcessSearch, page: PageRequest): Promise<Page<ProcessState>> {
    return repositories(this.ctx.db).processes.search(tenantId, filter, page);
  }

  modifiedPage(
    tenantId: string,
    filter: ProcessSearch & { modifiedFrom: number; modifiedTo: number },
    pageSize: number,
    after?: ModifiedPosition,
  ) {
    return repositories(this.ctx.db).processes.modifiedPage(tenantId, filter, pageSize, after);
  }

  tasksOf(tenantId: string, assigneeId: string, statuses: string[] | undefined, page: PageRequest) {
    return repositories(this.ctx.db).processes.tasksOf(tenantId, assigneeId, statuses, page);
  }

  directory(tenantId: string): Promise<DirectorySnapshot> {
    return this.snapshots.load(repositories(this.ctx.db), tenantId);
  }

  private async versionOf(repos: Repositories, state: ProcessState): Promise<FlowDefinition> {
    const published = await this.published.get(repos, state.definitionId, state.definitionVersion);
    if (!published)
      throw new Error(`definition ${state.definitionId} v${state.definitionVersion} is missing`);
    return published;
  }

  private engineContext(directory: DirectorySnapshot) {
    return { now: this.ctx.clock.now(), newId: () => this.ctx.ids.next(), directory };
  }

  /** Engine events → outbox rows, in order, with what a receiver needs to identify the process. */
  private outboxRows(tenantId: string, state: ProcessState, events: EngineEvent[]): OutboxRow[] {
    const now = this.ctx.clock.now();
    // Timer and urge events are this server's own (notifications); apps never see them.
    return events.filter(isWireEvent).map((event) => ({
      id: this.ctx.ids.next(),
      tenantId,
      processId: state.id,
      event,
      bizType: state.bizType,
      definitionId: state.definitionId,
      processStatus: state.status,
      createdAt: now,
    }));
  }
}
