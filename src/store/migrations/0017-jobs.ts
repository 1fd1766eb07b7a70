import type { Kysely } from 'kysely';

/**
 * Durable jobs (docs/adr/0007-durable-jobs.md): node timers, business actions and notification sends,
 * written in the transaction that made them and claimed by one server at a time. `(tenant_id, kind,
 * key)` is the idempotency key: a retried command cannot make a second job.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('process_id', 'text')
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_owner', 'text')
    .addColumn('last_error', 'text')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('result', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('jobs_idempotency', ['tenant_id', 'kind', 'key'])
    .execute();
  // The runner's claim: pending jobs by due time.
  await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('jobs_process').on('jobs').columns(['process_id', 'kind']).execute();
  // Admin lists: a tenant's jobs by state, newest first.
  await db.schema.createIndex('jobs_tenant_status').on('jobs').columns(['tenant_id', 'status', 'id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('jobs').execute();
}
