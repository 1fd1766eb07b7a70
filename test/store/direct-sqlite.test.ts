import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDirect } from '../../src/store/direct-sqlite.js';
import { keptQuery } from '../../src/store/kept-query.js';
import { insertRows } from '../../src/store/insert-rows.js';
import { forEachDialect, migratedDatabase } from '../helpers/databases.js';

const COUNT = 'select count(*) as n from outbox where tenant_id = ?';
const row = (id: string, tenant: string) => ({
  id,
  tenant_id: tenant,
  process_id: `p${id}`,
  kind: 'process_updated',
  payload: '{}',
  created_at: 1,
});

forEachDialect('statements straight on the SQLite connection, inside a transaction only', (dialect) => {
  const database = migratedDatabase(dialect);

  test('outside a transaction, and on PostgreSQL, the caller goes through Kysely', async () => {
    assert.equal(runDirect(database.handle.db, COUNT, ['none']), undefined);
    await database.handle.db.transaction().execute((trx) => {
      const direct = runDirect<{ n: number }>(trx, COUNT, ['none']);
      if (dialect === 'postgres') assert.equal(direct, undefined);
      else assert.deepEqual(direct?.rows, [{ n: 0 }]);
      return Promise.resolve();
    });
  });

  // On PostgreSQL nothing runs straight on a connection (the test above): these are SQLite's.
  const sqliteOnly = { skip: dialect === 'postgres' && 'SQLite only: PostgreSQL goes through Kysely' };

  test(
    "a direct statement is the transaction's: it sees its writes, commits and rolls back with it",
    sqliteOnly,
    async () => {
      await assert.rejects(
        database.handle.db.transaction().execute(async (trx) => {
          await insertRows(trx, 'outbox', [row('d1', 'rolled-back')]);
          const seen = runDirect<{ n: number }>(trx, COUNT, ['rolled-back']);
          assert.deepEqual(seen?.rows, [{ n: 1 }], 'its own write');
          throw new Error('roll back');
        }),
        /roll back/,
      );
      const count = (tenant: string) =>
        keptQuery(database.handle.db, 'test.direct.count', { tenant }, (v) =>
          database.handle.db
            .selectFrom('outbox')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('tenant_id', '=', v.tenant),
        );
      assert.deepEqual((await count('rolled-back')).rows, [{ n: 0 }], 'rolled back with the transaction');

      await database.handle.db.transaction().execute(async (trx) => {
        await insertRows(trx, 'outbox', [row('d2', 'committed')]);
        const changed = runDirect(trx, 'update outbox set fanned_out = 1 where id = ?', ['d2']);
        assert.equal(changed?.numAffectedRows, 1n);
      });
      assert.deepEqual((await count('committed')).rows, [{ n: 1 }]);
      const stored = await database.handle.db
        .selectFrom('outbox')
        .select('fanned_out')
        .where('id', '=', 'd2')
        .executeTakeFirstOrThrow();
      assert.equal(stored.fanned_out, 1, 'committed with it');
    },
  );

  test('a failing direct statement fails its caller with the driver’s error', sqliteOnly, async () => {
    await insertRows(database.handle.db, 'outbox', [row('d3', 'dup')]);
    await database.handle.db.transaction().execute(async (trx) => {
      await assert.rejects(insertRows(trx, 'outbox', [row('d3', 'dup')]), {
        code: 'SQLITE_CONSTRAINT_PRIMARYKEY',
      });
    });
  });
});
