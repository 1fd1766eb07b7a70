import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';
import type { Executor } from './executor.js';
import { runDirect } from './direct-sqlite.js';

/**
 * Where a named value goes in the SQL's parameters (`index`: an item of a list value), or a value the
 * query itself fixed.
 */
type Slot = { name: string; index: number } | { value: unknown };

interface Kept {
  sql: string;
  slots: Slot[];
}

/** Compiled queries by dialect adapter, then by key. */
const kept = new WeakMap<object, Map<string, Kept>>();
const MAX_KEPT = 500;
const MARK = '\u0000kept:';

/**
 * Runs a query whose SQL depends only on `key`, never on the values: Kysely builds and compiles it
 * once per dialect (with a marker in place of each of `values`), and afterwards only the parameters
 * are filled in. Building and compiling a query was 4–17 µs of JavaScript per statement, a few
 * percent of a command, which runs twenty. The builder gets `values` — use each as it is (no
 * branching on them, no `undefined`: a column set to `undefined` is left out by Kysely) — and anything
 * else it writes into the query (a status literal, a column name) must be the same on every call with
 * this key. An array value is a list (`inList`): a marker per item, so its length belongs in `key`.
 * `insertRows` does the same for inserts.
 */
export async function keptQuery<V extends Record<string, unknown>, R>(
  db: Executor,
  key: string,
  values: V,
  build: (values: V) => Compilable<R>,
): Promise<QueryResult<R>> {
  const adapter = db.getExecutor().adapter;
  let byKey = kept.get(adapter);
  if (!byKey) {
    byKey = new Map();
    kept.set(adapter, byKey);
  }
  let query = byKey.get(key);
  if (!query) {
    // A list value (`inList`) gets a marker per item: its length is part of `key`.
    const marks = Object.fromEntries(
      Object.entries(values).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.map((_, i) => `${MARK}${name}#${i}`) : `${MARK}${name}#-1`,
      ]),
    );
    const compiled = build(marks as V).compile();
    query = {
      sql: compiled.sql,
      slots: compiled.parameters.map((p) => {
        if (typeof p !== 'string' || !p.startsWith(MARK)) return { value: p };
        const at = p.lastIndexOf('#');
        return { name: p.slice(MARK.length, at), index: Number(p.slice(at + 1)) };
      }),
    };
    if (byKey.size >= MAX_KEPT) byKey.clear();
    byKey.set(key, query);
  }
  const parameters = query.slots.map((slot) => {
    if (!('name' in slot)) return slot.value;
    const value = values[slot.name];
    return slot.index < 0 ? value : (value as unknown[])[slot.index];
  });
  return (
    runDirect<R>(db, query.sql, parameters) ?? db.executeQuery<R>(CompiledQuery.raw(query.sql, parameters))
  );
}

/**
 * The builder's `values` under the keys of `like` (an object of columns whose set of keys is part of
 * the query's key): `.set(sameKeys(changed, v))`.
 */
export function sameKeys<T extends object>(like: T, values: Record<string, unknown>): T {
  return Object.fromEntries(Object.keys(like).map((key) => [key, values[key]])) as T;
}

/**
 * A list for an `in (…)` of a kept query: one value `name` holding the items, padded to the next
 * power of two with copies of the last (which change nothing in an `in`), so lists of any length
 * share a dozen SQL texts instead of one each. `shape` goes into the query's key; `items(v)` gives the
 * builder the list back. The list must not be empty. (One array, not a value per item: with named
 * items, a dispatcher round's lists of hundreds of ids were a tenth of what a start allocated.)
 */
export function inList<T>(
  name: string,
  items: readonly T[],
): { shape: string; values: Record<string, T[]>; items: (values: Record<string, unknown>) => T[] } {
  const last = items[items.length - 1];
  if (last === undefined) throw new RangeError(`inList(${name}): an empty list`);
  let size = 1;
  while (size < items.length) size *= 2;
  const padded = items.slice();
  while (padded.length < size) padded.push(last);
  return {
    shape: `${name}*${size}`,
    values: { [name]: padded },
    items: (v) => v[name] as T[],
  };
}

/**
 * `keptQuery` over `items` in chunks of at most `chunk`, each chunk an `in (…)` list (`inList`) that
 * `build` gets as its second argument; the rows of every chunk, in order. `key` names the query
 * without the list's length.
 */
export async function keptQueryInChunks<T, V extends Record<string, unknown>, R>(
  db: Executor,
  key: string,
  items: readonly T[],
  chunk: number,
  values: V,
  build: (values: V, list: T[]) => Compilable<R>,
): Promise<R[]> {
  const rows: R[] = [];
  for (let i = 0; i < items.length; i += chunk) {
    const list = inList('_in', i === 0 && items.length <= chunk ? items : items.slice(i, i + chunk));
    const result = await keptQuery(db, `${key}:${list.shape}`, { ...values, ...list.values }, (v) =>
      build(v, list.items(v)),
    );
    rows.push(...result.rows);
  }
  return rows;
}
