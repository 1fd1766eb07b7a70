import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../src/store/database.js';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { isStorageUnavailable, uniqueViolation } from '../../src/store/errors.js';
import { repositories } from '../../src/services/context.js';
import { IdGenerator } from '../../src/platform/id-generator.js';
import { ManualClock } from '../../src/platform/clock.js';
import type { Employee } from '../../src/engine/directory.js';
import type { ProcessState } from '../../src/engine/process.js';
import { StatementProfile } from '../../src/store/statement-profile.js';
import { forEachDialect, freshDatabase, type TestDatabase } from '../helpers/databases.js';

forEachDialect('repositories', (dialect) => {
  let testDb: TestDatabase;
  let handle: DatabaseHandle;
  const ids = new IdGenerator(new ManualClock(), 1);
  before(async () => {
    testDb = await freshDatabase(dialect);
    handle = openDatabase({ url: testDb.url });
    // Every migration the server ships runs, in name order (new ones are added by later issues).
    const shipped = Object.keys(await migrationProvider.getMigrations()).sort();
    assert.deepEqual(shipped.slice(0, 3), ['0001-foundation', '0002-processes', '0003-event-delivery']);
    assert.deepEqual(await migrateToLatest(handle.db), shipped);
    assert.deepEqual(await migrateToLatest(handle.db), [], 'migrating again is a no-op');
  });
  after(async () => {
    await handle.close();
    await testDb.drop();
  });

  const employee = (tenantId: string, userId: string, extra: Partial<Employee> = {}): Employee => ({
    id: ids.next(),
    tenantId,
    userId,
    unionId: `on_${userId}_${tenantId}`,
    name: { zh_cn: userId, en_us: userId },
    email: `${userId}@x.example`,
    departmentId: null,
    managerId: null,
    employmentStatus: 'active',
    createdAt: 1_700_000_000_000,
    updatedAt: 1_700_000_000_000,
    ...extra,
  });

  test('round trip keeps types: times come back as numbers on both dialects', async () => {
    const repos = repositories(handle.db);
    const tenantId = ids.next();
    await repos.tenants.insert({
      id: tenantId,
      tenantKey: 'rt',
      name: 'RT',
      createdAt: 1_795_000_000_123,
      updatedAt: 1,
    });
    const tenant = await repos.tenants.findByKey('rt');
    assert.deepEqual(tenant, {
      id: tenantId,
      tenantKey: 'rt',
      name: 'RT',
      createdAt: 1_795_000_000_123,
      updatedAt: 1,
    });
    const e = employee(tenantId, 'alice');
    await repos.employees.insert(e);
    assert.deepEqual(await repos.employees.findBy(tenantId, 'user_id', 'alice'), e);
    assert.equal(await repos.employees.count({}), 1);
  });

  test('unique constraints are reported in a dialect-neutral way', async () => {
    const repos = repositories(handle.db);
    const tenant = await repos.tenants.findByKey('rt');
    await assert.rejects(repos.employees.insert(employee(tenant!.id, 'alice')), (error: unknown) => {
      assert.match(uniqueViolation(error) ?? '', /tenant_id|user_id|employees/);
      assert.equal(isStorageUnavailable(error), false);
      return true;
    });
  });

  test('keyset pages never skip or repeat, even with inserts between pages', async () => {
    const repos = repositories(handle.db);
    const tenantId = ids.next();
    await repos.tenants.insert({ id: tenantId, tenantKey: 'pages', name: 'P', createdAt: 0, updatedAt: 0 });
    for (let i = 0; i < 7; i++) await repos.employees.insert(employee(tenantId, `p${i}`));
    const seen: string[] = [];
    let afterId: string | undefined;
    let inserted = 0;
    do {
      const page = await repos.employees.list(tenantId, { pageSize: 3, afterId });
      seen.push(...page.items.map((e) => e.userId));
      afterId = page.nextAfterId;
      if (inserted++ < 2) await repos.employees.insert(employee(tenantId, `late${inserted}`));
    } while (afterId !== undefined);
    assert.equal(new Set(seen).size, seen.length, 'no repeats');
    assert.equal(seen.length, 9, 'later inserts sort after and are reached');
  });

  test('modified-window pages follow (updated_at, id): ties across a page boundary are neither skipped nor repeated', async () => {
    const repos = repositories(handle.db);
    const tenantId = ids.next();
    await repos.tenants.insert({ id: tenantId, tenantKey: 'window', name: 'W', createdAt: 0, updatedAt: 0 });
    const times = [5000, 3000, 3000, 3000, 9000, 1000, 4000];
    const stored: { id: string; updatedAt: number }[] = [];
    for (const updatedAt of times) {
      const id = ids.next();
      stored.push({ id, updatedAt });
      const state = {
        id,
        definitionId: 'd',
        definitionVersion: 1,
        bizType: 'leave_application',
        status: updatedAt === 4000 ? 'approved' : 'in_progress',
        initiatorId: 'e',
        createdAt: 0,
        updatedAt,
        tasks: [],
        nodeRuns: [],
      } as unknown as ProcessState;
      await repos.processes.insert(tenantId, state);
    }
    const expected = stored
      .filter((p) => p.updatedAt >= 2000 && p.updatedAt <= 6000)
      .sort((a, b) => a.updatedAt - b.updatedAt || (a.id < b.id ? -1 : 1));
    const seen: { id: string; updatedAt: number }[] = [];
    let after: { id: string; updatedAt: number } | undefined;
    do {
      const page = await repos.processes.modifiedPage(
        tenantId,
        { modifiedFrom: 2000, modifiedTo: 6000 },
        2,
        after,
      );
      seen.push(...page.items);
      after = page.next;
    } while (after);
    assert.deepEqual(seen, expected);
    const approved = await repos.processes.modifiedPage(
      tenantId,
      { modifiedFrom: 0, modifiedTo: 10_000, statuses: ['approved'] },
      10,
    );
    assert.deepEqual(
      approved.items.map((p) => p.updatedAt),
      [4000],
    );
  });

  test('a process update writes the columns that moved, and a start column only when it changed', async () => {
    const profile = new StatementProfile();
    const profiled = openDatabase({ url: testDb.url, statementProfile: profile });
    try {
      const repos = repositories(profiled.db);
      const tenantId = ids.next();
      await repos.tenants.insert({ id: tenantId, tenantKey: 'upd', name: 'U', createdAt: 0, updatedAt: 0 });
      const started = {
        id: ids.next(),
        definitionId: 'd',
        definitionVersion: 1,
        bizType: 'leave_application',
        status: 'in_progress',
        initiatorId: 'e',
        createdAt: 10,
        updatedAt: 10,
        tasks: [],
        nodeRuns: [],
        ccs: [],
      } as unknown as ProcessState;
      await repos.processes.insert(tenantId, started);
      const approved: ProcessState = { ...started, status: 'completed', updatedAt: 20, completedAt: 20 };
      profile.take(false);
      assert.equal(await repos.processes.update(tenantId, approved, 1, started), true);
      if (dialect === 'sqlite') {
        // (The statement profile sees SQLite's statements.) The start's columns were not set again:
        // their indexes are left alone.
        const update = profile.take(false).find((r) => r.sql.startsWith('update "processes"'));
        assert.ok(update);
        assert.doesNotMatch(update.sql, /initiator_id|created_at|definition_id/);
      }
      const moved = { ...approved, initiatorId: 'e2', updatedAt: 30 };
      assert.equal(await repos.processes.update(tenantId, moved, 2, approved), true);
      const row = await profiled.db
        .selectFrom('processes')
        .select(['status', 'initiator_id', 'created_at', 'updated_at', 'completed_at', 'version'])
        .where('id', '=', started.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, {
        status: 'completed',
        initiator_id: 'e2',
        created_at: 10,
        updated_at: 30,
        completed_at: 20,
        version: 3,
      });
      assert.equal(
        await repos.processes.update(tenantId, moved, 2, approved),
        false,
        'the version check holds',
      );
    } finally {
      await profiled.close();
    }
  });

  test('deleting a tenant removes everything it owns and nothing of another tenant', async () => {
    const repos = repositories(handle.db);
    const keep = await repos.tenants.findByKey('rt');
    const gone = ids.next();
    await repos.tenants.insert({ id: gone, tenantKey: 'gone', name: 'G', createdAt: 0, updatedAt: 0 });
    const boss = employee(gone, 'boss');
    await repos.employees.insert(boss);
    await repos.employees.insert(employee(gone, 'rep', { managerId: boss.id }));
    await repos.departments.insert({
      id: ids.next(),
      tenantId: gone,
      departmentId: 'd',
      openDepartmentId: `od-${gone}`,
      name: { zh_cn: 'd', en_us: 'd' },
      parentId: null,
      leaderId: boss.id,
      createdAt: 0,
      updatedAt: 0,
    });
    // What people leave behind: a session, a language setting, an uploaded file.
    await handle.db
      .insertInto('people_sessions')
      .values({
        token_hash: `h-${gone}`,
        tenant_id: gone,
        employee_id: boss.id,
        auth_method: 'demo',
        created_at: 0,
        last_seen_at: 0,
        expires_at: 1,
      })
      .execute();
    await handle.db
      .insertInto('employee_preferences')
      .values({ employee_id: boss.id, tenant_id: gone, language: 'en', updated_at: 0 })
      .execute();
    await handle.db
      .insertInto('files')
      .values({
        id: `f-${gone}`,
        tenant_id: gone,
        uploader_id: boss.id,
        name: 'a.txt',
        size: 1,
        content_type: 'text/plain',
        sha256: '0',
        bytes: new Uint8Array([65]),
        created_at: 0,
      })
      .execute();
    await handle.db.transaction().execute((trx) => repositories(trx).tenants.deleteCascade(gone));
    for (const table of ['people_sessions', 'employee_preferences', 'files'] as const) {
      const left = await handle.db
        .selectFrom(table)
        .select('tenant_id')
        .where('tenant_id', '=', gone)
        .execute();
      assert.equal(left.length, 0, `${table}: nothing of the deleted tenant is left`);
    }
    assert.equal(await repos.tenants.findByKey('gone'), undefined);
    assert.equal((await repos.employees.list(gone, { pageSize: 10 })).items.length, 0);
    assert.equal((await repos.departments.listAll(gone)).length, 0);
    assert.ok(await repos.employees.findBy(keep!.id, 'user_id', 'alice'));
  });

  test('apps: a settings save never undoes a secret rotation; access revision and re-routing', async () => {
    const repos = repositories(handle.db);
    const tenantId = ids.next();
    await repos.tenants.insert({ id: tenantId, tenantKey: 'acc', name: 'A', createdAt: 0, updatedAt: 0 });
    const app = {
      id: ids.next(),
      tenantId,
      appId: 'cli_00000000000000aa',
      name: 'a',
      secretHash: 'old-hash',
      scopes: ['corehr:process:readonly'],
      eventRequestUrl: null,
      eventVerificationTokenSealed: null,
      eventEncryptKeySealed: null,
      eventTypes: ['corehr.process.updated_v2'],
      eventDeliveryMode: 'long_connection' as const,
      accessRevision: 0,
      createdAt: 0,
      updatedAt: 0,
    };
    await repos.apps.insert(app);
    await repos.apps.replaceSecret(app.id, 'new-hash', 5);
    // A settings change prepared from a read made before the rotation.
    await repos.apps.update({ ...app, name: 'renamed' });
    const saved = await repos.apps.findById(app.id);
    assert.equal(saved?.secretHash, 'new-hash');
    assert.equal(saved.name, 'renamed');
    await repos.apps.withdrawAccess(app.id);
    assert.deepEqual(
      await repos.apps.accessOf([app.id, 'missing']),
      new Map([
        [
          app.id,
          {
            id: app.id,
            accessRevision: 2,
            eventDeliveryMode: 'long_connection',
            eventTypes: ['corehr.process.updated_v2'],
            scopes: ['corehr:process:readonly'],
          },
        ],
      ]),
    );

    const delivery = (status: 'pending' | 'sending' | 'failed' | 'delivered') => ({
      id: ids.next(),
      event_id: ids.next(),
      tenant_id: tenantId,
      app_id: app.id,
      process_id: 'p',
      outbox_id: 'o',
      event_type: 'corehr.process.updated_v2',
      event: '{}',
      mode: 'long_connection',
      // Out on a send is stored as 'pending' with a lease.
      status: status === 'sending' ? 'pending' : status,
      attempts: 1,
      next_attempt_at: 99,
      lease_until: status === 'sending' ? 50 : 0,
      last_error: null,
      created_at: 0,
      delivered_at: null,
    });
    const rows = [delivery('pending'), delivery('sending'), delivery('failed'), delivery('delivered')];
    await repos.deliveries.insert(rows);
    assert.equal(await repos.deliveries.reroute(app.id, 'webhook', 7), 2);
    const after = await handle.db
      .selectFrom('event_deliveries')
      .select(['mode', 'status', 'next_attempt_at', 'attempts'])
      .where('app_id', '=', app.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(after, [
      { mode: 'webhook', status: 'pending', next_attempt_at: 7, attempts: 1 },
      { mode: 'webhook', status: 'pending', next_attempt_at: 7, attempts: 1 },
      { mode: 'webhook', status: 'failed', next_attempt_at: 99, attempts: 1 },
      { mode: 'long_connection', status: 'delivered', next_attempt_at: 99, attempts: 1 },
    ]);
  });

  test('settings: set-if-absent sets once', async () => {
    const repos = repositories(handle.db);
    assert.equal(await repos.settings.setIfAbsent('k', 'first'), true);
    assert.equal(await repos.settings.setIfAbsent('k', 'second'), false);
    assert.equal(await repos.settings.get('k'), 'first');
    await repos.settings.set('k', 'third');
    assert.equal(await repos.settings.get('k'), 'third');
  });
});
