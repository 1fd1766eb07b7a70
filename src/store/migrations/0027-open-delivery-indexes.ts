import { sql, type Kysely } from 'kysely';

/**
 * The dispatcher reads the open deliveries (waiting or out on a send) after every commit and on every
 * tick, idle or not. Its indexes held every delivery ever made, with the status in the key: finding
 * the few open ones ordered by id meant two range scans and a sort (about 70 µs on SQLite even when
 * none was open), and settling a delivery moved its entry inside each index. Partial indexes hold only
 * the open rows, in id order — a settled delivery just leaves them — and the metrics' counts get one of
 * their own. The statements that use them name the statuses literally: a planner can pick a partial
 * index only when the query's condition implies the index's (DeliveryRepository).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index event_deliveries_open on event_deliveries (mode, id) where status in ('pending', 'sending')`.execute(
    db,
  );
  await sql`create index event_deliveries_open_queue on event_deliveries (app_id, process_id, mode, id) where status in ('pending', 'sending')`.execute(
    db,
  );
  await sql`create index event_deliveries_unsettled on event_deliveries (mode, status) where status in ('pending', 'sending', 'failed')`.execute(
    db,
  );
  await db.schema.dropIndex('event_deliveries_queue').execute();
  await db.schema.dropIndex('event_deliveries_due').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('event_deliveries_due')
    .on('event_deliveries')
    .columns(['mode', 'status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('event_deliveries_queue')
    .on('event_deliveries')
    .columns(['app_id', 'process_id', 'status', 'id'])
    .execute();
  await db.schema.dropIndex('event_deliveries_unsettled').execute();
  await db.schema.dropIndex('event_deliveries_open_queue').execute();
  await db.schema.dropIndex('event_deliveries_open').execute();
}
