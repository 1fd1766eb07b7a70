import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '../../src/config.js';
import { startServer } from '../../src/server.js';
import { tempDir } from '../helpers/databases.js';
import { ADMIN_TOKEN, seedTenant, startTestServer, tenantToken } from '../helpers/server.js';
import { choice, date, DemoDriver, num, sdkClient } from '../helpers/sdk.js';
import { rawGet } from '../helpers/raw-http.js';

const LEAVE = {
  leave_type: choice('annual'),
  start_date: date('2026-12-01'),
  end_date: date('2026-12-02'),
  days: num('1'),
};

test('with --base-url, start_links use it and a forged Host header is never reflected', async () => {
  const t = await startTestServer('sqlite', { flags: ['--demo', '--base-url', 'https://hr.example.com/'] });
  try {
    const demo = t.server.demo!;
    const processId = await new DemoDriver(sdkClient(t.url, demo.app), demo).start(
      'leave',
      'employee',
      LEAVE,
    );
    const token = await tenantToken(t, demo.app.app_id, demo.app.app_secret);
    const detail = await rawGet(t.url, `/open-apis/corehr/v2/processes/${processId}`, {
      Host: 'evil.example',
      'X-Forwarded-Host': 'evil.example',
      Authorization: `Bearer ${token}`,
    });
    assert.equal(detail.status, 200, detail.body);
    assert.doesNotMatch(detail.body, /evil/);
    const links = (JSON.parse(detail.body) as { data: { start_links: Record<string, string> } }).data
      .start_links;
    const expected = `https://hr.example.com/approval-center/processes/${processId}`;
    assert.deepEqual(links, { web_link: expected, pc_link: expected, mobile_link: expected });
  } finally {
    await t.close();
  }
});

test('--base-url must be an http(s) URL', () => {
  for (const bad of ['hr.example.com', 'ftp://hr.example.com', 'https://hr.example.com/?a=1']) {
    assert.throws(() => parseConfig(['--base-url', bad], {}), ConfigError, bad);
  }
});

test('a PEOPLEFLOW_ADMIN_TOKEN shorter than 20 characters is refused with a clear message', () => {
  assert.throws(
    () => parseConfig([], { PEOPLEFLOW_ADMIN_TOKEN: 'short-token' }),
    (error: unknown) =>
      error instanceof ConfigError &&
      /PEOPLEFLOW_ADMIN_TOKEN must be at least 20 characters/.test(error.message),
  );
  assert.equal(parseConfig([], { PEOPLEFLOW_ADMIN_TOKEN: ADMIN_TOKEN }).adminToken, ADMIN_TOKEN);
});

test('the data directory is 0700 and every file in it 0600: database, -wal, -shm, master key, manifest', async () => {
  const dataDir = join(tempDir(), 'data');
  // As an older version, or an operator's umask, may have left them: readable by everyone.
  mkdirSync(dataDir, { mode: 0o755 });
  chmodSync(dataDir, 0o755);
  writeFileSync(join(dataDir, 'notes.txt'), 'x', { mode: 0o644 });
  chmodSync(join(dataDir, 'notes.txt'), 0o644);
  const server = await startServer(
    parseConfig(['--port', '0', '--data-dir', dataDir, '--log-level', 'silent', '--demo'], {
      PEOPLEFLOW_ADMIN_TOKEN: ADMIN_TOKEN,
    }),
  );
  try {
    const mode = (path: string) => statSync(path).mode & 0o777;
    assert.equal(mode(dataDir).toString(8), '700');
    for (const name of [
      'peopleflow.db',
      'peopleflow.db-wal',
      'peopleflow.db-shm',
      'master.key',
      'demo.json',
      'notes.txt',
    ]) {
      assert.ok(existsSync(join(dataDir, name)), name);
      assert.equal(mode(join(dataDir, name)).toString(8), '600', name);
    }
  } finally {
    await server.close();
  }
});

test('failed credentials are throttled per address and kind: 429 rate_limited with Retry-After after 20 a minute', async () => {
  const t = await startTestServer('sqlite', { flags: ['--rate-limit', '0'] });
  try {
    const app = await seedTenant(t, 'acme');
    const tokenUrl = '/open-apis/auth/v3/tenant_access_token/internal';
    const good = { app_id: app.appId, app_secret: app.appSecret };
    const bad = { app_id: app.appId, app_secret: 'guess' };

    // Successes do not count: many of them, then 20 failures, are all answered normally.
    for (let i = 0; i < 30; i++) assert.equal((await t.call('POST', tokenUrl, { body: good })).status, 200);
    for (let i = 0; i < 20; i++) {
      const wrong = await t.call('POST', tokenUrl, { body: bad });
      assert.equal(wrong.body.code, 10014, `failure ${i + 1} is checked`);
      if (i === 10) assert.equal((await t.call('POST', tokenUrl, { body: good })).status, 200);
    }
    for (const body of [bad, good]) {
      const limited = await t.call('POST', tokenUrl, { body });
      assert.equal(limited.status, 429, 'the 21st attempt, right or wrong, is not checked');
      assert.equal(limited.body.code, 99991400);
      const wait = Number(limited.headers.get('retry-after'));
      assert.ok(wait >= 1 && wait <= 60, `Retry-After ${wait}`);
    }
    const viaAppToken = await t.call('POST', '/open-apis/auth/v3/app_access_token/internal', { body: good });
    assert.equal(viaAppToken.status, 429, 'app_access_token shares the app-secret budget');

    // Other kinds keep their own budget: the admin API and tenant tokens still work from here.
    assert.equal((await t.admin('GET', '/tenants')).status, 200);
    for (let i = 0; i < 20; i++) {
      const r = await t.call('GET', '/admin/v1/tenants', { token: `wrong-admin-token-${i}` });
      assert.equal(r.status, 401);
    }
    const adminLimited = await t.admin('GET', '/tenants');
    assert.equal(adminLimited.status, 429, 'the right admin token is not checked either once blocked');
    assert.equal(adminLimited.body.code, 99991400);
    assert.ok(Number(adminLimited.headers.get('retry-after')) >= 1);

    const path = '/open-apis/corehr/v2/approvers?user_id=u0&user_id_type=user_id&page_size=10';
    for (let i = 0; i < 20; i++)
      assert.equal((await t.call('GET', path, { token: `t-FORGED${i}` })).status, 401);
    const tokenLimited = await t.call('GET', path, { token: 't-FORGED' });
    assert.equal(tokenLimited.status, 429);
    assert.equal(tokenLimited.body.code, 99991400);
    assert.ok(Number(tokenLimited.headers.get('retry-after')) >= 1);
  } finally {
    await t.close();
  }
});

test('--auth-failure-limit 0 turns the throttle off', async () => {
  const t = await startTestServer('sqlite', { flags: ['--auth-failure-limit', '0'] });
  try {
    for (let i = 0; i < 25; i++)
      assert.equal(
        (await t.call('GET', '/admin/v1/tenants', { token: `wrong-admin-token-${i}` })).status,
        401,
      );
    assert.equal((await t.admin('GET', '/tenants')).status, 200);
  } finally {
    await t.close();
  }
});
