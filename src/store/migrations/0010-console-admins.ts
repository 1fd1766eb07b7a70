import type { Kysely } from 'kysely';

/**
 * Tenant admins: people who may use the whole admin console of their tenant. Process admins of a flow
 * are not here — they are named in the flow definition itself (`process_admins`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tenant_admins')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('employee_id', 'text', (c) => c.notNull())
    .addColumn('granted_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('tenant_admins_pk', ['tenant_id', 'employee_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tenant_admins').execute();
}
