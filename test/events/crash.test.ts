import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { tempDir } from '../helpers/databases.js';
import { choice, date, DemoDriver, num, sdkClient } from '../helpers/sdk.js';
import { until, webhookReceiver } from '../helpers/receivers.js';
import type { DemoManifest } from '../../src/services/demo.service.js';
import { EVENT_TYPES } from '../../src/services/app.service.js';

const CLI = join(import.meta.dirname, '../../src/cli.ts');
const children = new Set<ChildProcess>();
after(() => {
  for (const child of children) child.kill('SIGKILL');
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

async function serve(dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CLI,
      'serve',
      '--demo',
      '--data-dir',
      dataDir,
      '--port',
      String(port),
      '--webhook-allow-hosts',
      '127.0.0.1',
      '--dispatch-interval-ms',
      '20',
      '--webhook-retry-schedule',
      '100ms,200ms,500ms,1s,2s,5s',
    ],
    {
      env: {
        ...process.env,
        PEOPLEFLOW_ADMIN_TOKEN: 'crash-admin-token-0123456789',
        PEOPLEFLOW_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  child.on('exit', () => children.delete(child));
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  await until(
    async () => {
      if (child.exitCode !== null) throw new Error(`server exited: ${output}`);
      return fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
    },
    30_000,
    'the server to start',
  );
  return child;
}

const LEAVE = (days: string) => ({
  leave_type: choice('annual'),
  start_date: date('2026-12-01'),
  end_date: date('2026-12-09'),
  days: num(days),
});

test('SIGKILL in the middle of a scenario: after a restart every committed change is delivered, none lost', async () => {
  const dataDir = tempDir();
  const port = await freePort();
  const receiver = await webhookReceiver({ encryptKey: 'crash-key' });
  try {
    let server = await serve(dataDir, port);
    const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as DemoManifest;
    const created = await fetch(`${demo.base_url}/admin/v1/tenants/demo/apps`, {
      method: 'POST',
      headers: { authorization: 'Bearer crash-admin-token-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'ledger',
        scopes: ['corehr:process:readonly'],
        event: { request_url: receiver.url, encrypt_key: 'crash-key', event_types: EVENT_TYPES },
      }),
    });
    assert.equal(created.status, 201);
    const d = new DemoDriver(sdkClient(demo.base_url, demo.app), demo);

    /** The ledger: what the test saw succeed. Each entry is a status the process must be reported in. */
    const ledger = new Map<string, number[]>();
    const record = (id: string, status: number) => ledger.set(id, [...(ledger.get(id) ?? []), status]);
    const step = async (days: string) => {
      const id = await d.start('leave', 'employee', LEAVE(days));
      record(id, 1);
      await d.approve(id, 'manager');
      if (Number(days) <= 3) record(id, 9);
      return id;
    };
    for (let i = 0; i < 4; i++) await step(String(1 + (i % 5)));

    // Requests in flight when the process dies: whatever answered success is in the ledger.
    const inFlight = Array.from({ length: 6 }, (_, i) => step(String(1 + (i % 2))).catch(() => undefined));
    await new Promise((r) => setTimeout(r, 40));
    server.kill('SIGKILL');
    await Promise.all(inFlight);

    server = await serve(dataDir, port);
    for (let i = 0; i < 3; i++) await step('2');

    await until(
      () =>
        [...ledger].every(([id, statuses]) =>
          statuses.every((status) =>
            receiver.events.some(
              (e) =>
                e.process_id === id &&
                e.event_type === 'corehr.process.status.update_v2' &&
                e.status === status,
            ),
          ),
        ),
      30_000,
      'every ledger entry to be delivered',
    );
    // And the outbox agrees: every committed event is fanned out and delivered to the ledger app.
    const db = new SqliteDatabase(join(dataDir, 'peopleflow.db'), { readonly: true });
    try {
      const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
      await until(
        () =>
          count('select count(*) as n from outbox where fanned_out = 0') === 0 &&
          count(
            "select count(*) as n from event_deliveries d join apps a on a.id = d.app_id where a.name = 'ledger' and d.status != 'delivered'",
          ) === 0,
        30_000,
        'the outbox to drain',
      );
      server.kill('SIGTERM');
      await new Promise((resolve) => server.on('exit', resolve));
      const ledgerEvents = db
        .prepare(
          "select count(*) as n from event_deliveries d join apps a on a.id = d.app_id where a.name = 'ledger'",
        )
        .get() as { n: number };
      const ids = new Set(receiver.events.map((e) => e.event_id));
      assert.ok(ids.size >= ledgerEvents.n, `received ${ids.size} distinct events of ${ledgerEvents.n}`);
    } finally {
      db.close();
    }
  } finally {
    await receiver.close();
  }
});
