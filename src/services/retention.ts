import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../platform/clock.js';
import { firstIdAt } from '../platform/id-generator.js';
import type { Database } from '../store/schema.js';
import { unsyncedTransaction } from '../store/unsynced-transaction.js';
import { repositories, type Repositories } from './context.js';
import { NOTIFICATION_DAYS } from './notifications/notifier.js';
import { UNATTACHED_FILE_DAYS } from './file.service.js';

export interface RetentionOptions {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  /** Delivered event deliveries (and fanned-out outbox rows) are kept this many days; 0 keeps them for ever. */
  deliveryDays: number;
  /** A people-API session unused this long has ended (the session policy's idle limit). */
  sessionIdleMs: number;
  /** How often a sweep runs; the first runs a minute after start. */
  intervalMs?: number;
}

/** What one sweep deleted. */
export interface SweepResult {
  deliveries: number;
  outbox: number;
  notifications: number;
  /** Settled jobs that sent notifications by email or chat, deleted with them. */
  notifyJobs: number;
  sessions: number;
  files: number;
}

/** A sweep that found nothing to delete. */
export const NOTHING_SWEPT: Readonly<SweepResult> = {
  deliveries: 0,
  outbox: 0,
  notifications: 0,
  notifyJobs: 0,
  sessions: 0,
  files: 0,
};

const DAY_MS = 24 * 60 * 60 * 1000;
/** Rows deleted per statement: each a short transaction, so commands are never held up for long. */
const BATCH = 500;
/** Statements per table per sweep (100,000 rows): a first sweep of a years-old database spreads over hours. */
const MAX_BATCHES = 200;
/** Files per statement: each may hold megabytes. */
const FILE_BATCH = 20;
const FIRST_SWEEP_MS = 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/**
 * Keeps the collections that grow with use and are not business records bounded: delivered event
 * deliveries and the outbox rows behind them after `deliveryDays`, notifications after 90 days
 * (everyone's, including people who receive too few for their list's own prune) with the jobs that
 * sent them by email or chat, uploads no request names after a week, and people-API sessions that
 * have ended. Processes, their tasks, jobs, files and audit trail are records and are never deleted
 * here. Ages are by the server's clock (the emulator's, when it has been moved).
 */
export class DataRetention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SweepResult> | undefined;
  private stopped = false;

  constructor(private readonly o: RetentionOptions) {}

  start(): void {
    this.stopped = false;
    this.schedule(FIRST_SWEEP_MS);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.sweep()
        .then((result) => {
          if (Object.values(result).some((n) => n > 0))
            this.o.logger.info({ deleted: result }, 'retention: old rows deleted');
        })
        .catch((error: unknown) => {
          this.o.logger.warn({ err: error }, 'retention sweep failed; it runs again later');
        })
        .finally(() => {
          // Spread out, so that the servers of a cluster seldom sweep at the same moment.
          this.schedule((this.o.intervalMs ?? HOUR_MS) * (0.9 + Math.random() * 0.2));
        });
    }, ms);
    this.timer.unref();
  }

  /** One sweep now (one at a time: a call during a sweep gets that sweep's result). */
  sweep(): Promise<SweepResult> {
    this.running ??= this.sweepOnce().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sweepOnce(): Promise<SweepResult> {
    const now = this.o.clock.now();
    const result: SweepResult = { ...NOTHING_SWEPT };
    if (this.o.deliveryDays > 0) {
      const before = firstIdAt(now - this.o.deliveryDays * DAY_MS);
      result.deliveries = await this.inBatches((repos) =>
        repos.deliveries.deleteDeliveredBefore(before, BATCH),
      );
      result.outbox = await this.inBatches((repos) => repos.deliveries.deleteFannedOutBefore(before, BATCH));
    }
    const notificationsBefore = now - NOTIFICATION_DAYS * DAY_MS;
    result.notifications = await this.inBatches((repos) =>
      repos.notifications.deleteCreatedBefore(notificationsBefore, BATCH),
    );
    result.notifyJobs = await this.inBatches((repos) =>
      repos.jobs.deleteSettledNotifyBefore(notificationsBefore, BATCH),
    );
    const filesBefore = now - UNATTACHED_FILE_DAYS * DAY_MS;
    result.files = await this.inBatches(
      (repos) => repos.files.deleteUnattachedBefore(filesBefore, FILE_BATCH),
      FILE_BATCH,
    );
    result.sessions = await unsyncedTransaction(this.o.db, (trx) =>
      repositories(trx).sessions.deleteExpired(now, now - this.o.sessionIdleMs),
    );
    return result;
  }

  /**
   * Runs `step` (which deletes at most `batch` rows) until it deletes fewer or MAX_BATCHES ran, each in
   * its own transaction that does not wait for the disk (a deletion a crash loses is made again by the
   * next sweep), letting requests in between.
   */
  private async inBatches(step: (repos: Repositories) => Promise<number>, batch = BATCH): Promise<number> {
    let total = 0;
    for (let i = 0; i < MAX_BATCHES && !this.stopped; i++) {
      const deleted = await unsyncedTransaction(this.o.db, (trx) => step(repositories(trx)));
      total += deleted;
      if (deleted < batch) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    return total;
  }
}
