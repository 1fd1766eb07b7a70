import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import type { Database } from '../../store/schema.js';
import { JobRepository, type JobRow } from '../../store/job.repository.js';
import { unsyncedTransaction } from '../../store/unsynced-transaction.js';
import type { Repositories } from '../context.js';

/** What a handler decided about one run of a job. */
export type JobOutcome =
  | { status: 'done'; result?: unknown }
  /** Nothing to do any more (a stale timer, a revoked process): recorded, never retried. */
  | { status: 'cancelled'; reason: string }
  /** Worth trying again later (a refused SMTP server, a 503): retried with backoff, then failed. */
  | { status: 'retry'; error: string }
  /** Will not work however often it is tried (a bad target): parked for an admin to see. */
  | { status: 'failed'; error: string }
  /** The handler settled the job itself, in the transaction of its effect (see `ClaimedJob.settleIn`). */
  | { status: 'settled' };

export interface ClaimedJob {
  row: JobRow;
  payload: unknown;
  /**
   * Marks the job done inside the caller's transaction, so the effect and "done" commit together
   * (effect-once). False when this runner lost the job meanwhile: the caller must roll back.
   */
  settleIn(repos: Repositories, result?: unknown): Promise<boolean>;
}

export interface JobHandler {
  /** Tries before a job that keeps asking to be retried is parked as failed. */
  maxAttempts: number;
  run(job: ClaimedJob): Promise<JobOutcome>;
}

export interface JobRunnerOptions {
  db: Kysely<Database>;
  clock: Clock;
  logger: Logger;
  /** This server's name in leases (several servers share one PostgreSQL). */
  owner: string;
  pollIntervalMs: number;
  leaseMs?: number;
  batch?: number;
  /** Retry delay after the n-th failed attempt (1-based). */
  backoffMs?: (attempt: number) => number;
  /** Told when a job is parked as failed (process admins are notified). */
  onFailed?: (job: JobRow, error: string) => void;
}

/** 10 s, 20 s, 40 s … capped at an hour, with ±20 % jitter so that retries of many jobs spread out. */
export function defaultBackoffMs(attempt: number): number {
  const base = Math.min(10_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/**
 * Runs due jobs (docs/adr/0007-durable-jobs.md): claims a batch with a lease, runs each through the
 * handler of its kind, and settles it. Jobs are due by the injected clock, so an emulator's clock
 * moved forward (`--clock-control`) makes them due at once — `kick()` after the move.
 */
export class JobRunner {
  private readonly handlers = new Map<string, JobHandler>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;
  private wake = false;

  constructor(private readonly o: JobRunnerOptions) {}

  register(kind: string, handler: JobHandler): void {
    this.handlers.set(kind, handler);
  }

  start(): void {
    this.stopped = false;
    this.loop();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** New jobs were written, or the clock moved: run a round soon. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wake = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.loop();
    }, 1);
  }

  /** Runs rounds until nothing is due; for tests and the clock endpoint, which want to see the effect. */
  async drain(maxRounds = 50): Promise<void> {
    for (let i = 0; i < maxRounds; i++) if ((await this.round()) === 0) return;
  }

  private loop(): void {
    if (this.stopped) return;
    this.running = (async () => {
      try {
        while (!this.stopped && (await this.round()) >= (this.o.batch ?? 20));
      } catch (error) {
        this.o.logger.warn({ err: error }, 'job round failed; retrying');
      }
    })().finally(() => {
      this.running = undefined;
      if (this.stopped) return;
      if (this.wake) {
        this.wake = false;
        this.kick();
      } else
        this.timer = setTimeout(() => {
          this.loop();
        }, this.o.pollIntervalMs);
    });
  }

  private rounds: Promise<number> = Promise.resolve(0);

  /** One claim and its jobs; rounds never overlap on one server. Returns how many jobs were claimed. */
  round(): Promise<number> {
    const next = this.rounds.then(() => this.runRound());
    this.rounds = next.catch(() => 0);
    return next;
  }

  private async runRound(): Promise<number> {
    const now = this.o.clock.now();
    // The claim is bookkeeping a crash may lose (the jobs are then claimed again, as when a lease runs
    // out): its commit does not wait for the disk, and the synced commit of a job's own work, later in
    // the same log, makes it durable (unsyncedTransaction). Waiting for it was one fsync per round,
    // about 8 % of an approve's time inside SQLite (the event loop's wall time, not CPU).
    const jobs = new JobRepository(this.o.db);
    const claimed = await unsyncedTransaction(this.o.db, (trx) =>
      new JobRepository(trx).claim(now, this.o.batch ?? 20, this.o.leaseMs ?? 60_000, this.o.owner),
    );
    // Jobs of one process run one at a time in due order (a timer, then the action it caused); those of
    // different processes side by side, so that their transactions share a group commit (an action
    // job's is one: `ActionJobDeps.transact`). Jobs of no process keep their order among themselves.
    const chains = new Map<string, JobRow[]>();
    for (const row of claimed) {
      const key = row.process_id ?? '';
      chains.set(key, [...(chains.get(key) ?? []), row]);
    }
    const settled = await Promise.allSettled(
      [...chains.values()].map(async (rows) => {
        for (const row of rows) await this.runOne(jobs, row);
      }),
    );
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    return claimed.length;
  }

  private async runOne(jobs: JobRepository, row: JobRow): Promise<void> {
    const handler = this.handlers.get(row.kind);
    const owner = this.o.owner;
    const clock = this.o.clock;
    if (!handler) {
      await jobs.settle(
        row.id,
        owner,
        { status: 'failed', error: `no handler for ${row.kind} jobs` },
        clock.now(),
      );
      return;
    }
    const job: ClaimedJob = {
      row,
      payload: JSON.parse(row.payload) as unknown,
      settleIn: (repos, result) =>
        repos.jobs.settle(
          row.id,
          owner,
          { status: 'done', ...(result === undefined ? {} : { result }) },
          clock.now(),
        ),
    };
    let outcome: JobOutcome;
    try {
      outcome = await handler.run(job);
    } catch (error) {
      this.o.logger.warn({ err: error, job: row.id, kind: row.kind }, 'job threw');
      outcome = { status: 'retry', error: (error as Error).message || String(error) };
    }
    const now = clock.now();
    switch (outcome.status) {
      case 'settled':
        return;
      case 'done':
        await jobs.settle(row.id, owner, outcome, now);
        return;
      case 'cancelled':
        await jobs.settle(row.id, owner, { status: 'cancelled', error: outcome.reason }, now);
        return;
      case 'retry':
        if (row.attempts < handler.maxAttempts) {
          const delay = (this.o.backoffMs ?? defaultBackoffMs)(row.attempts);
          await jobs.settle(
            row.id,
            owner,
            { status: 'pending', error: outcome.error, dueAt: now + delay },
            now,
          );
          return;
        }
        await this.park(jobs, row, outcome.error, now);
        return;
      case 'failed':
        await this.park(jobs, row, outcome.error, now);
    }
  }

  private async park(jobs: JobRepository, row: JobRow, error: string, now: number): Promise<void> {
    if (await jobs.settle(row.id, this.o.owner, { status: 'failed', error }, now)) {
      this.o.logger.warn({ job: row.id, kind: row.kind, key: row.key, error }, 'job failed');
      this.o.onFailed?.(row, error);
    }
  }
}
