import { CompiledQuery, type InsertQueryBuilder, type InsertResult, type Insertable } from 'kysely';
import type { Executor } from './executor.js';
import { runDirect } from './direct-sqlite.js';
import type { Database } from './schema.js';

type Table = keyof Database;
type Finish<T extends Table, O> = (
  query: InsertQueryBuilder<Database, T, InsertResult>,
) => InsertQueryBuilder<Database, T, O>;

/** SQL text by dialect adapter, then by (table, columns, row count, finish). */
const texts = new WeakMap<object, Map<string, string | null>>();
const MAX_SHAPES = 500;

/**
 * Inserts rows that all have the same columns, through an SQL text Kysely builds once per shape (table,
 * columns, number of rows, `finish` — named by `finishName`) and that is kept: on the hot paths
 * (a start writes five tables, the dispatcher a batch of deliveries per round) building and compiling
 * each insert anew was about a tenth of a start's main-thread time. The parameters are the rows' values
 * in Kysely's order (row by row, the first row's columns). Rows of differing columns, a value that is an
 * object (an expression), or a `finish` that adds parameters take Kysely's way every time. Returns what
 * a `finish` with `returning` returns (the rows actually inserted); without one, nothing to rely on.
 */
export async function insertRows<T extends Table, O = InsertResult>(
  db: Executor,
  table: T,
  rows: readonly Insertable<Database[T]>[],
  finish?: Finish<T, O>,
  finishName = '',
): Promise<O[]> {
  const first = rows[0] as Record<string, unknown> | undefined;
  if (first === undefined) return [];
  const build = (): InsertQueryBuilder<Database, T, O> => {
    const query = db.insertInto(table).values(rows);
    return finish ? finish(query) : (query as unknown as InsertQueryBuilder<Database, T, O>);
  };
  const columns = Object.keys(first);
  const parameters: unknown[] = [];
  for (const row of rows as readonly Record<string, unknown>[]) {
    let count = 0;
    for (const key in row) {
      const value = row[key];
      if (value === undefined || (typeof value === 'object' && value !== null)) {
        return build().execute();
      }
      count++;
    }
    if (count !== columns.length) {
      return build().execute();
    }
    for (const column of columns) {
      if (!(column in row)) {
        return build().execute();
      }
      parameters.push(row[column]);
    }
  }
  const adapter = db.getExecutor().adapter;
  let byShape = texts.get(adapter);
  if (!byShape) {
    byShape = new Map<string, string | null>();
    texts.set(adapter, byShape);
  }
  const key = `${table}|${columns.join(',')}|${rows.length}|${finishName}`;
  let text = byShape.get(key);
  if (text === undefined) {
    const compiled = build().compile();
    text = compiled.parameters.length === parameters.length ? compiled.sql : null;
    if (byShape.size >= MAX_SHAPES) byShape.clear();
    byShape.set(key, text);
  }
  if (text === null) return build().execute();
  return (
    runDirect<O>(db, text, parameters) ?? (await db.executeQuery<O>(CompiledQuery.raw(text, parameters)))
  ).rows;
}
