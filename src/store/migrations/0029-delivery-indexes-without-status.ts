import { sql, type Kysely } from 'kysely';

/**
 * Settling a delivery (acknowledged, answered, parked) wrote its status into two indexes that held every
 * delivery ever made with `status` in the key, (app_id, status, id) and (tenant_id, status, id): an entry
 * moved in each, on pages far from the ones the new rows fill — a fifth of the pages a leave start with a
 * subscribed app made the WAL write. The full indexes now hold only columns that never change,
 * (app_id, id) for an app's list; the states that are few — waiting, out on a send, parked — are found
 * through the partial index of unsettled deliveries, now keyed (tenant_id, id) for the console's log
 * and the admin's list, which a settled delivery simply leaves. The statements that use it name the
 * statuses literally (DeliveryRepository), so that a planner may pick it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('event_deliveries_app_id')
    .on('event_deliveries')
    .columns(['app_id', 'id'])
    .execute();
  await db.schema.dropIndex('event_deliveries_unsettled').execute();
  await sql`create index event_deliveries_unsettled on event_deliveries (tenant_id, id) where status in ('pending', 'sending', 'failed')`.execute(
    db,
  );
  await db.schema.dropIndex('event_deliveries_app').execute();
  await db.schema.dropIndex('event_deliveries_tenant_status').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('event_deliveries_tenant_status')
    .on('event_deliveries')
    .columns(['tenant_id', 'status', 'id'])
    .execute();
  await db.schema
    .createIndex('event_deliveries_app')
    .on('event_deliveries')
    .columns(['app_id', 'status', 'id'])
    .execute();
  await db.schema.dropIndex('event_deliveries_unsettled').execute();
  await sql`create index event_deliveries_unsettled on event_deliveries (mode, status) where status in ('pending', 'sending', 'failed')`.execute(
    db,
  );
  await db.schema.dropIndex('event_deliveries_app_id').execute();
}
