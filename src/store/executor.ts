import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** A database or an open transaction: repositories work with either. */
export type Executor = Kysely<Database>;

/** Keyset pagination over an id column: what a page asks for and what it returns. */
export interface PageRequest {
  pageSize: number;
  /** The last id of the previous page, or undefined for the first page. */
  afterId?: string | undefined;
}

export interface Page<T> {
  items: T[];
  /** The id to continue after, when there is more. */
  nextAfterId?: string | undefined;
}

export function toPage<T>(rows: T[], pageSize: number, idOf: (row: T) => string): Page<T> {
  if (rows.length <= pageSize) return { items: rows };
  const items = rows.slice(0, pageSize);
  const last = items[items.length - 1];
  return { items, nextAfterId: last === undefined ? undefined : idOf(last) };
}
