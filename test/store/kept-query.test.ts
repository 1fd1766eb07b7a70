import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { inList, keptQuery, keptQueryInChunks, sameKeys } from '../../src/store/kept-query.js';
import { insertRows } from '../../src/store/insert-rows.js';
import { forEachDialect, migratedDatabase } from '../helpers/databases.js';

forEachDialect('keptQuery', (dialect) => {
  const database = migratedDatabase(dialect);
  before(async () => {
    await insertRows(
      database.handle.db,
      'outbox',
      ['1', '2', '3'].map((id) => ({
        id,
        tenant_id: id === '3' ? 't2' : 't1',
        process_id: `p${id}`,
        kind: 'process_updated',
        payload: `{"n":${id}}`,
        created_at: Number(id),
      })),
    );
  });

  const find = (tenantId: string, id: string) =>
    keptQuery(database.handle.db, 'test.outbox.find', { tenantId, id }, (v) =>
      database.handle.db
        .selectFrom('outbox')
        .select(['id', 'payload', 'fanned_out'])
        // A literal of the query's own, kept as it is, between two of the values.
        .where('kind', '=', 'process_updated')
        .where('tenant_id', '=', v.tenantId)
        .where('id', '=', v.id),
    ).then((r) => r.rows);

  test('each run binds its own values into the kept SQL (literals of the query stay)', async () => {
    assert.deepEqual(await find('t1', '1'), [{ id: '1', payload: '{"n":1}', fanned_out: 0 }]);
    assert.deepEqual(await find('t1', '2'), [{ id: '2', payload: '{"n":2}', fanned_out: 0 }]);
    assert.deepEqual(await find('t1', '3'), [], 'another tenant’s row is not found');
    assert.deepEqual(await find('t2', '3'), [{ id: '3', payload: '{"n":3}', fanned_out: 0 }]);
  });

  test('an update sets the columns named by its key, with nulls, and counts the rows it changed', async () => {
    const mark = (changes: { fanned_out: number; payload?: string }, id: string) =>
      keptQuery(
        database.handle.db,
        `test.outbox.mark:${Object.keys(changes).join()}`,
        { ...changes, id },
        (v) => database.handle.db.updateTable('outbox').set(sameKeys(changes, v)).where('id', '=', v.id),
      );
    assert.equal((await mark({ fanned_out: 1 }, '1')).numAffectedRows, 1n);
    assert.equal((await mark({ fanned_out: 1, payload: '{"x":1}' }, '2')).numAffectedRows, 1n);
    assert.equal((await mark({ fanned_out: 1 }, 'missing')).numAffectedRows, 0n);
    assert.deepEqual(await find('t1', '1'), [{ id: '1', payload: '{"n":1}', fanned_out: 1 }]);
    assert.deepEqual(await find('t1', '2'), [{ id: '2', payload: '{"x":1}', fanned_out: 1 }]);
    const nulls = await keptQuery(database.handle.db, 'test.jobs.none', { error: null, id: 'none' }, (v) =>
      database.handle.db.updateTable('jobs').set({ last_error: v.error }).where('id', '=', v.id),
    );
    assert.equal(nulls.numAffectedRows, 0n);
  });

  test('inside a transaction it sees the transaction’s writes, and a rollback undoes them', async () => {
    await database.handle.db
      .transaction()
      .execute(async (trx) => {
        await keptQuery(trx, 'test.outbox.payload', { payload: '{"in":"trx"}', id: '3' }, (v) =>
          trx.updateTable('outbox').set({ payload: v.payload }).where('id', '=', v.id),
        );
        const seen = await keptQuery(trx, 'test.outbox.read', { id: '3' }, (v) =>
          trx.selectFrom('outbox').select('payload').where('id', '=', v.id),
        );
        assert.deepEqual(seen.rows, [{ payload: '{"in":"trx"}' }]);
        throw new Error('roll back');
      })
      .catch((error: unknown) => {
        assert.equal((error as Error).message, 'roll back');
      });
    assert.deepEqual(await find('t2', '3'), [{ id: '3', payload: '{"n":3}', fanned_out: 0 }]);
  });

  test('an in-list is padded to a power of two with its last item: the same rows, a dozen shapes', async () => {
    const ids = (list: string[]) => {
      const l = inList('i', list);
      return keptQuery(database.handle.db, `test.outbox.in:${l.shape}`, l.values, (v) =>
        database.handle.db.selectFrom('outbox').select('id').where('id', 'in', l.items(v)).orderBy('id'),
      ).then((r) => r.rows.map((row) => row.id));
    };
    assert.equal(inList('i', ['a', 'b', 'c']).shape, 'i*4');
    assert.deepEqual(inList('i', ['a', 'b', 'c']).values, { i: ['a', 'b', 'c', 'c'] });
    assert.equal(inList('i', ['a']).shape, 'i*1');
    assert.equal(inList('i', Array.from({ length: 129 }, String)).shape, 'i*256');
    assert.deepEqual(await ids(['1', '2', '3']), ['1', '2', '3']);
    assert.deepEqual(await ids(['3', 'missing', '1']), ['1', '3']);
    assert.deepEqual(await ids(['2']), ['2']);
    assert.throws(() => inList('i', []), RangeError);
  });

  test('in chunks: every chunk’s rows, in order, the other values bound in each', async () => {
    const inChunks = (ids: string[], tenantId: string) =>
      keptQueryInChunks(database.handle.db, 'test.outbox.chunks', ids, 2, { tenantId }, (v, list) =>
        database.handle.db
          .selectFrom('outbox')
          .select('id')
          .where('tenant_id', '=', v.tenantId)
          .where('id', 'in', list)
          .orderBy('id'),
      ).then((rows) => rows.map((r) => r.id));
    assert.deepEqual(await inChunks(['3', '2', '1', 'x', '2'], 't1'), ['2', '1', '2']);
    assert.deepEqual(await inChunks(['1', '2', '3'], 't2'), ['3']);
    assert.deepEqual(await inChunks([], 't1'), []);
  });
});
