import type { DirectorySnapshot } from '../engine/approver-resolution.js';
import type { FlowDefinition } from '../engine/definition.js';
import type { ProcessState } from '../engine/process.js';
import { returnTargets, upcomingSteps } from '../engine/task-options.js';
import type { Command } from '../engine/transitions.js';
import { taskReasons } from '../engine/why.js';
import {
  MonitoringRepository,
  type MonitorFilter,
  type MonitorPosition,
  type MonitorSort,
} from '../store/monitoring.repository.js';
import { repositories, type ServiceContext } from './context.js';
import type { DefinitionService } from './definition.service.js';
import type { PersonProcessView } from './person-commands.js';
import type { ProcessService } from './process.service.js';
import {
  fail,
  invalidField,
  invalidFields,
  ok,
  type Failure,
  type FieldViolation,
  type Result,
} from './result.js';

export type { MonitorPosition, MonitorSort } from '../store/monitoring.repository.js';

/** Which flows a console admin may monitor: all (tenant admin) or these (process admin). */
export type FlowScope = 'all' | readonly string[];

/** A CSV export stops after this many rows (docs/console-api.md); narrow the search for more. */
export const MONITOR_EXPORT_MAX_ROWS = 50_000;
const EXPORT_PAGE = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The console's process search, in the people API's terms (user_id, department_id). */
export interface MonitorQuery {
  statuses?: readonly string[] | undefined;
  flowId?: string | undefined;
  initiatorUserId?: string | undefined;
  /** The initiator is in this department or one below it (their department now). */
  departmentId?: string | undefined;
  currentNodeId?: string | undefined;
  /** An open task has waited longer than this many days. */
  waitingDays?: number | undefined;
  startedFrom?: number | undefined;
  startedBefore?: number | undefined;
  sort: MonitorSort;
}

export interface MonitorEntry {
  state: ProcessState;
  definition: FlowDefinition;
}

export interface MonitorPage {
  entries: MonitorEntry[];
  directory: DirectorySnapshot;
  next?: MonitorPosition | undefined;
}

/** What a console admin does to a process, in the people API's terms. */
export type AdminAction =
  | { kind: 'reassign'; taskIds: string[]; toUserId: string; remark?: string | undefined }
  | { kind: 'return'; taskId: string; targetNodeId: string; reason?: string | undefined }
  | { kind: 'withdraw'; reason: string }
  | { kind: 'revoke'; reason: string };

/** A flow an admin may filter by, with the nodes that can wait on someone. */
export interface MonitorFlowOption {
  definition: FlowDefinition;
}

const notFound = (processId: string): Result<never> =>
  fail('process_not_found', `process ${processId} not found`);

/** Engine field names are the Open API's; the console names the fields of its own requests. */
const CONSOLE_FIELD: Record<string, string> = { approver_ids: 'task_ids', approver_id: 'task_id' };

/**
 * Process monitoring for tenant admins and process admins: search (with CSV export), the whole
 * process, and the admin's commands — reassign, return, withdraw and revoke on the initiator's behalf.
 * Commands run through ProcessService.execute in the system's authority with the admin named
 * (transitions.ts Actor.admin): the audit trail records the admin, events go out as for any change.
 * A process outside the admin's flows answers `process_not_found`, like one that does not exist.
 */
export class ProcessMonitoring {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly processes: ProcessService,
    private readonly definitions: DefinitionService,
  ) {}

  /** The flows in scope (latest published version), for the search's filters. */
  async flows(tenantId: string, scope: FlowScope): Promise<MonitorFlowOption[]> {
    const all = await this.definitions.latestPublished(tenantId);
    return all
      .filter(({ definition }) => scope === 'all' || scope.includes(definition.id))
      .map(({ definition }) => ({ definition }));
  }

  async search(
    tenantId: string,
    scope: FlowScope,
    query: MonitorQuery,
    pageSize: number,
    after?: MonitorPosition,
  ): Promise<Result<MonitorPage>> {
    const directory = await this.processes.directory(tenantId);
    const filter = this.filterOf(scope, query, directory);
    if (!filter.ok) return filter;
    const repos = repositories(this.ctx.db);
    const page = await new MonitoringRepository(this.ctx.db).page(
      tenantId,
      filter.value,
      query.sort,
      pageSize,
      after,
    );
    const states = await repos.inbox.states(
      tenantId,
      page.rows.map((r) => r.id),
    );
    const entries: MonitorEntry[] = [];
    for (const row of page.rows) {
      const state = states.get(row.id);
      if (!state) continue;
      const definition = await this.definitions.published.get(
        repos,
        state.definitionId,
        state.definitionVersion,
      );
      if (definition) entries.push({ state, definition });
    }
    return ok({ entries, directory, next: page.next });
  }

  /** Every page of a search, up to MONITOR_EXPORT_MAX_ROWS rows; the first page checks the query. */
  async exportPages(
    tenantId: string,
    scope: FlowScope,
    query: MonitorQuery,
  ): Promise<Result<AsyncGenerator<MonitorPage>>> {
    const first = await this.search(tenantId, scope, query, EXPORT_PAGE);
    if (!first.ok) return first;
    const nextPage = (after: MonitorPosition) => this.search(tenantId, scope, query, EXPORT_PAGE, after);
    async function* pages(): AsyncGenerator<MonitorPage> {
      let page: MonitorPage | undefined = first.ok ? first.value : undefined;
      let rows = 0;
      while (page) {
        const entries = page.entries.slice(0, MONITOR_EXPORT_MAX_ROWS - rows);
        rows += entries.length;
        yield { ...page, entries };
        if (!page.next || rows >= MONITOR_EXPORT_MAX_ROWS) return;
        const next = await nextPage(page.next);
        page = next.ok ? next.value : undefined;
      }
    }
    return ok(pages());
  }

  /** The whole process as an admin sees it; the viewer is the admin (for the people API's shapes). */
  async detail(
    tenantId: string,
    scope: FlowScope,
    adminId: string,
    processId: string,
  ): Promise<Result<PersonProcessView>> {
    const found = await this.processes.get(tenantId, processId);
    if (!found.ok || !inScope(scope, found.value.state)) return notFound(processId);
    const { definition, state, directory } = found.value;
    const targets = new Map<string, string[]>();
    for (const task of state.tasks)
      if (task.status === 'in_progress') targets.set(task.id, returnTargets(definition, state, task));
    // The preview runs no command: the context's clock and ids are never used to change anything.
    const ctx = { now: this.ctx.clock.now(), newId: () => '', directory };
    return ok({
      ...found.value,
      viewerId: adminId,
      reasons: taskReasons(definition, state, directory),
      returnTargets: targets,
      upcoming: upcomingSteps(definition, state, ctx),
      systemSteps: await this.processes.systemSteps(tenantId, state),
    });
  }

  /** Runs one admin action; the process as it now is, or why not (nothing changed). */
  async act(
    tenantId: string,
    scope: FlowScope,
    adminId: string,
    processId: string,
    action: AdminAction,
  ): Promise<Result<PersonProcessView>> {
    const found = await this.processes.get(tenantId, processId);
    if (!found.ok || !inScope(scope, found.value.state)) return notFound(processId);
    const command = commandOf(action, adminId, found.value.directory);
    if (!command.ok) return command;
    const result = await this.processes.execute(tenantId, processId, command.value);
    if (!result.ok) return { ok: false, error: consoleFailure(result.error) };
    return this.detail(tenantId, scope, adminId, processId);
  }

  private filterOf(
    scope: FlowScope,
    query: MonitorQuery,
    directory: DirectorySnapshot,
  ): Result<MonitorFilter> {
    const problems: FieldViolation[] = [];
    let initiatorId: string | undefined;
    if (query.initiatorUserId !== undefined) {
      initiatorId = [...directory.employees.values()].find((e) => e.userId === query.initiatorUserId)?.id;
      if (initiatorId === undefined)
        problems.push({ field: 'initiator_user_id', description: 'no person with this user_id' });
    }
    let departmentIds: string[] | undefined;
    if (query.departmentId !== undefined) {
      const root = [...directory.departments.values()].find((d) => d.departmentId === query.departmentId);
      if (!root)
        problems.push({ field: 'department_id', description: 'no department with this department_id' });
      else departmentIds = subtree(directory, root.id);
    }
    if (
      query.startedFrom !== undefined &&
      query.startedBefore !== undefined &&
      query.startedFrom >= query.startedBefore
    )
      problems.push({ field: 'started_to', description: 'must be after started_from' });
    if (problems.length > 0) return invalidFields(problems);
    return ok({
      scope: scope === 'all' ? undefined : scope,
      statuses: query.statuses,
      definitionId: query.flowId,
      initiatorId,
      departmentIds,
      currentNodeId: query.currentNodeId,
      waitingBefore:
        query.waitingDays !== undefined ? this.ctx.clock.now() - query.waitingDays * DAY_MS : undefined,
      startedFrom: query.startedFrom,
      startedBefore: query.startedBefore,
    });
  }
}

export const inScope = (scope: FlowScope, state: ProcessState) =>
  scope === 'all' || scope.includes(state.definitionId);

/** A department and every department below it (internal ids). */
function subtree(directory: DirectorySnapshot, rootId: string): string[] {
  const children = new Map<string, string[]>();
  for (const d of directory.departments.values())
    if (d.parentId !== null) children.set(d.parentId, [...(children.get(d.parentId) ?? []), d.id]);
  const out: string[] = [];
  const seen = new Set<string>();
  const stack = [rootId];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

function commandOf(action: AdminAction, adminId: string, directory: DirectorySnapshot): Result<Command> {
  const actor = { system: true, admin: adminId } as const;
  switch (action.kind) {
    case 'reassign': {
      // Someone who left may hold the task; the one who takes it over must be active.
      const to = [...directory.employees.values()].find(
        (e) => e.userId === action.toUserId && e.employmentStatus === 'active',
      );
      if (!to) return invalidField('to_user_id', 'no active person with this user_id');
      return ok({
        kind: 'transfer',
        taskIds: action.taskIds,
        toUserId: to.id,
        remark: action.remark,
        ...actor,
      });
    }
    case 'return':
      return ok({
        kind: 'return',
        taskId: action.taskId,
        targetNodeDefId: action.targetNodeId,
        reason: action.reason,
        ...actor,
      });
    case 'withdraw':
    case 'revoke':
      if (action.reason.trim() === '')
        return invalidField('reason', 'say why (it is recorded in the audit trail)');
      return ok({ kind: action.kind, reason: action.reason.trim(), ...actor });
  }
}

function consoleFailure(error: Failure): Failure {
  if (!error.violations) return error;
  return {
    ...error,
    violations: error.violations.map((v) => ({ ...v, field: CONSOLE_FIELD[v.field] ?? v.field })),
  };
}
