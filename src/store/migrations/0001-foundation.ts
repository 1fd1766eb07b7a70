import type { Kysely } from 'kysely';

// One migration set for SQLite and PostgreSQL: only portable column types (text, integer, bigint).
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_key', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('departments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('department_id', 'text', (c) => c.notNull())
    .addColumn('open_department_id', 'text', (c) => c.notNull().unique())
    .addColumn('name_zh_cn', 'text', (c) => c.notNull())
    .addColumn('name_en_us', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'text', (c) => c.references('departments.id'))
    .addColumn('leader_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('departments_tenant_department_id', ['tenant_id', 'department_id'])
    .execute();
  await db.schema
    .createIndex('departments_parent')
    .on('departments')
    .columns(['tenant_id', 'parent_id'])
    .execute();

  await db.schema
    .createTable('employees')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('union_id', 'text', (c) => c.notNull().unique())
    .addColumn('name_zh_cn', 'text', (c) => c.notNull())
    .addColumn('name_en_us', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('department_id', 'text', (c) => c.references('departments.id'))
    .addColumn('manager_id', 'text', (c) => c.references('employees.id'))
    .addColumn('employment_status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('employees_tenant_user_id', ['tenant_id', 'user_id'])
    .addUniqueConstraint('employees_tenant_email', ['tenant_id', 'email'])
    .execute();
  await db.schema.createIndex('employees_department').on('employees').columns(['department_id']).execute();
  await db.schema.createIndex('employees_manager').on('employees').columns(['manager_id']).execute();

  await db.schema
    .createTable('roles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('role_key', 'text', (c) => c.notNull())
    .addColumn('name_zh_cn', 'text', (c) => c.notNull())
    .addColumn('name_en_us', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('roles_tenant_key', ['tenant_id', 'role_key'])
    .execute();

  await db.schema
    .createTable('role_members')
    .addColumn('role_id', 'text', (c) => c.notNull().references('roles.id'))
    .addColumn('employee_id', 'text', (c) => c.notNull().references('employees.id'))
    .addColumn('department_ids', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_members_pk', ['role_id', 'employee_id'])
    .execute();
  await db.schema.createIndex('role_members_employee').on('role_members').columns(['employee_id']).execute();

  await db.schema
    .createTable('apps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('app_id', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('event_request_url', 'text')
    .addColumn('event_verification_token_sealed', 'text')
    .addColumn('event_encrypt_key_sealed', 'text')
    .addColumn('event_types', 'text', (c) => c.notNull())
    .addColumn('event_delivery_mode', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('apps_tenant').on('apps').columns(['tenant_id']).execute();

  await db.schema
    .createTable('app_open_ids')
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
    .addColumn('employee_id', 'text', (c) => c.notNull().references('employees.id'))
    .addColumn('open_id', 'text', (c) => c.notNull().unique())
    .addPrimaryKeyConstraint('app_open_ids_pk', ['app_id', 'employee_id'])
    .execute();
  await db.schema.createIndex('app_open_ids_employee').on('app_open_ids').columns(['employee_id']).execute();

  await db.schema
    .createTable('access_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('token_sealed', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('access_tokens_app_kind')
    .on('access_tokens')
    .columns(['app_id', 'kind', 'expires_at'])
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'settings',
    'access_tokens',
    'app_open_ids',
    'apps',
    'role_members',
    'roles',
    'employees',
    'departments',
    'tenants',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
