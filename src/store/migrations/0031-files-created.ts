import type { Kysely } from 'kysely';

/**
 * Uploads that no request names are deleted after a week (src/services/retention.ts): the hourly
 * sweep finds them by age through this index instead of reading every file row (each holds its bytes).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('files_created').on('files').column('created_at').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('files_created').execute();
}
