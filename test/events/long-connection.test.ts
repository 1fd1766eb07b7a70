import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import * as lark from '@larksuiteoapi/node-sdk';
import { WebSocket } from 'ws';
import { decodeFrame, encodeFrame, FRAME_CONTROL, FRAME_DATA } from '../../src/events/frames.js';
import { CODE_RATE_LIMITED } from '../../src/events/long-connection.js';
import { ManualClock } from '../../src/platform/clock.js';
import { EVENT_TYPES } from '../../src/services/app.service.js';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { choice, date, DemoDriver, num, sdkClient } from '../helpers/sdk.js';
import { recordingDispatcher, until, webhookReceiver, type ReceivedEvent } from '../helpers/receivers.js';

const LEAVE = {
  leave_type: choice('annual'),
  start_date: date('2026-12-01'),
  end_date: date('2026-12-02'),
  days: num('2'),
};

interface RawEvent {
  messageId: string;
  eventId: string;
  processId: string;
  type: string;
}

interface Endpoint {
  code: number;
  msg: string;
  data?: { URL: string };
}

async function endpoint(url: string, appId: string, appSecret: string): Promise<Endpoint> {
  const r = await fetch(`${url}/callback/ws/endpoint`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ AppID: appId, AppSecret: appSecret }),
  });
  return (await r.json()) as Endpoint;
}

/**
 * A long-connection client written against the pbbp2 frames alone, as another SDK (or an attacker)
 * would: it acknowledges only what the test tells it to, in any order, with any message_id.
 */
class RawClient {
  readonly frames: RawEvent[] = [];
  private pongs: (() => void)[] = [];
  onEvent: (event: RawEvent) => void = () => undefined;

  private constructor(
    private readonly socket: WebSocket,
    private readonly serviceId: number,
  ) {
    socket.on('message', (data: Buffer) => {
      const frame = decodeFrame(data);
      if (frame.method === FRAME_CONTROL && frame.headers.type === 'pong') {
        this.pongs.shift()?.();
        return;
      }
      if (frame.method !== FRAME_DATA || frame.headers.type !== 'event') return;
      assert.equal(frame.headers.sum, '1', 'events here fit one frame');
      const envelope = JSON.parse(frame.payload!.toString('utf8')) as {
        header: { event_id: string; event_type: string };
        event: { process_id: string };
      };
      const event = {
        messageId: frame.headers.message_id!,
        eventId: envelope.header.event_id,
        processId: envelope.event.process_id,
        type: envelope.header.event_type,
      };
      this.frames.push(event);
      this.onEvent(event);
    });
  }

  static async connect(url: string, appId: string, appSecret: string): Promise<RawClient> {
    const answer = await endpoint(url, appId, appSecret);
    assert.equal(answer.code, 0, answer.msg);
    const connectUrl = answer.data!.URL;
    const socket = new WebSocket(connectUrl);
    await new Promise((resolve, reject) => socket.on('open', resolve).on('error', reject));
    return new RawClient(socket, Number(new URL(connectUrl).searchParams.get('service_id')));
  }

  ack(messageId: string): void {
    this.socket.send(
      encodeFrame({
        service: this.serviceId,
        method: FRAME_DATA,
        headers: { type: 'event', message_id: messageId, sum: '1', seq: '0' },
        payload: Buffer.from(JSON.stringify({ code: 200 })),
      }),
    );
  }

  /** Resolves once the server answered a ping sent after everything sent before it: frames are handled in order. */
  sync(): Promise<void> {
    const answered = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error('no pong within 10 s'));
      }, 10_000);
      this.pongs.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    this.socket.send(
      encodeFrame({ service: this.serviceId, method: FRAME_CONTROL, headers: { type: 'ping' } }),
    );
    return answered;
  }

  close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    const closed = new Promise<void>((resolve) =>
      this.socket.on('close', () => {
        resolve();
      }),
    );
    this.socket.close();
    return closed;
  }
}

interface DeliveryJson {
  delivery_id: string;
  event_id: string;
  process_id: string;
  mode: string;
  status: string;
  attempts: number;
  last_error: string | null;
}

async function deliveries(t: TestServer, appId: string, status?: string): Promise<DeliveryJson[]> {
  const out: DeliveryJson[] = [];
  let token = '';
  for (;;) {
    const r = await t.admin(
      'GET',
      `/tenants/demo/apps/${appId}/deliveries?page_size=100${status ? `&status=${status}` : ''}${token ? `&page_token=${token}` : ''}`,
    );
    assert.equal(r.status, 200, JSON.stringify(r.body));
    out.push(...(r.body.data.items as DeliveryJson[]));
    if (!r.body.data.has_more) return out;
    token = r.body.data.page_token as string;
  }
}

async function metric(t: TestServer, name: string): Promise<number> {
  const text = await (await fetch(`${t.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : NaN;
}

/** Per process, the event ids in commit order (delivery ids are time-ordered per app). */
function commitOrder(list: DeliveryJson[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of [...list].sort((a, b) => (BigInt(a.delivery_id) < BigInt(b.delivery_id) ? -1 : 1))) {
    out.set(d.process_id, [...(out.get(d.process_id) ?? []), d.event_id]);
  }
  return out;
}

forEachDialect('long connection: an ack settles only what that connection was sent', (dialect) => {
  test("tenant B's client acking tenant A's delivery ids changes nothing; A and a webhook app still get every event", async () => {
    const t = await startTestServer(dialect, {
      flags: [
        '--demo',
        '--webhook-allow-hosts',
        '127.0.0.1',
        '--dispatch-interval-ms',
        '20',
        // Long enough that nothing times out between the two snapshots below, even on a loaded machine:
        // the comparison must see only what the forged acks did.
        '--ws-ack-timeout-ms',
        '6000',
        // The webhook app's failed first attempt waits this long: the forged acks land meanwhile.
        '--webhook-retry-schedule',
        '8s,8s',
      ],
    });
    const receiver = await webhookReceiver({ encryptKey: 'c-key' });
    const clients: { close(): unknown }[] = [];
    try {
      const demo = t.server.demo!;
      const appA = demo.app.app_id;
      // C: a webhook app of tenant A whose first attempt fails, so its delivery waits for a retry.
      const c = await t.admin('POST', '/tenants/demo/apps', {
        name: 'c',
        scopes: ['corehr:process:readonly'],
        event: {
          request_url: receiver.url,
          encrypt_key: 'c-key',
          event_types: ['corehr.process.status.update_v2'],
          delivery_mode: 'webhook',
        },
      });
      assert.equal(c.status, 201, JSON.stringify(c.body));
      const appC = c.body.data.app_id as string;
      // B: another tenant's app on the long connection.
      assert.equal((await t.admin('POST', '/tenants', { tenant_key: 'other', name: 'Other' })).status, 201);
      const b = await t.admin('POST', '/tenants/other/apps', {
        name: 'b',
        scopes: ['corehr:process:readonly'],
        event: { event_types: EVENT_TYPES, delivery_mode: 'long_connection' },
      });
      assert.equal(b.status, 201, JSON.stringify(b.body));

      receiver.failNext(1);
      const d = new DemoDriver(sdkClient(t.url, demo.app), demo);
      const p1 = await d.start('leave', 'employee', LEAVE);
      const p2 = await d.start('leave', 'employee', LEAVE);
      await d.approve(p1, 'manager');
      await until(
        async () => (await deliveries(t, appC)).some((x) => x.status === 'pending' && x.attempts === 1),
        10_000,
        "the webhook app's first attempt to fail",
      );
      // A's first events go out to a client of A that does not acknowledge them ('sending'); the
      // others wait ('pending').
      const silentA = await RawClient.connect(t.url, appA, demo.app.app_secret);
      clients.push(silentA);
      await until(() => silentA.frames.length >= 2, 10_000, 'the heads of both processes');
      const before = [...(await deliveries(t, appA)), ...(await deliveries(t, appC))];
      assert.ok(before.some((x) => x.status === 'sending'));

      const attacker = await RawClient.connect(t.url, b.body.data.app_id as string, b.body.data.app_secret);
      clients.push(attacker);
      for (const x of before) attacker.ack(x.delivery_id);
      // Guessed neighbours of real ids too.
      for (const x of before) attacker.ack((BigInt(x.delivery_id) + 1n).toString());
      await attacker.sync();
      // Give a wrongly accepted ack time to be written (acks are recorded a few ms later).
      await new Promise((r) => setTimeout(r, 200));
      const after = [...(await deliveries(t, appA)), ...(await deliveries(t, appC))];
      assert.deepEqual(
        after.map((x) => [x.delivery_id, x.status]),
        before.map((x) => [x.delivery_id, x.status]),
        'forged acks changed nothing',
      );
      assert.equal(await metric(t, 'peopleflow_event_acks_ignored_total'), before.length * 2);

      // A's real client: every event of A, in per-process commit order; C gets its event at the retry.
      await silentA.close();
      const inbox: ReceivedEvent[] = [];
      const arrivals: ReceivedEvent[] = [];
      const client = new lark.WSClient({
        appId: appA,
        appSecret: demo.app.app_secret,
        domain: t.url,
        loggerLevel: lark.LoggerLevel.fatal,
      });
      clients.push({
        close: () => {
          client.close({ force: true });
        },
      });
      await client.start({ eventDispatcher: recordingDispatcher({}, inbox, arrivals) });
      const want = commitOrder(await deliveries(t, appA));
      const total = [...want.values()].reduce((n, l) => n + l.length, 0);
      await until(() => new Set(inbox.map((e) => e.event_id)).size >= total, 20_000, `${total} events of A`);
      const got = new Map<string, string[]>();
      for (const e of arrivals) {
        const list = got.get(e.process_id!) ?? [];
        if (!list.includes(e.event_id)) list.push(e.event_id);
        got.set(e.process_id!, list);
      }
      for (const p of [p1, p2]) assert.deepEqual(got.get(p), want.get(p), `process ${p}`);
      await until(() => receiver.events.length >= 2, 15_000, 'both status events at the webhook app');
      // A webhook success is written after the receiver has answered: wait for it rather than race it.
      await until(
        async () => (await deliveries(t, appC)).every((x) => x.status === 'delivered'),
        10_000,
        "the webhook app's deliveries recorded as delivered",
      );
    } finally {
      for (const c of clients) await c.close();
      await t.close();
      await receiver.close();
    }
  });
});

test('long connection: at most one unacknowledged event per process, even for a client that acks in reverse order', async () => {
  const t = await startTestServer('sqlite', {
    flags: ['--demo', '--dispatch-interval-ms', '20', '--ws-ack-timeout-ms', '10000'],
  });
  let client: RawClient | undefined;
  try {
    const demo = t.server.demo!;
    const d = new DemoDriver(sdkClient(t.url, demo.app), demo);
    const processes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await d.start('leave', 'employee', LEAVE);
      await d.approve(p, 'manager');
      processes.push(p);
    }
    const want = commitOrder(await deliveries(t, demo.app.app_id));
    const total = [...want.values()].reduce((n, l) => n + l.length, 0);
    assert.ok(
      [...want.values()].every((l) => l.length >= 3),
      'several events per process',
    );

    client = await RawClient.connect(t.url, demo.app.app_id, demo.app.app_secret);
    const unacked: RawEvent[] = [];
    const violations: string[] = [];
    let widest = 0;
    let flush: NodeJS.Timeout | undefined;
    const raw = client;
    raw.onEvent = (event) => {
      if (unacked.some((u) => u.processId === event.processId && u.messageId !== event.messageId))
        violations.push(`${event.processId}: ${event.type} while another event of it was unacknowledged`);
      if (!unacked.some((u) => u.messageId === event.messageId)) unacked.push(event);
      widest = Math.max(widest, new Set(unacked.map((u) => u.processId)).size);
      // Acks go late (after a quiet moment) and newest first, as a client handling frames concurrently might.
      if (flush) clearTimeout(flush);
      flush = setTimeout(() => {
        for (const u of unacked.splice(0).reverse()) raw.ack(u.messageId);
      }, 100);
    };
    await until(
      () => new Set(raw.frames.map((f) => f.eventId)).size >= total,
      30_000,
      `${total} events over the raw client`,
    );
    if (flush) clearTimeout(flush);
    assert.deepEqual(violations, []);
    assert.ok(widest >= 2, 'events of different processes were in flight together');
    const got = new Map<string, string[]>();
    for (const f of raw.frames) {
      const list = got.get(f.processId) ?? [];
      if (!list.includes(f.eventId)) list.push(f.eventId);
      got.set(f.processId, list);
    }
    for (const p of processes) assert.deepEqual(got.get(p), want.get(p), `process ${p} in commit order`);
  } finally {
    await client?.close();
    await t.close();
  }
});

test('long connection: a new connection gets events once the client has sent a frame (the SDKs ping as they connect), or after a second', async () => {
  const t = await startTestServer('sqlite', { flags: ['--demo', '--dispatch-interval-ms', '20'] });
  const clients: RawClient[] = [];
  try {
    const demo = t.server.demo!;
    const app = demo.app.app_id;
    const d = new DemoDriver(sdkClient(t.url, demo.app), demo);
    await d.start('leave', 'employee', LEAVE);
    // Silent: an event sent along with the handshake's answer could reach a client not listening yet.
    const opened = Date.now();
    const silent = await RawClient.connect(t.url, app, demo.app.app_secret);
    clients.push(silent);
    await until(() => silent.frames.length > 0, 10_000, 'an event for the silent client');
    assert.ok(Date.now() - opened >= 900, `the first event came ${Date.now() - opened} ms after connecting`);
    await silent.close();
    // A client that pings as it connects is listening: its events go without the wait.
    await d.start('leave', 'employee', LEAVE);
    const pinging = await RawClient.connect(t.url, app, demo.app.app_secret);
    clients.push(pinging);
    await pinging.sync();
    await until(() => pinging.frames.length > 0, 10_000, 'an event for the client that pinged');
  } finally {
    for (const c of clients) await c.close();
    await t.close();
  }
});

/** The process's deliveries by event id, in commit order. */
async function ofProcess(t: TestServer, appId: string, processId: string): Promise<DeliveryJson[]> {
  return (await deliveries(t, appId))
    .filter((d) => d.process_id === processId)
    .sort((a, b) => (BigInt(a.delivery_id) < BigInt(b.delivery_id) ? -1 : 1));
}

/**
 * A demo server with the given ack timeout, and a raw client of its demo app connected before any
 * command: a command's events then go one ack apart, the later ones sent from memory.
 */
async function connectedRaw(
  ackTimeoutMs: number,
): Promise<{ t: TestServer; raw: RawClient; app: string; d: DemoDriver }> {
  const t = await startTestServer('sqlite', {
    flags: ['--demo', '--dispatch-interval-ms', '20', '--ws-ack-timeout-ms', String(ackTimeoutMs)],
  });
  try {
    const demo = t.server.demo!;
    const raw = await RawClient.connect(t.url, demo.app.app_id, demo.app.app_secret);
    return { t, raw, app: demo.app.app_id, d: new DemoDriver(sdkClient(t.url, demo.app), demo) };
  } catch (error) {
    await t.close();
    throw error;
  }
}

/** Waits until every event of the process is delivered; each reached the client once, in `made`'s order. */
async function deliveredOnceInOrder(
  t: TestServer,
  raw: RawClient,
  processId: string,
  made: string[],
  timeoutMs: number,
): Promise<void> {
  const app = t.server.demo!.app.app_id;
  await until(
    async () => (await ofProcess(t, app, processId)).every((x) => x.status === 'delivered'),
    timeoutMs,
    'every event of the leave delivered',
  );
  assert.deepEqual(
    raw.frames.filter((f) => f.processId === processId).map((f) => f.eventId),
    made,
    'each once, in commit order',
  );
  assert.deepEqual(
    (await ofProcess(t, app, processId)).map((x) => x.attempts),
    made.map(() => 1),
    'one attempt each',
  );
}

test('long connection: a client that stops acknowledging in the middle of a command’s events gets that one again; what it acknowledged is stored as delivered, and nothing overtakes', async () => {
  const { t, raw, app, d } = await connectedRaw(600);
  try {
    let processId = '';
    let release = false;
    raw.onEvent = (event) => {
      // Every event is acknowledged at once but the leave's third, until released.
      const own = [...new Set(raw.frames.filter((f) => f.processId === processId).map((f) => f.eventId))];
      if (event.processId === processId && own.indexOf(event.eventId) === 2 && !release) return;
      raw.ack(event.messageId);
    };
    processId = await d.start('leave', 'employee', LEAVE);
    const made = (await ofProcess(t, app, processId)).map((x) => x.event_id);
    assert.ok(made.length >= 4, `a leave start makes several events (${made.length})`);
    const third = made[2]!;
    const received = () => raw.frames.filter((f) => f.processId === processId).map((f) => f.eventId);
    await until(
      () => received().filter((e) => e === third).length >= 2,
      10_000,
      'the unacknowledged third event sent again',
    );
    assert.deepEqual([...new Set(received())], made.slice(0, 3), 'nothing after the third was sent');
    const held = await ofProcess(t, app, processId);
    assert.deepEqual(
      held.slice(0, 2).map((x) => [x.status, x.attempts]),
      [
        ['delivered', 1],
        ['delivered', 1],
      ],
      'the acknowledged ones are stored as delivered, one attempt each',
    );
    assert.ok(held[2]!.attempts >= 2, `the third counts its sends (${held[2]!.attempts})`);
    assert.deepEqual(
      held.slice(3).map((x) => [x.status, x.attempts]),
      held.slice(3).map(() => ['pending', 0]),
      'the later ones wait, unsent',
    );

    release = true;
    const resent = raw.frames.filter((f) => f.eventId === third).at(-1)!;
    raw.ack(resent.messageId);
    await until(
      async () => (await ofProcess(t, app, processId)).every((x) => x.status === 'delivered'),
      10_000,
      'every event of the leave delivered',
    );
    const got = received();
    assert.deepEqual([...new Set(got)], made, 'in commit order');
    for (const e of made)
      if (e !== third) assert.equal(got.filter((x) => x === e).length, 1, `${e} sent once`);
  } finally {
    await raw.close();
    await t.close();
  }
});

test('long connection: a later command’s events of a process whose events are still going out follow them, in commit order, each once', async () => {
  const { t, raw, app, d } = await connectedRaw(10000);
  try {
    let processId = '';
    let release = false;
    const held: string[] = [];
    raw.onEvent = (event) => {
      // The leave's second event is held until the approval's events exist.
      const own = [...new Set(raw.frames.filter((f) => f.processId === processId).map((f) => f.eventId))];
      if (event.processId === processId && own.indexOf(event.eventId) === 1 && !release) {
        held.push(event.messageId);
        return;
      }
      raw.ack(event.messageId);
    };
    processId = await d.start('leave', 'employee', LEAVE);
    await until(() => held.length === 1, 10_000, 'the second event out, unacknowledged');
    const started = (await ofProcess(t, app, processId)).length;
    await d.approve(processId, 'manager');
    const made = (await ofProcess(t, app, processId)).map((x) => x.event_id);
    assert.ok(made.length > started, 'the approval made events of its own');
    assert.deepEqual(
      [...new Set(raw.frames.filter((f) => f.processId === processId).map((f) => f.eventId))],
      made.slice(0, 2),
      'nothing sent past the unacknowledged event',
    );
    release = true;
    raw.ack(held[0]!);
    await deliveredOnceInOrder(t, raw, processId, made, 10_000);
  } finally {
    await raw.close();
    await t.close();
  }
});

test('long connection: a client slower than the ack timeout over a command’s events, but in time for each, gets none of them twice', async () => {
  const { t, raw, app, d } = await connectedRaw(1500);
  const timers = new Set<NodeJS.Timeout>();
  try {
    let processId = '';
    raw.onEvent = (event) => {
      if (event.processId !== processId) {
        raw.ack(event.messageId);
        return;
      }
      // 900 ms for each of the leave's events: well within the 1.5 s ack timeout, but the whole run of
      // them takes several timeouts (the hold on the process's queue has to move along with them).
      const timer = setTimeout(() => {
        timers.delete(timer);
        raw.ack(event.messageId);
      }, 900);
      timers.add(timer);
    };
    processId = await d.start('leave', 'employee', LEAVE);
    const made = (await ofProcess(t, app, processId)).map((x) => x.event_id);
    assert.ok(made.length >= 4, `a leave start makes several events (${made.length})`);
    await deliveredOnceInOrder(t, raw, processId, made, 30_000);
  } finally {
    for (const timer of timers) clearTimeout(timer);
    await raw.close();
    await t.close();
  }
});

test('long connection: an unacknowledged event is re-sent on the retry schedule, then parked; listed and re-sent by the admin', async () => {
  const t = await startTestServer('sqlite', {
    flags: [
      '--demo',
      '--dispatch-interval-ms',
      '20',
      '--ws-ack-timeout-ms',
      '300',
      '--webhook-retry-schedule',
      '100ms,200ms,300ms',
    ],
  });
  let silent: RawClient | undefined;
  let client: lark.WSClient | undefined;
  try {
    const demo = t.server.demo!;
    const app = demo.app.app_id;
    const patched = await t.admin('PATCH', `/tenants/demo/apps/${app}`, {
      event: { event_types: ['corehr.process.status.update_v2'] },
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    silent = await RawClient.connect(t.url, app, demo.app.app_secret);
    const d = new DemoDriver(sdkClient(t.url, demo.app), demo);
    const p = await d.start('leave', 'employee', LEAVE);
    await until(async () => (await deliveries(t, app, 'failed')).length === 1, 20_000, 'parking');
    const [parked] = await deliveries(t, app, 'failed');
    assert.ok(parked);
    assert.equal(parked.process_id, p);
    assert.equal(parked.mode, 'long_connection');
    // The first send, a resend at the ack timeout, then one per wait of the schedule.
    assert.equal(parked.attempts, 5);
    assert.match(parked.last_error ?? '', /not acknowledged within 300 ms/);
    assert.equal(silent.frames.filter((f) => f.messageId === parked.delivery_id).length, 5);
    assert.match(
      await (await fetch(`${t.url}/metrics`)).text(),
      /peopleflow_event_deliveries_total\{mode="long_connection",result="parked"\} 1/,
    );
    await silent.close();

    // The parked event no longer holds up its process: the next one is delivered.
    const inbox: ReceivedEvent[] = [];
    client = new lark.WSClient({
      appId: app,
      appSecret: demo.app.app_secret,
      domain: t.url,
      loggerLevel: lark.LoggerLevel.fatal,
    });
    await client.start({ eventDispatcher: recordingDispatcher({}, inbox) });
    await d.client.corehr.v2.processWithdraw.update({
      path: { process_id: p },
      params: { user_id_type: 'user_id' },
      data: { user_id: 'employee' },
    });
    await until(() => inbox.some((e) => e.process_id === p), 10_000, 'the next event of the process');
    assert.ok(!inbox.some((e) => e.event_id === parked.event_id));

    const resent = await t.admin('POST', `/tenants/demo/deliveries/${parked.delivery_id}/resend`);
    assert.equal(resent.status, 200, JSON.stringify(resent.body));
    await until(() => inbox.some((e) => e.event_id === parked.event_id), 10_000, 'the re-sent event');
    await until(
      async () => (await deliveries(t, app)).every((x) => x.status === 'delivered'),
      10_000,
      'everything delivered',
    );
  } finally {
    client?.close({ force: true });
    await silent?.close();
    await t.close();
  }
});

test('long connection endpoint: rate-limited per app for callers with the secret only; tickets bounded', async () => {
  // Per-address throttling of wrong secrets is off here: the callers in this test share one address.
  const t = await startTestServer('sqlite', { flags: ['--demo', '--auth-failure-limit', '0'] });
  try {
    const demo = t.server.demo!;
    // Someone who knows only the AppID cannot use up the app's quota.
    for (let i = 0; i < 300; i++) {
      assert.equal((await endpoint(t.url, demo.app.app_id, `wrong-${i}`)).code, 514);
    }
    const codes = new Map<number, number>();
    let limited: Endpoint | undefined;
    for (let i = 0; i < 400; i++) {
      const r = await endpoint(t.url, demo.app.app_id, demo.app.app_secret);
      codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
      if (r.code !== 0) limited = r;
    }
    assert.deepEqual([...codes.keys()].sort(), [0, CODE_RATE_LIMITED].sort());
    assert.equal(codes.get(0), 100, 'at most 100 unused connection URLs per app');
    assert.match(limited!.msg, /too many endpoint requests for this app/);
    assert.deepEqual(limited!.data, {});
    assert.ok(t.server.hub.ticketCount() <= 100);
  } finally {
    await t.close();
  }
});

test('long connection endpoint: secret guessing from one address is throttled like the token endpoints', async () => {
  const t = await startTestServer('sqlite', { flags: ['--demo', '--auth-failure-limit', '5'] });
  try {
    const demo = t.server.demo!;
    for (let i = 0; i < 5; i++)
      assert.equal((await endpoint(t.url, demo.app.app_id, `wrong-${i}`)).code, 514);
    const throttled = await endpoint(t.url, demo.app.app_id, 'wrong-again');
    assert.equal(throttled.code, CODE_RATE_LIMITED);
    assert.match(throttled.msg, /too many failed authentication attempts from this address/);
    // Once blocked, even the right secret is not checked: an answer would tell a right guess.
    assert.equal((await endpoint(t.url, demo.app.app_id, demo.app.app_secret)).code, CODE_RATE_LIMITED);
    assert.equal(t.server.hub.ticketCount(), 0);
  } finally {
    await t.close();
  }
});

test('long connection endpoint: tickets nobody uses are swept after a minute', async () => {
  const clock = new ManualClock(Date.now());
  const t = await startTestServer('sqlite', { clock, flags: ['--demo'] });
  try {
    const demo = t.server.demo!;
    const urls: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await endpoint(t.url, demo.app.app_id, demo.app.app_secret);
      assert.equal(r.code, 0, r.msg);
      urls.push(r.data!.URL);
    }
    assert.equal(t.server.hub.ticketCount(), 3);
    clock.advance(30_000);
    // Not expired yet: a sweep in the meantime keeps them.
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(t.server.hub.ticketCount(), 3);
    clock.advance(31_000);
    await until(() => t.server.hub.ticketCount() === 0, 15_000, 'the sweep');
    const socket = new WebSocket(urls[0]!);
    const status = await new Promise<number>((resolve) => {
      socket.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
      });
      socket.on('open', () => {
        resolve(101);
      });
    });
    assert.equal(status, 401);
  } finally {
    await t.close();
  }
});

/** POST to the endpoint with a Host header of our choosing (fetch does not let one forge it). */
function endpointWithHost(url: string, host: string, body: unknown): Promise<Endpoint> {
  const target = new URL('/callback/ws/endpoint', url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      target,
      { method: 'POST', headers: { host, 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Endpoint);
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

test('long connection endpoint: with --base-url the URL names the base URL, whatever the Host header says', async () => {
  const based = await startTestServer('sqlite', {
    flags: ['--demo', '--base-url', 'https://hr.example.test/peopleflow/'],
  });
  const plain = await startTestServer('sqlite', { flags: ['--demo'] });
  try {
    const credentials = (t: TestServer) => ({
      AppID: t.server.demo!.app.app_id,
      AppSecret: t.server.demo!.app.app_secret,
    });
    const forged = await endpointWithHost(based.url, 'evil.example:666', credentials(based));
    assert.equal(forged.code, 0, forged.msg);
    assert.match(
      forged.data!.URL,
      /^wss:\/\/hr\.example\.test\/peopleflow\/callback\/ws\/connect\?device_id=\w+&service_id=\d+&ticket=\w+$/,
    );
    // A proxy that keeps the path prefix reaches the same connection path.
    const port = new URL(based.url).port;
    const socket = new WebSocket(forged.data!.URL.replace('wss://hr.example.test', `ws://127.0.0.1:${port}`));
    await new Promise((resolve, reject) => socket.on('open', resolve).on('error', reject));
    socket.close();
    // Without --base-url the URL follows the request, as before.
    const reflected = await endpointWithHost(plain.url, 'hr.internal:8080', credentials(plain));
    assert.match(reflected.data!.URL, /^ws:\/\/hr\.internal:8080\/callback\/ws\/connect\?/);
  } finally {
    await based.close();
    await plain.close();
  }
});
