import type { Kysely } from 'kysely';

/**
 * Keyset pages walk ids in order. Without an index that starts with the filter and ends with the id,
 * the database sorted every matching row per page (a person's whole task history; every process in
 * the time window): BENCHMARKS.md, scale.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('process_tasks_assignee_id')
    .on('process_tasks')
    .columns(['tenant_id', 'assignee_id', 'id'])
    .execute();
  await db.schema.createIndex('processes_tenant_id').on('processes').columns(['tenant_id', 'id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('processes_tenant_id').execute();
  await db.schema.dropIndex('process_tasks_assignee_id').execute();
}
