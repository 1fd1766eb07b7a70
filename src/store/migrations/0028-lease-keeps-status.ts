import { sql, type Kysely } from 'kysely';

/**
 * A delivery out on a send is stored as `pending` with its lease (`lease_until` > 0), where it was
 * stored as `sending`: five of the table's indexes hold `status`, and taking or giving back a lease
 * rewrote the row's entry in each of them (three writes per event: insert, lease, ack). Now a lease
 * writes the row alone. Reads still show `sending` (DeliveryRepository).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  // A lease always set lease_until past 0; the guard keeps the rule even for a row edited by hand.
  await sql`update event_deliveries set status = 'pending', lease_until = case when lease_until > 0 then lease_until else 1 end where status = 'sending'`.execute(
    db,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await sql`update event_deliveries set status = 'sending' where status = 'pending' and lease_until > 0`.execute(
    db,
  );
}
