import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { insertRows } from '../../src/store/insert-rows.js';
import { forEachDialect, migratedDatabase } from '../helpers/databases.js';

forEachDialect('insertRows', (dialect) => {
  const database = migratedDatabase(dialect);

  const outbox = (id: string, payload: string) => ({
    id,
    tenant_id: 't1',
    process_id: `p${id}`,
    kind: 'process_updated',
    payload,
    created_at: Number(id),
  });
  const read = (ids: string[]) =>
    database.handle.db
      .selectFrom('outbox')
      .select(['id', 'process_id', 'payload', 'created_at', 'fanned_out'])
      .where('id', 'in', ids)
      .orderBy('id')
      .execute();

  test('rows land in their columns, the kept statement as the first (values of each row by name)', async () => {
    await insertRows(database.handle.db, 'outbox', [outbox('101', '{"a":1}'), outbox('102', '{"b":2}')]);
    // The same shape again (the kept SQL), one row's keys in another order.
    const reordered = {
      created_at: 104,
      payload: '{"d":4}',
      kind: 'k',
      process_id: 'p104',
      tenant_id: 't1',
      id: '104',
    };
    await insertRows(database.handle.db, 'outbox', [outbox('103', '{"c":3}'), reordered]);
    assert.deepEqual(await read(['101', '102', '103', '104']), [
      { id: '101', process_id: 'p101', payload: '{"a":1}', created_at: 101, fanned_out: 0 },
      { id: '102', process_id: 'p102', payload: '{"b":2}', created_at: 102, fanned_out: 0 },
      { id: '103', process_id: 'p103', payload: '{"c":3}', created_at: 103, fanned_out: 0 },
      { id: '104', process_id: 'p104', payload: '{"d":4}', created_at: 104, fanned_out: 0 },
    ]);
  });

  test('a value that is an expression takes Kysely’s way and still lands', async () => {
    // The types take plain values only; an expression slipped in all the same is not bound as one.
    const expression = sql<number>`100 + 6` as unknown as number;
    await insertRows(database.handle.db, 'outbox', [
      outbox('105', '{"e":5}'),
      { ...outbox('106', '{"f":6}'), created_at: expression },
    ]);
    assert.deepEqual(
      (await read(['105', '106'])).map((r) => [r.id, r.payload, r.created_at]),
      [
        ['105', '{"e":5}', 105],
        ['106', '{"f":6}', 106],
      ],
    );
  });

  test('a finishing clause is kept with the shape: an upsert updates on the second run', async () => {
    const upsert = (payload: string) =>
      insertRows(
        database.handle.db,
        'outbox',
        [outbox('107', payload)],
        (query) =>
          query.onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({ payload: eb.ref('excluded.payload') })),
          ),
        'payload upsert',
      );
    await upsert('{"g":7}');
    await upsert('{"g":8}');
    assert.deepEqual(
      (await read(['107'])).map((r) => r.payload),
      ['{"g":8}'],
    );
  });
});
