import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CompiledQuery } from 'kysely';
import { openDatabase } from '../../src/store/database.js';
import { StatementProfile } from '../../src/store/statement-profile.js';
import { repositories } from '../../src/services/context.js';
import type { EventDeliveryTable } from '../../src/store/schema.js';
import { forEachDialect, migratedDatabase } from '../helpers/databases.js';

/**
 * The dispatcher's reads of open deliveries, which run after every commit and every batch of acks:
 * they must find a queue's rows without reading the app's other open deliveries, and leave event
 * bodies out until a delivery is sent.
 */
forEachDialect('delivery queues', (dialect) => {
  const database = migratedDatabase(dialect);
  const PROCESSES = 300;
  /** 'sending' is stored as the store keeps it: 'pending' with a lease (migration 0028). */
  const delivery = (n: number, processNo: number, status: string): EventDeliveryTable => ({
    id: String(1_000_000 + n),
    event_id: `e${n}`,
    tenant_id: 't1',
    app_id: 'app1',
    process_id: `p${processNo}`,
    outbox_id: `o${n}`,
    event_type: 'corehr.process.updated_v2',
    event: JSON.stringify({ process_id: `p${processNo}`, n }),
    mode: 'long_connection',
    status: status === 'sending' ? 'pending' : status,
    attempts: 0,
    next_attempt_at: 0,
    lease_until: status === 'sending' ? 50 : 0,
    last_error: null,
    created_at: n,
    delivered_at: null,
  });

  before(async () => {
    // Per process: one delivered, one in flight, two waiting — 1,200 rows, 900 of them open.
    const rows: EventDeliveryTable[] = [];
    let n = 0;
    for (let round = 0; round < 4; round++)
      for (let p = 0; p < PROCESSES; p++)
        rows.push(delivery(n++, p, ['delivered', 'sending', 'pending', 'pending'][round]!));
    // Another tenant's webhook app: for ten processes one delivered, one waiting.
    for (let p = 0; p < 10; p++)
      for (const status of ['delivered', 'pending'])
        rows.push({ ...delivery(n++, p, status), tenant_id: 't2', app_id: 'hook', mode: 'webhook' });
    await repositories(database.handle.db).deliveries.insert(rows);
  });

  test('streamHeadIds names the oldest open delivery of just the named long-connection queues', async () => {
    const repos = repositories(database.handle.db);
    const heads = await repos.deliveries.streamHeadIds([
      { app_id: 'app1', process_id: 'p7' },
      { app_id: 'app1', process_id: 'p3' },
      { app_id: 'app1', process_id: 'p7' },
      { app_id: 'other', process_id: 'p3' },
    ]);
    // Per process the rows were written delivered, sending, pending, pending (ids 300 apart).
    assert.deepEqual(heads.sort(), [String(1_000_000 + PROCESSES + 3), String(1_000_000 + PROCESSES + 7)]);
    // A webhook queue has no head here: webhooks go in rounds of their own.
    assert.deepEqual(await repos.deliveries.streamHeadIds([{ app_id: 'hook', process_id: 'p3' }]), []);
  });

  test('leaseDue leases only waiting, due deliveries, counts the attempt and returns their bodies', async () => {
    const repos = repositories(database.handle.db);
    const sending = String(1_000_000 + PROCESSES + 11);
    const waiting = String(1_000_000 + 2 * PROCESSES + 11);
    const delivered = String(1_000_000 + 11);
    const leased = await repos.deliveries.leaseDue([sending, waiting, delivered, 'nope'], 5, 99);
    assert.deepEqual(
      leased.map((d) => [d.id, d.process_id, JSON.parse(d.event)]),
      [[waiting, 'p11', { process_id: 'p11', n: 2 * PROCESSES + 11 }]],
    );
    const row = await database.handle.db
      .selectFrom('event_deliveries')
      .select(['status', 'attempts', 'lease_until'])
      .where('id', '=', waiting)
      .executeTakeFirstOrThrow();
    // The lease leaves the stored status (and so the five indexes holding it) alone; reads show it out.
    assert.deepEqual(row, { status: 'pending', attempts: 1, lease_until: 99 });
    const shown = await repos.deliveries.find('t1', waiting);
    assert.equal(shown?.status, 'sending');
    assert.deepEqual(await repos.deliveries.leaseDue([waiting], 5, 99), [], 'leased once');
    // A delivery waiting for a later attempt is not due yet.
    const later = String(1_000_000 + 3 * PROCESSES + 12);
    await database.handle.db
      .updateTable('event_deliveries')
      .set({ next_attempt_at: 50 })
      .where('id', '=', later)
      .execute();
    assert.deepEqual(await repos.deliveries.leaseDue([later], 49, 99), []);
    assert.equal((await repos.deliveries.leaseDue([later], 50, 99)).length, 1);
    // As they were, for the tests after this one.
    await database.handle.db
      .updateTable('event_deliveries')
      .set({ status: 'pending', attempts: 0, lease_until: 0, next_attempt_at: 0 })
      .where('id', 'in', [waiting, later])
      .execute();
  });

  test('leaseMany takes only rows still due in its mode: a row another round failed meanwhile, or one rerouted, is left', async () => {
    const repos = repositories(database.handle.db);
    const db = database.handle.db;
    const waitingOf = (p: number) => String(1_000_000 + 2 * PROCESSES + p);
    const [retrying, rerouted, expired, waiting] = [
      waitingOf(13),
      waitingOf(14),
      waitingOf(15),
      waitingOf(16),
    ];
    const sending = String(1_000_000 + PROCESSES + 17);
    // Read as due by one round; meanwhile another sent it, failed, and set its next attempt an hour on.
    await db
      .updateTable('event_deliveries')
      .set({ attempts: 1, next_attempt_at: 3_600_000 })
      .where('id', '=', retrying)
      .execute();
    // Meanwhile the app switched to webhooks: this row is the webhook rounds' now.
    await db.updateTable('event_deliveries').set({ mode: 'webhook' }).where('id', '=', rerouted).execute();
    // Out on a send whose lease (50) ran out: due again.
    await db.updateTable('event_deliveries').set({ lease_until: 50 }).where('id', '=', expired).execute();
    const owned = await repos.deliveries.leaseMany(
      [retrying, rerouted, expired, waiting, sending],
      'long_connection',
      60,
      99,
      true,
    );
    // The row whose lease (50) ran out at 60 is taken; one out on a send until 50 as well.
    assert.deepEqual([...owned].sort(), [expired, waiting, sending].sort());
    assert.deepEqual([...(await repos.deliveries.leaseMany([rerouted], 'webhook', 60, 99))], [rerouted]);
    const retry = await db
      .selectFrom('event_deliveries')
      .select(['attempts', 'lease_until'])
      .where('id', '=', retrying)
      .executeTakeFirstOrThrow();
    assert.deepEqual(retry, { attempts: 1, lease_until: 0 }, 'not leased, no attempt counted');
    // As they were, for the tests after this one.
    await db
      .updateTable('event_deliveries')
      .set({ mode: 'long_connection', attempts: 0, next_attempt_at: 0, lease_until: 0 })
      .where('id', 'in', [retrying, rerouted, expired, waiting])
      .execute();
    await db
      .updateTable('event_deliveries')
      .set({ attempts: 0, lease_until: 50 })
      .where('id', '=', sending)
      .execute();
  });

  test('openStreamHeads gives each long-connection queue’s oldest open delivery, oldest first, without bodies', async () => {
    const repos = repositories(database.handle.db);
    const heads = await repos.deliveries.openStreamHeads(5000, ['app1']);
    assert.equal(heads.length, PROCESSES);
    // Per process the open rows are sending (round 1), then two pending: the head is the sending one.
    assert.ok(heads.every((h, i) => h.status === 'sending' && h.process_id === `p${i}`));
    assert.ok(heads.every((h) => !('event' in h)));
    assert.deepEqual(
      (await repos.deliveries.openStreamHeads(2, ['app1'])).map((h) => h.process_id),
      ['p0', 'p1'],
    );
    assert.deepEqual(await repos.deliveries.openStreamHeads(10, ['other']), []);
    assert.deepEqual(await repos.deliveries.openStreamHeads(10, ['hook']), []);
  });

  test('openWebhooks lists the open webhook deliveries, oldest first, without bodies', async () => {
    const rows = await repositories(database.handle.db).deliveries.openWebhooks(5000);
    assert.equal(rows.length, 10);
    assert.ok(rows.every((r) => r.app_id === 'hook' && r.status === 'pending' && !('event' in r)));
    assert.deepEqual(
      rows.map((r) => r.id),
      rows.map((r) => r.id).sort(),
    );
  });

  test('claimOutbox takes waiting outbox rows once, oldest first', async () => {
    const repos = repositories(database.handle.db);
    const row = (id: string, fannedOut: number) => ({
      id,
      tenant_id: 't1',
      process_id: 'p1',
      kind: 'process_updated',
      payload: '{}',
      created_at: 1,
      fanned_out: fannedOut,
    });
    await database.handle.db
      .insertInto('outbox')
      .values([row('9000003', 0), row('9000001', 0), row('9000002', 1), row('9000004', 0)])
      .execute();
    assert.equal(await repos.deliveries.outboxWaiting(), true);
    assert.deepEqual(
      (await repos.deliveries.claimOutbox(2)).map((r) => r.id),
      ['9000001', '9000003'],
    );
    assert.deepEqual(
      (await repos.deliveries.claimOutbox(10)).map((r) => r.id),
      ['9000004'],
    );
    assert.deepEqual(await repos.deliveries.claimOutbox(10), []);
    assert.equal(await repos.deliveries.outboxWaiting(), false, 'nothing waits once all are taken');
  });

  /**
   * The plan SQLite chose for the statement `run` made through the repository (caught by the
   * statement profile), with placeholder values bound.
   */
  async function planOf(
    run: (repos: ReturnType<typeof repositories>) => Promise<unknown>,
    startsWith: string,
  ) {
    const profile = new StatementProfile();
    const profiled = openDatabase({ url: database.testDb.url, statementProfile: profile });
    try {
      await run(repositories(profiled.db));
      const statement = profile.take(false).find((r) => r.sql.startsWith(startsWith));
      assert.ok(statement, `no statement starting ${startsWith}`);
      const values = Array.from({ length: statement.sql.split('?').length - 1 }, () => 0);
      const plan = await profiled.db.executeQuery<{ detail: string }>(
        CompiledQuery.raw(`explain query plan ${statement.sql}`, values),
      );
      return plan.rows.map((r) => r.detail).join(' ');
    } finally {
      await profiled.close();
    }
  }

  if (dialect === 'sqlite')
    test('SQLite finds waiting outbox rows through the partial index of unfanned rows', async () => {
      const plan = await planOf((repos) => repos.deliveries.claimOutbox(500), 'update "outbox"');
      assert.match(plan, /outbox_unfanned/);
    });

  if (dialect === 'sqlite')
    test('SQLite finds the queues’ heads through the partial index of open deliveries, without a sort', async () => {
      const plan = await planOf(
        (repos) =>
          repos.deliveries.streamHeadIds([
            { app_id: 'app1', process_id: 'p1' },
            { app_id: 'app1', process_id: 'p2' },
          ]),
        'select',
      );
      assert.match(plan, /event_deliveries_open_long_connection/);
      assert.doesNotMatch(plan, /TEMP B-TREE/);
    });

  if (dialect === 'sqlite')
    test('SQLite picks the queues’ heads in the partial index of open deliveries, without a sort', async () => {
      const plan = await planOf((repos) => repos.deliveries.openStreamHeads(5000, ['app1']), 'select');
      assert.match(plan, /event_deliveries_open_long_connection/);
      assert.doesNotMatch(plan, /TEMP B-TREE/);
    });

  if (dialect === 'sqlite')
    test('SQLite lists open webhook deliveries in id order from their partial index, without a sort', async () => {
      const plan = await planOf((repos) => repos.deliveries.openWebhooks(5000), 'select');
      assert.match(plan, /event_deliveries_open_webhook/);
      assert.doesNotMatch(plan, /TEMP B-TREE/);
    });

  if (dialect === 'sqlite')
    test('SQLite: the retention sweep finds what it deletes by age through an index, never reading whole tables', async () => {
      // (Run for real on the suite's rows: cut-offs before all of them, so nothing is deleted.)
      const cases: [string, (repos: ReturnType<typeof repositories>) => Promise<unknown>, RegExp][] = [
        [
          'event_deliveries',
          (r) => r.deliveries.deleteDeliveredBefore('0', 500),
          /INDEX sqlite_autoindex_event_deliveries_1 \(id<\?\)/,
        ],
        [
          'outbox',
          (r) => r.deliveries.deleteFannedOutBefore('0', 500),
          /INDEX sqlite_autoindex_outbox_1 \(id<\?\)/,
        ],
        [
          'notifications',
          (r) => r.notifications.deleteCreatedBefore(0, 500),
          /INDEX sqlite_autoindex_notifications_1 \(id<\?\)/,
        ],
        ['jobs', (r) => r.jobs.deleteSettledNotifyBefore(0, 500), /jobs_settled_notify/],
        ['files', (r) => r.files.deleteUnattachedBefore(0, 20), /files_created/],
      ];
      for (const [table, run, index] of cases) {
        const plan = await planOf(run, `delete from "${table}"`);
        assert.match(plan, index, `${table}: ${plan}`);
        assert.doesNotMatch(plan, new RegExp(`SCAN ${table}(?! USING)`), `${table}: ${plan}`);
      }
    });

  if (dialect === 'sqlite')
    test("SQLite reads a person's notification list, and prunes it, as ranges of one index (no sort, no other person's rows)", async () => {
      const cases: [string, (repos: ReturnType<typeof repositories>) => Promise<unknown>, string, RegExp][] =
        [
          ['page', (r) => r.notifications.page('t1', 'e1', false, 20), 'select', /\(recipient_id=\?\)/],
          [
            'page after',
            (r) => r.notifications.page('t1', 'e1', true, 20, '1'),
            'select',
            /\(recipient_id=\? AND id<\?\)/,
          ],
          ['prune edge', (r) => r.notifications.prune('e1', 500, 0), 'select', /\(recipient_id=\?\)/],
          [
            'prune delete',
            (r) => r.notifications.prune('e1', 500, 0),
            'delete',
            /\(recipient_id=\? AND id<\?\)/,
          ],
        ];
      for (const [name, run, kind, range] of cases) {
        const plan = await planOf(run, `${kind} `);
        assert.match(plan, /INDEX notifications_recipient_id /, `${name}: ${plan}`);
        assert.match(plan, range, `${name}: ${plan}`);
        assert.doesNotMatch(plan, /TEMP B-TREE/, `${name}: ${plan}`);
      }
    });

  if (dialect === 'sqlite')
    test('SQLite counts unsettled deliveries (the metrics) from their partial index', async () => {
      const plan = await planOf((repos) => repos.deliveries.countsByStatus(), 'select');
      assert.match(plan, /event_deliveries_unsettled/);
    });

  if (dialect === 'sqlite')
    test('SQLite finds the few unsettled deliveries of a log or list filtered by state in their partial index, in id order', async () => {
      for (const state of ['pending', 'retrying', 'sending', 'parked'] as const) {
        const plan = await planOf(
          (repos) => repos.deliveries.search({ tenantId: 't1', state }, { pageSize: 20 }),
          'select',
        );
        assert.match(plan, /event_deliveries_unsettled/, `log filtered by ${state}`);
        assert.doesNotMatch(plan, /TEMP B-TREE/, `log filtered by ${state}`);
      }
      for (const status of ['pending', 'sending', 'failed'] as const) {
        const plan = await planOf(
          (repos) => repos.deliveries.list('t1', 'app1', status, { pageSize: 20 }),
          'select',
        );
        assert.match(plan, /event_deliveries_unsettled/, `list filtered by ${status}`);
        assert.doesNotMatch(plan, /TEMP B-TREE/, `list filtered by ${status}`);
      }
    });

  if (dialect === 'sqlite')
    test('SQLite: no index over every delivery has the status in its key (settling one writes only the row and the partial indexes it leaves)', async () => {
      const indexes = await database.handle.db.executeQuery<{ name: string; partial: number }>(
        CompiledQuery.raw(`select name, partial from pragma_index_list('event_deliveries')`),
      );
      const full = indexes.rows.filter((i) => i.partial === 0);
      assert.ok(full.length >= 4);
      for (const index of full) {
        const columns = await database.handle.db.executeQuery<{ name: string }>(
          CompiledQuery.raw(`select name from pragma_index_info('${index.name}')`),
        );
        assert.ok(
          !columns.rows.some((c) => ['status', 'lease_until', 'attempts', 'delivered_at'].includes(c.name)),
          `${index.name} holds a column that changes as a delivery is sent`,
        );
      }
    });

  test('the log and the list filtered by state give the right rows', async () => {
    const repos = repositories(database.handle.db);
    const parkedId = String(1_000_000 + 5);
    await database.handle.db
      .updateTable('event_deliveries')
      .set({ status: 'failed' })
      .where('id', '=', parkedId)
      .execute();
    try {
      const parked = await repos.deliveries.search({ tenantId: 't1', state: 'parked' }, { pageSize: 20 });
      assert.deepEqual(
        parked.items.map((d) => d.id),
        [parkedId],
      );
      const sending = await repos.deliveries.search({ tenantId: 't1', state: 'sending' }, { pageSize: 5 });
      assert.equal(sending.items.length, 5);
      assert.ok(sending.items.every((d) => d.status === 'sending'));
      // Newest first.
      assert.deepEqual(
        sending.items.map((d) => d.id),
        [...sending.items.map((d) => d.id)].sort().reverse(),
      );
      assert.deepEqual(
        (await repos.deliveries.list('t1', 'app1', 'failed', { pageSize: 20 })).items.map((d) => d.id),
        [parkedId],
      );
      assert.deepEqual(
        (await repos.deliveries.list('other-tenant', 'app1', 'failed', { pageSize: 20 })).items,
        [],
      );
      const delivered = await repos.deliveries.search(
        { tenantId: 't1', state: 'delivered' },
        { pageSize: 500 },
      );
      assert.equal(delivered.items.length, PROCESSES - 1);
    } finally {
      await database.handle.db
        .updateTable('event_deliveries')
        .set({ status: 'delivered' })
        .where('id', '=', parkedId)
        .execute();
    }
  });

  test('countsByStatus counts the waiting, in-flight and parked deliveries by mode', async () => {
    const counts = await repositories(database.handle.db).deliveries.countsByStatus();
    const of = (status: string) => counts.find((c) => c.mode === 'long_connection' && c.status === status)?.n;
    assert.equal(Number(of('pending')), PROCESSES * 2);
    assert.equal(Number(of('sending')), PROCESSES);
    assert.equal(of('delivered'), undefined);
  });
});
