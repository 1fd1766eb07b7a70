import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Migrator } from 'kysely';
import { migrateToLatest, openDatabase } from '../../src/store/database.js';
import { migrationProvider } from '../../src/store/migrations/index.js';
import { forEachDialect, freshDatabase } from '../helpers/databases.js';

forEachDialect('migration 0016 (process monitoring)', (dialect) => {
  test('fills waiting_since and the tasks’ node ids from the stored states', async () => {
    const testDb = await freshDatabase(dialect);
    const handle = openDatabase({ url: testDb.url });
    try {
      const before = await new Migrator({ db: handle.db, provider: migrationProvider }).migrateTo(
        '0010-console-admins',
      );
      assert.equal(before.error, undefined);
      await handle.db
        .insertInto('tenants')
        .values({ id: 't1', tenant_key: 't1', name: 't1', created_at: 1, updated_at: 1 })
        .execute();
      const tasks = [
        { id: '11', nodeRunId: 'r1', status: 'approved', createdAt: 5 },
        { id: '12', nodeRunId: 'r2', status: 'in_progress', createdAt: 30 },
        { id: '13', nodeRunId: 'r2', status: 'in_progress', createdAt: 20 },
      ];
      const process = (id: string, status: string) => ({
        id,
        tenant_id: 't1',
        definition_id: 'd1',
        definition_version: 1,
        biz_type: 'custom:x',
        status,
        initiator_id: 'e0',
        created_at: 1,
        updated_at: 1,
        completed_at: null,
        version: 1,
        state: JSON.stringify({
          id,
          status,
          nodeRuns: [
            { id: 'r1', defId: 'manager' },
            { id: 'r2', defId: 'hr' },
          ],
          tasks: tasks.map((t) => ({ ...t, id: `${id}${t.id}` })),
        }),
      });
      await handle.db
        .insertInto('processes')
        .values([process('101', 'in_progress'), process('102', 'withdrawn')])
        .execute();
      await handle.db
        .insertInto('process_tasks')
        .values(
          ['101', '102'].flatMap((p) =>
            tasks.map((t) => ({
              id: `${p}${t.id}`,
              tenant_id: 't1',
              process_id: p,
              assignee_id: 'e1',
              status: t.status,
              type: 'approval',
              updated_at: t.createdAt,
            })),
          ),
        )
        .execute();
      assert.ok((await migrateToLatest(handle.db)).includes('0016-process-monitoring'));
      const processes = await handle.db
        .selectFrom('processes')
        .select(['id', 'waiting_since'])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        processes.map((r) => [r.id, r.waiting_since]),
        [
          ['101', 20],
          ['102', null],
        ],
        'the oldest open task of a running process; null once finished',
      );
      const nodes = await handle.db
        .selectFrom('process_tasks')
        .select(['id', 'node_id'])
        .where('process_id', '=', '101')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        nodes.map((r) => [r.id, r.node_id]),
        [
          ['10111', 'manager'],
          ['10112', 'hr'],
          ['10113', 'hr'],
        ],
      );
    } finally {
      await handle.close();
      await testDb.drop();
    }
  });
});
