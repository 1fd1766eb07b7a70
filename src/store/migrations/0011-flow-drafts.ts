import type { Kysely } from 'kysely';

/**
 * Flow drafts edited in the console: a revision counter that every save and publish raises (a save
 * naming an older revision is refused, so two admins cannot overwrite each other), who saved the
 * draft last and when; and who published each version.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('flow_definitions')
    .addColumn('draft_revision', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('flow_definitions').addColumn('draft_updated_by', 'text').execute();
  await db.schema.alterTable('flow_definitions').addColumn('draft_updated_at', 'bigint').execute();
  await db.schema.alterTable('flow_definition_versions').addColumn('published_by', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('flow_definition_versions').dropColumn('published_by').execute();
  await db.schema.alterTable('flow_definitions').dropColumn('draft_updated_at').execute();
  await db.schema.alterTable('flow_definitions').dropColumn('draft_updated_by').execute();
  await db.schema.alterTable('flow_definitions').dropColumn('draft_revision').execute();
}
