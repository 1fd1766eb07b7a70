import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.js';
import type { IdGenerator } from '../platform/id-generator.js';
import type { SecretBox } from '../platform/secrets.js';
import { repositories } from '../services/context.js';
import type { StoredApp } from '../store/app.repository.js';
import type { DeliveryRow, LeasedDelivery, QueuedDelivery } from '../store/delivery.repository.js';
import type { OutboxRow } from '../store/process.repository.js';
import type { Database, EventDeliveryTable } from '../store/schema.js';
import type { OutboxPayload } from '../api/openapi/event-payloads.js';
import { unsyncedTransaction } from '../store/unsynced-transaction.js';
import { deliveriesOf, type FanOutRow } from './fan-out.js';
import { envelope, envelopeJson } from './envelope.js';
import type { DeliveryMetrics } from './metrics.js';
import { queueKey, SendChains, type ChainEvent, type SendChain } from './send-chains.js';
import type { TargetGuard } from './target-guard.js';
import { signedBody } from './webhook-crypto.js';
import { postJson } from './webhook-sender.js';

/** What the dispatcher needs from the long-connection hub. */
export interface LongConnectionSink {
  /** Apps with at least one live connection on this server. */
  connectedApps(): string[];
  /** Sends events, in order, over one live connection of the app; false when it has none. */
  send(appInternalId: string, events: { deliveryId: string; eventId: string; json: string }[]): boolean;
}

export interface DispatcherOptions {
  db: Kysely<Database>;
  clock: Clock;
  ids: IdGenerator;
  secrets: SecretBox;
  guard: TargetGuard;
  logger: Logger;
  metrics: DeliveryMetrics;
  hub: LongConnectionSink;
  /** Waits between attempts after the 1st, 2nd … failure; past the last, the delivery is parked. */
  retryScheduleMs: number[];
  pollIntervalMs: number;
  webhookTimeoutMs: number;
  ackTimeoutMs: number;
}

const BATCH = 500;
/** Send chains kept at most (each holds one command's events of one process, a few kB). */
const MAX_CHAINS = 2_000;
/**
 * Webhook rounds that may run side by side. A round lasts as long as its slowest queue (a process's
 * events go one answer apart); deliveries made meanwhile go in the next round, which need not wait.
 */
const WEBHOOK_ROUNDS = 4;

/** One app's deliveries of one process, in one mode: the unit kept in order. */
type DeliveryQueue = Pick<DeliveryRow, 'app_id' | 'process_id' | 'mode'>;

/** A long-connection event leased for sending. */
interface OutgoingEvent {
  appId: string;
  event: ChainEvent;
}

interface AppInfo {
  app: StoredApp;
  tenantKey: string;
  verificationToken: string;
  encryptKey: string | null;
}

/**
 * Moves committed events from the outbox to the apps that subscribed to them, then delivers them
 * by webhook or long connection: at least once, in per-process order per app, each with an
 * event_id that stays the same across retries.
 */
export class EventDispatcher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  /** Events of one command sent one ack apart from memory (send-chains.ts). */
  private readonly chains: SendChains;
  /** Chains whose last event was acknowledged (or whose next could not be sent): written in the next ack batch. */
  private endedChains: SendChain[] = [];
  private chainTimer: NodeJS.Timeout | undefined;
  private chainWrites: Promise<void> | undefined;

  constructor(private readonly o: DispatcherOptions) {
    this.chains = new SendChains(MAX_CHAINS, o.ackTimeoutMs);
  }

  start(): void {
    this.stopped = false;
    this.loop();
  }

  private wake = false;
  /** A round that reads every open queue is owed (kick, or the poll interval passed). */
  private fullWanted = true;
  private lastFullRound = 0;
  /** Webhook rounds under way. */
  private readonly webhookRounds = new Set<Promise<void>>();
  /** A webhook round is owed. */
  private webhooksWanted = false;
  /** Bumped whenever webhook deliveries are made. */
  private webhookEpoch = 0;
  private lastWebhookRound = 0;
  private webhookTimer: NodeJS.Timeout | undefined;
  /** This server sent events (after a commit or acks) since the last full round. */
  private sending = false;

  private loop(): void {
    if (this.stopped) return;
    const now = Date.now();
    this.lastRound = now;
    // While this server sends events itself (commits and acks send from the queues they touch), reading
    // every open queue (thousands) is the safety net for retries coming due and other servers' events,
    // and is not needed every poll.
    const spacing = this.sending ? Math.max(this.o.pollIntervalMs, 200) : this.o.pollIntervalMs;
    const full = this.fullWanted || now - this.lastFullRound >= spacing;
    if (full) {
      this.fullWanted = false;
      this.sending = false;
      this.lastFullRound = now;
    }
    this.running = this.tick(full)
      .catch((error: unknown) => {
        this.o.logger.warn({ err: error }, 'event dispatch failed; retrying');
      })
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        if (this.wake) {
          this.wake = false;
          this.schedule();
        } else
          // The poll: every open queue (retries coming due, other servers' events), when due.
          this.timer = setTimeout(() => {
            this.loop();
          }, this.o.pollIntervalMs);
      });
  }

  private lastRound = 0;

  /**
   * Something may be due anywhere (a re-send, a connection came, the clock moved, another server's
   * change): the next round reads every open queue.
   */
  kick(): void {
    this.fullWanted = true;
    this.schedule();
  }

  /** Runs a round soon — at most one per few milliseconds, so that under load many commits share one. */
  private schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wake = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    const gap = Math.min(this.o.pollIntervalMs, 5);
    const wait = Math.max(0, this.lastRound + gap - Date.now());
    this.timer = setTimeout(() => {
      this.loop();
    }, wait);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.webhookTimer) clearTimeout(this.webhookTimer);
    this.webhookTimer = undefined;
    if (this.ackFlush) clearImmediate(this.ackFlush);
    this.ackFlush = undefined;
    if (this.chainTimer) clearInterval(this.chainTimer);
    this.chainTimer = undefined;
    await this.running;
    await Promise.all(this.webhookRounds);
    await this.ackFlushing;
    await this.flushAcks();
    // What the chains still running had acknowledged, and their sends out as leases (attempts).
    await this.chainWrites;
    await this.writeChainHolds(true);
  }

  /**
   * One round: attempt what is due in every open queue when `full` (after fanning out outbox rows a
   * command batch did not: `fanOutInTransaction`). Webhooks go in rounds of their own (`wantWebhooks`);
   * rounds woken by acks send from the queues the acks touched themselves (`flushAcks`).
   */
  private async tick(full: boolean): Promise<void> {
    if (!full) return;
    let madeWebhooks = false;
    // Look before taking the outbox's write lock: nearly always there is nothing to take.
    if (await repositories(this.o.db).deliveries.outboxWaiting())
      for (;;) {
        const { taken, deliveries } = await this.o.db.transaction().execute((trx) => this.fanOut(trx));
        if (deliveries.some((d) => d.mode !== 'long_connection')) madeWebhooks = true;
        // Keep going while the outbox is full; the long-connection round below sends the new heads.
        if (taken < BATCH) break;
      }
    // Retries may have come due: a webhook round looks, beside the long-connection heads read here.
    this.wantWebhooks(madeWebhooks);
    await this.deliverLongConnection();
  }

  /**
   * A webhook round is owed: webhook deliveries were made (`made`), or some may have come due. It starts
   * within a few milliseconds, beside the rounds under way (up to WEBHOOK_ROUNDS): a queue one of them
   * is sending from is skipped by the others (its rows are leased), so a process's order holds.
   */
  private wantWebhooks(made = true): void {
    if (made) this.webhookEpoch++;
    this.webhooksWanted = true;
    this.startWebhookRound();
  }

  private startWebhookRound(): void {
    if (this.stopped || !this.webhooksWanted || this.webhookTimer) return;
    if (this.webhookRounds.size >= WEBHOOK_ROUNDS) return;
    // At most one round per few milliseconds: under load, many commits share one.
    const wait = this.lastWebhookRound + Math.min(this.o.pollIntervalMs, 5) - Date.now();
    if (wait > 0) {
      this.webhookTimer = setTimeout(() => {
        this.webhookTimer = undefined;
        this.startWebhookRound();
      }, wait);
      return;
    }
    this.webhooksWanted = false;
    this.lastWebhookRound = Date.now();
    const epoch = this.webhookEpoch;
    const round: Promise<void> = this.deliverWebhooks()
      .then((released) => {
        // Deliveries made meanwhile may have found their queue held by this round's sends, and rows
        // this round let go are due again: look once more.
        if (released || this.webhookEpoch !== epoch) this.webhooksWanted = true;
      })
      .catch((error: unknown) => {
        this.o.logger.warn({ err: error }, 'webhook delivery failed; retrying');
        this.webhooksWanted = true;
      })
      .finally(() => {
        this.webhookRounds.delete(round);
        this.startWebhookRound();
      });
    this.webhookRounds.add(round);
  }

  /**
   * Outbox rows nobody fanned out (written without `fanOutInTransaction`: by a server of an earlier
   * version, say) → one delivery per subscribed app, in the caller's transaction (which took the rows).
   */
  private async fanOut(trx: Kysely<Database>): Promise<{ taken: number; deliveries: DeliveryQueue[] }> {
    const rows = await repositories(trx).deliveries.claimOutbox(BATCH);
    if (rows.length === 0) return { taken: 0, deliveries: [] };
    const parsed = rows.map((r) => {
      // Stored as the event's fields and its process's, in one object.
      const payload = JSON.parse(r.payload) as OutboxPayload;
      return { ...r, event: payload, process: payload };
    });
    return { taken: rows.length, deliveries: await this.insertDeliveries(trx, parsed) };
  }

  /** The deliveries of some outbox rows, written in `trx`. */
  private async insertDeliveries(
    trx: Kysely<Database>,
    rows: readonly FanOutRow[],
  ): Promise<EventDeliveryTable[]> {
    const repos = repositories(trx);
    const apps = await repos.apps.subscribers([...new Set(rows.map((r) => r.tenant_id))]);
    if (apps.length === 0) return [];
    const deliveries = deliveriesOf(rows, apps, () => this.o.ids.next(), this.o.clock.now());
    await repos.deliveries.insert(deliveries);
    return deliveries;
  }

  /**
   * The deliveries of a command batch's new outbox rows, made in the batch's own transaction before it
   * commits (ServiceContext.fanOut): no second transaction takes the rows, and no second commit waits
   * for the disk. The head of each long-connection queue that got one and waits is leased in the same
   * transaction; what this returns sends those events once the commit is durable (never before: a
   * crash before the commit must not leave events of a change that is not stored), and starts a webhook
   * round when webhooks are owed.
   */
  async fanOutInTransaction(
    trx: Kysely<Database>,
    rows: readonly OutboxRow[],
  ): Promise<(() => void) | undefined> {
    const deliveries = await this.insertDeliveries(
      trx,
      rows.map((r) => ({
        id: r.id,
        tenant_id: r.tenantId,
        process_id: r.processId,
        created_at: r.createdAt,
        event: r.event,
        process: r,
      })),
    );
    if (deliveries.length === 0) return undefined;
    const webhooks = deliveries.some((d) => d.mode !== 'long_connection');
    const connected = new Set(this.o.hub.connectedApps());
    const fresh = new Map<string, DeliveryQueue>();
    for (const d of deliveries)
      if (d.mode === 'long_connection' && connected.has(d.app_id))
        fresh.set(queueKey(d.app_id, d.process_id), d);
    const outgoing = fresh.size > 0 && !this.stopped ? await this.leaseNext([...fresh.values()], trx) : [];
    if (outgoing.length > 0) this.sending = true;
    const chains = outgoing.length > 0 ? await this.chainsOf(outgoing, deliveries, trx) : [];
    const joining = await this.joiningChains(fresh.values(), outgoing, deliveries, trx);
    // Runs inside the group commit's bookkeeping: it must not throw.
    return () => {
      try {
        this.startChains(chains);
        for (const j of joining) this.chains.append(j.appId, j.processId, j.events);
        if (outgoing.length > 0)
          this.send(outgoing).catch((error: unknown) => {
            this.o.logger.warn({ err: error }, 'sending events failed; they will be sent again');
          });
        if (webhooks) this.wantWebhooks();
      } catch (error) {
        this.o.logger.warn({ err: error }, 'sending events failed; they will be sent again');
      }
    };
  }

  /**
   * Send chains for the events a command made: where the event leased for a queue is the first of the
   * command's own for it (nothing older waits there), the command's later events of that queue follow
   * it one ack apart from memory (SendChain). Their frames are made now, from the rows just written.
   */
  private async chainsOf(
    outgoing: readonly OutgoingEvent[],
    deliveries: readonly EventDeliveryTable[],
    trx: Kysely<Database>,
  ): Promise<SendChain[]> {
    const byQueue = new Map<string, EventDeliveryTable[]>();
    for (const d of deliveries) {
      if (d.mode !== 'long_connection') continue;
      const key = queueKey(d.app_id, d.process_id);
      const queue = byQueue.get(key);
      if (queue) queue.push(d);
      else byQueue.set(key, [d]);
    }
    // By the queue's first event of the command: the one a chain starts with.
    const firsts = new Map<string, { processId: string; later: EventDeliveryTable[] }>();
    for (const [first, ...later] of byQueue.values())
      if (first && later.length > 0) firsts.set(first.id, { processId: first.process_id, later });
    if (firsts.size === 0) return [];
    const apps = new Map<string, AppInfo | null>();
    const chains: SendChain[] = [];
    const leaseUntil = this.o.clock.now() + this.o.ackTimeoutMs;
    for (const { appId, event } of outgoing) {
      const queue = firsts.get(event.deliveryId);
      if (!queue) continue;
      const info = await this.appInfo(apps, appId, trx);
      if (!info) continue;
      chains.push({
        appId,
        processId: queue.processId,
        storedHead: event.deliveryId,
        storedLeaseUntil: leaseUntil,
        acked: [],
        inFlight: { deliveryId: event.deliveryId, createdAt: event.createdAt, sentAt: 0 },
        rest: queue.later.map((d) => this.frame(d, info)),
      });
    }
    return chains;
  }

  /**
   * The command's events of queues a chain of this server holds (its first event is out, so none of the
   * command's could be leased): they join that chain once the commit is durable (`SendChains.append`).
   */
  private async joiningChains(
    queues: Iterable<DeliveryQueue>,
    outgoing: readonly OutgoingEvent[],
    deliveries: readonly EventDeliveryTable[],
    trx: Kysely<Database>,
  ): Promise<{ appId: string; processId: string; events: ChainEvent[] }[]> {
    if (this.chains.size === 0) return [];
    // (A held queue's head is leased, so the command leased none of its events; checked all the same.)
    const sent = new Set(outgoing.map((o) => o.event.deliveryId));
    const leasedIn = new Set(
      deliveries.filter((d) => sent.has(d.id)).map((d) => queueKey(d.app_id, d.process_id)),
    );
    const held = [...queues].filter(
      (q) => this.chains.holds(q.app_id, q.process_id) && !leasedIn.has(queueKey(q.app_id, q.process_id)),
    );
    if (held.length === 0) return [];
    const apps = new Map<string, AppInfo | null>();
    const joining: { appId: string; processId: string; events: ChainEvent[] }[] = [];
    for (const q of held) {
      const info = await this.appInfo(apps, q.app_id, trx);
      if (!info) {
        // These wait in the store: nothing later may join ahead of them.
        this.chains.close(q.app_id, q.process_id);
        continue;
      }
      const events = deliveries
        .filter((d) => d.mode === 'long_connection' && d.app_id === q.app_id && d.process_id === q.process_id)
        .map((d) => this.frame(d, info));
      if (events.length > 0) joining.push({ appId: q.app_id, processId: q.process_id, events });
    }
    return joining;
  }

  /** Chains whose first events are about to be sent: an ack of one sends the next (`advance`). */
  private startChains(chains: readonly SendChain[]): void {
    if (chains.length === 0 || this.stopped) return;
    const now = this.o.clock.now();
    for (const chain of chains) {
      if (!this.chains.hasRoom()) break;
      chain.inFlight.sentAt = now;
      this.chains.put(chain);
    }
    if (!this.chainTimer && this.chains.size > 0) {
      // Often enough to move a hold before its lease's second half runs out.
      this.chainTimer = setInterval(
        () => {
          this.chainWrites ??= this.writeChainHolds(false)
            .catch((error: unknown) => {
              this.o.logger.warn({ err: error }, 'recording sent events failed; they will be sent again');
            })
            .finally(() => {
              this.chainWrites = undefined;
            });
        },
        Math.max(5, this.o.ackTimeoutMs / 4),
      );
      this.chainTimer.unref();
    }
  }

  /**
   * A chain's event was acknowledged: the next one goes now, from memory. The acks are written when the
   * chain ends (its last event acknowledged, or the next one could not be sent: it waits in the store,
   * unsent), with the next ack batch, which also sends whatever waits behind the chain in its queue.
   */
  private advance(chain: SendChain): void {
    const now = this.o.clock.now();
    chain.acked.push(chain.inFlight.deliveryId);
    this.o.metrics.deliveries.inc({ mode: 'long_connection', result: 'delivered' });
    this.o.metrics.lag.observe(
      { mode: 'long_connection' },
      Math.max(0, now - chain.inFlight.createdAt) / 1000,
    );
    const next = this.stopped ? undefined : chain.rest.shift();
    if (next && this.o.hub.send(chain.appId, [next])) {
      chain.inFlight = { deliveryId: next.deliveryId, createdAt: next.createdAt, sentAt: now };
      this.chains.put(chain);
      return;
    }
    this.chains.end(chain);
    this.endedChains.push(chain);
    this.scheduleAckFlush();
  }

  /**
   * Writes the holds of the chains that need it (SendChains.due; every chain when `all`, and they end):
   * their acks so far, and their event out on a send as a lease to its ack deadline. A chain past that
   * deadline ends; the lease makes its event a failed attempt, sent again by the full round.
   */
  private async writeChainHolds(all: boolean): Promise<void> {
    const now = this.o.clock.now();
    const due = this.chains.due(now, all);
    if (due.length === 0) {
      if (this.chains.size === 0 && this.chainTimer) {
        clearInterval(this.chainTimer);
        this.chainTimer = undefined;
      }
      return;
    }
    const writes = due.map((chain) => ({
      chain,
      acked: chain.acked.splice(0),
      inFlight: chain.inFlight,
      held: chain.storedHead === chain.inFlight.deliveryId,
    }));
    let moved: boolean[];
    try {
      moved = await unsyncedTransaction(this.o.db, async (trx) => {
        const repos = repositories(trx);
        const result: boolean[] = [];
        for (const w of writes) {
          if (w.acked.length > 0) await repos.deliveries.chainAcknowledged(w.chain.appId, w.acked, now);
          result.push(
            w.held ||
              (await repos.deliveries.leaseSent(
                w.inFlight.deliveryId,
                w.inFlight.sentAt + this.o.ackTimeoutMs,
              )),
          );
        }
        return result;
      });
    } catch (error) {
      // Not written: kept for the next try (or the chain's end).
      for (const w of writes) w.chain.acked.unshift(...w.acked);
      throw error;
    }
    for (const [i, w] of writes.entries()) {
      const { chain, inFlight } = w;
      if (moved[i]) {
        chain.storedHead = inFlight.deliveryId;
        chain.storedLeaseUntil = inFlight.sentAt + this.o.ackTimeoutMs;
      }
      // Still out on that send (no ack came meanwhile): the chain ends when the send is overdue, when
      // someone else holds the event now, or when the server stops.
      if (chain.inFlight === inFlight && (all || !moved[i] || now >= inFlight.sentAt + this.o.ackTimeoutMs))
        this.chains.drop(inFlight.deliveryId);
    }
  }

  private async appInfo(
    cache: Map<string, AppInfo | null>,
    appId: string,
    db: Kysely<Database> = this.o.db,
  ): Promise<AppInfo | null> {
    if (cache.has(appId)) return cache.get(appId) ?? null;
    const repos = repositories(db);
    const app = await repos.apps.findById(appId);
    const tenant = app ? await repos.tenants.findById(app.tenantId) : undefined;
    const info =
      app && tenant
        ? {
            app,
            tenantKey: tenant.tenantKey,
            verificationToken: app.eventVerificationTokenSealed
              ? this.o.secrets.decrypt(app.eventVerificationTokenSealed)
              : '',
            encryptKey: app.eventEncryptKeySealed ? this.o.secrets.decrypt(app.eventEncryptKeySealed) : null,
          }
        : null;
    cache.set(appId, info);
    return info;
  }

  /** One webhook round; true when it let go of rows it had leased behind another's (due again). */
  private async deliverWebhooks(): Promise<boolean> {
    const repos = repositories(this.o.db);
    const now = this.o.clock.now();
    // Each (app, process) queue is worked through in order within one round (a webhook is answered
    // before the next one leaves); queues run side by side.
    // Leases and successes are written in one statement each per round, not one per event.
    const runs = this.dueRuns(await repos.deliveries.openWebhooks(5000), now);
    if (runs.length === 0) return false;
    // A short lease: a server that dies mid-round leaves its deliveries to others within seconds.
    // Leases and successes are written without waiting for the disk: a crash that loses them sends
    // those events again, with their event_ids (unsyncedTransaction).
    const { owned, bodies } = await unsyncedTransaction(this.o.db, async (trx) => {
      const leases = repositories(trx).deliveries;
      const owned = await leases.leaseMany(
        runs.flat().map((d) => d.id),
        'webhook',
        now,
        now + this.o.webhookTimeoutMs + 5000,
      );
      return { owned, bodies: await leases.bodiesOf([...owned]) };
    });
    const apps = new Map<string, AppInfo | null>();
    const delivered: QueuedDelivery[] = [];
    const unsent: string[] = [];
    // A run is sent up to its first row this round does not hold (another round, or server, leased it
    // first); rows held after that one are let go at the end of the round, unsent.
    const pending: DeliveryRow[][] = [];
    let strays = 0;
    for (const run of runs) {
      const sendable: DeliveryRow[] = [];
      for (const d of run) {
        const event = owned.has(d.id) ? bodies.get(d.id) : undefined;
        if (event === undefined) break;
        sendable.push({ ...d, event });
      }
      if (sendable.length > 0) pending.push(sendable);
      for (const d of run.slice(sendable.length))
        if (owned.has(d.id)) {
          unsent.push(d.id);
          strays++;
        }
    }
    const worker = async () => {
      for (let run = pending.shift(); run; run = pending.shift()) {
        for (const [i, delivery] of run.entries()) {
          if (await this.sendWebhook(delivery, apps)) {
            delivered.push(delivery);
            continue;
          }
          // Every row of a sendable run is held by this round.
          unsent.push(...run.slice(i + 1).map((d) => d.id));
          break;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(32, pending.length) }, worker));
    const doneAt = this.o.clock.now();
    await unsyncedTransaction(this.o.db, async (trx) => {
      const settle = repositories(trx).deliveries;
      await settle.deliveredMany(
        delivered.map((d) => d.id),
        doneAt,
      );
      await settle.releaseMany(unsent);
    });
    for (const d of delivered) {
      this.o.metrics.deliveries.inc({ mode: 'webhook', result: 'delivered' });
      this.o.metrics.lag.observe({ mode: 'webhook' }, Math.max(0, doneAt - d.created_at) / 1000);
    }
    return strays > 0;
  }

  /** One attempt; true when delivered (so the next event of the process may go). */
  private async sendWebhook(delivery: DeliveryRow, apps: Map<string, AppInfo | null>): Promise<boolean> {
    const repos = repositories(this.o.db);
    const start = this.o.clock.now();
    const info = await this.appInfo(apps, delivery.app_id);
    const attempts = delivery.attempts + 1;
    if (!info?.app.eventRequestUrl) {
      await repos.deliveries.attemptFailed(
        delivery.id,
        attempts,
        'park',
        'the app has no request URL any more',
      );
      this.o.metrics.deliveries.inc({ mode: 'webhook', result: 'parked' });
      return false;
    }
    const { body, headers } = signedBody(
      envelope(
        delivery,
        { appId: info.app.appId, verificationToken: info.verificationToken },
        info.tenantKey,
      ),
      info.encryptKey,
      start,
    );
    let error: string;
    try {
      const answer = await postJson(
        info.app.eventRequestUrl,
        body,
        headers,
        this.o.guard,
        this.o.webhookTimeoutMs,
      );
      if (answer.status === 200) {
        // Recorded with the round's other successes, in one statement.
        return true;
      }
      error = `HTTP ${answer.status}`;
    } catch (e) {
      error =
        (e as Error).name === 'TimeoutError'
          ? `no answer within ${this.o.webhookTimeoutMs} ms`
          : (e as Error).message;
    }
    const wait = this.o.retryScheduleMs[attempts - 1];
    await repos.deliveries.attemptFailed(
      delivery.id,
      attempts,
      wait === undefined ? 'park' : this.o.clock.now() + wait,
      error,
    );
    this.o.metrics.deliveries.inc({ mode: 'webhook', result: wait === undefined ? 'parked' : 'failed' });
    return false;
  }

  /**
   * Long connection: one event per (app, process) at a time. A client may handle the frames of one
   * connection concurrently (the Go SDK runs each in its own goroutine), so a second event of a
   * process sent before the first is acknowledged could overtake it. Different processes go side by
   * side. A send not acknowledged within the ack timeout is a failed attempt: it is sent again at once
   * the first time, then after the retry schedule's waits, and past the schedule parked — like a webhook.
   */
  private async deliverLongConnection(): Promise<void> {
    const connected = this.o.hub.connectedApps();
    if (connected.length === 0) return;
    const repos = repositories(this.o.db);
    await this.sendHeads(await repos.deliveries.openStreamHeads(5000, connected));
  }

  /**
   * Given the head (oldest open delivery) of some (app, process) long-connection queues: sends those
   * that are due, records the unacknowledged sends as failed attempts. A head taken from an older
   * read is harmless: leases are taken only on rows still pending (or whose lease ran out).
   */
  private async sendHeads(heads: QueuedDelivery[]): Promise<void> {
    // Leases and failed attempts are bookkeeping a crash may lose (the events go again): one commit
    // that does not wait for the disk (unsyncedTransaction).
    await this.send(await unsyncedTransaction(this.o.db, (trx) => this.leaseHeads(heads, trx)));
  }

  /**
   * The writing half of `sendHeads`: records the failed sends and leases the due heads, in `db` (a
   * transaction of the caller's, whose commit must come before the events leave: `send`).
   */
  private async leaseHeads(heads: QueuedDelivery[], db: Kysely<Database>): Promise<OutgoingEvent[]> {
    const repos = repositories(db);
    const now = this.o.clock.now();
    const due: QueuedDelivery[] = [];
    for (const head of heads) {
      if (head.status === 'pending') {
        if (head.next_attempt_at <= now) due.push(head);
        continue;
      }
      // 'sending': in flight until its lease (the ack timeout) runs out.
      if (head.lease_until >= now) continue;
      // `attempts` counts the sends, this one included.
      if (head.attempts <= 1) {
        // The first resend goes at once: most often the connection it went out on has gone.
        this.o.metrics.deliveries.inc({ mode: 'long_connection', result: 'failed' });
        due.push(head);
        continue;
      }
      const wait = this.o.retryScheduleMs[head.attempts - 2];
      const recorded = await repos.deliveries.sendUnacknowledged(
        head,
        now,
        wait === undefined ? 'park' : now + wait,
        `not acknowledged within ${this.o.ackTimeoutMs} ms`,
      );
      if (recorded)
        this.o.metrics.deliveries.inc({
          mode: 'long_connection',
          result: wait === undefined ? 'parked' : 'failed',
        });
    }
    if (due.length === 0) return [];
    // Each send counts as an attempt; without an ack before the lease ends it is a failed one.
    const owned = await repos.deliveries.leaseMany(
      due.map((d) => d.id),
      'long_connection',
      now,
      now + this.o.ackTimeoutMs,
      true,
    );
    const bodies = await repos.deliveries.bodiesOf([...owned]);
    const leased: LeasedDelivery[] = [];
    for (const head of due) {
      const body = bodies.get(head.id);
      if (owned.has(head.id) && body !== undefined) leased.push({ ...head, event: body });
    }
    return this.outgoing(leased, db);
  }

  /**
   * The path taken after every commit and every batch of acks, for the (app, process) queues they
   * touched: leases the head of each that waits and is due, and returns its frame. Only the heads' ids
   * are read (from an index), and the lease returns what the send needs. A head out on a send, or one
   * whose lease ran out (a failed attempt to record), is left to the full round (`leaseHeads`).
   */
  private async leaseNext(
    queues: readonly { app_id: string; process_id: string }[],
    db: Kysely<Database>,
  ): Promise<OutgoingEvent[]> {
    const repos = repositories(db);
    const heads = await repos.deliveries.streamHeadIds(queues);
    if (heads.length === 0) return [];
    const now = this.o.clock.now();
    return this.outgoing(await repos.deliveries.leaseDue(heads, now, now + this.o.ackTimeoutMs), db);
  }

  /** The frames of leased long-connection deliveries. */
  private async outgoing(leased: readonly LeasedDelivery[], db: Kysely<Database>): Promise<OutgoingEvent[]> {
    const apps = new Map<string, AppInfo | null>();
    const outgoing: OutgoingEvent[] = [];
    for (const delivery of leased) {
      const info = await this.appInfo(apps, delivery.app_id, db);
      if (info) outgoing.push({ appId: delivery.app_id, event: this.frame(delivery, info) });
    }
    return outgoing;
  }

  /** What a long-connection frame carries for a delivery. */
  private frame(delivery: LeasedDelivery, info: AppInfo): ChainEvent {
    return {
      deliveryId: delivery.id,
      eventId: delivery.event_id,
      json: envelopeJson(
        delivery,
        { appId: info.app.appId, verificationToken: info.verificationToken },
        info.tenantKey,
      ),
      createdAt: delivery.created_at,
    };
  }

  /** Sends leased events (after their leases committed). */
  private async send(outgoing: OutgoingEvent[]): Promise<void> {
    const unsent: string[] = [];
    // One event per call: the app's connections take turns, so its processes spread over them.
    for (const { appId, event } of outgoing)
      if (!this.o.hub.send(appId, [event])) {
        unsent.push(event.deliveryId);
        // A chain that was to start with it does not.
        this.chains.drop(event.deliveryId);
      }
    // Not sent (the app's last connection went away meanwhile): not an attempt either.
    if (unsent.length > 0)
      await unsyncedTransaction(this.o.db, (trx) => repositories(trx).deliveries.releaseMany(unsent, true));
  }

  /** Per (app, process) webhook queue, the consecutive due deliveries at its front (at most 20). */
  private dueRuns(rows: QueuedDelivery[], now: number): QueuedDelivery[][] {
    const queues = new Map<string, QueuedDelivery[]>();
    for (const row of rows) {
      const key = queueKey(row.app_id, row.process_id);
      const queue = queues.get(key) ?? [];
      queue.push(row);
      queues.set(key, queue);
    }
    const due = (d: QueuedDelivery) =>
      (d.status === 'pending' && d.next_attempt_at <= now) || (d.status === 'sending' && d.lease_until < now);
    const runs: QueuedDelivery[][] = [];
    for (const queue of queues.values()) {
      const run: QueuedDelivery[] = [];
      for (const d of queue) {
        if (!due(d) || run.length >= 20) break;
        run.push(d);
      }
      if (run.length > 0) runs.push(run);
    }
    return runs;
  }

  private acks = new Map<string, string[]>();
  private ackFlush: NodeJS.Immediate | undefined;
  private ackFlushing: Promise<void> | undefined;

  /**
   * A long connection of `appInternalId` acknowledged a delivery it was sent. The hub passes on only
   * acks of deliveries it sent over that connection, and the statement settles only that app's
   * long-connection deliveries still out on a send.
   */
  acknowledged(appInternalId: string, deliveryId: string): Promise<void> {
    const chain = this.chains.take(appInternalId, deliveryId);
    if (chain) {
      this.advance(chain);
      return Promise.resolve();
    }
    const ids = this.acks.get(appInternalId) ?? [];
    ids.push(deliveryId);
    this.acks.set(appInternalId, ids);
    this.scheduleAckFlush();
    return Promise.resolve();
  }

  /**
   * Acks are recorded as soon as the socket reads of this turn are done, and while one batch is being
   * written the next gathers, written when it ends: idle, an ack waits for nothing (a process's next
   * event leaves on it — six hops per leave start); under load, batches grow with the write time.
   */
  private scheduleAckFlush(): void {
    if (this.ackFlush || this.ackFlushing || this.stopped) return;
    this.ackFlush = setImmediate(() => {
      this.ackFlush = undefined;
      this.ackFlushing = this.flushAcks()
        .catch((error: unknown) => {
          this.o.logger.warn({ err: error }, 'recording acks failed; those events will be sent again');
        })
        .finally(() => {
          this.ackFlushing = undefined;
          if (this.acks.size > 0) this.scheduleAckFlush();
        });
    });
  }

  private async flushAcks(): Promise<void> {
    const batch = this.acks;
    this.acks = new Map();
    const ended = this.endedChains;
    this.endedChains = [];
    if (batch.size === 0 && ended.length === 0) return;
    const now = this.o.clock.now();
    // The acks and the sends they let go are written in one transaction, one commit per hop of a
    // process's events (per chain, for the events of one command: `advance`), which does not wait for
    // the disk: a crash that loses it sends those events again, with their event_ids
    // (unsyncedTransaction).
    const { settled, outgoing } = await unsyncedTransaction(this.o.db, async (trx) => {
      const repos = repositories(trx);
      const settled: { app_id: string; process_id: string; created_at: number }[] = [];
      for (const [appId, ids] of batch)
        settled.push(...(await repos.deliveries.acknowledgedMany(appId, ids, now)));
      const chainAcks = new Map<string, string[]>();
      for (const chain of ended) {
        const ids = chainAcks.get(chain.appId);
        if (ids) ids.push(...chain.acked);
        else chainAcks.set(chain.appId, [...chain.acked]);
      }
      for (const [appId, ids] of chainAcks) await repos.deliveries.chainAcknowledged(appId, ids, now);
      const queues = [...settled, ...ended.map((c) => ({ app_id: c.appId, process_id: c.processId }))];
      if (queues.length === 0 || this.stopped) return { settled, outgoing: [] };
      // The next event of each of those processes goes now, without waiting for a whole round: with one
      // event per process in flight, this is what keeps a process's later events close behind.
      return { settled, outgoing: await this.leaseNext(queues, trx) };
    });
    if (outgoing.length > 0) this.sending = true;
    await this.send(outgoing);
    for (const row of settled) {
      this.o.metrics.deliveries.inc({ mode: 'long_connection', result: 'delivered' });
      this.o.metrics.lag.observe({ mode: 'long_connection' }, Math.max(0, now - row.created_at) / 1000);
    }
  }
}
