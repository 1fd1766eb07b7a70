import { sql, type Kysely } from 'kysely';

/**
 * What the hourly retention sweep (src/services/retention.ts) reads by age, through indexes instead of
 * whole tables: uploads (to find those no request uses, a week on; each file row holds its bytes), and
 * settled notification-send jobs (deleted with their notifications, after 90 days), which are
 * otherwise mixed with the jobs that are processes' records.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('files_created').on('files').column('created_at').execute();
  await sql`create index jobs_settled_notify on jobs (created_at) where kind = 'notify' and status <> 'pending' and status <> 'running'`.execute(
    db,
  );
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('jobs_settled_notify').execute();
  await db.schema.dropIndex('files_created').execute();
}
