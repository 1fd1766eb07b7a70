import type { Kysely } from 'kysely';

/**
 * How people sign in: local passwords (scrypt hashes, parameters inside the hash string), one-time
 * invite links (only the keyed hash of the token is kept) and each tenant's single sign-on settings
 * (the client secret sealed under the master key).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('people_credentials')
    .addColumn('employee_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('people_credentials_tenant')
    .on('people_credentials')
    .columns(['tenant_id'])
    .execute();

  await db.schema
    .createTable('people_invites')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('employee_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('people_invites_employee')
    .on('people_invites')
    .columns(['employee_id'])
    .execute();

  await db.schema
    .createTable('tenant_sso')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey())
    .addColumn('issuer_url', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_secret_sealed', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tenant_sso').execute();
  await db.schema.dropTable('people_invites').execute();
  await db.schema.dropTable('people_credentials').execute();
}
