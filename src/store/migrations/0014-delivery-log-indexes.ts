import type { Kysely } from 'kysely';

/**
 * The console's delivery log pages a whole tenant's deliveries newest first, by state or by process,
 * and its per-app metrics read one app's deliveries of a time window. Without these indexes each page
 * and each metrics card sorted or scanned every delivery the tenant (or app) ever had.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('event_deliveries_tenant_id')
    .on('event_deliveries')
    .columns(['tenant_id', 'id'])
    .execute();
  await db.schema
    .createIndex('event_deliveries_tenant_status')
    .on('event_deliveries')
    .columns(['tenant_id', 'status', 'id'])
    .execute();
  await db.schema
    .createIndex('event_deliveries_process')
    .on('event_deliveries')
    .columns(['process_id', 'id'])
    .execute();
  await db.schema
    .createIndex('event_deliveries_app_created')
    .on('event_deliveries')
    .columns(['app_id', 'created_at'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('event_deliveries_app_created').execute();
  await db.schema.dropIndex('event_deliveries_process').execute();
  await db.schema.dropIndex('event_deliveries_tenant_status').execute();
  await db.schema.dropIndex('event_deliveries_tenant_id').execute();
}
