import type { Kysely } from 'kysely';

/**
 * Process monitoring in the admin console (docs/console-api.md "Process monitoring") as index seeks:
 * `processes.waiting_since` (when its oldest open task was assigned; null while nobody is asked) for
 * "waiting longer than N days" and "longest waiting first"; `process_tasks.node_id` (the node a task
 * belongs to) for "current node"; and start time order for "newest first". Existing rows are filled
 * in from their stored state.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on the current schema type
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('processes').addColumn('waiting_since', 'bigint').execute();
  await db.schema.alterTable('process_tasks').addColumn('node_id', 'text').execute();
  await db.schema
    .createIndex('processes_tenant_started')
    .on('processes')
    .columns(['tenant_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createIndex('processes_tenant_waiting')
    .on('processes')
    .columns(['tenant_id', 'waiting_since', 'id'])
    .execute();
  await db.schema
    .createIndex('process_tasks_node')
    .on('process_tasks')
    .columns(['tenant_id', 'node_id', 'status', 'process_id'])
    .execute();

  // Backfill, a page of processes at a time (states can be large).
  let after = '';
  for (;;) {
    const rows = (await db
      .selectFrom('processes')
      .select(['id', 'state'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(200)
      .execute()) as { id: string; state: string }[];
    if (rows.length === 0) break;
    for (const row of rows) {
      const state = JSON.parse(row.state) as StoredState;
      const waiting = waitingSinceOf(state);
      if (waiting !== null)
        await db.updateTable('processes').set({ waiting_since: waiting }).where('id', '=', row.id).execute();
      const runDef = new Map((state.nodeRuns ?? []).map((r) => [r.id, r.defId]));
      const byNode = new Map<string, string[]>();
      for (const task of state.tasks ?? []) {
        const node = runDef.get(task.nodeRunId);
        if (node !== undefined) byNode.set(node, [...(byNode.get(node) ?? []), task.id]);
      }
      for (const [node, ids] of byNode)
        for (let i = 0; i < ids.length; i += 100)
          await db
            .updateTable('process_tasks')
            .set({ node_id: node })
            .where('id', 'in', ids.slice(i, i + 100))
            .execute();
    }
    after = rows[rows.length - 1]?.id ?? after;
  }
}

interface StoredState {
  status: string;
  nodeRuns?: { id: string; defId: string }[];
  tasks?: { id: string; nodeRunId: string; status: string; createdAt: number }[];
}

/** The same rule as the process repository's: the oldest open task of a running process. */
function waitingSinceOf(state: StoredState): number | null {
  if (state.status !== 'in_progress' && state.status !== 'revoking') return null;
  let oldest: number | null = null;
  for (const task of state.tasks ?? [])
    if (task.status === 'in_progress' && (oldest === null || task.createdAt < oldest))
      oldest = task.createdAt;
  return oldest;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('process_tasks_node').execute();
  await db.schema.dropIndex('processes_tenant_waiting').execute();
  await db.schema.dropIndex('processes_tenant_started').execute();
  await db.schema.alterTable('process_tasks').dropColumn('node_id').execute();
  await db.schema.alterTable('processes').dropColumn('waiting_since').execute();
}
