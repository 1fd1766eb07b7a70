import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type * as lark from '@larksuiteoapi/node-sdk';
import { forEachDialect } from '../helpers/databases.js';
import { seedTenant, startTestServer, type TestServer } from '../helpers/server.js';
import { failure, sdkClient } from '../helpers/sdk.js';

const name = (text: string) => ({ zh_cn: text, en_us: text });

/** start → one approval node (u0) → end, with a free-text note and a list of strings. */
const FLOW = {
  name: name('limits'),
  biz_type: 'custom:limits',
  process_admins: ['u0'],
  form: [
    { api_name: 'note', label: name('note'), type: 'text', required: false },
    { api_name: 'items', label: name('items'), type: 'list', required: false },
  ],
  nodes: [
    { type: 'start', id: 'start', next: 'n1' },
    {
      type: 'approval',
      id: 'n1',
      name: name('approval'),
      approvers: [{ type: 'users', user_ids: ['u0'] }],
      mode: 'or',
      next: 'end',
    },
    { type: 'end', id: 'end' },
  ],
};

forEachDialect('process limits', (dialect) => {
  let t: TestServer;
  let client: lark.Client;
  let definitionId: string;
  const tk = 'limits';
  before(async () => {
    // A body limit above the state limit, so the state limit is what refuses a huge form.
    t = await startTestServer(dialect, { flags: ['--body-limit', String(4 * 1024 * 1024)] });
    const app = await seedTenant(t, tk, undefined, 56);
    client = sdkClient(t.url, { app_id: app.appId, app_secret: app.appSecret });
    const imported = await t.admin('POST', `/tenants/${tk}/flow_definitions/import`, FLOW);
    assert.equal(imported.status, 201, JSON.stringify(imported.body));
    definitionId = imported.body.data.flow_definition_id as string;
  });
  after(() => t.close());

  const db = () => t.server.database.db;
  const startProcess = async (formValues: Record<string, unknown> = {}) =>
    t.admin('POST', `/tenants/${tk}/processes`, {
      flow_definition_id: definitionId,
      initiator_user_id: 'u1',
      form_values: formValues,
    });
  /** Everything a command could write for one process: its row, its task index rows, its outbox. */
  const stored = async (processId: string) => ({
    row: await db().selectFrom('processes').selectAll().where('id', '=', processId).executeTakeFirst(),
    tasks: await db()
      .selectFrom('process_tasks')
      .selectAll()
      .where('process_id', '=', processId)
      .orderBy('id')
      .execute(),
    outbox: await db()
      .selectFrom('outbox')
      .select('id')
      .where('process_id', '=', processId)
      .orderBy('id')
      .execute(),
  });
  const addSign = (processId: string, users: string[]) =>
    client.corehr.v2.processExtra.update({
      path: { process_id: processId },
      params: { user_id_type: 'user_id' },
      data: { system_user: true, node_id: 'n1', extra_type: 2, approval_type: 0, extra_user_ids: users },
    });
  const people = (from: number, count: number) => Array.from({ length: count }, (_, i) => `u${from + i}`);

  test('add-sign up to 500 tasks; the 501st is refused (400, extra_user_ids) and nothing is written; a command on the full process writes only the task rows it changed', async () => {
    const started = await startProcess();
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const processId = started.body.data.process_id as string;
    // The start record and u0's task make two; nine add-signs of 50 make 452, one of 48 makes 500.
    for (let i = 0; i < 9; i++) await addSign(processId, people(2, 50));
    await addSign(processId, people(2, 48));
    const full = await t.admin('GET', `/tenants/${tk}/processes/${processId}`);
    assert.equal(full.body.data.tasks.length, 500);

    const before = await stored(processId);
    assert.equal(before.tasks.length, 499, 'every task but the start record is indexed');
    const refused = await failure(addSign(processId, ['u2']));
    assert.equal(refused.status, 400);
    assert.equal(refused.code, 99992402);
    assert.deepEqual(refused.fields, ['extra_user_ids']);
    assert.match(refused.msg, /at most 500 in its life/);
    assert.deepEqual(await stored(processId), before, 'process row, task index and outbox unchanged');

    // Count every write to the task index from here on, on both dialects, with a trigger.
    await installWriteCounter(t);
    const writes = async () =>
      Number((await sql<{ n: number }>`select n from task_writes`.execute(db())).rows[0]?.n);

    // A comment changes no task: no index row is written (the old code rewrote all 499).
    const tenant = await t.server.services.tenants.get(tk);
    assert.ok(tenant.ok);
    const directory = await t.server.services.processes.directory(tenant.value.id);
    const u1 = [...directory.employees.values()].find((e) => e.userId === 'u1')!.id;
    const commented = await t.server.services.processes.execute(tenant.value.id, processId, {
      kind: 'comment',
      authorId: u1,
      text: 'hello',
      mentionIds: [],
    });
    assert.ok(commented.ok, JSON.stringify(!commented.ok && commented.error));
    assert.equal(await writes(), 0);

    // u0 approves: their task closes and the group added last (a post add-sign goes right after the
    // anchor's group, so the 48 people) opens: 49 rows change.
    const u0Task = before.tasks.find((r) => r.status === 'in_progress');
    assert.ok(u0Task);
    await client.corehr.v2.processApprover.update({
      path: { process_id: processId, approver_id: u0Task.id },
      params: { user_id_type: 'user_id' },
      data: { status: 3, user_id: 'u0' },
    });
    const afterApproval = await stored(processId);
    const old = new Map(before.tasks.map((r) => [r.id, JSON.stringify(r)]));
    const changed = afterApproval.tasks.filter((r) => old.get(r.id) !== JSON.stringify(r)).length;
    assert.equal(changed, 49);
    assert.equal(await writes(), changed, 'rows written = rows changed, not every row of the process');
  });

  test('a start whose form would make the process larger than 1 MiB is refused (400, naming the field) and writes nothing', async () => {
    const processesBefore = await db().selectFrom('processes').select('id').orderBy('id').execute();
    const outboxBefore = await db().selectFrom('outbox').select('id').orderBy('id').execute();
    const refused = await startProcess({
      note: 'big list',
      items: Array.from({ length: 800 }, () => 'x'.repeat(1500)),
    });
    assert.equal(refused.status, 400, JSON.stringify(refused.body).slice(0, 300));
    assert.equal(refused.body.code, 99992402);
    assert.deepEqual(
      refused.body.error.field_violations.map((v: { field: string }) => v.field),
      ['items'],
    );
    assert.deepEqual(
      await db().selectFrom('processes').select('id').orderBy('id').execute(),
      processesBefore,
    );
    assert.deepEqual(await db().selectFrom('outbox').select('id').orderBy('id').execute(), outboxBefore);
    // Just under the limit starts.
    const fits = await startProcess({ items: Array.from({ length: 600 }, () => 'x'.repeat(1500)) });
    assert.equal(fits.status, 201);
  });
});

/** A test-only trigger counting every row inserted, updated or deleted in process_tasks. */
async function installWriteCounter(t: TestServer): Promise<void> {
  const db = t.server.database.db;
  await sql`create table task_writes (n integer not null)`.execute(db);
  await sql`insert into task_writes (n) values (0)`.execute(db);
  if (t.database.dialect === 'postgres') {
    await sql`create function count_task_write() returns trigger language plpgsql as $$
      begin update task_writes set n = n + 1; return null; end $$`.execute(db);
    await sql`create trigger task_writes_count after insert or update or delete on process_tasks
      for each row execute function count_task_write()`.execute(db);
    return;
  }
  for (const event of ['insert', 'update', 'delete'])
    await sql
      .raw(
        `create trigger task_writes_${event} after ${event} on process_tasks begin update task_writes set n = n + 1; end`,
      )
      .execute(db);
}
