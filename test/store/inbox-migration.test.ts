import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Migrator } from 'kysely';
import { migrateToLatest, openDatabase } from '../../src/store/database.js';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { forEachDialect, freshDatabase } from '../helpers/databases.js';

forEachDialect('migration 0008 (inbox)', (dialect) => {
  test('fills process_ccs from the stored states: one row per person copied, at the first copy', async () => {
    const testDb = await freshDatabase(dialect);
    const handle = openDatabase({ url: testDb.url });
    try {
      const before = await new Migrator({ db: handle.db, provider: migrationProvider }).migrateTo(
        '0006-people-sessions',
      );
      assert.equal(before.error, undefined);
      await handle.db
        .insertInto('tenants')
        .values({ id: 't1', tenant_key: 't1', name: 't1', created_at: 1, updated_at: 1 })
        .execute();
      const process = (id: string, ccs: { recipientId: string; createdAt: number }[]) => ({
        id,
        tenant_id: 't1',
        definition_id: 'd1',
        definition_version: 1,
        biz_type: 'custom:x',
        status: 'completed',
        initiator_id: 'e0',
        created_at: 1,
        updated_at: 1,
        completed_at: 1,
        version: 1,
        state: JSON.stringify({ id, ccs: ccs.map((c, i) => ({ id: `${id}${i}`, nodeRunId: 'r', ...c })) }),
      });
      await handle.db
        .insertInto('processes')
        .values([
          process('101', [
            { recipientId: 'e1', createdAt: 9 },
            { recipientId: 'e2', createdAt: 7 },
            { recipientId: 'e1', createdAt: 12 },
          ]),
          process('102', []),
          process('103', [{ recipientId: 'e2', createdAt: 20 }]),
        ])
        .execute();
      // 0007 (sign-in) may run here too, depending on what is merged.
      assert.ok((await migrateToLatest(handle.db)).includes('0008-inbox'));
      const rows = await handle.db
        .selectFrom('process_ccs')
        .select(['process_id', 'recipient_id', 'created_at', 'tenant_id'])
        .orderBy('process_id')
        .orderBy('recipient_id')
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.process_id, r.recipient_id, r.created_at, r.tenant_id]),
        [
          ['101', 'e1', 9, 't1'],
          ['101', 'e2', 7, 't1'],
          ['103', 'e2', 20, 't1'],
        ],
      );
    } finally {
      await handle.close();
      await testDb.drop();
    }
  });
});
