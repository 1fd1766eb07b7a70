import { PostgresAdapter, sql, type Insertable, type Selectable } from 'kysely';
import type { Executor } from './executor.js';
import type { JobStatus, JobTable } from './schema.js';
import { announceChange } from './cache-changes.js';
import { insertRows } from './insert-rows.js';
import { keptQuery, sameKeys } from './kept-query.js';

export type JobRow = Selectable<JobTable>;

export interface NewJob {
  id: string;
  tenantId: string;
  kind: string;
  key: string;
  processId?: string | undefined;
  dueAt: number;
  payload: unknown;
}

export interface JobFilter {
  status?: JobStatus | undefined;
  kind?: string | undefined;
  processId?: string | undefined;
}

/** A new job's row: pending, due at its time, never tried. */
const jobRow = (job: NewJob, now: number): Insertable<JobTable> => ({
  id: job.id,
  tenant_id: job.tenantId,
  kind: job.kind,
  key: job.key,
  process_id: job.processId ?? null,
  due_at: job.dueAt,
  status: 'pending',
  attempts: 0,
  lease_until: 0,
  lease_owner: null,
  last_error: null,
  payload: JSON.stringify(job.payload),
  result: null,
  created_at: now,
  updated_at: now,
});

/**
 * The jobs table (docs/adr/0007-durable-jobs.md). Claims take a lease: a runner that dies lets its
 * lease run out and another claims the job again. Every write after the claim names the lease owner,
 * so a runner whose lease was taken over cannot settle a job it no longer owns.
 */
export class JobRepository {
  constructor(private readonly db: Executor) {}

  /** Inserts; a job whose idempotency key exists already is left as it is. Returns how many were new. */
  async enqueue(jobs: readonly NewJob[], now: number): Promise<number> {
    let inserted = 0;
    for (let i = 0; i < jobs.length; i += 50)
      inserted += (await this.insertNew(jobs.slice(i, i + 50).map((job) => jobRow(job, now)))).length;
    return inserted;
  }

  /**
   * Records a job its first run finished in the caller's transaction (a business action applied in the
   * approval's own: docs/actions.md): done, one attempt, with its result. False when a job with its
   * idempotency key exists already (nothing is written).
   */
  async recordDone(job: NewJob, result: unknown, now: number): Promise<boolean> {
    const row = { ...jobRow(job, now), status: 'done' as const, attempts: 1, result: JSON.stringify(result) };
    return (await this.insertNew([row])).length === 1;
  }

  private insertNew(rows: readonly Insertable<JobTable>[]) {
    return insertRows(
      this.db,
      'jobs',
      rows,
      (query) =>
        query.onConflict((oc) => oc.columns(['tenant_id', 'kind', 'key']).doNothing()).returning('id'),
      'new-only',
    );
  }

  /** Cancels a process's pending jobs of one kind, except the keys listed (still wanted). */
  async cancelPending(
    tenantId: string,
    processId: string,
    kind: string,
    keep: readonly string[],
    now: number,
    reason: string,
  ): Promise<number> {
    let query = this.db
      .updateTable('jobs')
      .set({ status: 'cancelled', last_error: reason, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('process_id', '=', processId)
      .where('kind', '=', kind)
      .where('status', '=', 'pending');
    if (keep.length > 0) query = query.where('key', 'not in', keep);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Takes up to `limit` jobs that are due (or whose runner's lease ran out), oldest due first. On
   * PostgreSQL `FOR UPDATE SKIP LOCKED` lets servers claim side by side without waiting on each other;
   * the status condition of the UPDATE alone already makes each claim exclusive.
   */
  async claim(now: number, limit: number, leaseMs: number, owner: string): Promise<JobRow[]> {
    const postgres = this.db.getExecutor().adapter instanceof PostgresAdapter;
    const due = (status: JobStatus) => {
      let query = this.db
        .selectFrom('jobs')
        .select('id')
        .where('status', '=', status)
        .where(status === 'pending' ? 'due_at' : 'lease_until', '<=', now)
        .orderBy(status === 'pending' ? 'due_at' : 'lease_until')
        .limit(limit);
      if (postgres) query = query.forUpdate().skipLocked();
      return query;
    };
    const claimed: JobRow[] = [];
    for (const status of ['running', 'pending'] as const) {
      if (claimed.length >= limit) break;
      const rows = await this.db
        .updateTable('jobs')
        .set((eb) => ({
          status: 'running',
          lease_until: now + leaseMs,
          lease_owner: owner,
          attempts: eb('attempts', '+', 1),
          updated_at: now,
        }))
        .where('status', '=', status)
        .where('id', 'in', due(status))
        .returningAll()
        .execute();
      claimed.push(...rows);
    }
    return claimed.sort((a, b) => a.due_at - b.due_at || (a.id < b.id ? -1 : 1)).slice(0, limit);
  }

  /** Settles a claimed job; false when this owner no longer holds it (its lease was taken over). */
  async settle(
    id: string,
    owner: string,
    outcome:
      | { status: 'done'; result?: unknown }
      | { status: 'failed' | 'cancelled'; error: string }
      | { status: 'pending'; error: string; dueAt: number },
    now: number,
  ): Promise<boolean> {
    const set =
      outcome.status === 'done'
        ? {
            status: 'done' as const,
            last_error: null,
            result: outcome.result === undefined ? null : JSON.stringify(outcome.result),
          }
        : outcome.status === 'pending'
          ? { status: 'pending' as const, last_error: outcome.error.slice(0, 1000), due_at: outcome.dueAt }
          : { status: outcome.status, last_error: outcome.error.slice(0, 1000) };
    const values = { ...set, updated_at: now, id, owner };
    const result = await keptQuery(this.db, `jobs.settle:${Object.keys(set).join()}`, values, (v) =>
      this.db
        .updateTable('jobs')
        .set({ ...sameKeys(set, v), lease_until: 0, lease_owner: null, updated_at: v.updated_at })
        .where('id', '=', v.id)
        .where('status', '=', 'running')
        .where('lease_owner', '=', v.owner),
    );
    return Number(result.numAffectedRows) === 1;
  }

  /** A claimed job waits until `dueAt` with a new payload (a planned change not yet effective), attempts reset. */
  async postpone(id: string, owner: string, dueAt: number, payload: unknown, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('jobs')
      .set({
        status: 'pending',
        due_at: dueAt,
        attempts: 0,
        payload: JSON.stringify(payload),
        lease_until: 0,
        lease_owner: null,
        last_error: null,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('status', '=', 'running')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** The earliest due time of a pending job, for the runner's next wake-up. */
  async nextDueAt(): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('jobs')
      .select((eb) => eb.fn.min('due_at').as('due'))
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return row?.due ?? undefined;
  }

  async find(tenantId: string, id: string): Promise<JobRow | undefined> {
    return this.db
      .selectFrom('jobs')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async findByKey(tenantId: string, kind: string, key: string): Promise<JobRow | undefined> {
    return this.db
      .selectFrom('jobs')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', kind)
      .where('key', '=', key)
      .executeTakeFirst();
  }

  /** A process's jobs of the given kinds, oldest first (bounded: a process has few). */
  async ofProcess(tenantId: string, processId: string, kinds: readonly string[]): Promise<JobRow[]> {
    if (kinds.length === 0) return [];
    return this.db
      .selectFrom('jobs')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('process_id', '=', processId)
      .where('kind', 'in', kinds)
      .orderBy('created_at')
      .orderBy('id')
      .limit(500)
      .execute();
  }

  /** A tenant's jobs, newest first, a page at a time. */
  async list(tenantId: string, filter: JobFilter, pageSize: number, beforeId?: string): Promise<JobRow[]> {
    let query = this.db
      .selectFrom('jobs')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .orderBy('id', 'desc')
      .limit(pageSize + 1);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.kind) query = query.where('kind', '=', filter.kind);
    if (filter.processId) query = query.where('process_id', '=', filter.processId);
    if (beforeId !== undefined) query = query.where('id', '<', beforeId);
    return query.execute();
  }

  /**
   * Deletes up to `limit` settled notification-send jobs (`notify`: done, failed or cancelled) made
   * before `before`, through the partial index `jobs_settled_notify` (migration 0031, whose condition
   * the query repeats word for word: SQLite's planner took the jobs' due index for an `in` list of the
   * settled states); returns how many. Jobs of processes are records and stay.
   */
  async deleteSettledNotifyBefore(before: number, limit: number): Promise<number> {
    const result = await this.db
      .deleteFrom('jobs')
      .where(
        'id',
        'in',
        this.db
          .selectFrom('jobs')
          .select('id')
          .where(sql<boolean>`kind = 'notify' and status <> 'pending' and status <> 'running'`)
          .where('created_at', '<', before)
          .orderBy('created_at')
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** A failed (or cancelled) job runs again now, from a fresh count of attempts. */
  async retry(tenantId: string, id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('jobs')
      .set({
        status: 'pending',
        attempts: 0,
        due_at: now,
        lease_until: 0,
        lease_owner: null,
        updated_at: now,
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('status', '=', 'failed')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Cancels one pending job by its key (e.g. a not-yet-effective change whose process was revoked). */
  async cancelByKey(
    tenantId: string,
    kind: string,
    key: string,
    now: number,
    reason: string,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('jobs')
      .set({ status: 'cancelled', last_error: reason, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', kind)
      .where('key', '=', key)
      .where('status', 'in', ['pending', 'failed'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** A pending job of this key comes due at `dueAt` instead (e.g. a hand-back brought forward by a cancel). */
  async rescheduleByKey(
    tenantId: string,
    kind: string,
    key: string,
    dueAt: number,
    now: number,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('jobs')
      .set({ due_at: dueAt, updated_at: now })
      .where('tenant_id', '=', tenantId)
      .where('kind', '=', kind)
      .where('key', '=', key)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async countsByStatus(tenantId: string): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('jobs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('tenant_id', '=', tenantId)
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }
}

/** Each tenant's working-time calendar, as stored JSON. */
export class CalendarRepository {
  constructor(private readonly db: Executor) {}

  async get(tenantId: string): Promise<{ calendar: string; updatedAt: number } | undefined> {
    const row = await this.db
      .selectFrom('tenant_calendars')
      .select(['calendar', 'updated_at'])
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return row ? { calendar: row.calendar, updatedAt: row.updated_at } : undefined;
  }

  async put(tenantId: string, calendar: string, now: number): Promise<void> {
    await this.db
      .insertInto('tenant_calendars')
      .values({ tenant_id: tenantId, calendar, updated_at: now })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ calendar, updated_at: now }))
      .execute();
    await announceChange(this.db, { kind: 'calendar', tenantId });
  }
}
