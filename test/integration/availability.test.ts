import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Socket } from 'node:net';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer } from '../helpers/server.js';

forEachDialect('a locked database answers 503, not a hang', (dialect) => {
  test('a write blocked by another holder of the lock gets 503 1161503 and Retry-After; it works once released', async () => {
    const t = await startTestServer(dialect, { flags: ['--busy-timeout-ms', '200'] });
    let release: () => Promise<void>;
    if (dialect === 'sqlite') {
      const other = new SqliteDatabase(t.database.url.slice('sqlite:'.length));
      other.exec('BEGIN EXCLUSIVE');
      release = () => {
        other.exec('ROLLBACK');
        other.close();
        return Promise.resolve();
      };
    } else {
      const other = new pg.Client({ connectionString: t.database.url });
      await other.connect();
      await other.query('BEGIN');
      await other.query('LOCK TABLE tenants IN ACCESS EXCLUSIVE MODE');
      release = async () => {
        await other.query('ROLLBACK');
        await other.end();
      };
    }
    try {
      const started = Date.now();
      const blocked = await t.admin('POST', '/tenants', { tenant_key: 'blocked', name: 'Blocked' });
      assert.equal(blocked.status, 503, JSON.stringify(blocked.body));
      assert.equal(blocked.body.code, 1161503);
      assert.equal(blocked.headers.get('retry-after'), '1');
      assert.doesNotMatch(
        JSON.stringify(blocked.body),
        /SQLITE|lock|select|insert/i,
        'no driver detail leaks',
      );
      assert.ok(Date.now() - started < 10_000, 'answered promptly');
    } finally {
      await release();
    }
    assert.equal((await t.admin('POST', '/tenants', { tenant_key: 'blocked', name: 'Blocked' })).status, 201);
    await t.close();
  });
});

test('a bug answers 500 1161500 with the log id and no stack trace or internals', async () => {
  const t = await startTestServer('sqlite', {
    extend: (app) => {
      app.get('/boom', () => {
        throw new Error('secret internals: SELECT * FROM processes');
      });
    },
  });
  try {
    const response = await fetch(`${t.url}/boom`);
    const body = (await response.json()) as { code: number; error: { log_id: string } };
    assert.equal(response.status, 500);
    assert.equal(body.code, 1161500);
    assert.equal(body.error.log_id, response.headers.get('x-tt-logid'));
    assert.doesNotMatch(JSON.stringify(body), /secret|SELECT|at .*\.ts/);
  } finally {
    await t.close();
  }
});

test('in-flight requests finish on shutdown; new ones are refused', async () => {
  let entered!: () => void;
  const inside = new Promise<void>((resolve) => (entered = resolve));
  const t = await startTestServer('sqlite', {
    extend: (app) => {
      app.get('/slow', async () => {
        entered();
        await new Promise((r) => setTimeout(r, 400));
        return { done: true };
      });
    },
  });
  const slow = fetch(`${t.url}/slow`).then(async (r) => ({
    status: r.status,
    body: await r.json(),
  }));
  await inside;
  const closing = t.server.close();
  assert.deepEqual(await slow, { status: 200, body: { done: true } });
  await closing;
  await assert.rejects(fetch(`${t.url}/healthz`));
  await t.database.drop();
});

/** A TCP relay to PostgreSQL that the test can cut, to make the database unreachable mid-run. */
async function cuttableRelay(target: URL): Promise<{ port: number; cut(): void }> {
  const sockets = new Set<Socket>();
  let open = true;
  const relay = createServer((client) => {
    if (!open) return client.destroy();
    const upstream = connect(Number(target.port || 5432), target.hostname);
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const address = relay.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    cut: () => {
      open = false;
      for (const s of sockets) s.destroy();
      relay.close();
    },
  };
}

const POSTGRES = process.env.PEOPLEFLOW_TEST_POSTGRES_URL;
test(
  'an unreachable PostgreSQL: requests get 503 and /readyz says not ready',
  { skip: POSTGRES ? false : 'PEOPLEFLOW_TEST_POSTGRES_URL is not set' },
  async () => {
    const base = await startTestServer('postgres');
    const target = new URL(base.database.url);
    const relay = await cuttableRelay(target);
    const viaRelay = new URL(base.database.url);
    viaRelay.host = `127.0.0.1:${relay.port}`;
    await base.server.close();
    const { parseConfig } = await import('../../src/config.js');
    const { startServer } = await import('../../src/server.js');
    const server = await startServer(
      parseConfig(
        [
          '--port',
          '0',
          '--data-dir',
          base.database.dir,
          '--database-url',
          viaRelay.toString(),
          '--log-level',
          'silent',
          '--busy-timeout-ms',
          '500',
        ],
        {
          PEOPLEFLOW_ADMIN_TOKEN: 'x-admin-token-0123456789',
        },
      ),
    );
    try {
      assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
      relay.cut();
      const response = await fetch(`${server.url}/admin/v1/tenants`, {
        headers: { authorization: 'Bearer x-admin-token-0123456789' },
      });
      assert.equal(response.status, 503);
      assert.equal(((await response.json()) as { code: number }).code, 1161503);
      assert.equal((await fetch(`${server.url}/readyz`)).status, 503);
    } finally {
      await server.close();
      await base.database.drop();
    }
  },
);
