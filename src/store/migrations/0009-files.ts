import { PostgresAdapter, type Kysely } from 'kysely';

/**
 * Uploaded files, bytes included: kept in the database so that every server of a cluster on one
 * PostgreSQL serves them, and a backup of the database is a backup of the files. `file_links` records
 * which processes reference a file (form values, comment attachments), so a download is checked
 * against the people who may see those processes without scanning every process.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  const binary = db.getExecutor().adapter instanceof PostgresAdapter ? 'bytea' : 'blob';
  await db.schema
    .createTable('files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('uploader_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('bytes', binary, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('files_tenant_uploader')
    .on('files')
    .columns(['tenant_id', 'uploader_id'])
    .execute();

  await db.schema
    .createTable('file_links')
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('process_id', 'text', (c) => c.notNull())
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('file_links_pk', ['file_id', 'process_id'])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('file_links').execute();
  await db.schema.dropTable('files').execute();
}
