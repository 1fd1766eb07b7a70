import { createServer, type Server } from 'node:http';
import * as lark from '@larksuiteoapi/node-sdk';
import { EVENT_TYPES } from '../../src/services/app.service.js';

/** An event as the official SDK hands it to a handler: header and event fields merged. */
export interface ReceivedEvent {
  event_id: string;
  event_type: string;
  process_id?: string;
  status?: number;
  [key: string]: unknown;
}

/** Handlers for all six process event types that record what arrives. */
export function recordingDispatcher(
  options: { encryptKey?: string; verificationToken?: string },
  events: ReceivedEvent[],
  arrivals?: ReceivedEvent[],
): lark.EventDispatcher {
  const handlers: Record<string, (data: ReceivedEvent) => Promise<void>> = {};
  for (const type of EVENT_TYPES) {
    handlers[type] = (data) => {
      events.push({ ...data, event_type: type });
      arrivals?.push({ ...data, event_type: type });
      return Promise.resolve();
    };
  }
  return new lark.EventDispatcher({ ...options, loggerLevel: lark.LoggerLevel.fatal }).register(
    handlers as never,
  );
}

export interface WebhookReceiver {
  url: string;
  events: ReceivedEvent[];
  /** Requests seen, accepted or not (url_verification excluded). */
  requests: number;
  /** Makes the next `n` event requests fail with HTTP 500. */
  failNext(n: number): void;
  /** Makes the next `n` event requests wait `ms` before they are read and answered (a slow receiver). */
  stallNext(n: number, ms: number): void;
  close(): Promise<void>;
}

/** A real HTTP receiver built on the SDK's EventDispatcher and adaptDefault (auto-challenge on). */
export async function webhookReceiver(options: { encryptKey?: string }): Promise<WebhookReceiver> {
  const events: ReceivedEvent[] = [];
  const handle = lark.adaptDefault('/webhook', recordingDispatcher(options, events), { autoChallenge: true });
  let failures = 0;
  const stall = { left: 0, ms: 0 };
  const state = { requests: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const isChallenge =
        /url_verification/.test(body) ||
        (options.encryptKey !== undefined &&
          body.includes('encrypt') &&
          decryptsToChallenge(options.encryptKey, body));
      if (!isChallenge) state.requests++;
      if (!isChallenge && stall.left > 0) {
        stall.left--;
        setTimeout(() => {
          answer(body, isChallenge);
        }, stall.ms);
      } else answer(body, isChallenge);
    });
    const answer = (body: string, isChallenge: boolean) => {
      if (!isChallenge && failures > 0) {
        failures--;
        res.statusCode = 500;
        res.end('receiver is down');
        return;
      }
      // Replay the body for the SDK's adapter, which reads the request stream itself.
      const replay = Object.assign(Object.create(req) as typeof req, {
        url: '/webhook',
        headers: req.headers,
        on: (event: string, listener: (arg?: Buffer) => void) => {
          if (event === 'data') listener(Buffer.from(body));
          if (event === 'end') listener();
          return replay;
        },
      });
      // The SDK throws on what it cannot decrypt; a receiver answers that with an error status.
      handle(replay, res).catch(() => {
        res.statusCode = 400;
        res.end('cannot read this event');
      });
    };
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    events,
    get requests() {
      return state.requests;
    },
    failNext: (n) => {
      failures = n;
    },
    stallNext: (n, ms) => {
      stall.left = n;
      stall.ms = ms;
    },
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}

function decryptsToChallenge(key: string, body: string): boolean {
  try {
    const { encrypt } = JSON.parse(body) as { encrypt: string };
    return new lark.AESCipher(key).decrypt(encrypt).includes('url_verification');
  } catch {
    return false;
  }
}

export async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
