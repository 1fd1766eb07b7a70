import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/platform/clock.js';
import { principalOf } from '../../src/api/auth/open-api-guard.js';
import type { HttpAppOptions } from '../../src/api/http-app.js';
import { forEachDialect } from '../helpers/databases.js';
import { seedTenant, startTestServer, tenantToken, type TestServer } from '../helpers/server.js';

const MINUTE = 60_000;

/** Two guarded routes stand in for the Open API until its own routes exist. */
const extend: HttpAppOptions['extend'] = (app, guard) => {
  app.get('/open-apis/test/whoami', { preHandler: guard('corehr:process:readonly') }, (request) => {
    const { tenant, app: caller } = principalOf(request);
    return { code: 0, msg: 'success', data: { tenant_key: tenant.tenantKey, app_id: caller.appId } };
  });
  app.put('/open-apis/test/approve', { preHandler: guard('corehr:process.approver') }, () => ({
    code: 0,
    msg: 'success',
    data: {},
  }));
};

forEachDialect('tenant_access_token lifecycle', (dialect) => {
  const clock = new ManualClock(Date.UTC(2026, 10, 1, 8));
  let t: TestServer;
  let app: { appId: string; appSecret: string };
  before(async () => {
    t = await startTestServer(dialect, { clock, extend, flags: ['--rate-limit', '0'] });
    app = await seedTenant(t, 'acme');
  });
  after(() => t.close());

  const whoami = (token?: string) =>
    t.call('GET', '/open-apis/test/whoami', token === undefined ? {} : { token });

  test('a token is issued, reused while more than 30 min remain, renewed after, and the old one lives to its expiry', async () => {
    const first = await t.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', {
      body: { app_id: app.appId, app_secret: app.appSecret },
    });
    assert.equal(first.status, 200);
    assert.equal(first.body.code, 0);
    assert.match(first.body.tenant_access_token, /^t-[A-Z0-9]{40}$/);
    assert.equal(first.body.expire, 7200);
    const token1 = first.body.tenant_access_token as string;

    clock.advance(60 * MINUTE);
    const again = await t.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', {
      body: { app_id: app.appId, app_secret: app.appSecret },
    });
    assert.equal(again.body.tenant_access_token, token1, 'reused while 60 min remain');
    assert.equal(again.body.expire, 3600);

    clock.advance(31 * MINUTE); // 29 min left
    const token2 = await tenantToken(t, app.appId, app.appSecret);
    assert.notEqual(token2, token1, 'renewed with under 30 min left');
    assert.equal((await whoami(token1)).status, 200, 'the old token still works until it expires');
    assert.equal((await whoami(token2)).status, 200);

    clock.advance(30 * MINUTE); // token1 expired
    const expired = await whoami(token1);
    assert.equal(expired.status, 401);
    assert.equal(expired.body.code, 99991663);
    assert.equal((await whoami(token2)).status, 200);

    clock.advance(121 * MINUTE); // token2 expired too
    assert.equal((await whoami(token2)).body.code, 99991663);
  });

  test('app_access_token returns both tokens; an app token is not a tenant token', async () => {
    const r = await t.call('POST', '/open-apis/auth/v3/app_access_token/internal', {
      body: { app_id: app.appId, app_secret: app.appSecret },
    });
    assert.equal(r.status, 200);
    assert.match(r.body.app_access_token, /^a-/);
    assert.match(r.body.tenant_access_token, /^t-/);
    assert.equal((await whoami(r.body.app_access_token)).body.code, 99991663);
    assert.equal((await whoami(r.body.tenant_access_token)).status, 200);
  });

  test('wrong secret, unknown app and bad bodies are refused with the documented codes, and issue nothing', async () => {
    const url = '/open-apis/auth/v3/tenant_access_token/internal';
    const before = await t.server.database.db
      .selectFrom('access_tokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const wrong = await t.call('POST', url, { body: { app_id: app.appId, app_secret: 'nope' } });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.code, 10014);
    assert.equal(
      (await t.call('POST', url, { body: { app_id: 'cli_unknown', app_secret: app.appSecret } })).body.code,
      10014,
    );
    const missing = await t.call('POST', url, { body: { app_id: app.appId } });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.code, 99992402);
    assert.deepEqual(missing.body.error.field_violations, [
      { field: 'app_secret', description: 'is required' },
    ]);
    const wrongType = await t.call('POST', url, { body: { app_id: 12, app_secret: app.appSecret } });
    assert.equal(wrongType.body.error.field_violations[0].field, 'app_id');
    const badJson = await t.call('POST', url, {
      rawBody: '{"app_id":',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(badJson.status, 400);
    assert.equal(badJson.body.code, 99992402);
    const afterCount = await t.server.database.db
      .selectFrom('access_tokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(afterCount.n, before.n);
  });

  test('a missing, malformed or forged Authorization header gets 401 with the documented code and a log id', async () => {
    const none = await whoami();
    assert.equal(none.status, 401);
    assert.equal(none.body.code, 99991661);
    assert.equal(none.body.error.log_id, none.headers.get('x-tt-logid'));
    assert.match(none.headers.get('x-tt-logid') ?? '', /^\d{14}[0-9A-F]{18}$/);
    assert.equal(
      (await t.call('GET', '/open-apis/test/whoami', { headers: { authorization: 'Basic abc' } })).body.code,
      99991661,
    );
    assert.equal((await whoami('t-FORGED')).body.code, 99991663);
  });

  test('the token is checked before the request: an unauthenticated invalid request gets 401, not 400', async () => {
    // No user_id (required) and a bad page_size: a caller without a token learns nothing about fields.
    const list = await t.call('GET', '/open-apis/corehr/v2/approvers?page_size=0');
    assert.equal(list.status, 401);
    assert.equal(list.body.code, 99991661);
    const start = await t.call('POST', '/open-apis/corehr/v2/process_start', {
      body: { flow_data: 'nope' },
      token: 't-FORGED',
    });
    assert.equal(start.status, 401);
    assert.equal(start.body.code, 99991663);
  });

  test('secrets and tokens are stored only hashed or sealed', async () => {
    const token = await tenantToken(t, app.appId, app.appSecret);
    const rows = await t.server.database.db.selectFrom('access_tokens').selectAll().execute();
    for (const row of rows) {
      assert.ok(!row.token_hash.includes(token) && !row.token_sealed.includes(token));
      assert.ok(!row.token_sealed.includes(token.slice(2)));
    }
    const apps = await t.server.database.db.selectFrom('apps').selectAll().execute();
    for (const row of apps) assert.ok(!JSON.stringify(row).includes(app.appSecret));
  });

  test('rotating the secret: the old secret stops working, the new one works', async () => {
    const rotated = await t.admin('POST', `/tenants/acme/apps/${app.appId}/secret`);
    assert.equal(rotated.status, 200);
    const newSecret = rotated.body.data.app_secret as string;
    assert.notEqual(newSecret, app.appSecret);
    const old = await t.call('POST', '/open-apis/auth/v3/tenant_access_token/internal', {
      body: { app_id: app.appId, app_secret: app.appSecret },
    });
    assert.equal(old.body.code, 10014);
    await tenantToken(t, app.appId, newSecret);
    app = { appId: app.appId, appSecret: newSecret };
  });
});

forEachDialect('scopes, tenants and rate limits on the Open API', (dialect) => {
  let t: TestServer;
  let full: { appId: string; appSecret: string };
  let readOnly: { appId: string; appSecret: string };
  let other: { appId: string; appSecret: string };
  before(async () => {
    t = await startTestServer(dialect, { extend, flags: ['--rate-limit', '3', '--rate-limit-window', '60'] });
    full = await seedTenant(t, 'alpha');
    readOnly = {
      ...(await (async () => {
        const r = await t.admin('POST', '/tenants/alpha/apps', {
          name: 'reader',
          scopes: ['corehr:process:readonly'],
        });
        return { appId: r.body.data.app_id as string, appSecret: r.body.data.app_secret as string };
      })()),
    };
    other = await seedTenant(t, 'beta');
  });
  after(() => t.close());

  test('an app without the scope gets 403 99991672 naming the scope; with it, 200', async () => {
    const token = await tenantToken(t, readOnly.appId, readOnly.appSecret);
    const denied = await t.call('PUT', '/open-apis/test/approve', { token });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, 99991672);
    assert.match(denied.body.msg, /corehr:process\.approver/);
    const allowed = await t.call('PUT', '/open-apis/test/approve', {
      token: await tenantToken(t, full.appId, full.appSecret),
    });
    assert.equal(allowed.status, 200);
  });

  test('a scope taken away applies at once, although resolved tokens are cached', async () => {
    const token = await tenantToken(t, full.appId, full.appSecret);
    assert.equal((await t.call('PUT', '/open-apis/test/approve', { token })).status, 200);
    await t.admin('PATCH', `/tenants/alpha/apps/${full.appId}`, { scopes: ['corehr:process:readonly'] });
    assert.equal((await t.call('PUT', '/open-apis/test/approve', { token })).status, 403);
    await t.admin('PATCH', `/tenants/alpha/apps/${full.appId}`, {
      scopes: ['corehr:process:readonly', 'corehr:process', 'corehr:process.approver'],
    });
    assert.equal((await t.call('PUT', '/open-apis/test/approve', { token })).status, 200);
  });

  test('a token resolves to its own tenant and app only', async () => {
    const alpha = await t.call('GET', '/open-apis/test/whoami', {
      token: await tenantToken(t, full.appId, full.appSecret),
    });
    const beta = await t.call('GET', '/open-apis/test/whoami', {
      token: await tenantToken(t, other.appId, other.appSecret),
    });
    assert.deepEqual(alpha.body.data, { tenant_key: 'alpha', app_id: full.appId });
    assert.deepEqual(beta.body.data, { tenant_key: 'beta', app_id: other.appId });
  });

  test('the rate limit is per app and per API: the 4th call in the window gets 429 99991400 with headers', async () => {
    const token = await tenantToken(t, other.appId, other.appSecret);
    // whoami above used one of beta's three.
    assert.equal((await t.call('GET', '/open-apis/test/whoami', { token })).status, 200);
    assert.equal((await t.call('GET', '/open-apis/test/whoami', { token })).status, 200);
    const limited = await t.call('GET', '/open-apis/test/whoami', { token });
    assert.equal(limited.status, 429);
    assert.equal(limited.body.code, 99991400);
    assert.equal(limited.headers.get('x-ogw-ratelimit-limit'), '3');
    const reset = Number(limited.headers.get('x-ogw-ratelimit-reset'));
    assert.ok(reset >= 1 && reset <= 60, `reset ${reset}`);
    assert.equal(
      (await t.call('PUT', '/open-apis/test/approve', { token })).status,
      200,
      'another API has its own budget',
    );
    const alphaToken = await tenantToken(t, readOnly.appId, readOnly.appSecret);
    assert.equal(
      (await t.call('GET', '/open-apis/test/whoami', { token: alphaToken })).status,
      200,
      'another app has its own budget',
    );
  });
});
