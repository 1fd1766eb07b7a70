import type { Kysely } from 'kysely';

/**
 * Leave balances (docs/leave.md): each tenant's leave types and a ledger of entries per employee and
 * type. A balance is the sum of its entries, never a stored number, so a retried write cannot drift it;
 * `(tenant_id, idempotency_key)` makes a process's debit and credit happen once.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('leave_types')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('type_key', 'text', (c) => c.notNull())
    .addColumn('name_zh_cn', 'text', (c) => c.notNull())
    .addColumn('name_en_us', 'text', (c) => c.notNull())
    .addColumn('over_balance', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('leave_types_pk', ['tenant_id', 'type_key'])
    .execute();
  await db.schema
    .createTable('leave_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('employee_id', 'text', (c) => c.notNull())
    .addColumn('type_key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    // Hundredths of a day: sums stay exact (0.5 is 50).
    .addColumn('amount_centidays', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('process_id', 'text')
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('leave_entries_idempotency', ['tenant_id', 'idempotency_key'])
    .execute();
  // Balances and one employee's ledger, newest first.
  await db.schema
    .createIndex('leave_entries_employee')
    .on('leave_entries')
    .columns(['tenant_id', 'employee_id', 'created_at', 'id'])
    .execute();
  // "Has this process been debited yet?" (what is pending).
  await db.schema
    .createIndex('leave_entries_process')
    .on('leave_entries')
    .columns(['process_id', 'kind'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('leave_entries').execute();
  await db.schema.dropTable('leave_types').execute();
}
