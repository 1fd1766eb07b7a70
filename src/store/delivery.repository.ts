import { sql, type Selectable } from 'kysely';
import { toPage, type Executor, type Page, type PageRequest } from './executor.js';
import { insertRows } from './insert-rows.js';
import { keptQuery, keptQueryInChunks } from './kept-query.js';
import type { DeliveryStatus, EventDeliveryTable, OutboxTable } from './schema.js';

/** A delivery as reads show it: `status` 'sending' while it is out on a send (shownStatus). */
export type DeliveryRow = Omit<Selectable<EventDeliveryTable>, 'status'> & { status: DeliveryStatus };

export type OutboxEntry = Selectable<OutboxTable>;
/** A delivery in a dispatcher queue: everything but the event body, read only for the ones sent. */
export type QueuedDelivery = Omit<DeliveryRow, 'event'>;

/**
 * Waiting or out on a send, by mode: the conditions of the partial indexes of open deliveries,
 * `event_deliveries_open_webhook` and `event_deliveries_open_long_connection` (migration 0030). Written
 * out, not bound: a planner uses a partial index only for a query whose condition implies the index's,
 * which a parameter's value cannot show (migration 0027). The store keeps no 'sending' any more
 * (migration 0028), but the indexes' conditions name it, and a query's condition must repeat theirs
 * word for word.
 */
const IS_OPEN_WEBHOOK = sql<boolean>`status in ('pending', 'sending') and mode = 'webhook'`;
const IS_OPEN_LONG_CONNECTION = sql<boolean>`status in ('pending', 'sending') and mode = 'long_connection'`;
/**
 * Open or parked: the partial index `event_deliveries_unsettled`'s condition, written out the same way.
 * A query for one of those states names it too (beside its own status test), so that the planner may
 * read the few unsettled rows instead of every delivery ever made.
 */
const IS_UNSETTLED = sql<boolean>`status in ('pending', 'sending', 'failed')`;

/**
 * A delivery out on a send is stored as `pending` with its lease (`lease_until` > 0): taking or giving
 * back a lease then writes the row alone, where a status change rewrote its entry in the five indexes
 * that hold `status` (migration 0028). Every read shows it as `sending`, as before; `alias` is the
 * table's alias in the query, if it has one.
 */
function shownStatus(alias?: 'd') {
  const column = (name: string) => sql.ref(alias ? `${alias}.${name}` : name);
  return sql<DeliveryStatus>`case when ${column('status')} = 'pending' and ${column('lease_until')} > 0 then 'sending' else ${column('status')} end`;
}
/** Stored `pending` and out on a send (leased; the lease may have run out). */
const OUT_ON_A_SEND = sql<boolean>`lease_until > 0`;
/** Stored `pending` and not out on a send. */
const NOT_LEASED = sql.lit(0);
/**
 * `fanned_out = 0`, the partial index `outbox_unfanned`'s condition. SQLite would use a bound 0, but a
 * statement whose plan rests on a bound value is compiled again on every run.
 */
const UNFANNED = sql.lit(0);
/** `fanned_out = 1`, written out likewise: a bound 1 may let a planner weigh the index of unfanned rows. */
const FANNED = sql.lit(1);

/** What a queue read shows of a delivery but its status (shownStatus) and body. */
const QUEUE_COLUMNS = [
  'id',
  'event_id',
  'tenant_id',
  'app_id',
  'process_id',
  'outbox_id',
  'event_type',
  'mode',
  'attempts',
  'next_attempt_at',
  'lease_until',
  'last_error',
  'created_at',
  'delivered_at',
] as const satisfies readonly Exclude<keyof QueuedDelivery, 'status'>[];

/**
 * The console's delivery log (the delivery as `d`, its app as `a`): every column but the event body, the
 * status as shown, and the app's public id and name.
 */
function logColumns() {
  return [
    'd.id',
    'd.event_id',
    'd.tenant_id',
    'd.app_id',
    'd.process_id',
    'd.outbox_id',
    'd.event_type',
    'd.mode',
    shownStatus('d').as('status'),
    'd.attempts',
    'd.next_attempt_at',
    'd.lease_until',
    'd.last_error',
    'd.created_at',
    'd.delivered_at',
    'a.app_id as app_public_id',
    'a.name as app_name',
  ] as const;
}

/** A delivery just leased for a send: what the send needs, the event body included. */
export type LeasedDelivery = Pick<
  DeliveryRow,
  'id' | 'event_id' | 'app_id' | 'process_id' | 'event_type' | 'event' | 'created_at'
>;

/**
 * What the console calls a delivery's state: the store's status, with `pending` split into waiting for
 * its first attempt and `retrying` (a failed attempt behind it), and `failed` named `parked` (failed
 * through the whole retry schedule; nothing more happens until someone re-sends it).
 */
export const DELIVERY_STATES = ['pending', 'retrying', 'sending', 'delivered', 'parked'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** The console's delivery log filters; every one optional but the tenant. */
export interface DeliverySearch {
  tenantId: string;
  /** Internal app id. */
  appId?: string | undefined;
  state?: DeliveryState | undefined;
  eventType?: string | undefined;
  processId?: string | undefined;
  /** created_at ≥ this (ms). */
  createdFrom?: number | undefined;
  /** created_at < this (ms). */
  createdBefore?: number | undefined;
}

/** A delivery in the log, without its event body (fetched on demand), with its app's public id and name. */
export type DeliverySummary = Omit<DeliveryRow, 'event'> & {
  app_public_id: string | null;
  app_name: string | null;
};

/** A delivery with its event body and app. */
export type DeliveryDetail = DeliveryRow & { app_public_id: string | null; app_name: string | null };

export interface DeliveryWindowStats {
  /** Deliveries made in the window, by state. */
  counts: Record<DeliveryState, number>;
  /** Mean attempts a settled (delivered or parked) delivery took; null when none settled. */
  meanAttempts: number | null;
  /** Delivered ones, whose lag (created → delivered) the percentiles are taken over. */
  delivered: number;
}

export class DeliveryRepository {
  constructor(private readonly db: Executor) {}

  /**
   * Takes up to `limit` outbox rows nobody has fanned out yet and marks them taken, atomically: with
   * several servers on one PostgreSQL each row is taken by exactly one of them.
   */
  async claimOutbox(limit: number): Promise<OutboxEntry[]> {
    // Found through the partial index `outbox_unfanned` (migration 0026), which holds only these rows;
    // the 0 is written out (IS_OPEN_WEBHOOK says why; test/store/delivery-queue.test.ts checks the plan).
    const rows = await this.db
      .updateTable('outbox')
      .set({ fanned_out: 1 })
      .where('fanned_out', '=', UNFANNED)
      .where(
        'id',
        'in',
        this.db
          .selectFrom('outbox')
          .select('id')
          .where('fanned_out', '=', UNFANNED)
          .orderBy('id')
          .limit(limit),
      )
      .returningAll()
      .execute();
    return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  /** Whether any outbox row waits to be fanned out: a read of the partial index, no write lock taken. */
  async outboxWaiting(): Promise<boolean> {
    const row = await this.db
      .selectFrom('outbox')
      .select('id')
      .where('fanned_out', '=', UNFANNED)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async insert(rows: EventDeliveryTable[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 50)
      await insertRows(this.db, 'event_deliveries', rows.slice(i, i + 50));
  }

  /** Undelivered webhook deliveries, oldest first: the webhook round's queues, their due runs at the front. */
  async openWebhooks(limit: number): Promise<QueuedDelivery[]> {
    // Read through the partial index of open webhook deliveries, `event_deliveries_open_webhook` (id), in order.
    return this.db
      .selectFrom('event_deliveries')
      .select([...QUEUE_COLUMNS, shownStatus().as('status')])
      .where(IS_OPEN_WEBHOOK)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /**
   * The oldest open delivery of each (app, process) long-connection queue of the given apps, oldest
   * first: the long connection's full round, which sends a queue's head only. Heads are picked in the
   * partial index `event_deliveries_open_long_connection`; only they are read.
   */
  async openStreamHeads(limit: number, appIds: readonly string[]): Promise<QueuedDelivery[]> {
    if (appIds.length === 0) return [];
    return this.db
      .selectFrom('event_deliveries')
      .select([...QUEUE_COLUMNS, shownStatus().as('status')])
      .where(
        'id',
        'in',
        this.db
          .selectFrom('event_deliveries')
          .select((eb) => eb.fn.min('id').as('id'))
          .where('app_id', 'in', appIds)
          .where(IS_OPEN_LONG_CONNECTION)
          .groupBy(['app_id', 'process_id']),
      )
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /**
   * The id of the oldest open delivery of each given (app, process) long-connection queue, found through
   * the partial index `event_deliveries_open_long_connection` (app_id, process_id, id): a few entries per
   * queue, and only ids come back.
   */
  async streamHeadIds(queues: readonly { app_id: string; process_id: string }[]): Promise<string[]> {
    const byApp = new Map<string, Set<string>>();
    for (const q of queues) byApp.set(q.app_id, (byApp.get(q.app_id) ?? new Set()).add(q.process_id));
    const heads: string[] = [];
    for (const [appId, processes] of byApp) {
      const rows = await keptQueryInChunks(
        this.db,
        'deliveries.streamHeadIds',
        [...processes],
        256,
        { appId },
        (v, list) =>
          this.db
            .selectFrom('event_deliveries')
            .select((eb) => eb.fn.min('id').as('id'))
            .where('app_id', '=', v.appId)
            .where('process_id', 'in', list)
            .where(IS_OPEN_LONG_CONNECTION)
            .groupBy('process_id'),
      );
      for (const row of rows) heads.push(row.id);
    }
    return heads;
  }

  /**
   * Leases those of `ids` that wait and are due, for a send (counted as an attempt), and returns them
   * with their bodies. A delivery out on a send, not yet due or settled meanwhile is left alone.
   */
  async leaseDue(ids: readonly string[], now: number, until: number): Promise<LeasedDelivery[]> {
    return keptQueryInChunks(this.db, 'deliveries.leaseDue', ids, 512, { until, now }, (v, list) =>
      this.db
        .updateTable('event_deliveries')
        .set((eb) => ({ lease_until: v.until, attempts: eb('attempts', '+', 1) }))
        .where('id', 'in', list)
        .where('status', '=', 'pending')
        .where('lease_until', '=', NOT_LEASED)
        .where('next_attempt_at', '<=', v.now)
        .returning(['id', 'event_id', 'app_id', 'process_id', 'event_type', 'event', 'created_at']),
    );
  }

  /**
   * Deletes up to `limit` delivered deliveries made before `beforeId` (ids are time-ordered: the
   * retention sweep's cut-off, `firstIdAt`), oldest first, through the primary key; returns how many.
   * Deliveries still waiting, out on a send or parked are kept whatever their age.
   */
  async deleteDeliveredBefore(beforeId: string, limit: number): Promise<number> {
    const result = await this.db
      .deleteFrom('event_deliveries')
      .where(
        'id',
        'in',
        this.db
          .selectFrom('event_deliveries')
          .select('id')
          .where('id', '<', beforeId)
          .where('status', '=', 'delivered')
          .orderBy('id')
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Deletes up to `limit` outbox rows made before `beforeId` whose deliveries were made; returns how many. */
  async deleteFannedOutBefore(beforeId: string, limit: number): Promise<number> {
    const result = await this.db
      .deleteFrom('outbox')
      .where(
        'id',
        'in',
        this.db
          .selectFrom('outbox')
          .select('id')
          .where('id', '<', beforeId)
          .where('fanned_out', '=', FANNED)
          .orderBy('id')
          .limit(limit),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** The event bodies of deliveries about to be sent, by id. */
  async bodiesOf(ids: readonly string[]): Promise<Map<string, string>> {
    const bodies = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom('event_deliveries')
        .select(['id', 'event'])
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
      for (const row of rows) bodies.set(row.id, row.event);
    }
    return bodies;
  }

  /**
   * Leases many at once (one statement) in `mode`; returns the ids this caller now owns. Only rows
   * still due are taken: waiting with their attempt due, or out on a send whose lease ran out. The
   * ids come from an earlier read, and meanwhile another round may have sent a row and failed (its
   * next attempt is later now) or the app may have switched modes (the row is the other way's now).
   */
  async leaseMany(
    ids: readonly string[],
    mode: 'webhook' | 'long_connection',
    now: number,
    until: number,
    countAttempt = false,
  ): Promise<Set<string>> {
    const owned = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .updateTable('event_deliveries')
        .set((eb) => ({
          lease_until: until,
          ...(countAttempt ? { attempts: eb('attempts', '+', 1) } : {}),
        }))
        .where('id', 'in', ids.slice(i, i + 500))
        .where('status', '=', 'pending')
        .where('mode', '=', mode)
        .where('lease_until', '<', now)
        .where((eb) => eb.or([eb('lease_until', '>', 0), eb('next_attempt_at', '<=', now)]))
        .returning('id')
        .execute();
      for (const row of rows) owned.add(row.id);
    }
    return owned;
  }

  /** Marks many delivered at once; returns the ids that were still open. */
  async deliveredMany(ids: readonly string[], now: number): Promise<string[]> {
    const done: string[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .updateTable('event_deliveries')
        .set({ status: 'delivered', delivered_at: now, last_error: null })
        .where('id', 'in', ids.slice(i, i + 500))
        .where('status', '=', 'pending')
        .returning(['id'])
        .execute();
      done.push(...rows.map((r) => r.id));
    }
    return done;
  }

  /**
   * Settles long-connection deliveries a client of `appId` acknowledged. Only deliveries of that app,
   * in long-connection mode and out on a send ('sending') can be settled this way: an ack naming any
   * other delivery (another app's, a webhook one waiting for its retry, a parked one) changes nothing.
   */
  async acknowledgedMany(
    appId: string,
    ids: readonly string[],
    now: number,
  ): Promise<{ id: string; app_id: string; process_id: string; created_at: number }[]> {
    return keptQueryInChunks(this.db, 'deliveries.acknowledgedMany', ids, 512, { now, appId }, (v, list) =>
      this.db
        .updateTable('event_deliveries')
        .set({ status: 'delivered', delivered_at: v.now, last_error: null })
        .where('id', 'in', list)
        .where('app_id', '=', v.appId)
        .where('mode', '=', 'long_connection')
        .where('status', '=', 'pending')
        .where(OUT_ON_A_SEND)
        .returning(['id', 'app_id', 'process_id', 'created_at']),
    );
  }

  /**
   * Settles the acknowledged members of a send chain (the dispatcher's `SendChain`): its first member was
   * leased in the store and counted its attempt then; the later ones were sent from memory without a
   * lease, so their one attempt is counted here. As for `acknowledgedMany`, only that app's waiting
   * long-connection deliveries are settled.
   */
  async chainAcknowledged(appId: string, ids: readonly string[], now: number): Promise<void> {
    await keptQueryInChunks(this.db, 'deliveries.chainAcknowledged', ids, 512, { now, appId }, (v, list) =>
      this.db
        .updateTable('event_deliveries')
        .set({
          status: 'delivered',
          delivered_at: v.now,
          last_error: null,
          attempts: sql<number>`case when lease_until > 0 then attempts else attempts + 1 end`,
        })
        .where('id', 'in', list)
        .where('app_id', '=', v.appId)
        .where('mode', '=', 'long_connection')
        .where('status', '=', 'pending'),
    );
  }

  /**
   * Records a send a chain made from memory as a lease running to `until` (its ack deadline), counted as
   * an attempt: the chain's hold on its queue moves to it. False when the row is no longer that unleased,
   * waiting long-connection delivery (settled, rerouted or leased by someone else meanwhile).
   */
  async leaseSent(id: string, until: number): Promise<boolean> {
    const { rows } = await keptQuery(this.db, 'deliveries.leaseSent', { id, until }, (v) =>
      this.db
        .updateTable('event_deliveries')
        .set((eb) => ({ lease_until: v.until, attempts: eb('attempts', '+', 1) }))
        .where('id', '=', v.id)
        .where('mode', '=', 'long_connection')
        .where('status', '=', 'pending')
        .where('lease_until', '=', NOT_LEASED)
        .returning('id'),
    );
    return rows.length > 0;
  }

  /**
   * A long-connection send whose ack timeout passed: the delivery waits for its next attempt, or is
   * parked. Only if it is still that unacknowledged send (nobody acknowledged or re-sent it meanwhile,
   * another server included); true when this call recorded it.
   */
  async sendUnacknowledged(
    delivery: Pick<DeliveryRow, 'id' | 'attempts'>,
    now: number,
    nextAttemptAt: number | 'park',
    error: string,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('event_deliveries')
      .set(
        nextAttemptAt === 'park'
          ? { status: 'failed', lease_until: 0, last_error: error.slice(0, 500) }
          : {
              status: 'pending',
              next_attempt_at: nextAttemptAt,
              lease_until: 0,
              last_error: error.slice(0, 500),
            },
      )
      .where('id', '=', delivery.id)
      .where('status', '=', 'pending')
      .where(OUT_ON_A_SEND)
      .where('lease_until', '<', now)
      .where('attempts', '=', delivery.attempts)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Gives leased deliveries back untouched (their turn had not come after all, or they could not be
   * sent); `uncountAttempt` takes back the attempt a lease counted, since nothing was sent.
   */
  async releaseMany(ids: readonly string[], uncountAttempt = false): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) {
      await this.db
        .updateTable('event_deliveries')
        .set((eb) => ({
          lease_until: 0,
          ...(uncountAttempt ? { attempts: eb('attempts', '-', 1) } : {}),
        }))
        .where('id', 'in', ids.slice(i, i + 500))
        .where('status', '=', 'pending')
        .where(OUT_ON_A_SEND)
        .execute();
    }
  }

  /**
   * The app now receives events another way: its undelivered deliveries follow. Open ones are due at
   * once in the new mode (attempts kept); parked ones stay parked, so a re-send takes the new way.
   * Returns how many open deliveries moved.
   */
  async reroute(appId: string, mode: string, now: number): Promise<number> {
    const open = await this.db
      .updateTable('event_deliveries')
      .set({ mode, status: 'pending', next_attempt_at: now, lease_until: 0 })
      .where('app_id', '=', appId)
      .where('mode', '!=', mode)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    await this.db
      .updateTable('event_deliveries')
      .set({ mode })
      .where('app_id', '=', appId)
      .where('mode', '!=', mode)
      .where('status', '=', 'failed')
      .execute();
    return Number(open.numUpdatedRows);
  }

  async attemptFailed(
    id: string,
    attempts: number,
    nextAttemptAt: number | 'park',
    error: string,
  ): Promise<void> {
    await this.db
      .updateTable('event_deliveries')
      .set(
        nextAttemptAt === 'park'
          ? { status: 'failed', attempts, last_error: error.slice(0, 500) }
          : {
              status: 'pending',
              attempts,
              next_attempt_at: nextAttemptAt,
              lease_until: 0,
              last_error: error.slice(0, 500),
            },
      )
      .where('id', '=', id)
      .execute();
  }

  async find(tenantId: string, id: string): Promise<DeliveryRow | undefined> {
    return this.db
      .selectFrom('event_deliveries')
      .select([...QUEUE_COLUMNS, 'event', shownStatus().as('status')])
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** One app's deliveries (the app is `tenantId`'s), oldest first, keyset-paged by id. */
  async list(
    tenantId: string,
    appId: string,
    status: DeliveryStatus | undefined,
    page: PageRequest,
  ): Promise<Page<DeliveryRow>> {
    let query = this.db
      .selectFrom('event_deliveries')
      .select([...QUEUE_COLUMNS, 'event', shownStatus().as('status')])
      .where('app_id', '=', appId)
      .orderBy('id')
      .limit(page.pageSize + 1);
    if (status !== undefined && status !== 'delivered')
      query = query.where('tenant_id', '=', tenantId).where(IS_UNSETTLED);
    if (status === 'sending') query = query.where('status', '=', 'pending').where(OUT_ON_A_SEND);
    else if (status === 'pending')
      query = query.where('status', '=', 'pending').where('lease_until', '=', NOT_LEASED);
    else if (status !== undefined) query = query.where('status', '=', status);
    if (page.afterId !== undefined) query = query.where('id', '>', page.afterId);
    return toPage(await query.execute(), page.pageSize, (r) => r.id);
  }

  /** Sends a parked (or delivered) event again, as new: same event_id, attempts from zero. */
  async resend(id: string, now: number): Promise<void> {
    await this.db
      .updateTable('event_deliveries')
      .set({ status: 'pending', attempts: 0, next_attempt_at: now, lease_until: 0, delivered_at: null })
      .where('id', '=', id)
      .execute();
  }

  /** The console's delivery log: newest first, keyset-paged by id (`afterId` = the last id seen). */
  async search(filter: DeliverySearch, page: PageRequest): Promise<Page<DeliverySummary>> {
    let query = this.db
      .selectFrom('event_deliveries as d')
      .leftJoin('apps as a', 'a.id', 'd.app_id')
      .select(logColumns())
      .where('d.tenant_id', '=', filter.tenantId)
      .orderBy('d.id', 'desc')
      .limit(page.pageSize + 1);
    if (filter.appId !== undefined) query = query.where('d.app_id', '=', filter.appId);
    if (filter.eventType !== undefined) query = query.where('d.event_type', '=', filter.eventType);
    if (filter.processId !== undefined) query = query.where('d.process_id', '=', filter.processId);
    if (filter.createdFrom !== undefined) query = query.where('d.created_at', '>=', filter.createdFrom);
    if (filter.createdBefore !== undefined) query = query.where('d.created_at', '<', filter.createdBefore);
    if (filter.state !== undefined && filter.state !== 'delivered') query = query.where(IS_UNSETTLED);
    switch (filter.state) {
      case 'pending':
        query = query
          .where('d.status', '=', 'pending')
          .where('d.lease_until', '=', NOT_LEASED)
          .where('d.attempts', '=', 0);
        break;
      case 'retrying':
        query = query
          .where('d.status', '=', 'pending')
          .where('d.lease_until', '=', NOT_LEASED)
          .where('d.attempts', '>', 0);
        break;
      case 'sending':
        query = query.where('d.status', '=', 'pending').where('d.lease_until', '>', NOT_LEASED);
        break;
      case 'parked':
        query = query.where('d.status', '=', 'failed');
        break;
      case 'delivered':
        query = query.where('d.status', '=', 'delivered');
        break;
      case undefined:
        break;
    }
    if (page.afterId !== undefined) query = query.where('d.id', '<', page.afterId);
    return toPage(await query.execute(), page.pageSize, (r) => r.id);
  }

  async detail(tenantId: string, id: string): Promise<DeliveryDetail | undefined> {
    return this.db
      .selectFrom('event_deliveries as d')
      .leftJoin('apps as a', 'a.id', 'd.app_id')
      .select([...logColumns(), 'd.event'])
      .where('d.tenant_id', '=', tenantId)
      .where('d.id', '=', id)
      .executeTakeFirst();
  }

  /**
   * Makes a waiting (pending, retrying) or parked delivery due now; a parked one gets one more attempt,
   * its attempts kept (a failure parks it again). False when it was not in such a state any more.
   */
  async retryNow(id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('event_deliveries')
      .set({ status: 'pending', next_attempt_at: now, lease_until: 0 })
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb.and([eb('status', '=', 'pending'), eb('lease_until', '=', NOT_LEASED)]),
          eb('status', '=', 'failed'),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** `resend`, only for a delivery that is settled (delivered or parked); false otherwise. */
  async resendSettled(id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('event_deliveries')
      .set({ status: 'pending', attempts: 0, next_attempt_at: now, lease_until: 0, delivered_at: null })
      .where('id', '=', id)
      .where('status', 'in', ['delivered', 'failed'])
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** One app's deliveries made since `since`: counts by state, mean attempts, how many delivered. */
  async windowStats(appId: string, since: number): Promise<DeliveryWindowStats> {
    // Sums and counts: numbers, or text where PostgreSQL widens them past int8 (numeric).
    const rows = await this.db
      .selectFrom('event_deliveries')
      .select((eb) => [
        shownStatus().as('status'),
        eb.fn.countAll<number | string>().as('n'),
        eb.fn.sum<number | string>(eb.case().when('attempts', '>', 0).then(1).else(0).end()).as('retrying'),
        // A webhook's attempts count its failures; the attempt that delivered it is one more.
        eb.fn
          .sum<number | string>(
            eb('attempts', '+', eb.case().when('mode', '=', 'webhook').then(1).else(0).end()),
          )
          .as('delivered_attempts'),
        eb.fn.sum<number | string>('attempts').as('attempts'),
      ])
      .where('app_id', '=', appId)
      .where('created_at', '>=', since)
      .groupBy(shownStatus())
      .execute();
    const counts: Record<DeliveryState, number> = {
      pending: 0,
      retrying: 0,
      sending: 0,
      delivered: 0,
      parked: 0,
    };
    let settled = 0;
    let settledAttempts = 0;
    for (const row of rows) {
      const n = Number(row.n);
      if (row.status === 'pending') {
        counts.retrying += Number(row.retrying);
        counts.pending += n - Number(row.retrying);
      } else if (row.status === 'sending') counts.sending += n;
      else if (row.status === 'delivered') {
        counts.delivered += n;
        settled += n;
        settledAttempts += Number(row.delivered_attempts);
      } else {
        // 'failed'
        counts.parked += n;
        settled += n;
        settledAttempts += Number(row.attempts);
      }
    }
    return {
      counts,
      meanAttempts: settled === 0 ? null : settledAttempts / settled,
      delivered: counts.delivered,
    };
  }

  /**
   * The lag (created → delivered, ms) of the app's delivery at rank `rank` (0 = fastest) among those
   * made since `since` and delivered: one row read, the database does the ordering.
   */
  async lagAtRank(appId: string, since: number, rank: number): Promise<number | undefined> {
    const lag = sql<number | string>`delivered_at - created_at`;
    const row = await this.db
      .selectFrom('event_deliveries')
      .select(lag.as('lag'))
      .where('app_id', '=', appId)
      .where('created_at', '>=', since)
      .where('status', '=', 'delivered')
      .orderBy(lag)
      .limit(1)
      .offset(rank)
      .executeTakeFirst();
    return row ? Number(row.lag) : undefined;
  }

  async countsByStatus(): Promise<{ mode: string; status: string; retrying: number; n: number }[]> {
    const rows = await this.db
      .selectFrom('event_deliveries')
      .select((eb) => [
        'mode',
        shownStatus().as('status'),
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number>(eb.case().when('attempts', '>', 0).then(1).else(0).end()).as('retrying'),
      ])
      .where(IS_UNSETTLED)
      .groupBy(['mode', shownStatus()])
      .execute();
    return rows.map((r) => ({
      mode: r.mode,
      status: r.status,
      n: r.n,
      retrying: r.retrying,
    }));
  }
}
