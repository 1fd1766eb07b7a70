import type { Kysely } from 'kysely';

/**
 * The approval center's tabs as index lookups. `process_ccs`: one row per person copied on a process
 * (the first time they were copied), kept in step with the state like `process_tasks`, so "CC me" is a
 * seek instead of a scan of every process's JSON. The other indexes let "To do" (by waiting time),
 * "Done" (by when one acted) and "Started by me" (by start time) walk in their sort order.
 * Existing processes' copies are filled in from their stored state.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('process_ccs')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('process_id', 'text', (c) => c.notNull().references('processes.id'))
    .addColumn('recipient_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('process_ccs_pk', ['process_id', 'recipient_id'])
    .execute();
  await db.schema
    .createIndex('process_ccs_recipient')
    .on('process_ccs')
    .columns(['tenant_id', 'recipient_id', 'created_at', 'process_id'])
    .execute();
  await db.schema
    .createIndex('process_tasks_assignee_waiting')
    .on('process_tasks')
    .columns(['tenant_id', 'assignee_id', 'status', 'updated_at', 'id'])
    .execute();
  await db.schema
    .createIndex('processes_tenant_initiator_started')
    .on('processes')
    .columns(['tenant_id', 'initiator_id', 'created_at', 'id'])
    .execute();

  // Backfill, a page of processes at a time (states can be large).
  let after = '';
  for (;;) {
    const rows = (await db
      .selectFrom('processes')
      .select(['id', 'tenant_id', 'state'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(200)
      .execute()) as { id: string; tenant_id: string; state: string }[];
    if (rows.length === 0) break;
    for (const row of rows) {
      const state = JSON.parse(row.state) as { ccs?: { recipientId: string; createdAt: number }[] };
      const first = new Map<string, number>();
      for (const cc of state.ccs ?? [])
        if (!first.has(cc.recipientId)) first.set(cc.recipientId, cc.createdAt);
      if (first.size > 0)
        await db
          .insertInto('process_ccs')
          .values(
            [...first].map(([recipient, at]) => ({
              tenant_id: row.tenant_id,
              process_id: row.id,
              recipient_id: recipient,
              created_at: at,
            })),
          )
          .execute();
    }
    after = rows[rows.length - 1]?.id ?? after;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('processes_tenant_initiator_started').execute();
  await db.schema.dropIndex('process_tasks_assignee_waiting').execute();
  await db.schema.dropTable('process_ccs').execute();
}
