import type { Kysely } from 'kysely';

/** Flow definitions with their versions, processes, the per-person task index, and the event outbox. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  // Bumped on every directory change, so cached directory snapshots know when to reload.
  await db.schema
    .alterTable('tenants')
    .addColumn('directory_version', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('flow_definitions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('latest_version', 'integer', (c) => c.notNull())
    .addColumn('draft', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('flow_definitions_tenant')
    .on('flow_definitions')
    .columns(['tenant_id', 'id'])
    .execute();

  await db.schema
    .createTable('flow_definition_versions')
    .addColumn('definition_id', 'text', (c) => c.notNull().references('flow_definitions.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('flow_definition_versions_pk', ['definition_id', 'version'])
    .execute();

  await db.schema
    .createTable('processes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('definition_id', 'text', (c) => c.notNull())
    .addColumn('definition_version', 'integer', (c) => c.notNull())
    .addColumn('biz_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('initiator_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('processes_tenant_modified')
    .on('processes')
    .columns(['tenant_id', 'updated_at', 'id'])
    .execute();
  await db.schema
    .createIndex('processes_tenant_definition')
    .on('processes')
    .columns(['tenant_id', 'definition_id', 'updated_at', 'id'])
    .execute();
  await db.schema
    .createIndex('processes_tenant_initiator')
    .on('processes')
    .columns(['tenant_id', 'initiator_id', 'id'])
    .execute();

  await db.schema
    .createTable('process_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('process_id', 'text', (c) => c.notNull().references('processes.id'))
    .addColumn('assignee_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('process_tasks_assignee')
    .on('process_tasks')
    .columns(['tenant_id', 'assignee_id', 'status', 'id'])
    .execute();
  await db.schema.createIndex('process_tasks_process').on('process_tasks').columns(['process_id']).execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('process_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_process').on('outbox').columns(['process_id', 'id']).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'outbox',
    'process_tasks',
    'processes',
    'flow_definition_versions',
    'flow_definitions',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('tenants').dropColumn('directory_version').execute();
}
