import type { Kysely } from 'kysely';

/**
 * Rate-limit counters shared by every server on one PostgreSQL database (docs/scaling.md): the table
 * rate-limiter-flexible's PostgreSQL store reads and writes, made here rather than by the library at
 * start-up. Its statements insert positionally, so the columns keep the library's order (key, points,
 * expire). `key` is text, not the library's varchar(255): keys hold an account or a route. SQLite (one
 * server) keeps its counters in memory and leaves the table empty.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
    // Unix ms when the window ends; the store deletes rows an hour past it.
    .addColumn('expire', 'bigint')
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rate_limits').execute();
}
