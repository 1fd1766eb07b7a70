import { sql, type Kysely } from 'kysely';

/**
 * A to-do search or filter (flow, initiator, start time, process id) read each to-do's process row to
 * test it: at a million processes that is a page read per to-do, mostly outside the cache, and the
 * tab's total grew with the data set. Those process facts never change, so each task row carries
 * them; the to-do tab reads processes only to filter by the process's status.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('process_tasks').addColumn('definition_id', 'text').execute();
  await db.schema.alterTable('process_tasks').addColumn('initiator_id', 'text').execute();
  await db.schema.alterTable('process_tasks').addColumn('process_created_at', 'bigint').execute();
  await sql`update process_tasks set
      definition_id = (select p.definition_id from processes p where p.id = process_tasks.process_id),
      initiator_id = (select p.initiator_id from processes p where p.id = process_tasks.process_id),
      process_created_at = (select p.created_at from processes p where p.id = process_tasks.process_id)`.execute(
    db,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('process_tasks').dropColumn('process_created_at').execute();
  await db.schema.alterTable('process_tasks').dropColumn('initiator_id').execute();
  await db.schema.alterTable('process_tasks').dropColumn('definition_id').execute();
}
