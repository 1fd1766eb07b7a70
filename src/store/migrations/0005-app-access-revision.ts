import type { Kysely } from 'kysely';

/**
 * A per-app counter raised whenever access granted earlier is withdrawn (a new secret, the app no
 * longer allowed on the long connection). Every server compares it with the value its live
 * connections were admitted under and closes the stale ones.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('apps')
    .addColumn('access_revision', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('apps').dropColumn('access_revision').execute();
}
