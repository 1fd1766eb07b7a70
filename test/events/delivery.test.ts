import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as lark from '@larksuiteoapi/node-sdk';
import { processEvents } from '../helpers/process-events.js';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { choice, date, DemoDriver, num, sdkClient } from '../helpers/sdk.js';
import {
  recordingDispatcher,
  until,
  webhookReceiver,
  type ReceivedEvent,
  type WebhookReceiver,
} from '../helpers/receivers.js';
import { EVENT_TYPES } from '../../src/services/app.service.js';

const FAST = [
  '--webhook-allow-hosts',
  '127.0.0.1',
  '--dispatch-interval-ms',
  '20',
  '--webhook-retry-schedule',
  '100ms,200ms,300ms',
];
const LEAVE = {
  leave_type: choice('annual'),
  start_date: date('2026-12-01'),
  end_date: date('2026-12-02'),
  days: num('2'),
};

/** The scripted scenario of the event-delivery issue; returns the three process ids. */
async function scenario(t: TestServer, d: DemoDriver): Promise<string[]> {
  const p1 = await d.start('leave', 'employee', LEAVE);
  await d.client.corehr.v2.processExtra.update({
    path: { process_id: p1 },
    params: { user_id_type: 'user_id' },
    data: {
      operator: 'manager',
      approver_id: await d.openTask('manager', p1),
      extra_type: 2,
      extra_user_ids: ['hrbp'],
    },
  });
  await d.approve(p1, 'manager');
  await d.client.corehr.v2.processTransfer.update({
    path: { process_id: p1 },
    params: { user_id_type: 'user_id' },
    data: { operator: 'hrbp', to_user_id: 'it_admin', approver_ids: [await d.openTask('hrbp', p1)] },
  });
  await d.approve(p1, 'it_admin');
  const p2 = await d.start('leave', 'employee', LEAVE);
  await d.client.corehr.v2.processWithdraw.update({
    path: { process_id: p2 },
    params: { user_id_type: 'user_id' },
    data: { user_id: 'employee' },
  });
  const p3 = await d.start('leave', 'employee', LEAVE);
  await d.approve(p3, 'manager');
  await d.client.corehr.v2.processRevoke.update({
    path: { process_id: p3 },
    params: { user_id_type: 'user_id' },
    data: { user_id: 'process_admin' },
  });
  const tenant = await t.server.services.tenants.get('demo');
  assert.ok(tenant.ok);
  const author = t.server.demo!.users.manager!.people_corehr_id;
  const commented = await t.server.services.processes.execute(tenant.value.id, p1, {
    kind: 'comment',
    authorId: author,
    text: 'well done',
    mentionIds: [],
  });
  assert.ok(commented.ok);
  return [p1, p2, p3];
}

/** What each process emitted, in commit order, as (type, status-ish) pairs. */
async function expected(t: TestServer, processIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const id of processIds)
    out.set(
      id,
      (await processEvents(t, id)).map((e) => signature(e.type, e.event)),
    );
  return out;
}

const signature = (type: string, event: Record<string, unknown>) =>
  `${type}:${JSON.stringify(event.approver_id ?? event.process_node_id ?? event.comment_id ?? '')}:${JSON.stringify(event.status ?? event.node_status ?? '')}`;

/** Received events per process, deduplicated by event_id, in arrival order. */
function received(events: ReceivedEvent[]): Map<string, string[]> {
  const seen = new Set<string>();
  const out = new Map<string, string[]>();
  for (const e of events) {
    if (seen.has(e.event_id)) continue;
    seen.add(e.event_id);
    const list = out.get(e.process_id ?? '') ?? [];
    list.push(signature(e.event_type, e));
    out.set(e.process_id ?? '', list);
  }
  return out;
}

async function subscribe(
  t: TestServer,
  receiver: WebhookReceiver,
  encryptKey: string,
  tenant = 'demo',
  eventTypes: readonly string[] = EVENT_TYPES,
) {
  const r = await t.admin('POST', `/tenants/${tenant}/apps`, {
    name: 'hr-sync',
    scopes: ['corehr:process:readonly'],
    event: {
      request_url: receiver.url,
      encrypt_key: encryptKey,
      event_types: eventTypes,
      delivery_mode: 'webhook',
    },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.data as { app_id: string };
}

forEachDialect('webhook push to the official SDK EventDispatcher', (dialect) => {
  let t: TestServer;
  let d: DemoDriver;
  let receiver: WebhookReceiver;
  before(async () => {
    t = await startTestServer(dialect, { flags: ['--demo', ...FAST] });
    d = new DemoDriver(sdkClient(t.url, t.server.demo!.app), t.server.demo!);
    receiver = await webhookReceiver({ encryptKey: 'k-3y' });
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  test('every event of the scenario arrives, encrypted and signed, in per-process order', async () => {
    await subscribe(t, receiver, 'k-3y');
    const ids = await scenario(t, d);
    const want = await expected(t, ids);
    const total = [...want.values()].reduce((n, l) => n + l.length, 0);
    await until(
      () =>
        received(receiver.events).size >= 3 &&
        [...received(receiver.events).values()].reduce((n, l) => n + l.length, 0) >= total,
      15_000,
      `${total} events`,
    );
    const got = received(receiver.events);
    for (const id of ids) assert.deepEqual(got.get(id), want.get(id), `process ${id}`);
    const types = new Set(receiver.events.map((e) => e.event_type));
    assert.deepEqual([...types].sort(), [...EVENT_TYPES].sort(), 'all six types were emitted');
    const sample = receiver.events[0]!;
    assert.equal(sample.tenant_key, 'demo');
    assert.match(sample.event_id, /^[0-9a-f]{32}$/);
  });
});

test('a command makes its events’ deliveries in its own transaction: with the dispatcher stopped they exist as it answers', async () => {
  const t = await startTestServer('sqlite', { flags: ['--demo', ...FAST] });
  const receiver = await webhookReceiver({ encryptKey: 'k' });
  try {
    const d = new DemoDriver(sdkClient(t.url, t.server.demo!.app), t.server.demo!);
    const app = await subscribe(t, receiver, 'k');
    await t.server.dispatcher.stop();
    const p = await d.start('leave', 'employee', LEAVE);
    // The demo app's deliveries (it hears every event by long connection) beside the webhook app's.
    const events = await processEvents(t, p);
    assert.ok(events.length >= 2, 'a leave start makes several events');
    const { items } = (await t.admin('GET', `/tenants/demo/apps/${app.app_id}/deliveries?page_size=100`)).body
      .data as { items: { process_id: string; status: string }[] };
    const mine = items.filter((i) => i.process_id === p);
    assert.equal(mine.length, events.length, 'one delivery per event, made by the start itself');
    const outbox = await t.server.database.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('process_id', '=', p)
      .executeTakeFirstOrThrow();
    assert.equal(Number(outbox.n), 0, 'the deliveries are the record: no outbox row beside them');
    assert.ok(mine.every((i) => i.status === 'pending'));
    assert.equal(receiver.requests, 0, 'nothing sent: the dispatcher is stopped');
  } finally {
    await t.close();
    await receiver.close();
  }
});

test('outbox rows a writer left without deliveries (an earlier version) are fanned out and sent by the dispatcher', async () => {
  const t = await startTestServer('sqlite', { flags: ['--demo', ...FAST] });
  const receiver = await webhookReceiver({ encryptKey: 'k' });
  try {
    const d = new DemoDriver(sdkClient(t.url, t.server.demo!.app), t.server.demo!);
    await subscribe(t, receiver, 'k', 'demo', ['corehr.process.updated_v2']);
    const p = await d.start('leave', 'employee', LEAVE);
    await until(() => receiver.events.some((e) => e.process_id === p), 10_000, 'the start’s own event');
    const before = receiver.events.filter((e) => e.process_id === p).length;
    // The stored form: the event's fields, then its process's.
    const db = t.server.database.db;
    const { definition_id, tenant_id } = await db
      .selectFrom('processes')
      .select(['definition_id', 'tenant_id'])
      .where('id', '=', p)
      .executeTakeFirstOrThrow();
    const id = '7999999999999999999';
    await db
      .insertInto('outbox')
      .values({
        id,
        tenant_id,
        process_id: p,
        kind: 'process_updated',
        payload: JSON.stringify({
          kind: 'process_updated',
          processId: p,
          bizType: 'leave_application',
          definitionId: definition_id,
          processStatus: 'in_progress',
        }),
        created_at: Date.now(),
        fanned_out: 0,
      })
      .execute();
    t.server.dispatcher.kick();
    await until(
      () => receiver.events.filter((e) => e.process_id === p).length > before,
      10_000,
      'the stored event sent',
    );
    const sent = receiver.events.filter((e) => e.process_id === p).at(-1)!;
    assert.equal(sent.event_type, 'corehr.process.updated_v2');
    assert.equal(sent.biz_type, 'leave_application');
    assert.equal(sent.flow_definition_id, definition_id);
    assert.equal(sent.status, 1);
    const row = await db
      .selectFrom('outbox')
      .select('fanned_out')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    assert.equal(row.fanned_out, 1, 'taken once');
    const deliveries = await db
      .selectFrom('event_deliveries')
      .select('app_id')
      .where('outbox_id', '=', id)
      .execute();
    assert.equal(deliveries.length, 2, 'one delivery per subscribed app: the demo app’s and the webhook’s');
  } finally {
    await t.close();
    await receiver.close();
  }
});

test('retries with the same event_id; parked after the schedule; re-sent by the admin', async () => {
  const t = await startTestServer('sqlite', { flags: ['--demo', ...FAST] });
  const receiver = await webhookReceiver({ encryptKey: 'k' });
  try {
    const d = new DemoDriver(sdkClient(t.url, t.server.demo!.app), t.server.demo!);
    const app = await subscribe(t, receiver, 'k', 'demo', ['corehr.process.status.update_v2']);
    receiver.failNext(2);
    const p = await d.start('leave', 'employee', LEAVE);
    await until(
      () => receiver.events.some((e) => e.process_id === p),
      10_000,
      'the event after two failures',
    );
    assert.equal(receiver.requests, 3, 'two failures, then success');
    const [first] = (await t.admin('GET', `/tenants/demo/apps/${app.app_id}/deliveries?status=delivered`))
      .body.data.items as { attempts: number; event_id: string }[];
    assert.ok(first);
    assert.equal(first.attempts, 2);
    assert.equal(first.event_id, receiver.events.find((e) => e.process_id === p)?.event_id);

    receiver.failNext(100);
    const parkedProcess = await d.start('leave', 'employee', LEAVE);
    await until(
      async () =>
        (await t.admin('GET', `/tenants/demo/apps/${app.app_id}/deliveries?status=failed`)).body.data.items
          .length === 1,
      10_000,
      'parking',
    );
    const parked = (await t.admin('GET', `/tenants/demo/apps/${app.app_id}/deliveries?status=failed`)).body
      .data.items[0] as { delivery_id: string; attempts: number; last_error: string };
    assert.equal(parked.attempts, 4, 'first try plus three retries');
    assert.match(parked.last_error, /HTTP 500/);
    receiver.failNext(0);
    const resent = await t.admin('POST', `/tenants/demo/deliveries/${parked.delivery_id}/resend`);
    assert.equal(resent.status, 200);
    await until(() => receiver.events.some((e) => e.process_id === parkedProcess), 10_000, 're-sent event');

    const metrics = await (await fetch(`${t.url}/metrics`)).text();
    assert.match(metrics, /peopleflow_event_deliveries_total\{mode="webhook",result="delivered"\} \d+/);
    assert.match(metrics, /peopleflow_event_deliveries_total\{mode="webhook",result="parked"\} 1/);
    assert.match(metrics, /peopleflow_event_delivery_lag_seconds_bucket/);
  } finally {
    await t.close();
    await receiver.close();
  }
});

test('apps not subscribed, and apps of another tenant, receive nothing', async () => {
  const t = await startTestServer('sqlite', { flags: ['--demo', ...FAST] });
  const other = await webhookReceiver({ encryptKey: 'x' });
  const unsubscribed = await webhookReceiver({ encryptKey: 'y' });
  const subscribed = await webhookReceiver({ encryptKey: 'z' });
  try {
    const d = new DemoDriver(sdkClient(t.url, t.server.demo!.app), t.server.demo!);
    await t.admin('POST', '/tenants', { tenant_key: 'elsewhere', name: 'Elsewhere' });
    await subscribe(t, other, 'x', 'elsewhere');
    await subscribe(t, unsubscribed, 'y', 'demo', ['corehr.process_comment_info.updated_v2']);
    await subscribe(t, subscribed, 'z', 'demo', ['corehr.process.status.update_v2']);
    const p = await d.start('leave', 'employee', LEAVE);
    await until(() => subscribed.events.some((e) => e.process_id === p), 10_000, 'the subscribed app');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(other.requests, 0, 'another tenant');
    assert.equal(unsubscribed.requests, 0, 'another event type');
    assert.ok(subscribed.events.every((e) => e.event_type === 'corehr.process.status.update_v2'));
  } finally {
    await t.close();
    await Promise.all([other.close(), unsubscribed.close(), subscribed.close()]);
  }
});

test('a request URL is accepted only when it answers the challenge; private targets need the allow-list', async () => {
  const open = await startTestServer('sqlite', { flags: ['--demo', ...FAST] });
  const strict = await startTestServer('sqlite', { flags: ['--demo'] });
  const receiver = await webhookReceiver({ encryptKey: 'k' });
  try {
    const wrongKey = await open.admin('POST', '/tenants/demo/apps', {
      name: 'x',
      event: { request_url: receiver.url, encrypt_key: 'not-k', event_types: ['corehr.process.updated_v2'] },
    });
    assert.equal(wrongKey.status, 400);
    assert.equal(wrongKey.body.error.field_violations[0].field, 'event.request_url');
    const unreachable = await open.admin('POST', '/tenants/demo/apps', {
      name: 'x',
      event: { request_url: 'http://127.0.0.1:1/hook', event_types: ['corehr.process.updated_v2'] },
    });
    assert.match(unreachable.body.error.field_violations[0].description, /could not be reached/);
    const notHttp = await open.admin('POST', '/tenants/demo/apps', {
      name: 'x',
      event: { request_url: 'file:///etc/passwd' },
    });
    assert.equal(notHttp.body.error.field_violations[0].field, 'event.request_url');
    const blocked = await strict.admin('POST', '/tenants/demo/apps', {
      name: 'x',
      event: { request_url: receiver.url, encrypt_key: 'k' },
    });
    assert.equal(blocked.status, 400);
    assert.match(blocked.body.error.field_violations[0].description, /webhook-allow-hosts/);
    const good = await open.admin('POST', '/tenants/demo/apps', {
      name: 'x',
      event: { request_url: receiver.url, encrypt_key: 'k' },
    });
    assert.equal(good.status, 201);
  } finally {
    await open.close();
    await strict.close();
    await receiver.close();
  }
});

test('long connection: the official WSClient receives every event, fragmented frames reassembled; three clients share them', async () => {
  const t = await startTestServer('sqlite', {
    flags: ['--demo', ...FAST, '--ws-frame-bytes', '96', '--ws-ack-timeout-ms', '2000'],
  });
  const clients: lark.WSClient[] = [];
  const inboxes: ReceivedEvent[][] = [[], [], []];
  const arrivals: ReceivedEvent[] = [];
  try {
    const demo = t.server.demo!;
    for (const inbox of inboxes) {
      const client = new lark.WSClient({
        appId: demo.app.app_id,
        appSecret: demo.app.app_secret,
        domain: t.url,
        loggerLevel: lark.LoggerLevel.fatal,
      });
      await client.start({ eventDispatcher: recordingDispatcher({}, inbox, arrivals) });
      clients.push(client);
    }
    const d = new DemoDriver(sdkClient(t.url, demo.app), demo);
    const ids = await scenario(t, d);
    const want = await expected(t, ids);
    const total = [...want.values()].reduce((n, l) => n + l.length, 0);
    const all = () => inboxes.flat();
    await until(
      () => new Set(all().map((e) => e.event_id)).size >= total,
      20_000,
      `${total} events over the long connection`,
    );
    // The next event of a process leaves only after the previous one was acknowledged: arrival order,
    // across all three clients, is commit order.
    const got = received(arrivals);
    for (const id of ids) assert.deepEqual(got.get(id), want.get(id), `process ${id}`);
    const counts = new Map<string, number>();
    for (const e of all()) counts.set(e.event_id, (counts.get(e.event_id) ?? 0) + 1);
    assert.ok(
      [...counts.values()].every((n) => n === 1),
      'each event reached exactly one client',
    );
    assert.ok(
      inboxes.filter((inbox) => inbox.length > 0).length >= 2,
      'the events were spread over the clients',
    );
  } finally {
    for (const client of clients) client.close({ force: true });
    await t.close();
  }
});

test('long connection: wrong secret gets 514 and no connection; garbage frames close only that connection', async () => {
  // A frame that reaches a client before it listens is lost; the ack timeout makes it come again.
  const t = await startTestServer('sqlite', { flags: ['--demo', ...FAST, '--ws-ack-timeout-ms', '1000'] });
  try {
    const demo = t.server.demo!;
    const bad = await fetch(`${t.url}/callback/ws/endpoint`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ AppID: demo.app.app_id, AppSecret: 'wrong' }),
    });
    const badBody = (await bad.json()) as { code: number; data?: { URL?: unknown } };
    assert.equal(badBody.code, 514);
    assert.equal(badBody.data?.URL, undefined);

    const { WebSocket } = await import('ws');
    const endpoint = async () => {
      const r = await fetch(`${t.url}/callback/ws/endpoint`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ AppID: demo.app.app_id, AppSecret: demo.app.app_secret }),
      });
      return ((await r.json()) as { data: { URL: string } }).data.URL;
    };
    const garbage = new WebSocket(await endpoint());
    await new Promise((resolve) => garbage.on('open', resolve));
    const closed = new Promise<number>((resolve) =>
      garbage.on('close', (code) => {
        resolve(code);
      }),
    );
    garbage.send(Buffer.from([0xff, 0xff, 0xff, 0x01, 0x02]));
    assert.equal(await closed, 1002);

    const inbox: ReceivedEvent[] = [];
    const client = new lark.WSClient({
      appId: demo.app.app_id,
      appSecret: demo.app.app_secret,
      domain: t.url,
      loggerLevel: lark.LoggerLevel.fatal,
    });
    await client.start({ eventDispatcher: recordingDispatcher({}, inbox) });
    const d = new DemoDriver(sdkClient(t.url, demo.app), demo);
    const p = await d.start('leave', 'employee', LEAVE);
    await until(() => inbox.some((e) => e.process_id === p), 10_000, 'events on the good connection').catch(
      async (error: unknown) => {
        const rows = await t.server.database.db
          .selectFrom('event_deliveries')
          .selectAll()
          .where('process_id', '=', p)
          .execute();
        throw new Error(
          `${String(error)}; inbox ${inbox.length}; deliveries ${JSON.stringify(rows.map((r) => [r.mode, r.status, r.attempts, r.last_error]))}`,
        );
      },
    );
    client.close({ force: true });

    const reused = new WebSocket((await endpoint()).replace(/ticket=[0-9a-f]+/, 'ticket=forged'));
    const refused = await new Promise<string>((resolve) => {
      reused.on('unexpected-response', (_req, res) => {
        resolve(String(res.statusCode));
      });
      reused.on('error', () => {
        resolve('error');
      });
    });
    assert.equal(refused, '401');
  } finally {
    await t.close();
  }
});

test('long connection: at most 50 connections per app (1000040350)', async () => {
  const t = await startTestServer('sqlite', { flags: ['--demo'] });
  const { WebSocket } = await import('ws');
  const sockets: InstanceType<typeof WebSocket>[] = [];
  try {
    const demo = t.server.demo!;
    const endpoint = async () => {
      const r = await fetch(`${t.url}/callback/ws/endpoint`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ AppID: demo.app.app_id, AppSecret: demo.app.app_secret }),
      });
      return (await r.json()) as { code: number; data?: { URL: string } };
    };
    for (let i = 0; i < 50; i++) {
      const socket = new WebSocket((await endpoint()).data!.URL);
      await new Promise((resolve, reject) => socket.on('open', resolve).on('error', reject));
      sockets.push(socket);
    }
    assert.equal((await endpoint()).code, 1000040350);
    sockets.pop()?.close();
    await until(async () => (await endpoint()).code === 0, 5000, 'a free slot');
  } finally {
    for (const socket of sockets) socket.terminate();
    await t.close();
  }
});

test('a slow webhook answer holds back only its own process: another process’s event goes meanwhile', async () => {
  // The stall stays within the timeout: the slow answer is a success, not a failed attempt.
  const t = await startTestServer('sqlite', { flags: ['--demo', ...FAST, '--webhook-timeout-ms', '20000'] });
  const receiver = await webhookReceiver({ encryptKey: 'k' });
  try {
    const d = new DemoDriver(sdkClient(t.url, t.server.demo!.app), t.server.demo!);
    await subscribe(t, receiver, 'k', 'demo', ['corehr.process.status.update_v2']);
    receiver.stallNext(1, 2500);
    const slow = await d.start('leave', 'employee', LEAVE);
    await until(() => receiver.requests === 1, 10_000, 'the first event out (its answer stalled)');
    const quick = await d.start('leave', 'employee', LEAVE);
    await until(() => receiver.events.some((e) => e.process_id === slow), 15_000, 'the stalled event');
    const order = receiver.events.map((e) => e.process_id);
    assert.ok(order.includes(quick), 'the second process’s event arrived');
    assert.ok(
      order.indexOf(quick) < order.indexOf(slow),
      'the second process’s event did not wait for the first one’s slow answer',
    );
  } finally {
    await t.close();
    await receiver.close();
  }
});
