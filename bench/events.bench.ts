import { createServer } from 'node:http';
import { EVENT_TYPES } from '../src/services/app.service.js';
import { tenantToken, type ServerProcess } from './server-process.js';
import { leaveStartBody } from './leave.js';
import { subscribeDemoApp } from './subscriber.js';

export interface ReceiverResult {
  deliveredPerSecond: number;
  p50: number;
  p99: number;
  received: number;
}

export interface EventsResult {
  offeredPerSecond: number;
  webhook: ReceiverResult;
  longConnection: ReceiverResult;
  maxRssMb: number;
  /** Every event of the step reached both receivers within the grace period after the last start. */
  keptUp: boolean;
}

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

/** How long after the end of a step every event of it must have arrived for the rate to count as sustained. */
const GRACE_MS = 2000;

/**
 * e. Events to a local webhook receiver and to the SDK's WSClient at once; lag is receipt time minus
 * the commit time carried in the envelope (create_time). Each rate runs as its own step, drained
 * before the next: first the target rate, then a ramp upwards that stops at the first rate the
 * server cannot sustain (a step keeps up when every event arrives within 2 s of the step's end).
 */
export async function eventsBench(
  server: ServerProcess,
  rates: number[],
  seconds: number,
): Promise<EventsResult[]> {
  let webhookLags: number[] = [];
  let wsLags: number[] = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        challenge?: string;
        header?: { create_time: string };
      };
      if (body.challenge) {
        res.end(JSON.stringify({ challenge: body.challenge }));
        return;
      }
      if (body.header) webhookLags.push(Date.now() - Number(body.header.create_time));
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const created = await fetch(`${server.url}/admin/v1/tenants/demo/apps`, {
    method: 'POST',
    headers: { authorization: 'Bearer bench-admin-token-0123456789', 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'bench receiver',
      scopes: ['corehr:process:readonly'],
      event: { request_url: `http://127.0.0.1:${port}/hook`, event_types: EVENT_TYPES },
    }),
  });
  if (created.status !== 201) throw new Error(`subscribing failed: ${await created.text()}`);

  const ws = await subscribeDemoApp(server, (data) => {
    wsLags.push(Date.now() - Number(data.create_time));
  });

  const token = await tenantToken(server);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const body = leaveStartBody(server.demo.flow_definitions.leave!);

  const step = async (eventsPerSecond: number): Promise<EventsResult> => {
    webhookLags = [];
    wsLags = [];
    // A leave start emits six events; pace starts to offer the target rate.
    const startsPerSecond = eventsPerSecond / 6;
    let started = 0;
    let maxRssMb = 0;
    const begin = Date.now();
    const inFlight: Promise<unknown>[] = [];
    while (Date.now() - begin < seconds * 1000) {
      const due = Math.floor(((Date.now() - begin) / 1000) * startsPerSecond);
      while (started < due) {
        started++;
        inFlight.push(
          fetch(`${server.url}/open-apis/corehr/v2/process_start?user_id_type=user_id`, {
            method: 'POST',
            headers,
            body,
          }).then((r) => r.arrayBuffer()),
        );
      }
      maxRssMb = Math.max(maxRssMb, server.rssMb());
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(inFlight);
    const expected = started * 6;
    // Measured from the end of the step, not from the last answer: a server that falls behind on
    // starts has not carried the offered rate either.
    const stepEnd = begin + seconds * 1000;
    const drainUntil = Date.now() + 30_000;
    let keptUp = true;
    while (webhookLags.length < expected || wsLags.length < expected) {
      if (Date.now() > stepEnd + GRACE_MS) keptUp = false;
      if (Date.now() > drainUntil) break;
      maxRssMb = Math.max(maxRssMb, server.rssMb());
      await new Promise((r) => setTimeout(r, 20));
    }
    const elapsed = (Date.now() - begin) / 1000;
    const receiverResult = (lags: number[]): ReceiverResult => ({
      deliveredPerSecond: lags.length / elapsed,
      p50: percentile(lags, 50),
      p99: percentile(lags, 99),
      received: lags.length,
    });
    return {
      offeredPerSecond: expected / seconds,
      webhook: receiverResult(webhookLags),
      longConnection: receiverResult(wsLags),
      maxRssMb,
      keptUp: keptUp && webhookLags.length >= expected && wsLags.length >= expected,
    };
  };

  // Measured warm, as a server that has run for a while: an unmeasured step at half the first rate
  // first (the first measured step had carried V8's compilation of every path: p99 1,060 ms at 1,000/s
  // cold against 452 ms at 1,500/s right after it, 2026-12-04).
  if (rates.length > 0) await step(Math.round((rates[0] ?? 0) / 2));

  const results: EventsResult[] = [];
  for (const rate of rates) {
    const result = await step(rate);
    results.push(result);
    if (!result.keptUp) break;
  }
  ws.close();
  await new Promise((resolve) => receiver.close(resolve));
  return results;
}
