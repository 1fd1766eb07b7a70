import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../store/schema.js';
import type { LiveKind, ProcessChange } from '../services/live.service.js';

/** Carries committed process changes to the live streams of every server. */
export interface LiveBus {
  publish(change: ProcessChange): void;
  close(): Promise<void>;
}

type Deliver = (change: ProcessChange) => Promise<void>;

/** One server (SQLite): changes go straight to this server's streams. */
export class LocalLiveBus implements LiveBus {
  constructor(
    private readonly deliver: Deliver,
    private readonly logger: Logger,
  ) {}

  publish(change: ProcessChange): void {
    this.deliver(change).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'live update not delivered');
    });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export const LIVE_CHANNEL = 'peopleflow_live';
/** NOTIFY payloads must stay under 8000 bytes; past this the people list is left out. */
const MAX_PAYLOAD = 7500;

interface Wire {
  /** The publishing server, which has delivered it already. */
  o: string;
  t: string;
  p: string;
  k: LiveKind[];
  u: string[] | null;
  /** People with a new notification. */
  n?: string[];
}

export interface PostgresLiveBusOptions {
  url: string;
  db: Kysely<Database>;
  logger: Logger;
  deliver: Deliver;
  /** Another server's change arrived (after `deliver`): its event deliveries may be for apps connected here. */
  othersChanged?: () => void;
  /** The feed was interrupted (changes may be lost): end the local streams so clients refetch. */
  interrupted: () => void;
  /** First and longest wait between reconnection attempts. */
  backoffMs?: { initial: number; max: number };
}

/**
 * Several servers on one PostgreSQL: each change is delivered to this server's streams at once and
 * sent to the others with NOTIFY (after the change committed). Each server LISTENs on one dedicated
 * connection, reconnecting with backoff; when it was lost, this server's streams are ended, as the
 * changes sent meanwhile are gone, and the browsers reconnect and refetch.
 */
export class PostgresLiveBus implements LiveBus {
  private readonly origin = randomBytes(8).toString('hex');
  private client: pg.Client | undefined;
  private closed = false;
  private attempt = 0;
  private everConnected = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: PostgresLiveBusOptions) {}

  /** Whether this server is listening now: other servers' changes reach it. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  /** Connects and listens; resolves once listening (or after the first failure, retrying behind). */
  async start(): Promise<void> {
    await this.connect();
  }

  publish(change: ProcessChange): void {
    this.deliverLocally(change);
    let wire: Wire = {
      o: this.origin,
      t: change.tenantId,
      p: change.processId,
      k: change.kinds,
      u: change.people,
      ...(change.notified && change.notified.length > 0 ? { n: change.notified } : {}),
    };
    if (Buffer.byteLength(JSON.stringify(wire)) > MAX_PAYLOAD) wire = { ...wire, u: null };
    sql`select pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(wire)})`
      .execute(this.options.db)
      .catch((error: unknown) => {
        this.options.logger.warn({ err: error }, 'live update not sent to the other servers');
      });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private deliverLocally(change: ProcessChange): void {
    this.options.deliver(change).catch((error: unknown) => {
      this.options.logger.warn({ err: error }, 'live update not delivered');
    });
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.options.url, keepAlive: true });
    let lost = false;
    const onLost = (error?: unknown) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.options.logger.warn({ err: error }, 'live updates: lost the LISTEN connection; reconnecting');
      this.options.interrupted();
      this.retry();
    };
    client.on('error', onLost);
    client.on('end', () => {
      onLost();
    });
    client.on('notification', (message) => {
      if (message.channel !== LIVE_CHANNEL || message.payload === undefined) return;
      const change = parse(message.payload);
      if (change && change.origin !== this.origin) {
        this.deliverLocally(change.change);
        this.options.othersChanged?.();
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${LIVE_CHANNEL}`);
    } catch (error) {
      lost = true;
      client.end().catch(() => undefined);
      if (this.isClosed()) return;
      this.options.logger.warn({ err: error }, 'live updates: cannot LISTEN; retrying');
      this.retry();
      return;
    }
    // close() may have run while connecting.
    if (this.isClosed()) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    if (this.everConnected) this.options.interrupted();
    this.everConnected = true;
    this.attempt = 0;
  }

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

function parse(payload: string): { origin: string; change: ProcessChange } | undefined {
  try {
    const wire = JSON.parse(payload) as Partial<Wire>;
    if (typeof wire.o !== 'string' || typeof wire.t !== 'string' || typeof wire.p !== 'string') return;
    return {
      origin: wire.o,
      change: {
        tenantId: wire.t,
        processId: wire.p,
        kinds: Array.isArray(wire.k) ? wire.k : ['process'],
        people: Array.isArray(wire.u) ? wire.u : null,
        ...(Array.isArray(wire.n) ? { notified: wire.n } : {}),
      },
    };
  } catch {
    return undefined;
  }
}
