import { CompiledQuery, type Kysely } from 'kysely';
import type { OutboxRow } from '../store/process.repository.js';
import type { Database } from '../store/schema.js';
import { runDirect } from '../store/direct-sqlite.js';
import { repositories, type Repositories, type ServiceContext } from './context.js';
import type { Result } from './result.js';

/** Thrown by a command that lost a race to another committed change: it is run again on fresh rows. */
export class RetryCommand extends Error {}

export interface GroupCommitOptions {
  /** Commands in one transaction at most; 1 gives every command its own transaction. */
  maxBatch: number;
  /**
   * Transactions that may be open at once. Commands with the same key (a process id) always share a
   * lane, so two commands on one process are never in two open transactions of this server.
   */
  lanes: number;
  /** Attempts per command when it keeps losing races. */
  maxAttempts?: number;
}

/** What a command tells its batch besides what it writes. */
export interface CommandBatch {
  /**
   * The command's new events. True when the batch makes their deliveries in its own transaction (the
   * deliveries are then their record, and no outbox row is written); false when the command must write
   * them to the outbox for a dispatcher to take.
   */
  events(rows: readonly OutboxRow[]): boolean;
  /**
   * Runs `work` in a savepoint of its own inside the command's: when it throws, what it wrote is undone
   * and the command goes on (a business action tried in the approval's transaction, which the job
   * runner takes over when it fails).
   */
  apart<T>(work: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }>;
}

type Work<T> = (repos: Repositories, batch: CommandBatch) => Promise<Result<T>>;

interface Queued {
  work: Work<unknown>;
  resolve: (result: Result<unknown>) => void;
  reject: (error: unknown) => void;
}

type Outcome = { kind: 'done'; result: Result<unknown> } | { kind: 'thrown'; error: unknown };

// Compiled once: a command runs two of these, and Kysely compiles a template on every run.
const savepoint = (name: string) => ({
  open: CompiledQuery.raw(`savepoint ${name}`),
  release: CompiledQuery.raw(`release savepoint ${name}`),
  rollback: CompiledQuery.raw(`rollback to savepoint ${name}`),
});
/** Each command's own. */
const COMMAND = savepoint('command');
/** Work set apart inside a command (`CommandBatch.apart`). */
const APART = savepoint('apart');

/** A statement of the batch's own: straight on SQLite's connection, through Kysely on PostgreSQL. */
const run = async (trx: Kysely<Database>, query: CompiledQuery): Promise<void> => {
  if (!runDirect(trx, query.sql, [])) await trx.executeQuery(query);
};

/** PostgreSQL's deadlock and serialization failures: the command is tried again like a lost race. */
const TRANSIENT_CODES = new Set(['40P01', '40001']);
const isTransient = (error: unknown) =>
  error instanceof RetryCommand ||
  (typeof error === 'object' &&
    error !== null &&
    TRANSIENT_CODES.has(String((error as { code?: unknown }).code)));

/**
 * Group commit: the commands that arrive while the database is busy are run one after another in
 * one transaction and committed with one fsync, instead of one transaction (and one fsync) each.
 * Each command runs inside its own savepoint, so a command that fails — a refusal, a lost race, an
 * exception — is rolled back alone and its neighbours commit; every caller hears its own outcome
 * only after the commit is durable. Serial order within a batch is the order of arrival.
 */
export class GroupCommit {
  private readonly queues: Queued[][];
  private readonly active: boolean[];
  private readonly maxAttempts: number;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: GroupCommitOptions,
    /** Called after a batch with at least one successful command has committed. */
    private readonly committed: () => void = () => undefined,
    /** Makes the deliveries of the batch's events in its transaction (ServiceContext.fanOut). */
    private readonly fanOut?: ServiceContext['fanOut'],
  ) {
    const lanes = Math.max(1, options.lanes);
    this.queues = Array.from({ length: lanes }, () => []);
    this.active = Array.from({ length: lanes }, () => false);
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  run<T>(key: string, work: Work<T>): Promise<Result<T>> {
    const lane = this.queues.length === 1 ? 0 : laneOf(key, this.queues.length);
    return new Promise<Result<T>>((resolve, reject) => {
      const queue = this.queues[lane] ?? [];
      queue.push({ work, resolve: resolve as (r: Result<unknown>) => void, reject });
      if (queue.length === 1 && !this.active[lane]) {
        this.active[lane] = true;
        // Let the requests already read from the sockets in this turn of the event loop join the batch —
        // and, when that turn brought more than one, those of the next turns while each brings more: under
        // load they keep coming, and a larger batch writes each B-tree's last page and the fsync once for
        // more commands. A lone command, or a turn that brought none, goes at once.
        let seen = 0;
        const gather = () => {
          const grew = queue.length > seen;
          seen = queue.length;
          if (grew && seen > 1 && seen < this.options.maxBatch) setImmediate(gather);
          else void this.drain(lane);
        };
        setImmediate(gather);
      }
    });
  }

  private async drain(lane: number): Promise<void> {
    const queue = this.queues[lane] ?? [];
    try {
      while (queue.length > 0) await this.commitBatch(queue.splice(0, this.options.maxBatch));
    } finally {
      this.active[lane] = false;
    }
  }

  private async commitBatch(batch: Queued[]): Promise<void> {
    let outcomes: Outcome[];
    let afterCommit: (() => void) | undefined;
    try {
      const trx = await this.db.startTransaction().execute();
      try {
        outcomes = [];
        const events: OutboxRow[] = [];
        for (const item of batch) outcomes.push(await this.attempt(trx, item, events));
        if (events.length > 0 && this.fanOut) afterCommit = await this.fanOut(trx, events);
        await trx.commit().execute();
      } catch (error) {
        await trx
          .rollback()
          .execute()
          .catch(() => undefined);
        throw error;
      }
    } catch (error) {
      // The transaction itself failed (database gone, commit refused): nothing of the batch is stored.
      for (const item of batch) item.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => {
      const item = batch[i];
      if (!item) return;
      if (outcome.kind === 'done') item.resolve(outcome.result);
      else item.reject(outcome.error);
    });
    // After every caller has its outcome (so that a hook's failure cannot leave one waiting), and still
    // before any of them resumes: the events leased in the batch leave ahead of its answers.
    if (outcomes.some((o) => o.kind === 'done' && o.result.ok)) this.committed();
    afterCommit?.();
  }

  /** One command in its own savepoint, again while it loses races; its events join `events` if it succeeds. */
  private async attempt(trx: Kysely<Database>, item: Queued, events: OutboxRow[]): Promise<Outcome> {
    for (let attempt = 1; ; attempt++) {
      await run(trx, COMMAND.open);
      let outcome: Outcome;
      const own: OutboxRow[] = [];
      const batch: CommandBatch = {
        events: (rows) => {
          if (!this.fanOut) return false;
          own.push(...rows);
          return true;
        },
        apart: async <T>(work: () => Promise<T>) => {
          await run(trx, APART.open);
          try {
            const value = await work();
            await run(trx, APART.release);
            return { ok: true as const, value };
          } catch (error) {
            await run(trx, APART.rollback);
            await run(trx, APART.release);
            return { ok: false as const, error };
          }
        },
      };
      try {
        outcome = { kind: 'done', result: await item.work(repositories(trx), batch) };
      } catch (error) {
        outcome = { kind: 'thrown', error };
      }
      if (outcome.kind === 'done' && outcome.result.ok) {
        await run(trx, COMMAND.release);
        events.push(...own);
        return outcome;
      }
      // A refusal or an exception changes nothing: undo what the command wrote.
      await run(trx, COMMAND.rollback);
      await run(trx, COMMAND.release);
      if (outcome.kind === 'thrown' && isTransient(outcome.error) && attempt < this.maxAttempts) continue;
      return outcome;
    }
  }
}

function laneOf(key: string, lanes: number): number {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (hash * 31 + key.charCodeAt(i)) | 0;
  return Math.abs(hash) % lanes;
}
