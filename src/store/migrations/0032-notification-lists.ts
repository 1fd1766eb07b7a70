import type { Kysely } from 'kysely';

/**
 * A person's notifications by (recipient, id) — ids are time-ordered, so this one index serves their
 * list newest first, the prune that keeps its newest 500 (an index walk of 500 entries where a sort of
 * the whole list was), and every delete by age (`id < firstIdAt(t)`, through this index or the primary
 * key). It replaces two: the list's (recipient, in_app, id) — a list is at most a few hundred rows, so
 * `in_app` is checked on the row — and the one on `created_at`. A notification now goes into three
 * B-trees besides the table's, not four.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('notifications_recipient_id')
    .on('notifications')
    .columns(['recipient_id', 'id'])
    .execute();
  await db.schema.dropIndex('notifications_recipient').execute();
  await db.schema.dropIndex('notifications_created').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('notifications_created').on('notifications').column('created_at').execute();
  await db.schema
    .createIndex('notifications_recipient')
    .on('notifications')
    .columns(['recipient_id', 'in_app', 'id'])
    .execute();
  await db.schema.dropIndex('notifications_recipient_id').execute();
}
