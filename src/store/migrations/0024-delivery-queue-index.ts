import type { Kysely } from 'kysely';

/**
 * The dispatcher reads the open deliveries of given (app, process) queues after each commit and each
 * ack. With only (app_id, process_id, id), SQLite's planner took (app_id, status, id) instead — every
 * open delivery of the app, thousands under load — for `app_id = ? AND process_id IN (…) AND status
 * IN (…)`; with status in the queue index, the queue's own few rows are read.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('event_deliveries_queue')
    .on('event_deliveries')
    .columns(['app_id', 'process_id', 'status', 'id'])
    .execute();
  await db.schema.dropIndex('event_deliveries_order').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('event_deliveries_order')
    .on('event_deliveries')
    .columns(['app_id', 'process_id', 'id'])
    .execute();
  await db.schema.dropIndex('event_deliveries_queue').execute();
}
