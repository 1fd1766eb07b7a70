import pg from 'pg';
import type { Logger } from 'pino';
import { CACHE_CHANNEL, decodeChange, type CacheHooks } from '../store/cache-changes.js';
import type { Caches } from '../services/caches.js';

/** Keeps this server's caches right when data they hold changes (docs/scaling.md). */
export interface CacheBus {
  close(): Promise<void>;
}

/**
 * One server (SQLite): every write goes through this process, and its repositories tell the caches
 * from inside the writing transaction, so the caches are always trusted.
 */
export class LocalCacheBus implements CacheBus {
  constructor(
    private readonly hooks: CacheHooks,
    caches: Caches,
    /** Another process committed to the SQLite file (DatabaseHandle.writtenElsewhere). */
    writtenElsewhere?: () => boolean,
  ) {
    hooks.observer = (change) => {
      caches.apply(change);
    };
    // Sessions must end at once everywhere: their cache also checks for other writers per request.
    caches.sessions.writtenElsewhere = writtenElsewhere;
    caches.reset(true);
  }

  close(): Promise<void> {
    this.hooks.observer = undefined;
    return Promise.resolve();
  }
}

/** The LISTEN connection's application_name, so operators (and the tests) can find it. */
export const CACHE_LISTENER_NAME = 'peopleflow-cache-listener';

export interface PostgresCacheBusOptions {
  url: string;
  hooks: CacheHooks;
  caches: Caches;
  logger: Logger;
  /** First and longest wait between reconnection attempts. */
  backoffMs?: { initial: number; max: number };
}

/**
 * Several servers on one PostgreSQL: a write that makes cached data stale sends a NOTIFY on
 * `peopleflow_cache` inside its transaction (store/cache-changes.ts), which PostgreSQL delivers to
 * every server when, and only if, it commits. Each server LISTENs on one dedicated connection; the
 * caches trust what they hold only while it listens. When it is lost they stop trusting (and drop)
 * everything — each request checks the database again, as without a bus — and once it listens
 * again they start afresh, as changes sent meanwhile are gone.
 */
export class PostgresCacheBus implements CacheBus {
  private client: pg.Client | undefined;
  private closed = false;
  private attempt = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: PostgresCacheBusOptions) {
    // This server's own writes reach its caches at once, before their NOTIFY comes back.
    options.hooks.observer = (change) => {
      options.caches.apply(change);
    };
  }

  /** Connects and listens; resolves once listening (or after the first failure, retrying behind). */
  async start(): Promise<void> {
    await this.connect();
  }

  /** Whether the LISTEN connection is up (the caches are trusted). */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /** The LISTEN connection's backend process id, while it is up. */
  get listenerPid(): number | undefined {
    return (this.client as { processID?: number } | undefined)?.processID;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.options.hooks.observer = undefined;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    this.options.caches.reset(false);
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const { caches, logger } = this.options;
    const client = new pg.Client({
      connectionString: this.options.url,
      keepAlive: true,
      application_name: CACHE_LISTENER_NAME,
    });
    let lost = false;
    const onLost = (error?: unknown) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      if (this.closed) return;
      caches.reset(false);
      logger.warn(
        { err: error },
        'cache bus: lost the LISTEN connection; caches are checked per request until it is back',
      );
      this.retry();
    };
    client.on('error', onLost);
    client.on('end', () => {
      onLost();
    });
    client.on('notification', (message) => {
      if (message.channel !== CACHE_CHANNEL || message.payload === undefined) return;
      const change = decodeChange(message.payload);
      if (change) caches.apply(change);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CACHE_CHANNEL}`);
    } catch (error) {
      lost = true;
      client.end().catch(() => undefined);
      if (this.isClosed()) return;
      logger.warn({ err: error }, 'cache bus: cannot LISTEN; retrying');
      this.retry();
      return;
    }
    // close() may have run while connecting.
    if (this.isClosed()) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.attempt = 0;
    // From here on every change is heard; what is cached may have missed some before.
    caches.reset(true);
  }

  /** A method, not the field: close() may run while connect() awaits. */
  private isClosed(): boolean {
    return this.closed;
  }

  private retry(): void {
    const { initial, max } = this.options.backoffMs ?? { initial: 100, max: 10_000 };
    const wait = Math.min(max, initial * 2 ** this.attempt);
    this.attempt += 1;
    this.timer = setTimeout(() => {
      void this.connect();
    }, wait);
    this.timer.unref();
  }
}
