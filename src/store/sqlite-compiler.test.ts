import { test } from 'node:test';
import assert from 'node:assert/strict';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, sql } from 'kysely';
import { PeopleflowSqliteDialect } from './sqlite-compiler.js';

interface Db {
  items: { id: number; name: string };
}

const db = new Kysely<Db>({
  dialect: new PeopleflowSqliteDialect({ database: new SqliteDatabase(':memory:') }),
});

test('LIMIT and OFFSET are written into the SQL as numbers, not bound', () => {
  const query = db.selectFrom('items').select('id').where('name', '=', 'a').limit(21).offset(40).compile();
  assert.equal(query.sql, 'select "id" from "items" where "name" = ? limit 21 offset 40');
  assert.deepEqual(query.parameters, ['a']);
});

test('anything but a whole number stays a bound parameter', () => {
  const fraction = db.selectFrom('items').select('id').limit(1.5).compile();
  assert.equal(fraction.sql, 'select "id" from "items" limit ?');
  assert.deepEqual(fraction.parameters, [1.5]);
  const text = db
    .selectFrom('items')
    .select('id')
    .limit('1; drop table items' as unknown as number)
    .compile();
  assert.equal(text.sql, 'select "id" from "items" limit ?');
  const expression = db
    .selectFrom('items')
    .select('id')
    .limit(sql<number>`1 + 1`)
    .compile();
  assert.equal(expression.sql, 'select "id" from "items" limit 1 + 1');
});

test('the queries run and page as before', async () => {
  await db.schema.createTable('items').addColumn('id', 'integer').addColumn('name', 'text').execute();
  await db
    .insertInto('items')
    .values(Array.from({ length: 10 }, (_, i) => ({ id: i, name: `n${i}` })))
    .execute();
  const page = await db.selectFrom('items').select('id').orderBy('id').limit(3).offset(4).execute();
  assert.deepEqual(
    page.map((r) => r.id),
    [4, 5, 6],
  );
});
