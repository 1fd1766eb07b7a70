import type { Kysely } from 'kysely';

/**
 * People signed in to the web app: their sessions (stored here so several servers share them and
 * sign-out revokes everywhere) and their own preferences.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('people_sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('employee_id', 'text', (c) => c.notNull())
    .addColumn('auth_method', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('people_sessions_employee')
    .on('people_sessions')
    .columns(['employee_id'])
    .execute();
  await db.schema
    .createIndex('people_sessions_expiry')
    .on('people_sessions')
    .columns(['expires_at'])
    .execute();

  await db.schema
    .createTable('employee_preferences')
    .addColumn('employee_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('language', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('employee_preferences').execute();
  await db.schema.dropTable('people_sessions').execute();
}
