import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as lark from '@larksuiteoapi/node-sdk';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { DemoPeople } from '../helpers/people.js';
import { recordingDispatcher, until, type ReceivedEvent } from '../helpers/receivers.js';
import { TestWebhook } from '../notifications/helpers.js';
import { NOTHING_SWEPT } from '../../src/services/retention.js';

/**
 * Retention (docs/operations.md "Retention"): delivered event deliveries go after
 * --delivery-retention-days, notifications after 90 days, ended sessions at once; waiting deliveries
 * and the processes themselves stay. Real HTTP, a real database, the official SDK's WSClient
 * acknowledging the events, the emulator's clock moved forward.
 */

const DAY = 24 * 60 * 60 * 1000;
const FLAGS = [
  '--demo',
  '--clock-control',
  '--dispatch-interval-ms',
  '20',
  '--job-interval-ms',
  '50',
  // The manager's chat notifications go to a receiver on loopback.
  '--webhook-allow-hosts',
  '127.0.0.1',
];
const LEAVE = { leave_type: 'personal', start_date: '2026-12-01', end_date: '2026-12-02', days: '2' };

interface DeliveryJson {
  delivery_id: string;
  process_id: string;
  status: string;
}

forEachDialect('retention', (dialect) => {
  let t: TestServer;
  let ws: lark.WSClient | undefined;
  let chat: TestWebhook;
  const events: ReceivedEvent[] = [];
  const people = new DemoPeople(() => t.url);

  before(async () => {
    t = await startTestServer(dialect, { flags: FLAGS });
    chat = await TestWebhook.start();
  });
  after(async () => {
    ws?.close({ force: true });
    await chat.close();
    await t.close();
  });

  const startLeave = async (): Promise<string> => {
    const r = await t.admin('POST', '/tenants/demo/processes', {
      flow_definition_id: t.server.demo!.flow_definitions.leave,
      initiator_user_id: 'employee',
      form_values: LEAVE,
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.data.process_id as string;
  };
  const deliveriesOf = async (processId: string): Promise<DeliveryJson[]> => {
    const app = t.server.demo!.app.app_id;
    const r = await t.admin('GET', `/tenants/demo/apps/${app}/deliveries?page_size=100`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return (r.body.data.items as DeliveryJson[]).filter((d) => d.process_id === processId);
  };
  const advance = async (ms: number) => {
    const moved = await t.admin('POST', '/clock', { advance_ms: ms });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    people.forget();
  };
  const notificationsOf = async (userId: string): Promise<{ process_id: string }[]> => {
    const r = await (await people.as(userId)).get('/api/v1/notifications?page_size=50');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.items as { process_id: string }[];
  };

  test('delivered events go after 30 days and notifications after 90; waiting events, sessions in use and processes stay', async () => {
    const app = t.server.demo!.app;
    ws = new lark.WSClient({
      appId: app.app_id,
      appSecret: app.app_secret,
      domain: t.url,
      loggerLevel: lark.LoggerLevel.fatal,
    });
    await ws.start({ eventDispatcher: recordingDispatcher({}, events) });
    // The manager is also told of new tasks by chat: a job per message, sent by the server's runner.
    const prefs = await (
      await people.as('manager')
    ).send('PUT', '/api/v1/me/notification-preferences', {
      chat_webhook: { url: chat.url, type: 'generic' },
    });
    assert.equal(prefs.status, 200, JSON.stringify(prefs.body));
    const delivered = await startLeave();
    await until(() => chat.bodies.length > 0, 15_000, 'the chat message of the new task');
    await until(
      async () => {
        const rows = await deliveriesOf(delivered);
        return rows.length > 0 && rows.every((d) => d.status === 'delivered');
      },
      15_000,
      "the first request's events delivered and acknowledged",
    );
    const deliveredCount = (await deliveriesOf(delivered)).length;
    assert.ok(events.some((e) => e.process_id === delivered));
    // With no connection, the next request's events wait.
    ws.close({ force: true });
    ws = undefined;
    // (An event sent before the server saw the socket close is never acknowledged either.)
    await new Promise((r) => setTimeout(r, 200));
    const waiting = await startLeave();
    assert.ok((await deliveriesOf(waiting)).length > 0);
    assert.ok((await notificationsOf('manager')).some((n) => n.process_id === delivered));
    // A session of the day before, never used again.
    await people.as('hrbp');

    await advance(31 * DAY);
    const month = await t.server.retention.sweep();
    assert.equal(month.deliveries, deliveredCount, JSON.stringify(month));
    assert.equal(month.notifications, 0, JSON.stringify(month));
    assert.equal(month.notifyJobs, 0, JSON.stringify(month));
    assert.ok(month.sessions >= 2, `ended sessions deleted: ${JSON.stringify(month)}`);
    assert.deepEqual(await deliveriesOf(delivered), [], "the delivered request's events are gone");
    const stillWaiting = await deliveriesOf(waiting);
    assert.ok(stillWaiting.length > 0, 'events never delivered stay, however old');
    assert.ok(stillWaiting.every((d) => d.status !== 'delivered'));
    assert.ok(
      (await notificationsOf('manager')).some((n) => n.process_id === delivered),
      'a notification of 31 days stays',
    );

    await advance(60 * DAY);
    const quarter = await t.server.retention.sweep();
    assert.ok(
      quarter.notifications >= 2,
      `notifications older than 90 days deleted: ${JSON.stringify(quarter)}`,
    );
    assert.ok(
      quarter.notifyJobs >= 1,
      `the chat message's job went with its notification: ${JSON.stringify(quarter)}`,
    );
    assert.equal(quarter.deliveries, 0);
    assert.deepEqual(await notificationsOf('manager'), [], "the manager's old notifications are gone");
    assert.ok((await deliveriesOf(waiting)).length > 0);
    // The requests themselves are records: never deleted.
    for (const id of [delivered, waiting]) {
      const r = await t.admin('GET', `/tenants/demo/processes/${id}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    // A second sweep finds nothing more.
    assert.deepEqual(await t.server.retention.sweep(), NOTHING_SWEPT);
  });
});

test('--delivery-retention-days 0 keeps delivered events for ever', async () => {
  const t = await startTestServer('sqlite', { flags: [...FLAGS, '--delivery-retention-days', '0'] });
  const events: ReceivedEvent[] = [];
  const app = t.server.demo!.app;
  const ws = new lark.WSClient({
    appId: app.app_id,
    appSecret: app.app_secret,
    domain: t.url,
    loggerLevel: lark.LoggerLevel.fatal,
  });
  try {
    await ws.start({ eventDispatcher: recordingDispatcher({}, events) });
    const r = await t.admin('POST', '/tenants/demo/processes', {
      flow_definition_id: t.server.demo!.flow_definitions.leave,
      initiator_user_id: 'employee',
      form_values: LEAVE,
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const id = r.body.data.process_id as string;
    await until(() => events.filter((e) => e.process_id === id).length >= 2, 15_000, 'events');
    await until(
      async () => {
        const list = await t.admin('GET', `/tenants/demo/apps/${app.app_id}/deliveries?page_size=100`);
        return (list.body.data.items as DeliveryJson[]).some((d) => d.status === 'delivered');
      },
      15_000,
      'a delivery recorded as delivered',
    );
    assert.equal((await t.admin('POST', '/clock', { advance_ms: 100 * DAY })).status, 200);
    const swept = await t.server.retention.sweep();
    assert.equal(swept.deliveries, 0, JSON.stringify(swept));
    assert.ok(swept.notifications > 0, 'notifications still age out');
  } finally {
    ws.close({ force: true });
    await t.close();
  }
});
