import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Migrator } from 'kysely';
import { migrateToLatest, openDatabase } from '../../src/store/database.js';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { repositories } from '../../src/services/context.js';
import { forEachDialect, freshDatabase } from '../helpers/databases.js';

forEachDialect('migration 0028 (a lease keeps the status)', (dialect) => {
  test('stores deliveries out on a send as pending with their lease; reads still show them sending', async () => {
    const testDb = await freshDatabase(dialect);
    const handle = openDatabase({ url: testDb.url });
    try {
      const before = await new Migrator({ db: handle.db, provider: migrationProvider }).migrateTo(
        '0027-open-delivery-indexes',
      );
      assert.equal(before.error, undefined);
      const delivery = (id: string, status: string, leaseUntil: number) => ({
        id,
        event_id: `e${id}`,
        tenant_id: 't1',
        app_id: 'a1',
        process_id: 'p1',
        outbox_id: 'o1',
        event_type: 'corehr.process.updated_v2',
        event: '{}',
        mode: 'long_connection',
        status,
        attempts: 1,
        next_attempt_at: 0,
        lease_until: leaseUntil,
        last_error: null,
        created_at: 1,
        delivered_at: null,
      });
      await handle.db
        .insertInto('event_deliveries')
        .values([
          delivery('1', 'sending', 5000),
          delivery('2', 'pending', 0),
          delivery('3', 'delivered', 4000),
          delivery('4', 'failed', 0),
        ])
        .execute();
      assert.ok((await migrateToLatest(handle.db)).includes('0028-lease-keeps-status'));
      const stored = await handle.db
        .selectFrom('event_deliveries')
        .select(['id', 'status', 'lease_until'])
        .orderBy('id')
        .execute();
      assert.deepEqual(stored, [
        { id: '1', status: 'pending', lease_until: 5000 },
        { id: '2', status: 'pending', lease_until: 0 },
        { id: '3', status: 'delivered', lease_until: 4000 },
        { id: '4', status: 'failed', lease_until: 0 },
      ]);
      const shown = await repositories(handle.db).deliveries.list('t1', 'a1', undefined, { pageSize: 10 });
      assert.deepEqual(
        shown.items.map((d) => [d.id, d.status]),
        [
          ['1', 'sending'],
          ['2', 'pending'],
          ['3', 'delivered'],
          ['4', 'failed'],
        ],
      );
      const filtered = async (status: 'pending' | 'sending') =>
        (await repositories(handle.db).deliveries.list('t1', 'a1', status, { pageSize: 10 })).items.map(
          (d) => d.id,
        );
      assert.deepEqual(await filtered('sending'), ['1']);
      assert.deepEqual(await filtered('pending'), ['2']);
      // And back: the down migration restores the stored 'sending'.
      const down = await new Migrator({ db: handle.db, provider: migrationProvider }).migrateTo(
        '0027-open-delivery-indexes',
      );
      assert.equal(down.error, undefined);
      const restored = await handle.db
        .selectFrom('event_deliveries')
        .select('status')
        .where('id', '=', '1')
        .executeTakeFirstOrThrow();
      assert.equal(restored.status, 'sending');
    } finally {
      await handle.close();
      await testDb.drop();
    }
  });
});
