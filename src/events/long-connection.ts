import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from 'pino';
import type { Services } from '../services/index.js';
import { longConnectionRefusal } from '../services/app.service.js';
import type { HttpApp } from '../api/http-app.js';
import { decodeFrame, encodeFrame, FRAME_CONTROL, FRAME_DATA } from './frames.js';
import type { LongConnectionSink } from './dispatcher.js';

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
  onAck: (deliveryId: string) => Promise<void>;
}

const CONNECT_PATH = '/callback/ws/connect';
const TICKET_TTL_MS = 60_000;
export const CODE_AUTH_FAILED = 514;
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
  appInternalId: string;
  serviceId: number;
  /** The app's access revision when the ticket was handed out. */
  revision: number;
  alive: boolean;
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
  private readonly byApp = new Map<string, Set<Connection>>();
  private readonly turn = new Map<string, number>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly o: HubOptions) {}

  registerRoutes(app: HttpApp): void {
    app.post('/callback/ws/endpoint', async (request) => {
      const body = (request.body ?? {}) as { AppID?: unknown; AppSecret?: unknown };
      if (typeof body.AppID !== 'string' || typeof body.AppSecret !== 'string') {
        return refused(CODE_AUTH_FAILED, 'AppID and AppSecret are required');
      }
      const found = await this.o.services.auth.checkCredentials(body.AppID, body.AppSecret);
      if (!found) return refused(CODE_AUTH_FAILED, 'auth failed: app_id or app_secret is invalid');
      const refusal = longConnectionRefusal(found);
      if (refusal) return refused(CODE_FORBIDDEN, refusal);
      if (this.count(found.id) >= this.o.maxConnectionsPerApp) {
        return refused(CODE_EXCEED_CONN_LIMIT, `at most ${this.o.maxConnectionsPerApp} connections per app`);
      }
      const ticket = randomBytes(16).toString('hex');
      const serviceId = 1 + (randomBytes(2).readUInt16BE(0) % 60000);
      this.tickets.set(ticket, {
        appInternalId: found.id,
        serviceId,
        revision: found.accessRevision,
        expiresAt: Date.now() + TICKET_TTL_MS,
      });
      const scheme = request.protocol === 'https' ? 'wss' : 'ws';
      const deviceId = randomBytes(8).toString('hex');
      return {
        code: 0,
        msg: 'ok',
        data: {
          URL: `${scheme}://${request.host}${CONNECT_PATH}?device_id=${deviceId}&service_id=${serviceId}&ticket=${ticket}`,
          ClientConfig: this.o.clientConfig,
        },
      };
    });
  }

  attach(server: Server): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(request.url ?? '/', 'http://localhost');
      if (url.pathname !== CONNECT_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      const ticket = this.tickets.get(url.searchParams.get('ticket') ?? '');
      this.tickets.delete(url.searchParams.get('ticket') ?? '');
      if (!ticket || ticket.expiresAt < Date.now()) {
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
        this.accept(ws, ticket.appInternalId, ticket.serviceId, ticket.revision);
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
  }

  private accept(socket: WebSocket, appInternalId: string, serviceId: number, revision: number): void {
    const connection: Connection = { socket, appInternalId, serviceId, revision, alive: true };
    const set = this.byApp.get(appInternalId) ?? new Set<Connection>();
    set.add(connection);
    this.byApp.set(appInternalId, set);
    socket.on('pong', () => {
      connection.alive = true;
    });
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      connection.alive = true;
      this.onMessage(connection, data, isBinary);
    });
    socket.on('close', () => {
      set.delete(connection);
      if (set.size === 0) this.byApp.delete(appInternalId);
    });
    socket.on('error', (error) => {
      this.o.logger.warn({ err: error }, 'long connection error');
    });
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
      if (code === 200) {
        void this.o.onAck(frame.headers.message_id).catch((error: unknown) => {
          this.o.logger.warn({ err: error }, 'recording an ack failed; the event will be sent again');
        });
      }
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
    const now = Date.now();
    for (const [key, ticket] of this.tickets) {
      if (ticket.expiresAt < now) this.tickets.delete(key);
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
      if (ticket.appInternalId === appInternalId && ticket.revision !== keep) this.tickets.delete(key);
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
    return [...this.byApp.keys()];
  }

  send(appInternalId: string, events: { deliveryId: string; eventId: string; json: string }[]): boolean {
    const open = [...(this.byApp.get(appInternalId) ?? [])].filter(
      (c) => c.socket.readyState === c.socket.OPEN,
    );
    if (open.length === 0) return false;
    const next = (this.turn.get(appInternalId) ?? 0) % open.length;
    this.turn.set(appInternalId, next + 1);
    const connection = open[next];
    if (!connection) return false;
    for (const event of events) {
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
    for (const set of this.byApp.values()) for (const c of set) c.socket.terminate();
    this.wss.close();
  }
}
