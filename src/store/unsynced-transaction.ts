import { PostgresAdapter, SqliteAdapter, sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Runs `work` in a transaction whose commit does not wait for the disk (no fsync): for bookkeeping a
 * crash may lose because it is redone — an event delivery's lease, its acknowledgement, a webhook's
 * success. Lost, the event is sent again with the same event_id, which deliveries at least once allow.
 *
 * Both databases keep their commits in order in one log (SQLite's WAL, PostgreSQL's WAL): a crash
 * loses only the newest unsynced commits, and the next synced commit (any command's) makes every
 * commit before it durable. Commands keep their synced commits; this is never used for them.
 *
 * Each delivered long-connection event is two such writes (its lease, its ack), one process's events
 * one after the other: with six events per leave start, waiting for the disk on each was most of a
 * start's fsyncs.
 */
export async function unsyncedTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return work(db);
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter)
    return db.transaction().execute(async (trx) => {
      await sql`set local synchronous_commit = off`.execute(trx);
      return work(trx);
    });
  if (!(adapter instanceof SqliteAdapter)) return db.transaction().execute(work);
  // SQLite reads `synchronous` at each commit, per connection: lowered to NORMAL around this
  // transaction alone (in WAL mode NORMAL syncs at checkpoints only), on the one connection it holds.
  return db.connection().execute(async (connection) => {
    let level = configuredLevels.get(adapter);
    if (level === undefined) {
      const { rows } = await sql<{ synchronous: number }>`pragma synchronous`.execute(connection);
      level = rows[0]?.synchronous ?? 2;
      configuredLevels.set(adapter, level);
    }
    if (level <= 1) return connection.transaction().execute(work);
    await sql`pragma synchronous = NORMAL`.execute(connection);
    try {
      return await connection.transaction().execute(work);
    } finally {
      await sql.raw(`pragma synchronous = ${level}`).execute(connection);
    }
  });
}

/** The database's own `synchronous` level (read once), by the Kysely instance's adapter. */
const configuredLevels = new WeakMap<object, number>();
