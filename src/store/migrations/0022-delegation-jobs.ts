import type { Kysely } from 'kysely';

/**
 * Out-of-office hand-over and hand-back (docs/people-api.md#out-of-office-delegation): a delegation
 * remembers whether it hands the delegator's open tasks over when it starts (`include_existing`) and
 * whether it gives the tasks still held for them back when it ends or is cancelled (`return_on_end`).
 * Delegations made before this migration did neither at their end, so they keep 0 (no job was written
 * for them). The task index learns for whom a delegated task is held (`on_behalf_of`), so the hand-back
 * finds those tasks whoever down a delegation chain holds them; rows written before stay null.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  // One statement per column: SQLite adds one column per ALTER TABLE.
  await db.schema
    .alterTable('delegations')
    .addColumn('include_existing', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('delegations')
    .addColumn('return_on_end', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('process_tasks').addColumn('on_behalf_of', 'text').execute();
  // The hand-back: the open tasks held for one person.
  await db.schema
    .createIndex('process_tasks_on_behalf_of')
    .on('process_tasks')
    .columns(['tenant_id', 'on_behalf_of', 'status'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('process_tasks_on_behalf_of').execute();
  await db.schema.alterTable('process_tasks').dropColumn('on_behalf_of').execute();
  await db.schema.alterTable('delegations').dropColumn('return_on_end').execute();
  await db.schema.alterTable('delegations').dropColumn('include_existing').execute();
}
