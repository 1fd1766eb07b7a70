import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { seedTenant, startTestServer, tenantToken } from '../helpers/server.js';
import { rawConnect, rawGet, readResponse, waitUntil } from '../helpers/raw-http.js';

// Short limits, so that a stalled client is noticed quickly; the waits below only bound a hang.
const SHORT = [
  '--headers-timeout-ms',
  '200',
  '--request-timeout-ms',
  '400',
  '--keep-alive-timeout-ms',
  '300',
];

test('a client that sends the headers and then stalls mid-body is answered 408 and disconnected', async () => {
  const t = await startTestServer('sqlite', { flags: SHORT });
  try {
    const connection = await rawConnect(t.url);
    connection.socket.write(
      'POST /open-apis/auth/v3/tenant_access_token/internal HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"app_id":',
    );
    await waitUntil(connection.isClosed, 'the server to close the stalled upload');
    assert.match(connection.received(), /^HTTP\/1\.1 408 /);
  } finally {
    await t.close();
  }
});

test('a client that stalls mid-headers is answered 408 and disconnected', async () => {
  const t = await startTestServer('sqlite', { flags: SHORT });
  try {
    const connection = await rawConnect(t.url);
    connection.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    await waitUntil(connection.isClosed, 'the server to close the stalled headers');
    assert.match(connection.received(), /^HTTP\/1\.1 408 /);
  } finally {
    await t.close();
  }
});

test('an idle keep-alive connection is closed after the keep-alive timeout', async () => {
  const t = await startTestServer('sqlite', { flags: SHORT });
  try {
    const connection = await rawConnect(t.url);
    connection.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const response = await readResponse(connection);
    assert.equal(response.status, 200);
    assert.ok(!connection.isClosed(), 'kept alive after the response');
    await waitUntil(connection.isClosed, 'the idle connection to be closed');
    assert.equal(connection.received().match(/HTTP\/1\.1 /g)?.length, 1, 'nothing else was sent');
  } finally {
    await t.close();
  }
});

test('connections beyond --max-connections are closed at once; a freed slot can be used again', async () => {
  const t = await startTestServer('sqlite', { flags: ['--max-connections', '3'] });
  const open = [];
  try {
    for (let i = 0; i < 3; i++) {
      const connection = await rawConnect(t.url);
      connection.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      assert.equal((await readResponse(connection)).status, 200, `connection ${i + 1} is served`);
      open.push(connection);
    }
    const refused = await rawConnect(t.url);
    refused.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await waitUntil(refused.isClosed, 'the fourth connection to be closed');
    assert.equal(refused.received(), '', 'the fourth connection got no response');
    for (const connection of open) assert.ok(!connection.isClosed(), 'the first three stay open');

    open.pop()?.socket.destroy();
    // The server notices the close asynchronously: try a few times.
    let served = false;
    for (let attempt = 0; attempt < 50 && !served; attempt++) {
      const again = await rawConnect(t.url);
      again.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
      await waitUntil(again.isClosed, 'the response');
      served = again.received().startsWith('HTTP/1.1 200');
      if (!served) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(served, 'a freed slot is used again');
  } finally {
    for (const connection of open) connection.socket.destroy();
    await t.close();
  }
});

test('an established long-connection WebSocket outlives the header, request and keep-alive timeouts', async () => {
  const t = await startTestServer('sqlite', { flags: ['--demo', ...SHORT] });
  try {
    const demo = t.server.demo!;
    const endpoint = await fetch(`${t.url}/callback/ws/endpoint`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ AppID: demo.app.app_id, AppSecret: demo.app.app_secret }),
    });
    const url = ((await endpoint.json()) as { data: { URL: string } }).data.URL;
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => socket.on('open', resolve).on('error', reject));
    let closed = false;
    socket.on('close', () => (closed = true));
    // Several times every limit, and several of Node's checks for expired requests.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    assert.equal(closed, false, 'still open');
    const pong = new Promise<void>((resolve) => {
      socket.once('pong', () => {
        resolve();
      });
    });
    socket.ping();
    await pong;
    socket.close();
  } finally {
    await t.close();
  }
});

test('response header names go out in the vendor case on a success, an error, a 404 and a 429', async () => {
  const t = await startTestServer('sqlite', { flags: ['--rate-limit', '1', '--rate-limit-window', '60'] });
  try {
    const names = (headers: [string, string][]) => headers.map(([name]) => name);
    const success = await rawGet(t.url, '/healthz');
    const error = await rawGet(t.url, '/admin/v1/tenants');
    // Under /open-apis: other unknown GETs may be the web app's pages (its SPA fallback answers them).
    const missing = await rawGet(t.url, '/open-apis/no/such/route');
    assert.deepEqual(
      [success.status, error.status, missing.status],
      [200, 401, 404],
      'the three kinds of response',
    );
    for (const response of [success, error, missing]) {
      assert.ok(names(response.headers).includes('X-Tt-Logid'), names(response.headers).join(', '));
      assert.ok(names(response.headers).includes('Content-Type'), names(response.headers).join(', '));
      assert.ok(names(response.headers).includes('Content-Length'), names(response.headers).join(', '));
      for (const name of names(response.headers))
        assert.match(name, /^[A-Z][a-z0-9]*(-[A-Z][a-z0-9]*)*$/, `${name} in canonical case`);
    }
    assert.equal(
      JSON.parse(error.body).error.log_id,
      error.headers.find(([name]) => name === 'X-Tt-Logid')?.[1],
    );

    const app = await seedTenant(t, 'acme');
    const token = await tenantToken(t, app.appId, app.appSecret);
    const path = '/open-apis/corehr/v2/approvers?user_id=u0&user_id_type=user_id&page_size=10';
    const auth = { Authorization: `Bearer ${token}` };
    assert.equal((await rawGet(t.url, path, auth)).status, 200);
    const limited = await rawGet(t.url, path, auth);
    assert.equal(limited.status, 429);
    assert.ok(names(limited.headers).includes('X-Ogw-Ratelimit-Limit'), names(limited.headers).join(', '));
    assert.ok(names(limited.headers).includes('X-Ogw-Ratelimit-Reset'), names(limited.headers).join(', '));
  } finally {
    await t.close();
  }
});
