import type { Services } from '../../services/index.js';
import type { LiveKind, LiveSubscriber } from '../../services/live.service.js';
import type { HttpApp } from '../http-app.js';
import type { LiveChange, LiveNotification } from './contract.js';
import { sendPeopleProblem } from './reply.js';
import { personOf } from './index.js';

export const PING_INTERVAL_MS = 25_000;
/** A client this far behind in reading is dropped (it reconnects and refetches). */
const MAX_BUFFERED_BYTES = 256 * 1024;

/**
 * `GET /events`: Server-Sent Events for the signed-in person — `event: change` with a LiveChange for
 * each committed change to a process the person may see, `event: notification` for each new in-app
 * notification of theirs, `event: ping` every 25 s. The stream ends
 * when the session does (checked at each ping), when the client goes, or when the server stops.
 */
export function registerEventRoutes(app: HttpApp, services: Services): void {
  // No automatic HEAD route: a HEAD request would open a stream that sends nothing.
  app.get('/events', { exposeHeadRoute: false }, (request, reply) => {
    const session = personOf(request);
    const raw = reply.raw;
    const stream: { ended: boolean; ping?: NodeJS.Timeout; unsubscribe?: () => void } = { ended: false };
    const end = () => {
      if (stream.ended) return;
      stream.ended = true;
      clearInterval(stream.ping);
      stream.unsubscribe?.();
      raw.end();
    };
    const write = (text: string) => {
      if (stream.ended) return;
      raw.write(text);
      if (raw.writableLength > MAX_BUFFERED_BYTES) end();
    };
    const subscriber: LiveSubscriber = {
      tenantId: session.tenant.id,
      employeeId: session.employee.id,
      tokenHash: session.tokenHash,
      change: (processId: string, kinds: readonly LiveKind[]) => {
        const data: LiveChange = { process_id: processId, kinds: [...kinds] };
        write(`event: change\ndata: ${JSON.stringify(data)}\n\n`);
      },
      notification: (processId: string) => {
        const data: LiveNotification = { process_id: processId };
        write(`event: notification\ndata: ${JSON.stringify(data)}\n\n`);
      },
      close: end,
    };
    const subscription = services.live.subscribe(subscriber);
    if (!subscription.ok) return sendPeopleProblem(reply, 'too_many_requests', subscription.reason);
    stream.unsubscribe = subscription.unsubscribe;

    void reply.hijack();
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx and similar proxies pass each event on at once instead of buffering the response.
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
      'x-tt-logid': request.id,
    });
    // How long the browser waits before reconnecting, then a first line so the stream is open at once.
    raw.write('retry: 3000\n: connected\n\n');
    const ping = setInterval(() => {
      services.live
        .sessionHolds(session)
        .then((holds) => {
          if (holds) write('event: ping\ndata: {}\n\n');
          else end();
        })
        .catch(() => {
          end();
        });
    }, PING_INTERVAL_MS);
    ping.unref();
    stream.ping = ping;
    // The response closes when the client goes (the request's own 'close' means only its body ended).
    raw.on('close', end);
    raw.on('error', end);
    return reply;
  });
}
