import { sql, type Kysely } from 'kysely';

/**
 * The dispatcher looks for outbox rows not fanned out yet. `(fanned_out, id)` held every row ever
 * written (millions), and taking a row rewrote its entry; a partial index holds only the rows still
 * waiting — a handful — and taking one just drops it (`DeliveryRepository.claimOutbox`).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('outbox_unfanned')
    .on('outbox')
    .column('id')
    .where(sql.ref('fanned_out'), '=', sql.lit(0))
    .execute();
  await db.schema.dropIndex('outbox_pending').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('outbox_pending').on('outbox').columns(['fanned_out', 'id']).execute();
  await db.schema.dropIndex('outbox_unfanned').execute();
}
