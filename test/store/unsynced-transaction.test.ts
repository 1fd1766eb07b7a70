import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { openDatabase } from '../../src/store/database.js';
import type { Database } from '../../src/store/schema.js';
import { unsyncedTransaction } from '../../src/store/unsynced-transaction.js';
import { forEachDialect, freshDatabase, migratedDatabase } from '../helpers/databases.js';

forEachDialect('unsyncedTransaction', (dialect) => {
  const database = migratedDatabase(dialect);

  /** Whether this connection's (or transaction's) commits wait for the disk. */
  const waitsForDisk = async (db: Kysely<Database>): Promise<boolean> => {
    if (dialect === 'sqlite') {
      const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
      return Number(rows[0]?.synchronous) >= 2;
    }
    const { rows } = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(db);
    return rows[0]?.synchronous_commit !== 'off';
  };
  const outbox = (id: string) => ({
    id,
    tenant_id: 't1',
    process_id: `p${id}`,
    kind: 'process_updated',
    payload: '{}',
    created_at: 1,
  });
  const stored = async (id: string) =>
    (await database.handle.db.selectFrom('outbox').select('id').where('id', '=', id).executeTakeFirst()) !==
    undefined;

  test('its commit does not wait for the disk; the next commits do again; what it wrote is committed', async () => {
    assert.equal(await waitsForDisk(database.handle.db), true);
    const inside = await unsyncedTransaction(database.handle.db, async (trx) => {
      await trx.insertInto('outbox').values(outbox('1')).execute();
      return waitsForDisk(trx);
    });
    assert.equal(inside, false);
    assert.equal(await stored('1'), true);
    assert.equal(await waitsForDisk(database.handle.db), true);
    // A second time (the database's level is read once and kept).
    assert.equal(await unsyncedTransaction(database.handle.db, waitsForDisk), false);
    assert.equal(await waitsForDisk(database.handle.db), true);
  });

  test('a failure rolls the transaction back, and later commits wait for the disk again', async () => {
    await assert.rejects(
      unsyncedTransaction(database.handle.db, async (trx) => {
        await trx.insertInto('outbox').values(outbox('2')).execute();
        throw new Error('refused');
      }),
      /refused/,
    );
    assert.equal(await stored('2'), false);
    assert.equal(await waitsForDisk(database.handle.db), true);
  });

  test('inside a transaction of the caller it is that transaction', async () => {
    await database.handle.db.transaction().execute(async (trx) => {
      await unsyncedTransaction(trx, (inner) => inner.insertInto('outbox').values(outbox('3')).execute());
      assert.equal(await waitsForDisk(trx), true);
    });
    assert.equal(await stored('3'), true);
  });
});

test('unsyncedTransaction: a SQLite database set to NORMAL stays at NORMAL', async () => {
  const testDb = await freshDatabase('sqlite');
  const handle = openDatabase({ url: testDb.url, sqliteSynchronous: 'NORMAL' });
  try {
    await unsyncedTransaction(handle.db, (trx) => sql`select 1`.execute(trx));
    const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(handle.db);
    assert.equal(Number(rows[0]?.synchronous), 1);
  } finally {
    await handle.close();
    await testDb.drop();
  }
});
