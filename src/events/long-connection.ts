import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { memoryLimiters, type LimiterFactory } from '../api/auth/limiters.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Services } from '../services/index.js';
import { longConnectionRefusal } from '../services/app.service.js';
import type { HttpApp } from '../api/http-app.js';
import { decodeFrame, encodeFrame, FRAME_CONTROL, FRAME_DATA } from './frames.js';
import type { LongConnectionSink } from './dispatcher.js';
import type { DeliveryMetrics } from './metrics.js';

/** The vendor's ClientConfig (CONTRACT §7b), sent with the endpoint and in every pong. */
export interface ClientConfig {
  ReconnectCount: number;
  ReconnectInterval: number;
  ReconnectNonce: number;
  PingInterval: number;
}

export interface HubOptions {
  services: Services;
  logger: Logger;
  clientConfig: ClientConfig;
  /** Largest payload of one frame; bigger events are split into `sum` fragments. */
  frameBytes: number;
  maxConnectionsPerApp: number;
  /** An app's connection acknowledged a delivery it had been sent over that connection. */
  onAck: (appInternalId: string, deliveryId: string) => Promise<void>;
  /** An app's connection is listening (it sent its first frame, or its grace passed): what waits for the app can go now. */
  onConnected?: (appInternalId: string) => void;
  metrics?: DeliveryMetrics;
  /**
   * The server's public URL (`--base-url`). Connection URLs are built from it (through the HTTP app's
   * publicBaseUrl); its path prefix is accepted on the connection path too.
   */
  baseUrl?: string | undefined;
  clock?: Clock;
  /** Endpoint calls with the right secret, per app per minute; past it the endpoint answers CODE_RATE_LIMITED. */
  endpointPerMinute?: number;
  /** Where the endpoint limit counts (default: in memory). */
  limiters?: LimiterFactory;
  /** Unused tickets kept at most per app, and over all apps. */
  maxTicketsPerApp?: number;
  maxTickets?: number;
}

const CONNECT_PATH = '/callback/ws/connect';
const TICKET_TTL_MS = 60_000;
/** How often tickets nobody used are dropped. */
const TICKET_SWEEP_MS = 5_000;
/**
 * A new connection takes events once the client has sent its first frame (the SDKs ping as they
 * connect), or after this long. An event sent at once can reach a client before it listens: the node
 * SDK attaches its message handler a moment after the socket opens, and a frame read together with
 * the handshake's answer is dropped — the event then waits for its ack timeout.
 */
const FIRST_FRAME_GRACE_MS = 1_000;
/** Deliveries remembered per connection as sent and not yet acknowledged; the oldest are forgotten past it. */
const MAX_UNACKED_PER_CONNECTION = 10_000;
export const CODE_AUTH_FAILED = 514;
/**
 * Too many endpoint calls for the app, or too many unused tickets. The code is the one both official
 * SDKs treat as "try again later" (they reconnect after their reconnect interval); any other non-zero
 * code makes the node SDK's WSClient give up for good.
 */
export const CODE_RATE_LIMITED = 1000040343;
export const CODE_FORBIDDEN = 403;
export const CODE_EXCEED_CONN_LIMIT = 1000040350;
/** WebSocket close code when the app's access was withdrawn; the reason says why. */
export const CLOSE_ACCESS_REVOKED = 4403;

/**
 * A refusal carries an empty `data`, as the vendor's does: the official SDK reads `data` before the
 * code, and without it takes the answer for a network failure and retries forever instead of
 * reporting the code (a revoked app would never hear why).
 */
const refused = (code: number, msg: string) => ({ code, msg, data: {} });

interface Connection {
  socket: WebSocket;
  /** The TCP stream under `socket`, corked while a turn of sends lasts (`send`). */
  stream: Duplex;
  corked: boolean;
  appInternalId: string;
  serviceId: number;
  /** The app's access revision when the ticket was handed out. */
  revision: number;
  alive: boolean;
  /** The client has sent a frame (or the grace period passed): it is listening, events may go. */
  ready: boolean;
  /** Deliveries sent over this connection and not acknowledged yet, oldest first: the only acks it may give. */
  unacked: Set<string>;
}

/**
 * The long-connection server: `/callback/ws/endpoint` hands out a one-time URL, the WebSocket on it
 * speaks pbbp2 frames. Each event goes to one live connection of its app (cluster mode); the
 * dispatcher sends it again if no ack arrives in time.
 */
export class LongConnectionHub implements LongConnectionSink {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  private readonly tickets = new Map<
    string,
    { appInternalId: string; serviceId: number; revision: number; expiresAt: number }
  >();
  /** Unused tickets per app, for the per-app bound. */
  private readonly ticketsPerApp = new Map<string, number>();
  private readonly byApp = new Map<string, Set<Connection>>();
  private readonly turn = new Map<string, number>();
  private heartbeat: NodeJS.Timeout | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private readonly clock: Clock;
  /** The base URL's path (`/pf` for https://hr.example.com/pf): a proxy may pass it on. */
  private readonly prefix: string;
  private readonly endpointLimiter: RateLimiterAbstract;
  private readonly maxTicketsPerApp: number;
  private readonly maxTickets: number;

  constructor(private readonly o: HubOptions) {
    this.clock = o.clock ?? systemClock;
    this.prefix = o.baseUrl ? new URL(o.baseUrl).pathname.replace(/\/+$/, '') : '';
    // Keyed by the app's internal id, and consumed only once the secret matched: the keys are bounded
    // by the number of apps, and someone who knows only an (unsecret) AppID cannot use up the real
    // client's quota and lock it out.
    // Shared by every server on PostgreSQL (docs/scaling.md).
    this.endpointLimiter = (o.limiters ?? memoryLimiters)({
      name: 'ws_endpoint',
      points: o.endpointPerMinute ?? 120,
      durationSeconds: 60,
    });
    this.maxTicketsPerApp = o.maxTicketsPerApp ?? 100;
    this.maxTickets = o.maxTickets ?? 10_000;
  }

  /** Unused tickets held right now (they are dropped when used, and within seconds of expiring). */
  ticketCount(): number {
    return this.tickets.size;
  }

  private takeTicket(ticket: string) {
    const found = this.tickets.get(ticket);
    if (!found) return undefined;
    this.tickets.delete(ticket);
    const left = (this.ticketsPerApp.get(found.appInternalId) ?? 1) - 1;
    if (left > 0) this.ticketsPerApp.set(found.appInternalId, left);
    else this.ticketsPerApp.delete(found.appInternalId);
    return found;
  }

  /** Drops expired tickets: a ticket asked for and never used must not stay in memory. */
  sweepTickets(): void {
    const now = this.clock.now();
    for (const [ticket, entry] of this.tickets) if (entry.expiresAt <= now) this.takeTicket(ticket);
  }

  registerRoutes(app: HttpApp): void {
    app.post('/callback/ws/endpoint', async (request) => {
      const body = (request.body ?? {}) as { AppID?: unknown; AppSecret?: unknown };
      if (typeof body.AppID !== 'string' || typeof body.AppSecret !== 'string') {
        return refused(CODE_AUTH_FAILED, 'AppID and AppSecret are required');
      }
      // Secret guessing from one address is throttled like the token endpoints (--auth-failure-limit).
      const throttle = request.server.authFailures;
      const wait = await throttle.retryAfter('app_secret', request.ip);
      if (wait !== undefined)
        return refused(
          CODE_RATE_LIMITED,
          `too many failed authentication attempts from this address; try again in ${wait} s`,
        );
      // A wrong secret costs one indexed lookup and one HMAC, and leaves nothing behind.
      const found = await this.o.services.auth.checkCredentials(body.AppID, body.AppSecret);
      if (!found) {
        await throttle.failed('app_secret', request.ip);
        return refused(CODE_AUTH_FAILED, 'auth failed: app_id or app_secret is invalid');
      }
      try {
        await this.endpointLimiter.consume(found.id);
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        return refused(
          CODE_RATE_LIMITED,
          `too many endpoint requests for this app (at most ${this.endpointLimiter.points} a minute); try again in ${Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))} s`,
        );
      }
      const refusal = longConnectionRefusal(found);
      if (refusal) return refused(CODE_FORBIDDEN, refusal);
      if (this.count(found.id) >= this.o.maxConnectionsPerApp) {
        return refused(CODE_EXCEED_CONN_LIMIT, `at most ${this.o.maxConnectionsPerApp} connections per app`);
      }
      const held = this.ticketsPerApp.get(found.id) ?? 0;
      if (held >= this.maxTicketsPerApp || this.tickets.size >= this.maxTickets) {
        return refused(
          CODE_RATE_LIMITED,
          `too many unused connection URLs (at most ${held >= this.maxTicketsPerApp ? `${this.maxTicketsPerApp} per app` : `${this.maxTickets} in all`}); try again in a minute`,
        );
      }
      const ticket = randomBytes(16).toString('hex');
      const serviceId = 1 + (randomBytes(2).readUInt16BE(0) % 60000);
      this.tickets.set(ticket, {
        appInternalId: found.id,
        serviceId,
        revision: found.accessRevision,
        expiresAt: this.clock.now() + TICKET_TTL_MS,
      });
      this.ticketsPerApp.set(found.id, held + 1);
      // http → ws, https → wss; from --base-url when set, never from the Host header then.
      const origin = request.server.publicBaseUrl(request).replace(/^http/, 'ws');
      const deviceId = randomBytes(8).toString('hex');
      return {
        code: 0,
        msg: 'ok',
        data: {
          URL: `${origin}${CONNECT_PATH}?device_id=${deviceId}&service_id=${serviceId}&ticket=${ticket}`,
          ClientConfig: this.o.clientConfig,
        },
      };
    });
  }

  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      // Behind a proxy that keeps the base URL's path prefix, the path arrives with it.
      if (url.pathname !== CONNECT_PATH && url.pathname !== `${this.prefix}${CONNECT_PATH}`) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      const ticket = this.takeTicket(url.searchParams.get('ticket') ?? '');
      if (!ticket || ticket.expiresAt <= this.clock.now()) {
        socket.end(
          `HTTP/1.1 401 Unauthorized\r\nhandshake-status: ${CODE_AUTH_FAILED}\r\nhandshake-msg: invalid or expired ticket\r\nConnection: close\r\n\r\n`,
        );
        return;
      }
      if (this.count(ticket.appInternalId) >= this.o.maxConnectionsPerApp) {
        socket.end(
          `HTTP/1.1 403 Forbidden\r\nhandshake-status: ${CODE_EXCEED_CONN_LIMIT}\r\nConnection: close\r\n\r\n`,
        );
        return;
      }
      this.wss.handleUpgrade(request, socket, head, (ws) => {
        this.accept(ws, socket, ticket.appInternalId, ticket.serviceId, ticket.revision);
      });
    });
    // Half-dead connections (no answer to a WebSocket ping within one round) are dropped.
    this.heartbeat = setInterval(() => {
      for (const set of this.byApp.values()) {
        for (const connection of set) {
          if (!connection.alive) {
            connection.socket.terminate();
            continue;
          }
          connection.alive = false;
          connection.socket.ping();
        }
      }
    }, 30_000);
    this.heartbeat.unref();
    this.sweeper = setInterval(() => {
      this.sweepTickets();
    }, TICKET_SWEEP_MS);
    this.sweeper.unref();
  }

  private accept(
    socket: WebSocket,
    stream: Duplex,
    appInternalId: string,
    serviceId: number,
    revision: number,
  ): void {
    const connection: Connection = {
      socket,
      stream,
      corked: false,
      appInternalId,
      serviceId,
      revision,
      alive: true,
      ready: false,
      unacked: new Set(),
    };
    const set = this.byApp.get(appInternalId) ?? new Set<Connection>();
    set.add(connection);
    this.byApp.set(appInternalId, set);
    socket.on('pong', () => {
      connection.alive = true;
    });
    const grace = setTimeout(() => {
      this.becomeReady(connection);
    }, FIRST_FRAME_GRACE_MS);
    grace.unref();
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      connection.alive = true;
      this.becomeReady(connection);
      this.onMessage(connection, data, isBinary);
    });
    socket.on('close', () => {
      clearTimeout(grace);
      set.delete(connection);
      if (set.size === 0) this.byApp.delete(appInternalId);
    });
    socket.on('error', (error) => {
      this.o.logger.warn({ err: error }, 'long connection error');
    });
  }

  /** The connection takes events from now on: what waits for its app can go. */
  private becomeReady(connection: Connection): void {
    if (connection.ready || connection.socket.readyState !== connection.socket.OPEN) return;
    connection.ready = true;
    this.o.onConnected?.(connection.appInternalId);
  }

  private onMessage(connection: Connection, data: Buffer, isBinary: boolean): void {
    let frame;
    try {
      if (!isBinary) throw new Error('text message');
      frame = decodeFrame(data);
    } catch (error) {
      // One bad client must not disturb the others: log, close this connection only.
      this.o.logger.warn({ err: error }, 'malformed frame on long connection; closing it');
      connection.socket.close(1002, 'malformed frame');
      return;
    }
    if (frame.method === FRAME_CONTROL && frame.headers.type === 'ping') {
      connection.socket.send(
        encodeFrame({
          service: connection.serviceId,
          method: FRAME_CONTROL,
          headers: { type: 'pong' },
          payload: Buffer.from(JSON.stringify(this.o.clientConfig)),
        }),
      );
      return;
    }
    if (frame.method === FRAME_DATA && frame.headers.message_id) {
      let code: unknown;
      try {
        code = (JSON.parse(frame.payload?.toString('utf8') ?? '{}') as { code?: unknown }).code;
      } catch {
        code = undefined;
      }
      if (code !== 200) return;
      const deliveryId = frame.headers.message_id;
      // Only a delivery this connection was sent may be acknowledged on it: message ids are
      // time-ordered and guessable, and an ack for another app's event would lose that event.
      if (!connection.unacked.delete(deliveryId)) {
        this.o.metrics?.ignoredAcks.inc();
        this.o.logger.debug(
          { app: connection.appInternalId, message_id: deliveryId.slice(0, 40) },
          'ack for an event this connection was not sent (or already acknowledged); ignored',
        );
        return;
      }
      void this.o.onAck(connection.appInternalId, deliveryId).catch((error: unknown) => {
        this.o.logger.warn({ err: error }, 'recording an ack failed; the event will be sent again');
      });
    }
  }

  private count(appInternalId: string): number {
    return this.byApp.get(appInternalId)?.size ?? 0;
  }

  /** Apps with live connections or unused tickets here, each with the access revisions they were granted under. */
  accessGrants(): Map<string, Set<number>> {
    const grants = new Map<string, Set<number>>();
    const add = (appInternalId: string, revision: number) => {
      const set = grants.get(appInternalId) ?? new Set<number>();
      set.add(revision);
      grants.set(appInternalId, set);
    };
    for (const [appInternalId, set] of this.byApp) for (const c of set) add(appInternalId, c.revision);
    const now = this.clock.now();
    for (const [key, ticket] of this.tickets) {
      if (ticket.expiresAt <= now) this.takeTicket(key);
      else add(ticket.appInternalId, ticket.revision);
    }
    return grants;
  }

  /**
   * Withdraws what the app was granted under any revision but `keep` (everything when undefined):
   * unused tickets are forgotten, connections closed with CLOSE_ACCESS_REVOKED and the reason.
   * Returns how many connections were closed.
   */
  revokeAccess(appInternalId: string, keep: number | undefined, reason: string): number {
    for (const [key, ticket] of this.tickets)
      if (ticket.appInternalId === appInternalId && ticket.revision !== keep) this.takeTicket(key);
    let closed = 0;
    for (const connection of this.byApp.get(appInternalId) ?? []) {
      if (connection.revision === keep || connection.socket.readyState !== connection.socket.OPEN) continue;
      // Closing, it takes no more events; what it had not acknowledged is sent again elsewhere.
      connection.socket.close(CLOSE_ACCESS_REVOKED, reason.slice(0, 120));
      closed++;
    }
    return closed;
  }

  connectedApps(): string[] {
    const apps: string[] = [];
    for (const [appId, set] of this.byApp)
      for (const c of set)
        if (c.ready) {
          apps.push(appId);
          break;
        }
    return apps;
  }

  send(appInternalId: string, events: { deliveryId: string; eventId: string; json: string }[]): boolean {
    const open = [...(this.byApp.get(appInternalId) ?? [])].filter(
      (c) => c.ready && c.socket.readyState === c.socket.OPEN,
    );
    if (open.length === 0) return false;
    const next = (this.turn.get(appInternalId) ?? 0) % open.length;
    this.turn.set(appInternalId, next + 1);
    const connection = open[next];
    if (!connection) return false;
    // The events sent in this turn of the event loop (a round of the dispatcher sends many, each on
    // its own call) leave in one write: a write per frame was a tenth of the dispatcher's time.
    if (!connection.corked) {
      connection.corked = true;
      connection.stream.cork();
      process.nextTick(() => {
        connection.corked = false;
        connection.stream.uncork();
      });
    }
    for (const event of events) {
      connection.unacked.delete(event.deliveryId);
      connection.unacked.add(event.deliveryId);
      if (connection.unacked.size > MAX_UNACKED_PER_CONNECTION) {
        const oldest = connection.unacked.values().next();
        if (!oldest.done) connection.unacked.delete(oldest.value);
      }
      const payload = Buffer.from(event.json, 'utf8');
      const sum = Math.max(1, Math.ceil(payload.length / this.o.frameBytes));
      for (let seq = 0; seq < sum; seq++) {
        connection.socket.send(
          encodeFrame({
            service: connection.serviceId,
            method: FRAME_DATA,
            headers: {
              type: 'event',
              message_id: event.deliveryId,
              sum: String(sum),
              seq: String(seq),
              trace_id: event.eventId,
            },
            payload: payload.subarray(seq * this.o.frameBytes, (seq + 1) * this.o.frameBytes),
          }),
        );
      }
    }
    return true;
  }

  close(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.sweeper) clearInterval(this.sweeper);
    for (const set of this.byApp.values()) for (const c of set) c.socket.terminate();
    this.wss.close();
  }
}
