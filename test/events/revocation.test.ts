import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as lark from '@larksuiteoapi/node-sdk';
import { WebSocket } from 'ws';
import { EVENT_TYPES } from '../../src/services/app.service.js';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { recordingDispatcher, until, webhookReceiver } from '../helpers/receivers.js';

// Reconnect at once after a close, so "cannot reconnect" is seen as soon as the endpoint refuses.
const FLAGS = [
  '--ws-reconnect-nonce',
  '0',
  '--ws-reconnect-interval',
  '1',
  // Switching to webhook needs a request URL that answers the challenge: a receiver on loopback.
  '--webhook-allow-hosts',
  '127.0.0.1',
];
const READ = 'corehr:process:readonly';

interface App {
  app_id: string;
  app_secret: string;
}

async function longConnectionApp(t: TestServer, tenant: string): Promise<App> {
  const r = await t.admin('POST', `/tenants/${tenant}/apps`, {
    name: 'listener',
    scopes: [READ, 'corehr:process'],
    event: { event_types: EVENT_TYPES, delivery_mode: 'long_connection' },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.data as App;
}

/** The official SDK's WSClient, with what happens to it recorded. */
class Listener {
  readonly client: lark.WSClient;
  ready = false;
  reconnecting = false;
  error: Error | undefined;

  constructor(url: string, app: App) {
    this.client = new lark.WSClient({
      appId: app.app_id,
      appSecret: app.app_secret,
      domain: url,
      loggerLevel: lark.LoggerLevel.fatal,
      onReady: () => {
        this.ready = true;
      },
      onReconnecting: () => {
        this.reconnecting = true;
      },
      onError: (error: Error) => {
        this.error = error;
      },
    });
  }

  static async connect(url: string, app: App): Promise<Listener> {
    const listener = new Listener(url, app);
    await listener.client.start({ eventDispatcher: recordingDispatcher({}, []) });
    await until(() => listener.ready, 10_000, 'the WSClient to connect');
    return listener;
  }

  /** The server closed the connection and the endpoint refused the reconnect with `code`. */
  async refused(code: number, what: string): Promise<void> {
    await until(() => this.error !== undefined, 5000, `${what}: the connection to close and stay closed`);
    assert.ok(this.reconnecting, `${what}: the client saw its connection close`);
    assert.match(String(this.error?.message), new RegExp(`code=${code}\\b`), what);
    assert.equal(this.client.getConnectionStatus().state, 'failed', what);
  }

  close(): void {
    this.client.close({ force: true });
  }
}

/** The promise's value, or a failure naming `what` after a generous bound. */
async function within<T>(promise: Promise<T>, what: string, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function endpoint(t: TestServer, app: App): Promise<{ code: number; msg: string; url?: string }> {
  const r = await fetch(`${t.url}/callback/ws/endpoint`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ AppID: app.app_id, AppSecret: app.app_secret }),
  });
  const body = (await r.json()) as { code: number; msg: string; data?: { URL: string } };
  return { code: body.code, msg: body.msg, ...(body.data ? { url: body.data.URL } : {}) };
}

forEachDialect('revocation closes live long connections', (dialect) => {
  let t: TestServer;
  const listeners: Listener[] = [];
  const connect = async (app: App) => {
    const listener = await Listener.connect(t.url, app);
    listeners.push(listener);
    return listener;
  };
  before(async () => {
    t = await startTestServer(dialect, { flags: FLAGS });
    assert.equal((await t.admin('POST', '/tenants', { tenant_key: 'acme', name: 'Acme' })).status, 201);
  });
  after(async () => {
    for (const listener of listeners) listener.close();
    await t.close();
  });

  test('rotating the secret: closed, and the old secret gets 514', async () => {
    const app = await longConnectionApp(t, 'acme');
    const listener = await connect(app);
    const rotated = await t.admin('POST', `/tenants/acme/apps/${app.app_id}/secret`);
    assert.equal(rotated.status, 200);
    await listener.refused(514, 'rotation');
    // The new secret connects.
    const fresh = await connect({ app_id: app.app_id, app_secret: rotated.body.data.app_secret as string });
    assert.equal(fresh.client.getConnectionStatus().state, 'connected');
  });

  test('deleting the app: closed, 514', async () => {
    const app = await longConnectionApp(t, 'acme');
    const listener = await connect(app);
    assert.equal((await t.admin('DELETE', `/tenants/acme/apps/${app.app_id}`)).status, 200);
    await listener.refused(514, 'app deletion');
  });

  test('deleting the tenant: closed, 514', async () => {
    assert.equal((await t.admin('POST', '/tenants', { tenant_key: 'gone', name: 'Gone' })).status, 201);
    const app = await longConnectionApp(t, 'gone');
    const listener = await connect(app);
    assert.equal((await t.admin('DELETE', '/tenants/gone')).status, 200);
    await listener.refused(514, 'tenant deletion');
  });

  test('no event types left: closed, 403', async () => {
    const app = await longConnectionApp(t, 'acme');
    const listener = await connect(app);
    const r = await t.admin('PATCH', `/tenants/acme/apps/${app.app_id}`, { event: { event_types: [] } });
    assert.equal(r.status, 200);
    await listener.refused(403, 'subscription removed');
    assert.match((await endpoint(t, app)).msg, /event\.event_types/);
  });

  test('losing the read scope: closed, 403', async () => {
    const app = await longConnectionApp(t, 'acme');
    const listener = await connect(app);
    const r = await t.admin('PATCH', `/tenants/acme/apps/${app.app_id}`, { scopes: ['corehr:process'] });
    assert.equal(r.status, 200);
    await listener.refused(403, 'read scope removed');
    assert.match((await endpoint(t, app)).msg, /corehr:process:readonly/);
  });

  test('switching to webhook: closed, 403', async () => {
    const app = await longConnectionApp(t, 'acme');
    const listener = await connect(app);
    const receiver = await webhookReceiver({});
    try {
      const r = await t.admin('PATCH', `/tenants/acme/apps/${app.app_id}`, {
        event: { delivery_mode: 'webhook', request_url: receiver.url },
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      await listener.refused(403, 'webhook mode');
    } finally {
      await receiver.close();
    }
    assert.match((await endpoint(t, app)).msg, /event\.delivery_mode/);
  });

  test('changes that take nothing away leave the connection open', async () => {
    const app = await longConnectionApp(t, 'acme');
    const listener = await connect(app);
    for (const patch of [
      { name: 'renamed' },
      { event: { event_types: [EVENT_TYPES[0]] } },
      { scopes: [READ] },
      { event: { verification_token: 'another-token' } },
    ]) {
      assert.equal((await t.admin('PATCH', `/tenants/acme/apps/${app.app_id}`, patch)).status, 200);
    }
    // Several rounds of the watcher (300 ms each) pass.
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(listener.reconnecting, false);
    assert.equal(listener.client.getConnectionStatus().state, 'connected');
  });
});

test('a raw client sees close code 4403 with the reason; a ticket handed out before rotation no longer works', async () => {
  const t = await startTestServer('sqlite', { flags: FLAGS });
  const sockets: WebSocket[] = [];
  try {
    assert.equal((await t.admin('POST', '/tenants', { tenant_key: 'raw', name: 'Raw' })).status, 201);
    const app = await longConnectionApp(t, 'raw');
    const first = await endpoint(t, app);
    const unused = await endpoint(t, app);
    assert.equal(first.code, 0);
    assert.equal(unused.code, 0);
    const socket = new WebSocket(first.url!);
    sockets.push(socket);
    await new Promise((resolve, reject) => socket.on('open', resolve).on('error', reject));
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.on('close', (code, reason) => {
        resolve({ code, reason: reason.toString('utf8') });
      }),
    );
    assert.equal((await t.admin('POST', `/tenants/raw/apps/${app.app_id}/secret`)).status, 200);
    const { code, reason } = await within(closed, 'the server to close the connection');
    assert.equal(code, 4403);
    assert.match(reason, /^access revoked: /);

    // The ticket was obtained with the old secret: it is refused at the upgrade.
    const late = new WebSocket(unused.url!);
    sockets.push(late);
    const status = await within(
      new Promise<string>((resolve) => {
        late.on('unexpected-response', (_req, res) => {
          resolve(`${res.statusCode} ${String(res.headers['handshake-status'])}`);
        });
        late.on('open', () => {
          resolve('open');
        });
        late.on('error', () => {
          resolve('error');
        });
      }),
      'the upgrade to be answered',
    );
    assert.equal(status, '401 514');
  } finally {
    for (const socket of sockets) socket.terminate();
    await t.close();
  }
});

test(
  'a PostgreSQL cluster: a change made through server A closes the connection held by server B',
  {
    skip: process.env.PEOPLEFLOW_TEST_POSTGRES_URL ? false : 'PEOPLEFLOW_TEST_POSTGRES_URL is not set',
  },
  async () => {
    const a = await startTestServer('postgres', { flags: FLAGS });
    const b = await startTestServer('postgres', {
      flags: [...FLAGS, '--node-id', '2'],
      database: a.database,
    });
    const listeners: Listener[] = [];
    try {
      assert.equal((await a.admin('POST', '/tenants', { tenant_key: 'pg', name: 'PG' })).status, 201);
      const app = await longConnectionApp(a, 'pg');
      const onB = await Listener.connect(b.url, app);
      listeners.push(onB);
      const rotated = await a.admin('POST', `/tenants/pg/apps/${app.app_id}/secret`);
      assert.equal(rotated.status, 200);
      await onB.refused(514, 'rotation through A, connection on B');

      const renewed = { app_id: app.app_id, app_secret: rotated.body.data.app_secret as string };
      const again = await Listener.connect(b.url, renewed);
      listeners.push(again);
      const receiver = await webhookReceiver({});
      const patched = await a.admin('PATCH', `/tenants/pg/apps/${app.app_id}`, {
        event: { delivery_mode: 'webhook', request_url: receiver.url },
      });
      await receiver.close();
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      await again.refused(403, 'webhook mode through A, connection on B');

      assert.equal(
        (
          await a.admin('PATCH', `/tenants/pg/apps/${app.app_id}`, {
            event: { delivery_mode: 'long_connection' },
          })
        ).status,
        200,
      );
      const third = await Listener.connect(b.url, renewed);
      listeners.push(third);
      assert.equal((await a.admin('DELETE', '/tenants/pg')).status, 200);
      await third.refused(514, 'tenant deleted through A, connection on B');
    } finally {
      for (const listener of listeners) listener.close();
      await b.close();
      await a.close();
    }
  },
);
