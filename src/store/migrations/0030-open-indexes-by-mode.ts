import { sql, type Kysely } from 'kysely';

/**
 * Every delivery entered both partial indexes of open deliveries — `(mode, id)`, read only by the
 * webhook round, and `(app_id, process_id, mode, id)`, read only for long-connection queues' heads —
 * and left both when it settled: a long-connection event paid for an index only webhooks use, and
 * a webhook for one only long connections use. An index entry of a queue that fills at one end and
 * empties at the other costs about as much as the row it points to (an acknowledgement's update: 12 µs
 * a row with the three partial indexes, 4.8 without, measured on a copy of a bench database). Each is
 * now limited to its mode, with the mode out of the key; a delivery is in one of them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index event_deliveries_open_webhook on event_deliveries (id) where status in ('pending', 'sending') and mode = 'webhook'`.execute(
    db,
  );
  await sql`create index event_deliveries_open_long_connection on event_deliveries (app_id, process_id, id) where status in ('pending', 'sending') and mode = 'long_connection'`.execute(
    db,
  );
  await db.schema.dropIndex('event_deliveries_open').execute();
  await db.schema.dropIndex('event_deliveries_open_queue').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index event_deliveries_open on event_deliveries (mode, id) where status in ('pending', 'sending')`.execute(
    db,
  );
  await sql`create index event_deliveries_open_queue on event_deliveries (app_id, process_id, mode, id) where status in ('pending', 'sending')`.execute(
    db,
  );
  await db.schema.dropIndex('event_deliveries_open_long_connection').execute();
  await db.schema.dropIndex('event_deliveries_open_webhook').execute();
}
