import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as lark from '@larksuiteoapi/node-sdk';
import { EVENT_TYPES } from '../../src/services/app.service.js';
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

const FLAGS = [
  '--demo',
  '--webhook-allow-hosts',
  '127.0.0.1',
  '--dispatch-interval-ms',
  '20',
  // A failed webhook waits an hour: what arrives sooner came by the new mode.
  '--webhook-retry-schedule',
  '1h',
];
const LEAVE = {
  leave_type: choice('annual'),
  start_date: date('2026-12-01'),
  end_date: date('2026-12-02'),
  days: num('2'),
};
const STATUS = 'corehr.process.status.update_v2';

interface Delivery {
  process_id: string;
  mode: string;
  status: string;
  attempts: number;
}

async function deliveries(t: TestServer, appId: string): Promise<Delivery[]> {
  const r = await t.admin('GET', `/tenants/demo/apps/${appId}/deliveries?page_size=100`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.data.items as Delivery[];
}

forEachDialect('switching the delivery mode re-routes pending deliveries', (dialect) => {
  let t: TestServer;
  let d: DemoDriver;
  let receiver: WebhookReceiver;
  const clients: lark.WSClient[] = [];
  before(async () => {
    t = await startTestServer(dialect, { flags: FLAGS });
    d = new DemoDriver(sdkClient(t.url, t.server.demo!.app), t.server.demo!);
    receiver = await webhookReceiver({ encryptKey: 'k' });
  });
  after(async () => {
    for (const client of clients) client.close({ force: true });
    await t.close();
    await receiver.close();
  });

  test('long connection → webhook: events waiting for a connection arrive by webhook', async () => {
    const created = await t.admin('POST', '/tenants/demo/apps', {
      name: 'was-listening',
      scopes: ['corehr:process:readonly'],
      event: { event_types: [STATUS], delivery_mode: 'long_connection' },
    });
    assert.equal(created.status, 201);
    const appId = created.body.data.app_id as string;
    // Nobody is connected: the event waits.
    const p = await d.start('leave', 'employee', LEAVE);
    await until(
      async () => (await deliveries(t, appId)).some((x) => x.process_id === p && x.status === 'pending'),
      10_000,
      'a pending long-connection delivery',
    );
    const switched = await t.admin('PATCH', `/tenants/demo/apps/${appId}`, {
      event: { delivery_mode: 'webhook', request_url: receiver.url, encrypt_key: 'k' },
    });
    assert.equal(switched.status, 200, JSON.stringify(switched.body));
    assert.equal(switched.body.data.event.delivery_mode, 'webhook');
    await until(() => receiver.events.some((e) => e.process_id === p), 10_000, 'the event by webhook');
    const rows = (await deliveries(t, appId)).filter((x) => x.process_id === p);
    assert.ok(rows.length > 0);
    assert.ok(
      rows.every((x) => x.mode === 'webhook'),
      JSON.stringify(rows),
    );
  });

  test('webhook → long connection: events waiting for a retry arrive over the long connection', async () => {
    const failing = await webhookReceiver({ encryptKey: 'f' });
    try {
      const created = await t.admin('POST', '/tenants/demo/apps', {
        name: 'was-pushed-to',
        scopes: ['corehr:process:readonly'],
        event: {
          event_types: [STATUS],
          delivery_mode: 'webhook',
          request_url: failing.url,
          encrypt_key: 'f',
        },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const app = created.body.data as { app_id: string; app_secret: string };
      failing.failNext(1000);
      const p = await d.start('leave', 'employee', LEAVE);
      await until(
        async () =>
          (await deliveries(t, app.app_id)).some(
            (x) => x.process_id === p && x.status === 'pending' && x.attempts > 0,
          ),
        10_000,
        'a webhook delivery waiting for its retry',
      );
      const switched = await t.admin('PATCH', `/tenants/demo/apps/${app.app_id}`, {
        event: { delivery_mode: 'long_connection' },
      });
      assert.equal(switched.status, 200, JSON.stringify(switched.body));
      const inbox: ReceivedEvent[] = [];
      const client = new lark.WSClient({
        appId: app.app_id,
        appSecret: app.app_secret,
        domain: t.url,
        loggerLevel: lark.LoggerLevel.fatal,
      });
      clients.push(client);
      await client.start({ eventDispatcher: recordingDispatcher({}, inbox) });
      await until(() => inbox.some((e) => e.process_id === p), 10_000, 'the event over the long connection');
      const rows = (await deliveries(t, app.app_id)).filter((x) => x.process_id === p);
      assert.ok(
        rows.every((x) => x.mode === 'long_connection'),
        JSON.stringify(rows),
      );
    } finally {
      await failing.close();
    }
  });
});

test('a request URL on a long-connection app is refused unless the mode changes with it; the demo app states its mode', async () => {
  const t = await startTestServer('sqlite', { flags: FLAGS });
  const receiver = await webhookReceiver({});
  try {
    const demo = t.server.demo!;
    assert.equal(demo.app.event_delivery_mode, 'long_connection');
    const onDisk = JSON.parse(readFileSync(join(t.database.dir, 'demo.json'), 'utf8')) as typeof demo;
    assert.equal(onDisk.app.event_delivery_mode, 'long_connection');

    const path = `/tenants/demo/apps/${demo.app.app_id}`;
    const refused = await t.admin('PATCH', path, { event: { request_url: receiver.url } });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, 99992402);
    const violation = refused.body.error.field_violations[0] as { field: string; description: string };
    assert.equal(violation.field, 'event.request_url');
    assert.match(violation.description, /set event\.delivery_mode to webhook as well/);
    const unchanged = await t.admin('GET', path);
    assert.equal(unchanged.body.data.event.request_url, null);
    assert.equal(unchanged.body.data.event.delivery_mode, 'long_connection');

    const onCreate = await t.admin('POST', '/tenants/demo/apps', {
      name: 'x',
      event: { request_url: receiver.url, delivery_mode: 'long_connection' },
    });
    assert.equal(onCreate.status, 400);
    assert.equal(onCreate.body.error.field_violations[0].field, 'event.request_url');

    // Both in one request: accepted.
    const both = await t.admin('PATCH', path, {
      event: { request_url: receiver.url, delivery_mode: 'webhook' },
    });
    assert.equal(both.status, 200, JSON.stringify(both.body));
    assert.equal(both.body.data.event.request_url, receiver.url);
    assert.equal(both.body.data.event.delivery_mode, 'webhook');
  } finally {
    await t.close();
    await receiver.close();
  }
});

test('event types on a webhook app with no request URL are refused: they would be dropped without a word', async () => {
  const t = await startTestServer('sqlite', { flags: FLAGS });
  try {
    const demo = t.server.demo!;
    const apps = async () =>
      (await t.admin('GET', '/tenants/demo/apps?page_size=100')).body.data.items.length;
    const before = await apps();
    const created = await t.admin('POST', '/tenants/demo/apps', {
      name: 'nowhere',
      event: { event_types: [EVENT_TYPES[0]] },
    });
    assert.equal(created.status, 400);
    assert.equal(created.body.error.field_violations[0].field, 'event.request_url');
    assert.match(created.body.error.field_violations[0].description, /long_connection/);
    assert.equal(await apps(), before, 'no app was created');

    // Switching the demo app (long connection, every event type) to webhook without a URL: refused.
    const path = `/tenants/demo/apps/${demo.app.app_id}`;
    const switched = await t.admin('PATCH', path, { event: { delivery_mode: 'webhook' } });
    assert.equal(switched.status, 400);
    assert.equal(switched.body.error.field_violations[0].field, 'event.request_url');
    assert.equal((await t.admin('GET', path)).body.data.event.delivery_mode, 'long_connection');

    // Without event types a webhook app needs no URL (it takes no events), and one may be created so.
    assert.equal((await t.admin('POST', '/tenants/demo/apps', { name: 'quiet' })).status, 201);
  } finally {
    await t.close();
  }
});
