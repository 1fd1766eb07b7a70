import type { Kysely } from 'kysely';

/**
 * Directory profile fields on employees (docs/admin-api.md "Employee profile"), written by the admin
 * API, the console and the HR business actions (docs/actions.md). `bank_account` and `id_number` hold
 * AES-256-GCM sealed text (SecretBox), never the plain value. All nullable: existing rows keep empty
 * profiles.
 */
const COLUMNS = [
  'job_title',
  'phone',
  'personal_email',
  'address',
  'emergency_contact_name',
  'emergency_contact_phone',
  'bank_account',
  'id_number',
  'probation_status',
  'probation_end_date',
  'last_day',
] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  // One statement per column: SQLite adds one column per ALTER TABLE.
  for (const column of COLUMNS) await db.schema.alterTable('employees').addColumn(column, 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const column of [...COLUMNS].reverse())
    await db.schema.alterTable('employees').dropColumn(column).execute();
}
