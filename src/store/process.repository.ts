import type { ProcessState, ProcessStatus, WireEvent } from '../engine/process.js';
import { toPage, type Executor, type Page, type PageRequest } from './executor.js';
import { syncCcRows } from './inbox.repository.js';
import { insertRows } from './insert-rows.js';
import { keptQuery, sameKeys } from './kept-query.js';

export interface ProcessRecord {
  tenantId: string;
  state: ProcessState;
  /** Optimistic-concurrency version of the stored row. */
  version: number;
}

/** A new event of a command: the engine's event and the process as the command left it. */
export interface OutboxRow {
  id: string;
  tenantId: string;
  processId: string;
  event: WireEvent;
  bizType: string;
  definitionId: string;
  processStatus: ProcessStatus;
  createdAt: number;
}

export interface ProcessSearch {
  statuses?: string[] | undefined;
  definitionId?: string | undefined;
  initiatorId?: string | undefined;
  modifiedFrom?: number | undefined;
  modifiedTo?: number | undefined;
}

/** Where a page of the modified-window list ends. */
export interface ModifiedPosition {
  updatedAt: number;
  id: string;
}

export class ProcessRepository {
  constructor(private readonly db: Executor) {}

  async insert(tenantId: string, state: ProcessState): Promise<void> {
    await insertRows(this.db, 'processes', [
      {
        ...columns(state),
        tenant_id: tenantId,
        id: state.id,
        version: 1,
        state: JSON.stringify(state),
      },
    ]);
    await this.syncTasks(tenantId, state, undefined);
    await syncCcRows(this.db, tenantId, state, undefined);
  }

  /**
   * Writes the new state if the row is still at `expectedVersion`; false when another command won.
   * `previous` is the state read at that version: only the task index rows that differ from it are
   * written, so a command costs what it changed, not every task the process ever had.
   */
  async update(
    tenantId: string,
    state: ProcessState,
    expectedVersion: number,
    previous: ProcessState,
  ): Promise<boolean> {
    const changed = changedColumns(state, previous);
    const values = {
      ...changed,
      version: expectedVersion + 1,
      state: JSON.stringify(state),
      id: state.id,
      tenantId,
      expectedVersion,
    };
    const result = await keptQuery(this.db, `processes.update:${Object.keys(changed).join()}`, values, (v) =>
      this.db
        .updateTable('processes')
        .set({ ...sameKeys(changed, v), version: v.version, state: v.state })
        .where('id', '=', v.id)
        .where('tenant_id', '=', v.tenantId)
        .where('version', '=', v.expectedVersion),
    );
    if (Number(result.numAffectedRows) !== 1) return false;
    await this.syncTasks(tenantId, state, previous);
    await syncCcRows(this.db, tenantId, state, previous);
    return true;
  }

  async find(tenantId: string, id: string): Promise<ProcessRecord | undefined> {
    const [row] = (
      await keptQuery(this.db, 'processes.find', { tenantId, id }, (v) =>
        this.db
          .selectFrom('processes')
          .select(['state', 'version', 'tenant_id'])
          .where('tenant_id', '=', v.tenantId)
          .where('id', '=', v.id),
      )
    ).rows;
    return (
      row && { tenantId: row.tenant_id, state: JSON.parse(row.state) as ProcessState, version: row.version }
    );
  }

  /** Processes of a tenant matching the filter, one keyset page (plus one row to tell if there is more). */
  private matching(tenantId: string, filter: ProcessSearch, page: PageRequest) {
    let query = this.db
      .selectFrom('processes')
      .where('tenant_id', '=', tenantId)
      .orderBy('id')
      .limit(page.pageSize + 1);
    if (filter.statuses && filter.statuses.length > 0) query = query.where('status', 'in', filter.statuses);
    if (filter.definitionId !== undefined) query = query.where('definition_id', '=', filter.definitionId);
    if (filter.initiatorId !== undefined) query = query.where('initiator_id', '=', filter.initiatorId);
    if (filter.modifiedFrom !== undefined) query = query.where('updated_at', '>=', filter.modifiedFrom);
    if (filter.modifiedTo !== undefined) query = query.where('updated_at', '<=', filter.modifiedTo);
    if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
    return query;
  }

  async search(tenantId: string, filter: ProcessSearch, page: PageRequest): Promise<Page<ProcessState>> {
    const rows = await this.matching(tenantId, filter, page).select(['id', 'state']).execute();
    return toPage(
      rows.map((r) => JSON.parse(r.state) as ProcessState),
      page.pageSize,
      (s) => s.id,
    );
  }

  /**
   * Processes modified within a window, in order of (updated_at, id): one keyset page. The order
   * follows the window's index, so a page costs the same however wide the window is; a process
   * modified while a client pages moves to the end, where the client still meets it if the window
   * reaches that far.
   */
  async modifiedPage(
    tenantId: string,
    filter: ProcessSearch & { modifiedFrom: number; modifiedTo: number },
    pageSize: number,
    after?: ModifiedPosition,
  ): Promise<{ items: ModifiedPosition[]; next?: ModifiedPosition | undefined }> {
    let query = this.db
      .selectFrom('processes')
      .select(['id', 'updated_at'])
      .where('tenant_id', '=', tenantId)
      .where('updated_at', '<=', filter.modifiedTo)
      .orderBy('updated_at')
      .orderBy('id')
      .limit(pageSize + 1);
    // The position alone is the lower bound once it lies in the window: with a second bound on
    // updated_at, SQLite seeks by that one and walks every row before the position.
    if (after && after.updatedAt >= filter.modifiedFrom)
      query = query.where((eb) =>
        eb(eb.refTuple('updated_at', 'id'), '>', eb.tuple(after.updatedAt, after.id)),
      );
    else query = query.where('updated_at', '>=', filter.modifiedFrom);
    if (filter.statuses && filter.statuses.length > 0) query = query.where('status', 'in', filter.statuses);
    if (filter.definitionId !== undefined) query = query.where('definition_id', '=', filter.definitionId);
    const rows = (await query.execute()).map((r) => ({ id: r.id, updatedAt: r.updated_at }));
    const items = rows.slice(0, pageSize);
    return { items, next: rows.length > pageSize ? items.at(-1) : undefined };
  }

  /**
   * The last `limit` processes of a definition, most recently active first: one read down the
   * (tenant_id, definition_id, updated_at, id) index, for the console's publish impact.
   */
  async latestOfDefinition(tenantId: string, definitionId: string, limit: number): Promise<ProcessState[]> {
    const rows = await this.db
      .selectFrom('processes')
      .select(['state'])
      .where('tenant_id', '=', tenantId)
      .where('definition_id', '=', definitionId)
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => JSON.parse(r.state) as ProcessState);
  }

  async tasksOf(tenantId: string, assigneeId: string, statuses: string[] | undefined, page: PageRequest) {
    let query = this.db
      .selectFrom('process_tasks')
      .select(['id', 'process_id', 'status', 'type'])
      .where('tenant_id', '=', tenantId)
      .where('assignee_id', '=', assigneeId)
      .orderBy('id')
      .limit(page.pageSize + 1);
    if (statuses && statuses.length > 0) query = query.where('status', 'in', statuses);
    if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
    return toPage(await query.execute(), page.pageSize, (r) => r.id);
  }

  /**
   * Open tasks an out-of-office delegate (or someone further down the chain) holds for `personId`,
   * created in `[from, to)` (an open task's `updated_at` is when it was created).
   */
  async openTasksHeldFor(tenantId: string, personId: string, from: number, to: number, page: PageRequest) {
    let query = this.db
      .selectFrom('process_tasks')
      .select(['id', 'process_id', 'assignee_id'])
      .where('tenant_id', '=', tenantId)
      .where('on_behalf_of', '=', personId)
      .where('status', '=', 'in_progress')
      .where('updated_at', '>=', from)
      .where('updated_at', '<', to)
      .orderBy('id')
      .limit(page.pageSize + 1);
    if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
    return toPage(await query.execute(), page.pageSize, (r) => r.id);
  }

  /**
   * Outbox rows for a dispatcher to fan out later: written only by a writer that cannot make their
   * deliveries in its own transaction (`CommandBatch.events`). A server makes them there, and then the
   * deliveries are the events' record and no outbox row is written.
   */
  async appendOutbox(rows: readonly OutboxRow[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 100) {
      await insertRows(
        this.db,
        'outbox',
        rows.slice(i, i + 100).map((r) => ({
          id: r.id,
          tenant_id: r.tenantId,
          process_id: r.processId,
          kind: r.event.kind,
          // The stored form: the event's fields, then its process's (what the dispatcher reads back).
          payload: JSON.stringify({
            ...r.event,
            processId: r.processId,
            bizType: r.bizType,
            definitionId: r.definitionId,
            processStatus: r.processStatus,
          }),
          created_at: r.createdAt,
          fanned_out: 0,
        })),
      );
    }
  }

  /** Brings the task index in step with `state`, writing only rows that differ from `previous`'s. */
  private async syncTasks(
    tenantId: string,
    state: ProcessState,
    previous: ProcessState | undefined,
  ): Promise<void> {
    const before = new Map((previous ? taskRows(tenantId, previous) : []).map((r) => [r.id, r]));
    const rows = taskRows(tenantId, state);
    const changed = rows.filter((row) => {
      const old = before.get(row.id);
      return (
        old === undefined ||
        old.status !== row.status ||
        old.assignee_id !== row.assignee_id ||
        old.type !== row.type ||
        old.updated_at !== row.updated_at ||
        old.node_id !== row.node_id ||
        old.on_behalf_of !== row.on_behalf_of
      );
    });
    // The engine never drops a task; should a row have no task any more, the index must not keep it.
    const kept = new Set(rows.map((r) => r.id));
    const gone = [...before.keys()].filter((id) => !kept.has(id));
    if (gone.length > 0) await this.db.deleteFrom('process_tasks').where('id', 'in', gone).execute();
    for (let i = 0; i < changed.length; i += 100)
      await insertRows(
        this.db,
        'process_tasks',
        changed.slice(i, i + 100),
        (query) =>
          query.onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({
              assignee_id: eb.ref('excluded.assignee_id'),
              status: eb.ref('excluded.status'),
              type: eb.ref('excluded.type'),
              updated_at: eb.ref('excluded.updated_at'),
              node_id: eb.ref('excluded.node_id'),
              on_behalf_of: eb.ref('excluded.on_behalf_of'),
            })),
          ),
        'upsert',
      );
  }
}

/** The index rows of a state's tasks (the start node's `initiated` record is not a task to act on). */
function taskRows(tenantId: string, state: ProcessState) {
  const runDef = new Map(state.nodeRuns.map((r) => [r.id, r.defId]));
  return state.tasks
    .filter((t) => t.status !== 'initiated')
    .map((t) => ({
      id: t.id,
      tenant_id: tenantId,
      process_id: state.id,
      assignee_id: t.assigneeId,
      status: t.status,
      type: t.type,
      updated_at: t.completedAt ?? t.createdAt,
      node_id: runDef.get(t.nodeRunId) ?? null,
      on_behalf_of: t.onBehalfOf ?? null,
      definition_id: state.definitionId,
      initiator_id: state.initiatorId,
      process_created_at: state.createdAt,
    }));
}

function columns(state: ProcessState) {
  return {
    definition_id: state.definitionId,
    definition_version: state.definitionVersion,
    biz_type: state.bizType,
    status: state.status,
    initiator_id: state.initiatorId,
    created_at: state.createdAt,
    updated_at: state.updatedAt,
    completed_at: state.completedAt ?? null,
    waiting_since: waitingSince(state),
  };
}

/**
 * The columns an update writes: those that move with the process always, the ones fixed at its start
 * (flow, initiator, start time) only if they differ from `previous`. SQLite rewrites a row's entry in
 * every index holding a column the statement sets, whatever its value: setting the start's columns again
 * rewrote four of the table's eight indexes for nothing on every decision.
 */
function changedColumns(state: ProcessState, previous: ProcessState): Partial<ReturnType<typeof columns>> {
  const all = columns(state);
  const before = columns(previous);
  const fixedChanged = FIXED_COLUMNS.filter((key) => all[key] !== before[key]).map((key) => [key, all[key]]);
  return {
    status: all.status,
    updated_at: all.updated_at,
    completed_at: all.completed_at,
    waiting_since: all.waiting_since,
    ...(Object.fromEntries(fixedChanged) as Partial<ReturnType<typeof columns>>),
  };
}
const FIXED_COLUMNS = [
  'definition_id',
  'definition_version',
  'biz_type',
  'initiator_id',
  'created_at',
] as const;

/** When the oldest open task of a running process was assigned; null while nobody is asked. */
export function waitingSince(state: ProcessState): number | null {
  if (state.status !== 'in_progress' && state.status !== 'revoking') return null;
  let oldest: number | null = null;
  for (const task of state.tasks)
    if (task.status === 'in_progress' && (oldest === null || task.createdAt < oldest))
      oldest = task.createdAt;
  return oldest;
}
