import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Migrator } from 'kysely';
import { migrateToLatest, openDatabase } from '../../src/store/database.js';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { forEachDialect, freshDatabase } from '../helpers/databases.js';

forEachDialect('migration 0025 (task process columns)', (dialect) => {
  test('copies each task’s process flow, initiator and start time onto the task row', async () => {
    const testDb = await freshDatabase(dialect);
    const handle = openDatabase({ url: testDb.url });
    try {
      const before = await new Migrator({ db: handle.db, provider: migrationProvider }).migrateTo(
        '0024-delivery-queue-index',
      );
      assert.equal(before.error, undefined);
      await handle.db
        .insertInto('tenants')
        .values({ id: 't1', tenant_key: 't1', name: 't1', created_at: 1, updated_at: 1 })
        .execute();
      const process = (id: string, definition: string, initiator: string, createdAt: number) => ({
        id,
        tenant_id: 't1',
        definition_id: definition,
        definition_version: 1,
        biz_type: 'custom:x',
        status: 'in_progress',
        initiator_id: initiator,
        created_at: createdAt,
        updated_at: createdAt,
        completed_at: null,
        version: 1,
        state: JSON.stringify({ id }),
      });
      await handle.db
        .insertInto('processes')
        .values([process('101', 'd1', 'e1', 1000), process('102', 'd2', 'e2', 2000)])
        .execute();
      const task = (id: string, processId: string) => ({
        id,
        tenant_id: 't1',
        process_id: processId,
        assignee_id: 'm1',
        status: 'in_progress',
        type: 'approval',
        updated_at: 5,
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the table as it was before 0025
      await (handle.db as any)
        .insertInto('process_tasks')
        .values([task('201', '101'), task('202', '101'), task('203', '102')])
        .execute();
      // Later migrations run here too.
      assert.ok((await migrateToLatest(handle.db)).includes('0025-task-process-columns'));
      const rows = await handle.db
        .selectFrom('process_tasks')
        .select(['id', 'definition_id', 'initiator_id', 'process_created_at'])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        rows.map((r) => [r.id, r.definition_id, r.initiator_id, Number(r.process_created_at)]),
        [
          ['201', 'd1', 'e1', 1000],
          ['202', 'd1', 'e1', 1000],
          ['203', 'd2', 'e2', 2000],
        ],
      );
    } finally {
      await handle.close();
      await testDb.drop();
    }
  });
});
