import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { signedInDemo } from '../helpers/fixtures.js';
import { choice, date, DemoDriver, num, sdkClient } from '../helpers/sdk.js';
import { until, webhookReceiver } from '../helpers/receivers.js';

/** Webhooks may reach the receivers on loopback; retries come fast: 100, 200, 300 ms, then parked. */
const FAST = [
  '--demo',
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
const STATUS_EVENT = 'corehr.process.status.update_v2';

/** A receiver that answers every challenge with the wrong value, as a misconfigured endpoint would. */
async function wrongReceiver(): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end('{"challenge":"not-the-one-you-sent"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/events`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

async function tokenStatus(t: TestServer, appId: string, appSecret: string): Promise<number> {
  const r = await t.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', {
    body: { app_id: appId, app_secret: appSecret },
  });
  return r.status === 200 && r.body.code === 0 ? 200 : r.status === 200 ? 400 : r.status;
}

forEachDialect('console apps and events', (dialect) => {
  test('apps: create, secret shown once and rotated, url_verification shown, refused for others, bad input named', async () => {
    const t = await startTestServer(dialect, { flags: FAST });
    const good = await webhookReceiver({});
    const wrong = await wrongReceiver();
    try {
      const head = await signedInDemo(t, 'hr_head');
      for (const userId of ['process_admin', 'employee']) {
        const other = await signedInDemo(t, userId);
        for (const path of ['/api/v1/admin/apps', '/api/v1/admin/deliveries']) {
          const refused = await other.get(path);
          assert.equal(refused.status, 403, `${userId} ${path}`);
          assert.equal(refused.body.error.code, 'forbidden');
        }
        assert.equal((await other.post('/api/v1/admin/apps', { name: 'x' })).status, 403);
      }

      const before = (await head.get('/api/v1/admin/apps')).body.items.length as number;
      const created = await head.post('/api/v1/admin/apps', {
        name: 'Payroll sync',
        scopes: ['corehr:process:readonly', 'corehr:process'],
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const app = created.body;
      assert.match(app.app_id, /^cli_/);
      assert.equal(typeof app.app_secret, 'string', 'the secret is answered once, on create');
      assert.deepEqual(app.scopes, ['corehr:process:readonly', 'corehr:process']);
      assert.equal(app.event.delivery_mode, 'webhook');
      const shown = await head.get(`/api/v1/admin/apps/${app.app_id}`);
      assert.equal(shown.status, 200);
      assert.equal(shown.body.app_secret, undefined, 'never shown again');
      assert.equal(shown.body.name, 'Payroll sync');
      const listed = (await head.get('/api/v1/admin/apps')).body.items;
      assert.equal(listed.length, before + 1);
      assert.ok(listed.every((a: { app_secret?: string }) => a.app_secret === undefined));

      // The secret works on the Open API; after rotating, only the new one does.
      assert.equal(await tokenStatus(t, app.app_id, app.app_secret), 200);
      const rotated = await head.post(`/api/v1/admin/apps/${app.app_id}/secret`);
      assert.equal(rotated.status, 200);
      assert.notEqual(rotated.body.app_secret, app.app_secret);
      assert.notEqual(await tokenStatus(t, app.app_id, app.app_secret), 200, 'the old secret stopped');
      assert.equal(await tokenStatus(t, app.app_id, rotated.body.app_secret), 200);

      // Event settings: a real receiver passes the challenge, and the console sees what it answered.
      const set = await head.patch(`/api/v1/admin/apps/${app.app_id}`, {
        scopes: ['corehr:process:readonly', 'corehr:process', 'corehr:process.approver'],
        event: { delivery_mode: 'webhook', request_url: good.url, event_types: [STATUS_EVENT] },
      });
      assert.equal(set.status, 200, JSON.stringify(set.body));
      assert.equal(set.body.event.request_url, good.url);
      assert.equal(set.body.verification.passed, true);
      assert.equal(set.body.verification.request_url, good.url);
      assert.equal(set.body.verification.answer.status, 200);
      assert.match(set.body.verification.answer.body, /challenge/);
      // A save that does not touch the URL runs no handshake.
      const renamed = await head.patch(`/api/v1/admin/apps/${app.app_id}`, { name: 'Payroll' });
      assert.equal(renamed.body.verification, undefined);
      assert.equal(renamed.body.name, 'Payroll');

      // A receiver that answers wrongly: refused, its answer named, nothing saved.
      const refused = await head.patch(`/api/v1/admin/apps/${app.app_id}`, {
        event: { request_url: wrong.url },
      });
      assert.equal(refused.status, 400);
      assert.equal(refused.body.error.code, 'invalid_field');
      assert.equal(refused.body.error.violations[0].field, 'event.request_url');
      assert.match(refused.body.error.violations[0].description, /did not echo/);
      assert.match(refused.body.error.violations[0].description, /not-the-one-you-sent/);
      assert.equal((await head.get(`/api/v1/admin/apps/${app.app_id}`)).body.event.request_url, good.url);

      // Checking without saving: the saved URL passes, the wrong one fails with its answer.
      const recheck = await head.post(`/api/v1/admin/apps/${app.app_id}/event/check`, {});
      assert.equal(recheck.status, 200);
      assert.equal(recheck.body.passed, true);
      const trial = await head.post(`/api/v1/admin/apps/${app.app_id}/event/check`, {
        request_url: wrong.url,
      });
      assert.equal(trial.body.passed, false);
      assert.match(trial.body.problem, /did not echo/);
      assert.equal(trial.body.answer.status, 200);
      assert.match(trial.body.answer.body, /not-the-one-you-sent/);
      const unreachable = await head.post(`/api/v1/admin/apps/${app.app_id}/event/check`, {
        request_url: 'http://127.0.0.1:1/nothing-listens',
      });
      assert.equal(unreachable.body.passed, false);
      assert.match(unreachable.body.problem, /could not be reached/);
      assert.equal(unreachable.body.answer, undefined);

      // Bad input: each field named; nothing created.
      const count = (await head.get('/api/v1/admin/apps?page_size=100')).body.items.length;
      const bad = async (body: unknown, field: RegExp) => {
        const r = await head.post('/api/v1/admin/apps', body);
        assert.equal(r.status, 400, JSON.stringify(body));
        assert.equal(r.body.error.code, 'invalid_field');
        assert.ok(
          r.body.error.violations.some((v: { field: string }) => field.test(v.field)),
          `${JSON.stringify(r.body.error.violations)} names ${String(field)}`,
        );
      };
      await bad({ name: '' }, /^name$/);
      await bad({ name: '   ' }, /^name$/);
      await bad({ name: 'x'.repeat(101) }, /^name$/);
      await bad({ name: 'a\u0000b' }, /^name$/);
      await bad({ name: 'ok', scopes: ['root'] }, /^scopes/);
      await bad({ name: 'ok', event: { request_url: 'ftp://example.com' } }, /^event\.request_url$/);
      await bad({ name: 'ok', event: { delivery_mode: 'pigeon' } }, /^event\.delivery_mode$/);
      await bad({ name: 'ok', surprise: 1 }, /surprise/);
      // Subscribed for webhook push with nowhere to push: the request URL is named.
      await bad({ name: 'ok', event: { event_types: [STATUS_EVENT] } }, /^event\.request_url$/);
      assert.equal((await head.get('/api/v1/admin/apps?page_size=100')).body.items.length, count);
      const badPage = await head.get('/api/v1/admin/apps?page_token=forged');
      assert.equal(badPage.status, 400);
      assert.equal(badPage.body.error.violations[0].field, 'page_token');

      // Paging: one at a time, every app once.
      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await head.get(
          `/api/v1/admin/apps?page_size=1${token ? `&page_token=${encodeURIComponent(token)}` : ''}`,
        );
        assert.equal(page.status, 200);
        seen.push(...page.body.items.map((a: { app_id: string }) => a.app_id));
        token = page.body.page_token;
      } while (token);
      assert.equal(new Set(seen).size, count);

      // Another tenant's app is not found here.
      await t.admin('POST', '/tenants', { tenant_key: 'other', name: 'Other' });
      const foreign = await t.admin('POST', '/tenants/other/apps', { name: 'theirs' });
      assert.equal((await head.get(`/api/v1/admin/apps/${foreign.body.data.app_id}`)).status, 404);
      assert.equal((await head.send('DELETE', `/api/v1/admin/apps/${foreign.body.data.app_id}`)).status, 404);

      // Delete.
      assert.equal((await head.send('DELETE', `/api/v1/admin/apps/${app.app_id}`)).status, 204);
      assert.equal((await head.get(`/api/v1/admin/apps/${app.app_id}`)).status, 404);
    } finally {
      await t.close();
      await good.close();
      await wrong.close();
    }
  });

  test('deliveries: parked after the retry schedule, re-sent from the console, filters, metrics', async () => {
    const t = await startTestServer(dialect, { flags: FAST });
    const receiver = await webhookReceiver({});
    try {
      const head = await signedInDemo(t, 'hr_head');
      const created = await head.post('/api/v1/admin/apps', {
        name: 'Events',
        scopes: ['corehr:process:readonly', 'corehr:process', 'corehr:process.approver'],
        event: { delivery_mode: 'webhook', request_url: receiver.url, event_types: [STATUS_EVENT] },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.verification.passed, true);
      const appId = created.body.app_id as string;
      const d = new DemoDriver(
        sdkClient(t.url, { app_id: appId, app_secret: created.body.app_secret }),
        t.server.demo!,
      );

      const delivered = await d.start('leave', 'employee', LEAVE);
      await until(() => receiver.events.some((e) => e.process_id === delivered), 10_000, 'first event');

      // Four attempts fail (the first and three retries): the delivery is parked.
      receiver.failNext(4);
      const parkedProcess = await d.start('leave', 'employee', LEAVE);
      const parkedList = async () =>
        (await head.get(`/api/v1/admin/deliveries?status=parked&app_id=${appId}`)).body.items as {
          delivery_id: string;
          process_id: string;
          status: string;
          attempts: number;
          last_error: string;
          next_attempt_at: string | null;
          app: { app_id: string; name: string };
          event?: unknown;
        }[];
      await until(async () => (await parkedList()).length === 1, 15_000, 'parking');
      const [parked] = await parkedList();
      assert.ok(parked);
      assert.equal(parked.process_id, parkedProcess);
      assert.equal(parked.status, 'parked');
      assert.equal(parked.attempts, 4, 'first try plus three retries');
      assert.match(parked.last_error, /HTTP 500/);
      assert.equal(parked.next_attempt_at, null);
      assert.deepEqual(parked.app, { app_id: appId, name: 'Events' });
      assert.equal(parked.event, undefined, 'the body comes on demand');
      // `failed` is the store's name for parked.
      const asFailed = (await head.get(`/api/v1/admin/deliveries?status=failed&app_id=${appId}`)).body.items;
      assert.deepEqual(
        asFailed.map((x: { delivery_id: string }) => x.delivery_id),
        [parked.delivery_id],
      );

      const detail = await head.get(`/api/v1/admin/deliveries/${parked.delivery_id}`);
      assert.equal(detail.status, 200);
      assert.equal((detail.body.event as { process_id: string }).process_id, parkedProcess);

      // Retry refuses a delivered one (resend is for that); resend refuses nothing settled.
      const [done] = (await head.get(`/api/v1/admin/deliveries?status=delivered&process_id=${delivered}`))
        .body.items as { delivery_id: string; attempts: number; delivered_at: string }[];
      assert.ok(done);
      assert.ok(done.delivered_at);
      const notRetried = await head.post(`/api/v1/admin/deliveries/${done.delivery_id}/retry`);
      assert.equal(notRetried.status, 409);
      assert.equal(notRetried.body.error.code, 'in_use');

      // Re-sent from the console: same event_id, delivered.
      const resent = await head.post(`/api/v1/admin/deliveries/${parked.delivery_id}/resend`);
      assert.equal(resent.status, 200, JSON.stringify(resent.body));
      assert.equal(resent.body.attempts, 0);
      await until(
        () => receiver.events.some((e) => e.process_id === parkedProcess),
        10_000,
        're-sent event arrives',
      );
      await until(
        async () =>
          (await head.get(`/api/v1/admin/deliveries/${parked.delivery_id}`)).body.status === 'delivered',
        10_000,
        'recorded as delivered',
      );
      assert.equal(
        receiver.events.find((e) => e.process_id === parkedProcess)?.event_id,
        detail.body.event_id,
        'same event_id',
      );
      assert.equal((await parkedList()).length, 0);
      // Resend again works on a delivered one (a receiver that lost it); retry of a parked one too.
      assert.equal((await head.post(`/api/v1/admin/deliveries/${done.delivery_id}/resend`)).status, 200);
      await until(
        async () =>
          (await head.get(`/api/v1/admin/deliveries/${done.delivery_id}`)).body.status === 'delivered',
        10_000,
        'delivered again',
      );

      // Filters.
      const all = (await head.get(`/api/v1/admin/deliveries?app_id=${appId}`)).body.items as {
        delivery_id: string;
        process_id: string;
      }[];
      assert.equal(all.length, 2);
      assert.ok(BigInt(all[0]!.delivery_id) > BigInt(all[1]!.delivery_id), 'newest first');
      const byProcess = (await head.get(`/api/v1/admin/deliveries?process_id=${parkedProcess}`)).body
        .items as { delivery_id: string; process_id: string }[];
      // The demo's own app subscribes too: every app's deliveries of the process, and nothing else.
      assert.ok(byProcess.some((x) => x.delivery_id === parked.delivery_id));
      assert.ok(byProcess.every((x) => x.process_id === parkedProcess));
      const mine = (await head.get(`/api/v1/admin/deliveries?process_id=${parkedProcess}&app_id=${appId}`))
        .body.items as { delivery_id: string }[];
      assert.deepEqual(
        mine.map((x) => x.delivery_id),
        [parked.delivery_id],
      );
      const byType = (await head.get(`/api/v1/admin/deliveries?app_id=${appId}&event_type=${STATUS_EVENT}`))
        .body.items;
      assert.equal(byType.length, 2);
      const otherType = await head.get(
        `/api/v1/admin/deliveries?app_id=${appId}&event_type=corehr.process.cc.updated_v2`,
      );
      assert.equal(otherType.body.items.length, 0);
      const future = await head.get(`/api/v1/admin/deliveries?app_id=${appId}&created_from=2999-01-01`);
      assert.equal(future.body.items.length, 0);
      const past = await head.get(
        `/api/v1/admin/deliveries?app_id=${appId}&created_from=2000-01-01T00:00:00Z&created_to=2999-01-01`,
      );
      assert.equal(past.body.items.length, 2);
      const first = await head.get(`/api/v1/admin/deliveries?app_id=${appId}&page_size=1`);
      assert.equal(first.body.items.length, 1);
      const second = await head.get(
        `/api/v1/admin/deliveries?app_id=${appId}&page_size=1&page_token=${encodeURIComponent(first.body.page_token)}`,
      );
      assert.equal(second.body.items.length, 1);
      assert.notEqual(second.body.items[0].delivery_id, first.body.items[0].delivery_id);
      assert.equal(second.body.page_token, undefined);
      // A token of one search does not continue another.
      const crossed = await head.get(
        `/api/v1/admin/deliveries?status=delivered&page_size=1&page_token=${encodeURIComponent(first.body.page_token)}`,
      );
      assert.equal(crossed.status, 400);
      assert.equal(crossed.body.error.violations[0].field, 'page_token');

      const badQuery = async (query: string, field: string) => {
        const r = await head.get(`/api/v1/admin/deliveries?${query}`);
        assert.equal(r.status, 400, query);
        assert.equal(r.body.error.code, 'invalid_field');
        assert.equal(r.body.error.violations[0].field, field, query);
      };
      await badQuery('status=lost', 'status');
      await badQuery('event_type=nope', 'event_type');
      await badQuery('created_from=yesterday', 'created_from');
      await badQuery('created_from=2026-12-02&created_to=2026-12-01', 'created_to');
      await badQuery('page_size=1000', 'page_size');
      await badQuery('process_id=%00', 'process_id');
      assert.equal((await head.get('/api/v1/admin/deliveries?app_id=cli_nothere')).status, 404);
      assert.equal((await head.get('/api/v1/admin/deliveries/123')).status, 404);
      assert.equal((await head.get('/api/v1/admin/deliveries/abc')).status, 400);

      // Metrics: both delivered in the end; one took five attempts (four failed, then the re-send).
      const metrics = await head.get(`/api/v1/admin/apps/${appId}/metrics?window=1h`);
      assert.equal(metrics.status, 200, JSON.stringify(metrics.body));
      assert.equal(metrics.body.window, '1h');
      assert.equal(metrics.body.total, 2);
      assert.equal(metrics.body.counts.delivered, 2);
      assert.equal(metrics.body.counts.parked, 0);
      assert.equal(metrics.body.success_rate, 1);
      assert.equal(metrics.body.mean_attempts, 1, 're-sent ones count from zero');
      assert.ok(metrics.body.lag_p50_ms >= 0);
      assert.ok(metrics.body.lag_p99_ms >= metrics.body.lag_p50_ms);
      const byDefault = await head.get(`/api/v1/admin/apps/${appId}/metrics`);
      assert.equal(byDefault.body.window, '24h');
      const badWindow = await head.get(`/api/v1/admin/apps/${appId}/metrics?window=1y`);
      assert.equal(badWindow.status, 400);
      assert.equal(badWindow.body.error.violations[0].field, 'window');

      // Parked again, then metrics count it; retry gives it one more attempt.
      receiver.failNext(5);
      const again = await d.start('leave', 'employee', LEAVE);
      await until(async () => (await parkedList()).length === 1, 15_000, 'parked again');
      const windowed = (await head.get(`/api/v1/admin/apps/${appId}/metrics?window=1h`)).body;
      assert.equal(windowed.counts.parked, 1);
      assert.equal(windowed.success_rate, 2 / 3);
      const [second_parked] = await parkedList();
      const retried = await head.post(`/api/v1/admin/deliveries/${second_parked!.delivery_id}/retry`);
      assert.equal(retried.status, 200);
      assert.equal(retried.body.attempts, 4, 'attempts kept');
      // The fifth failure parks it again at once.
      await until(async () => (await parkedList())[0]?.attempts === 5, 10_000, 'one more attempt');
      assert.equal(
        receiver.events.some((e) => e.process_id === again),
        false,
      );
    } finally {
      await t.close();
      await receiver.close();
    }
  });
});
