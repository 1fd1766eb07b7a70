import type { Kysely, QueryResult } from 'kysely';
import type { Executor } from './executor.js';
import type { Database } from './schema.js';

/** What runs a statement on the SQLite connection: the server's statement cache (database.ts). */
export interface StatementSource {
  prepare(sql: string): {
    reader: boolean;
    all(parameters: readonly unknown[]): unknown[];
    run(parameters: readonly unknown[]): { changes: number; lastInsertRowid: number | bigint };
  };
}

/** By Kysely adapter: a database and every transaction made from it share one. */
const sources = new WeakMap<object, StatementSource>();

export function registerDirectSqlite(db: Kysely<Database>, source: StatementSource): void {
  sources.set(db.getExecutor().adapter, source);
}

/**
 * Runs an SQL text straight on the SQLite connection when `db` is an open transaction on SQLite, which
 * holds the one connection until it ends: the statement is the transaction's, as through Kysely, without
 * Kysely's connection hand-off and result promises (about 1 µs of a statement's 1.5–2.5, on the hot
 * paths' kept queries and inserts). Undefined otherwise — outside a transaction a statement must wait
 * for the connection like any other (Kysely's mutex), and PostgreSQL has its own pool: go through Kysely.
 */
export function runDirect<R>(
  db: Executor,
  sql: string,
  parameters: readonly unknown[],
): QueryResult<R> | undefined {
  if (!db.isTransaction) return undefined;
  const source = sources.get(db.getExecutor().adapter);
  if (!source) return undefined;
  const statement = source.prepare(sql);
  if (statement.reader) return { rows: statement.all(parameters) as R[] };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}
