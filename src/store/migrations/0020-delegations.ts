import type { Kysely } from 'kysely';

/**
 * Out-of-office delegations (docs/people-api.md#out-of-office-delegation): while `[starts_at, ends_at)`
 * runs, tasks created for the delegator go to the delegate. Cancelling keeps the row (`cancelled_at`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('delegations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('delegator_id', 'text', (c) => c.notNull())
    .addColumn('delegate_id', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('cancelled_at', 'bigint')
    .execute();
  // A person's own list (newest first) and their ranges for the overlap check.
  await db.schema
    .createIndex('delegations_delegator')
    .on('delegations')
    .columns(['tenant_id', 'delegator_id', 'id'])
    .execute();
  // The directory snapshot: a tenant's delegations that have not ended.
  await db.schema
    .createIndex('delegations_current')
    .on('delegations')
    .columns(['tenant_id', 'ends_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('delegations').execute();
}
