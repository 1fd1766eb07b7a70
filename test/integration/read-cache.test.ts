import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { DemoPeople, PeopleClient } from '../helpers/people.js';
import { sdkClient } from '../helpers/sdk.js';

/**
 * Rendered reads served from memory (src/services/read-cache.ts) never show what has changed: the
 * Open API's process detail and approver list, the approval center's to-do list and counts, read
 * twice (the second from memory), then after each kind of change — a decision, a new request, the
 * directory, time passing an item's overdue line. On PostgreSQL also across two servers.
 */
forEachDialect('read cache: rendered reads never outlive what they show', (dialect) => {
  let t: TestServer;
  const people = new DemoPeople(() => t.url);
  const as = (userId: string) => people.as(userId);
  const HOUR = 3600 * 1000;

  before(async () => {
    t = await startTestServer(dialect, { flags: ['--demo', '--clock-control'] });
  });
  after(async () => {
    await t.close();
  });

  async function startLeave(): Promise<string> {
    const started = await t.admin('POST', '/tenants/demo/processes', {
      flow_definition_id: t.server.demo!.flow_definitions.leave,
      initiator_user_id: 'employee',
      form_values: { leave_type: 'personal', start_date: '2026-12-01', end_date: '2026-12-01', days: '1' },
    });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    return started.body.data.process_id as string;
  }

  test('process detail: a decision and a directory change show at once', async () => {
    const client = sdkClient(t.url, t.server.demo!.app);
    const processId = await startLeave();
    const get = async () =>
      (
        await client.corehr.v2.process.get({
          path: { process_id: processId },
          params: { user_id_type: 'user_id' },
        })
      ).data!;
    const first = await get();
    assert.deepEqual(await get(), first, 'the same answer from memory');
    assert.equal(first.status, 1);
    const todo = first.todos![0]!;

    // The initiator's name changes in the directory: the next read shows it.
    const renamed = await t.admin('PATCH', '/tenants/demo/employees/employee', {
      name: { zh_cn: '张三丰', en_us: 'Zhang Sanfeng' },
    });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.deepEqual((await get()).initiator_name, { zh_cn: '张三丰', en_us: 'Zhang Sanfeng' });

    // Another id type is another rendering.
    const byOpenId = (await client.corehr.v2.process.get({ path: { process_id: processId } })).data!;
    assert.notEqual(byOpenId.initiator_id, 'employee');
    assert.equal((await get()).initiator_id, 'employee');

    const approved = await client.corehr.v2.processApprover.update({
      path: { process_id: processId, approver_id: todo.approver_id! },
      params: { user_id_type: 'user_id' },
      data: { status: 3, user_id: 'manager' },
    });
    assert.equal(approved.code, 0, JSON.stringify(approved));
    const after = await get();
    assert.equal(after.status, 9, 'completed');
    assert.deepEqual(after.todos, []);
    assert.equal(after.done_list?.[0]?.approver_id, todo.approver_id);
  });

  test('approver list, to-do list and counts: a new request and a decision show at once', async () => {
    const client = sdkClient(t.url, t.server.demo!.app);
    const manager = await as('manager');
    const openTasks = async () =>
      (
        await client.corehr.v2.approver.list({
          params: { user_id: 'manager', user_id_type: 'user_id', approver_status: 1, page_size: 100 },
        })
      ).data!.approver_list ?? [];
    const todo = async () => {
      const r = await manager.get('/api/v1/inbox/todo?page_size=100');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body as { items: { process_id: string }[]; total: number };
    };
    const counts = async () => (await manager.get('/api/v1/inbox/counts')).body as { todo: number };

    const [tasks0, todo0, counts0] = [await openTasks(), await todo(), await counts()];
    assert.deepEqual(await openTasks(), tasks0);
    assert.deepEqual(await todo(), todo0);
    assert.deepEqual(await counts(), counts0);

    const processId = await startLeave();
    const tasks1 = await openTasks();
    assert.equal(tasks1.length, tasks0.length + 1);
    const task = tasks1.find((a) => a.process_id === processId);
    assert.ok(task, 'the new task is listed');
    const todo1 = await todo();
    assert.equal(todo1.total, todo0.total + 1);
    assert.ok(todo1.items.some((i) => i.process_id === processId));
    assert.equal((await counts()).todo, counts0.todo + 1);

    const approved = await manager.post(
      `/api/v1/processes/${processId}/tasks/${task.approver_id}/approve`,
      {},
    );
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal((await openTasks()).length, tasks0.length);
    assert.equal((await todo()).total, todo0.total);
    assert.equal((await counts()).todo, counts0.todo);
  });

  test('time alone turns a cached to-do overdue', async () => {
    let manager = await as('manager');
    const processId = await startLeave();
    const item = async () => {
      const r = await manager.get('/api/v1/inbox/todo?page_size=100');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return (r.body.items as { process_id: string; overdue: boolean }[]).find(
        (i) => i.process_id === processId,
      );
    };
    assert.equal((await item())?.overdue, false);
    assert.equal((await item())?.overdue, false);
    const moved = await t.admin('POST', '/clock', { advance_ms: 49 * HOUR });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    // Two days idle end the session: sign in again.
    manager = new PeopleClient(t.url);
    await manager.signInDemo('manager');
    assert.equal((await item())?.overdue, true);
  });

  if (dialect === 'postgres')
    test('two servers: a change on one is seen by the other within a second', async () => {
      const other = await startTestServer(dialect, { flags: ['--demo'], database: t.database });
      try {
        const client = sdkClient(other.url, other.server.demo!.app);
        const processId = await startLeave();
        const get = async () =>
          (await client.corehr.v2.process.get({ path: { process_id: processId } })).data!;
        const first = await get();
        assert.equal(first.status, 1);
        await get();
        // Decided on the first server.
        const manager = new PeopleClient(t.url);
        await manager.signInDemo('manager');
        const approved = await manager.post(
          `/api/v1/processes/${processId}/tasks/${first.todos![0]!.approver_id}/approve`,
          {},
        );
        assert.equal(approved.status, 200, JSON.stringify(approved.body));
        const deadline = Date.now() + 1000;
        let status: number | undefined = first.status;
        while (status !== 9 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 20));
          status = (await get()).status;
        }
        assert.equal(status, 9, 'completed, as seen by the other server');
      } finally {
        await other.close();
      }
    });
});
