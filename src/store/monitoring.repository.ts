import type { ExpressionBuilder, SelectQueryBuilder } from 'kysely';
import type { Executor } from './executor.js';
import type { Database } from './schema.js';

/** What narrows the admin console's process search (docs/console-api.md "Process monitoring"). */
export interface MonitorFilter {
  /** Flows the searching admin may see; undefined for a tenant admin (every flow). */
  scope?: readonly string[] | undefined;
  statuses?: readonly string[] | undefined;
  definitionId?: string | undefined;
  initiatorId?: string | undefined;
  /** Internal ids of a department and every department below it: the initiator is in one of them. */
  departmentIds?: readonly string[] | undefined;
  /** A node (definition id) with an open task now. */
  currentNodeId?: string | undefined;
  /** Its oldest open task was assigned before this instant (Unix ms). */
  waitingBefore?: number | undefined;
  /** Started at or after / before this instant (Unix ms). */
  startedFrom?: number | undefined;
  startedBefore?: number | undefined;
}

export type MonitorSort = 'newest' | 'waiting';

/**
 * Where a page ends. `newest`: (created_at, id) descending. `waiting`: first the waiting processes by
 * (waiting_since, id) ascending, then (`waiting: null`) those nobody is asked about, newest first.
 */
export interface MonitorPosition {
  waiting: number | null;
  createdAt: number;
  id: string;
}

export interface MonitorRow {
  id: string;
  createdAt: number;
  waitingSince: number | null;
}

type Query = SelectQueryBuilder<Database, 'processes', object>;
type Eb = ExpressionBuilder<Database, 'processes'>;

/** The console's process search as keyset pages that follow an index in either order. */
export class MonitoringRepository {
  constructor(private readonly db: Executor) {}

  async page(
    tenantId: string,
    filter: MonitorFilter,
    sort: MonitorSort,
    pageSize: number,
    after?: MonitorPosition,
  ): Promise<{ rows: MonitorRow[]; next?: MonitorPosition }> {
    const rows: MonitorRow[] = [];
    const want = pageSize + 1;
    if (sort === 'waiting' && (after === undefined || after.waiting !== null)) {
      let q = this.base(tenantId, filter)
        .where('waiting_since', 'is not', null)
        .orderBy('waiting_since')
        .orderBy('id')
        .limit(want);
      if (after?.waiting != null) {
        const since = after.waiting;
        q = q.where((eb) => eb(eb.refTuple('waiting_since', 'id'), '>', eb.tuple(since, after.id)));
      }
      rows.push(...(await this.select(q)));
    }
    if (rows.length < want) {
      let q = this.base(tenantId, filter)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(want - rows.length);
      if (sort === 'waiting') q = q.where('waiting_since', 'is', null);
      // A position from the first phase means this phase starts from its beginning.
      if (after && (sort === 'newest' || after.waiting === null))
        q = q.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(after.createdAt, after.id)));
      rows.push(...(await this.select(q)));
    }
    if (rows.length <= pageSize) return { rows };
    const items = rows.slice(0, pageSize);
    const last = items[items.length - 1];
    if (!last) return { rows: items };
    return {
      rows: items,
      next: {
        waiting: sort === 'waiting' ? last.waitingSince : null,
        createdAt: last.createdAt,
        id: last.id,
      },
    };
  }

  private async select(q: Query): Promise<MonitorRow[]> {
    const rows = await q.select(['id', 'created_at', 'waiting_since']).execute();
    return rows.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      waitingSince: r.waiting_since,
    }));
  }

  private base(tenantId: string, filter: MonitorFilter): Query {
    let q: Query = this.db.selectFrom('processes').where('tenant_id', '=', tenantId);
    if (filter.scope !== undefined) {
      // A process admin of no flow sees nothing (the route refuses them before this).
      if (filter.scope.length === 0) return q.where((eb) => eb.lit(false));
      q = q.where('definition_id', 'in', [...filter.scope]);
    }
    if (filter.statuses && filter.statuses.length > 0) q = q.where('status', 'in', [...filter.statuses]);
    if (filter.definitionId !== undefined) q = q.where('definition_id', '=', filter.definitionId);
    if (filter.initiatorId !== undefined) q = q.where('initiator_id', '=', filter.initiatorId);
    const departments = filter.departmentIds;
    if (departments !== undefined)
      q = q.where('initiator_id', 'in', (eb: Eb) =>
        eb
          .selectFrom('employees')
          .select('employees.id')
          .where('employees.tenant_id', '=', tenantId)
          .where('employees.department_id', 'in', departments.length > 0 ? [...departments] : ['']),
      );
    const node = filter.currentNodeId;
    if (node !== undefined)
      q = q.where('id', 'in', (eb: Eb) =>
        eb
          .selectFrom('process_tasks')
          .select('process_tasks.process_id')
          .where('process_tasks.tenant_id', '=', tenantId)
          .where('process_tasks.node_id', '=', node)
          .where('process_tasks.status', '=', 'in_progress'),
      );
    if (filter.waitingBefore !== undefined) q = q.where('waiting_since', '<', filter.waitingBefore);
    if (filter.startedFrom !== undefined) q = q.where('created_at', '>=', filter.startedFrom);
    if (filter.startedBefore !== undefined) q = q.where('created_at', '<', filter.startedBefore);
    return q;
  }
}
