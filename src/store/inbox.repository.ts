import type { ExpressionBuilder } from 'kysely';
import type { ProcessState } from '../engine/process.js';
import type { Database, ProcessTable } from './schema.js';
import type { Executor } from './executor.js';
import { insertRows } from './insert-rows.js';

/** Tasks a person has acted on (the "Done" tab). `skipped` and `cancelled` were decided for them. */
export const DONE_TASK_STATUSES = [
  'approved',
  'rejected',
  'transferred',
  'form_submitted',
  'rolled_back',
] as const;

export type InboxTab = 'todo' | 'done' | 'started' | 'cc';

/** What narrows a tab; every filter is on the process except `waitingBefore` (to-dos only). */
export interface InboxFilter {
  definitionId?: string | undefined;
  status?: string | undefined;
  /** On the process's start time, inclusive from, exclusive to (Unix ms). */
  startedFrom?: number | undefined;
  startedBefore?: number | undefined;
  /** Free text resolved by the service: the process id, or flows / initiators whose names match. */
  text?: { processId?: string; definitionIds: string[]; initiatorIds: string[] } | undefined;
  /** Overdue: todo — the task waits since before this; other tabs — the process has such a to-do. */
  waitingBefore?: number | undefined;
}

/** Where a page ends: the tab's sort key and the row's id (task id for to-dos, process id otherwise). */
export interface InboxPosition {
  sortAt: number;
  id: string;
}

export interface InboxRow {
  processId: string;
  /** todo: the task's id. */
  taskId?: string;
  sortAt: number;
}

/**
 * The approval center's four tabs for one person, as keyset pages in the tab's order (newest or
 * oldest first), with totals. Rows only name processes (and tasks); the service loads their states.
 */
export class InboxRepository {
  constructor(private readonly db: Executor) {}

  async page(
    tenantId: string,
    employeeId: string,
    tab: InboxTab,
    filter: InboxFilter,
    order: 'newest' | 'oldest',
    pageSize: number,
    after?: InboxPosition,
  ): Promise<{ rows: InboxRow[]; next?: InboxPosition }> {
    const dir = order === 'newest' ? 'desc' : 'asc';
    const cmp = order === 'newest' ? '<' : '>';
    let rows: InboxRow[];
    switch (tab) {
      case 'todo': {
        let q = this.todo(tenantId, employeeId, filter)
          .select(['t.id as task_id', 't.process_id', 't.updated_at as sort_at'])
          .orderBy('t.updated_at', dir)
          .orderBy('t.id', dir)
          .limit(pageSize + 1);
        if (after)
          q = q.where((eb) => eb(eb.refTuple('t.updated_at', 't.id'), cmp, eb.tuple(after.sortAt, after.id)));
        rows = (await q.execute()).map((r) => ({
          processId: r.process_id,
          taskId: r.task_id,
          sortAt: r.sort_at,
        }));
        break;
      }
      case 'done': {
        let q = this.done(tenantId, employeeId, filter)
          .select((eb) => ['t.process_id', eb.fn.max('t.updated_at').as('sort_at')])
          .groupBy('t.process_id')
          .orderBy('sort_at', dir)
          .orderBy('t.process_id', dir)
          .limit(pageSize + 1);
        if (after)
          q = q.having((eb) =>
            eb.or([
              eb(eb.fn.max('t.updated_at'), cmp, after.sortAt),
              eb.and([eb(eb.fn.max('t.updated_at'), '=', after.sortAt), eb('t.process_id', cmp, after.id)]),
            ]),
          );
        rows = (await q.execute()).map((r) => ({ processId: r.process_id, sortAt: r.sort_at }));
        break;
      }
      case 'started': {
        let q = this.started(tenantId, employeeId, filter)
          .select(['p.id', 'p.created_at as sort_at'])
          .orderBy('p.created_at', dir)
          .orderBy('p.id', dir)
          .limit(pageSize + 1);
        if (after)
          q = q.where((eb) => eb(eb.refTuple('p.created_at', 'p.id'), cmp, eb.tuple(after.sortAt, after.id)));
        rows = (await q.execute()).map((r) => ({ processId: r.id, sortAt: r.sort_at }));
        break;
      }
      case 'cc': {
        let q = this.cc(tenantId, employeeId, filter)
          .select(['c.process_id', 'c.created_at as sort_at'])
          .orderBy('c.created_at', dir)
          .orderBy('c.process_id', dir)
          .limit(pageSize + 1);
        if (after)
          q = q.where((eb) =>
            eb(eb.refTuple('c.created_at', 'c.process_id'), cmp, eb.tuple(after.sortAt, after.id)),
          );
        rows = (await q.execute()).map((r) => ({ processId: r.process_id, sortAt: r.sort_at }));
        break;
      }
    }
    if (rows.length <= pageSize) return { rows };
    const items = rows.slice(0, pageSize);
    const last = items[items.length - 1];
    return last
      ? { rows: items, next: { sortAt: last.sortAt, id: last.taskId ?? last.processId } }
      : { rows: items };
  }

  async count(tenantId: string, employeeId: string, tab: InboxTab, filter: InboxFilter): Promise<number> {
    let row: { n: number | string | bigint } | undefined;
    switch (tab) {
      case 'todo':
        row = await this.todo(tenantId, employeeId, filter)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst();
        break;
      case 'done':
        row = await this.done(tenantId, employeeId, filter)
          .select((eb) => eb.fn.count('t.process_id').distinct().as('n'))
          .executeTakeFirst();
        break;
      case 'started':
        row = await this.started(tenantId, employeeId, filter)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst();
        break;
      case 'cc':
        row = await this.cc(tenantId, employeeId, filter)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirst();
        break;
    }
    return Number(row?.n ?? 0);
  }

  /** The states of the given processes of a tenant (others' ids are simply absent). */
  async states(tenantId: string, processIds: readonly string[]): Promise<Map<string, ProcessState>> {
    if (processIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('processes')
      .select(['id', 'state'])
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', [...processIds])
      .execute();
    return new Map(rows.map((r) => [r.id, JSON.parse(r.state) as ProcessState]));
  }

  /**
   * A person's to-dos. The filters read the process facts each task row carries (flow, initiator,
   * start time: migration 0025), so neither a page nor its total reads a process row per to-do —
   * except a filter on the process's status, which changes.
   */
  private todo(tenantId: string, employeeId: string, filter: InboxFilter) {
    let q = this.db
      .selectFrom('process_tasks as t')
      .where('t.tenant_id', '=', tenantId)
      .where('t.assignee_id', '=', employeeId)
      .where('t.status', '=', 'in_progress');
    if (filter.waitingBefore !== undefined) q = q.where('t.updated_at', '<', filter.waitingBefore);
    if (filter.definitionId !== undefined) q = q.where('t.definition_id', '=', filter.definitionId);
    if (filter.startedFrom !== undefined) q = q.where('t.process_created_at', '>=', filter.startedFrom);
    if (filter.startedBefore !== undefined) q = q.where('t.process_created_at', '<', filter.startedBefore);
    const { text, status } = filter;
    if (text)
      q = q.where((eb) =>
        eb.or([
          ...(text.processId !== undefined ? [eb('t.process_id', '=', text.processId)] : []),
          ...(text.definitionIds.length > 0 ? [eb('t.definition_id', 'in', text.definitionIds)] : []),
          ...(text.initiatorIds.length > 0 ? [eb('t.initiator_id', 'in', text.initiatorIds)] : []),
        ]),
      );
    if (status !== undefined)
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('processes as p')
            .select('p.id')
            .whereRef('p.id', '=', 't.process_id')
            .where('p.status', '=', status),
        ),
      );
    return q;
  }

  private done(tenantId: string, employeeId: string, filter: InboxFilter) {
    const q = this.db
      .selectFrom('process_tasks as t')
      .innerJoin('processes as p', 'p.id', 't.process_id')
      .where('t.tenant_id', '=', tenantId)
      .where('t.assignee_id', '=', employeeId)
      .where('t.status', 'in', [...DONE_TASK_STATUSES]);
    return this.filtered(q, filter);
  }

  private started(tenantId: string, employeeId: string, filter: InboxFilter) {
    const q = this.db
      .selectFrom('processes as p')
      .where('p.tenant_id', '=', tenantId)
      .where('p.initiator_id', '=', employeeId);
    return this.filtered(q, filter);
  }

  private cc(tenantId: string, employeeId: string, filter: InboxFilter) {
    const q = this.db
      .selectFrom('process_ccs as c')
      .innerJoin('processes as p', 'p.id', 'c.process_id')
      .where('c.tenant_id', '=', tenantId)
      .where('c.recipient_id', '=', employeeId);
    return this.filtered(q, filter);
  }

  /**
   * The process-level filters of the done, started and CC tabs (`p` is the processes table); overdue:
   * the process has a to-do waiting since before then. The to-do tab filters its task rows (`todo`).
   */
  private filtered<Q extends ProcessFilterable>(q: Q, filter: InboxFilter): Q {
    let out = q;
    if (filter.definitionId !== undefined) out = out.where('p.definition_id', '=', filter.definitionId) as Q;
    if (filter.status !== undefined) out = out.where('p.status', '=', filter.status) as Q;
    if (filter.startedFrom !== undefined) out = out.where('p.created_at', '>=', filter.startedFrom) as Q;
    if (filter.startedBefore !== undefined) out = out.where('p.created_at', '<', filter.startedBefore) as Q;
    const text = filter.text;
    if (text)
      out = out.where((eb: PEb) =>
        eb.or([
          ...(text.processId !== undefined ? [eb('p.id', '=', text.processId)] : []),
          ...(text.definitionIds.length > 0 ? [eb('p.definition_id', 'in', text.definitionIds)] : []),
          ...(text.initiatorIds.length > 0 ? [eb('p.initiator_id', 'in', text.initiatorIds)] : []),
        ]),
      ) as Q;
    const waitingBefore = filter.waitingBefore;
    if (waitingBefore !== undefined)
      out = out.where((eb: PEb) =>
        eb.exists(
          eb
            .selectFrom('process_tasks as o')
            .select('o.id')
            .whereRef('o.process_id', '=', 'p.id')
            .where('o.status', '=', 'in_progress')
            .where('o.updated_at', '<', waitingBefore),
        ),
      ) as Q;
    return out;
  }
}

type PEb = ExpressionBuilder<Database & { p: ProcessTable }, 'p'>;

// The tab queries differ in their joined tables; the filters only touch `p` (processes).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ProcessFilterable = { where: (...args: any[]) => any };

/** Brings `process_ccs` in step with the state: a row for each person copied, at their first copy. */
export async function syncCcRows(
  db: Executor,
  tenantId: string,
  state: ProcessState,
  previous: ProcessState | undefined,
): Promise<void> {
  // Tolerates states written before CCs existed (and partial states in repository tests).
  const ccsOf = (s: ProcessState | undefined) => (s?.ccs as ProcessState['ccs'] | null) ?? [];
  const before = new Set(ccsOf(previous).map((c) => c.recipientId));
  const added = new Map<string, number>();
  for (const cc of ccsOf(state))
    if (!before.has(cc.recipientId) && !added.has(cc.recipientId)) added.set(cc.recipientId, cc.createdAt);
  if (added.size === 0) return;
  await insertRows(
    db,
    'process_ccs',
    [...added].map(([recipient, at]) => ({
      tenant_id: tenantId,
      process_id: state.id,
      recipient_id: recipient,
      created_at: at,
    })),
    (query) => query.onConflict((oc) => oc.columns(['process_id', 'recipient_id']).doNothing()),
    'new-only',
  );
}
