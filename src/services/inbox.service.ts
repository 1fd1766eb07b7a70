import type { DirectorySnapshot } from '../engine/approver-resolution.js';
import type { FlowDefinition } from '../engine/definition.js';
import type { ProcessState, Task } from '../engine/process.js';
import { canSeeProcess } from '../engine/visibility.js';
import {
  DONE_TASK_STATUSES,
  type InboxFilter,
  type InboxPosition,
  type InboxTab,
} from '../store/inbox.repository.js';
import { matches } from './approval-center.service.js';
import { repositories, type ServiceContext } from './context.js';
import type { DefinitionService } from './definition.service.js';
import type { ProcessService } from './process.service.js';
import type { Failure } from './result.js';
import type { PersonSession } from './session.service.js';

export type { InboxTab, InboxPosition } from '../store/inbox.repository.js';

/** A to-do waiting longer than this is overdue (the approval center's red mark and filter). */
export const OVERDUE_AFTER_MS = 48 * 60 * 60 * 1000;
/** At most this many people match a search by initiator name (a broader search narrows nothing). */
const MAX_MATCHED_INITIATORS = 500;
export const MAX_BATCH_APPROVE = 50;

export interface InboxQuery {
  tab: InboxTab;
  query?: string | undefined;
  flowId?: string | undefined;
  status?: string | undefined;
  /** On the process's start: from inclusive, to exclusive (Unix ms). */
  from?: number | undefined;
  to?: number | undefined;
  overdue?: boolean | undefined;
  sort: 'newest' | 'oldest';
  pageSize: number;
  after?: InboxPosition | undefined;
}

export interface InboxEntry {
  state: ProcessState;
  definition: FlowDefinition;
  /** todo: the open task; done: the person's latest decided task here. */
  task?: Task;
  /** The node of `task`. */
  nodeDefId?: string;
  overdue: boolean;
  batchApprovable: boolean;
}

export interface InboxPage {
  entries: InboxEntry[];
  next?: InboxPosition;
  total: number;
  directory: DirectorySnapshot;
  /** When the first of these items turns overdue (its flag would change without any process change). */
  staleAt: number;
}

export interface BatchOutcome {
  processId: string;
  taskId: string;
  error?: Failure;
}

/**
 * The approval center's inbox for the signed-in person: the four tabs (To do, Done, Started by me,
 * CC me) with filters, totals and keyset pages, and batch approval of to-dos — each item decided on
 * its own by the engine, as the person (never with system powers).
 */
export class InboxService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly definitions: DefinitionService,
    private readonly processes: ProcessService,
  ) {}

  async counts(session: PersonSession): Promise<Record<InboxTab, number>> {
    const repo = repositories(this.ctx.db).inbox;
    const [tenantId, me] = [session.tenant.id, session.employee.id];
    const [todo, done, started, cc] = await Promise.all(
      (['todo', 'done', 'started', 'cc'] as const).map((tab) => repo.count(tenantId, me, tab, {})),
    );
    return { todo: todo ?? 0, done: done ?? 0, started: started ?? 0, cc: cc ?? 0 };
  }

  async list(session: PersonSession, query: InboxQuery): Promise<InboxPage> {
    const repos = repositories(this.ctx.db);
    const [tenantId, me] = [session.tenant.id, session.employee.id];
    const directory = await this.processes.directory(tenantId);
    const now = this.ctx.clock.now();
    const filter: InboxFilter = {
      definitionId: query.flowId,
      status: query.status,
      startedFrom: query.from,
      startedBefore: query.to,
      waitingBefore: query.overdue === true ? now - OVERDUE_AFTER_MS : undefined,
      text: await this.textFilter(tenantId, query.query, directory),
    };
    const [page, total] = await Promise.all([
      repos.inbox.page(tenantId, me, query.tab, filter, query.sort, query.pageSize, query.after),
      repos.inbox.count(tenantId, me, query.tab, filter),
    ]);
    const states = await repos.inbox.states(
      tenantId,
      page.rows.map((r) => r.processId),
    );
    const entries: InboxEntry[] = [];
    for (const row of page.rows) {
      const state = states.get(row.processId);
      if (!state) continue;
      const definition = await this.definitions.published.get(
        repos,
        state.definitionId,
        state.definitionVersion,
      );
      if (!definition) continue;
      entries.push(this.entry(query.tab, state, definition, me, row.taskId, now));
    }
    let staleAt = Infinity;
    for (const entry of entries) {
      const waiting = entry.task ? [entry.task] : entry.state.tasks.filter((t) => t.status === 'in_progress');
      for (const t of waiting) {
        const turnsOverdue = t.createdAt + OVERDUE_AFTER_MS;
        if (turnsOverdue > now && turnsOverdue < staleAt) staleAt = turnsOverdue;
      }
    }
    return { entries, ...(page.next ? { next: page.next } : {}), total, directory, staleAt };
  }

  /**
   * Approves each to-do on its own (at most 50): the result of one never stops the others. A process
   * the person may not see answers `process_not_found`, whoever's task it is.
   */
  async batchApprove(
    session: PersonSession,
    items: readonly { processId: string; taskId: string }[],
    opinion: string | undefined,
  ): Promise<BatchOutcome[]> {
    const [tenantId, me] = [session.tenant.id, session.employee.id];
    const seen = new Set<string>();
    return Promise.all(
      items.map(async ({ processId, taskId }): Promise<BatchOutcome> => {
        const key = `${processId}/${taskId}`;
        if (seen.has(key))
          return {
            processId,
            taskId,
            error: { kind: 'invalid_field', message: 'this task is listed twice in the batch' },
          };
        seen.add(key);
        const view = await this.processes.get(tenantId, processId);
        if (!view.ok || !canSeeProcess(view.value.definition, view.value.state, me))
          return {
            processId,
            taskId,
            error: { kind: 'process_not_found', message: `process ${processId} not found` },
          };
        const done = await this.processes.execute(tenantId, processId, {
          kind: 'approve',
          taskId,
          reason: opinion,
          operatorId: me,
          system: false,
        });
        return done.ok ? { processId, taskId } : { processId, taskId, error: done.error };
      }),
    );
  }

  private entry(
    tab: InboxTab,
    state: ProcessState,
    definition: FlowDefinition,
    me: string,
    taskId: string | undefined,
    now: number,
  ): InboxEntry {
    let task: Task | undefined;
    if (tab === 'todo') task = state.tasks.find((t) => t.id === taskId);
    else if (tab === 'done') {
      const decided = state.tasks.filter(
        (t) => t.assigneeId === me && (DONE_TASK_STATUSES as readonly string[]).includes(t.status),
      );
      task = decided.reduce<Task | undefined>(
        (latest, t) => (!latest || (t.completedAt ?? 0) >= (latest.completedAt ?? 0) ? t : latest),
        undefined,
      );
    }
    const nodeDefId = task ? state.nodeRuns.find((r) => r.id === task.nodeRunId)?.defId : undefined;
    const threshold = now - OVERDUE_AFTER_MS;
    const overdue =
      tab === 'todo'
        ? task !== undefined && task.status === 'in_progress' && task.createdAt < threshold
        : state.status === 'in_progress' &&
          state.tasks.some((t) => t.status === 'in_progress' && t.createdAt < threshold);
    return {
      state,
      definition,
      ...(task ? { task } : {}),
      ...(nodeDefId !== undefined ? { nodeDefId } : {}),
      overdue,
      batchApprovable: tab === 'todo' && task !== undefined && batchApprovable(definition, state, task),
    };
  }

  /** A search box's text → what it can mean: a process id, flows or initiators by name. */
  private async textFilter(
    tenantId: string,
    text: string | undefined,
    directory: DirectorySnapshot,
  ): Promise<InboxFilter['text']> {
    const q = text?.trim();
    if (!q) return undefined;
    const flows = await this.definitions.latestPublished(tenantId);
    const definitionIds = flows
      .filter(({ definition: d }) => matches(q, d.name.zh_cn, d.name.en_us))
      .map(({ definition: d }) => d.id);
    const initiatorIds = [...directory.employees.values()]
      .filter((e) => matches(q, e.name.zh_cn, e.name.en_us, e.email, e.userId))
      .slice(0, MAX_MATCHED_INITIATORS)
      .map((e) => e.id);
    return { ...(/^\d{1,19}$/.test(q) ? { processId: q } : {}), definitionIds, initiatorIds };
  }
}

/**
 * A to-do one may approve in a batch: an approval (not a form to fill) whose node requires no
 * fields — approving needs no opinion, so nothing would be missing.
 */
export function batchApprovable(definition: FlowDefinition, state: ProcessState, task: Task): boolean {
  if (task.type !== 'approval' || task.status !== 'in_progress') return false;
  const run = state.nodeRuns.find((r) => r.id === task.nodeRunId);
  if (run?.kind === 'revoke_approval') return true;
  const node = definition.nodes.find((n) => n.id === run?.defId);
  return node?.kind === 'approval' && node.requiredFields.length === 0;
}
