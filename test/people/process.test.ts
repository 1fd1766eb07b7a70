import { after, before, test } from 'node:test';
import { forEachDialect } from '../helpers/databases.js';
import assert from 'node:assert/strict';
import { startTestServer, seedTenant, type TestServer } from '../helpers/server.js';
import { processEvents } from '../helpers/process-events.js';
import { PeopleClient } from '../helpers/people.js';
import { choice, date, DemoDriver, num, sdkClient, text } from '../helpers/sdk.js';

/**
 * The people API on one process (docs/people-api.md "A process", "Actions"): real HTTP, real SQLite,
 * processes started through the Open API with the official SDK, people signed in through demo sign-in.
 */

const leave = (days: string) => ({
  leave_type: choice('annual'),
  start_date: date('2026-12-01'),
  end_date: date('2026-12-09'),
  days: num(days),
});

interface Entry {
  kind: string;
  action?: string;
  node_id?: string;
  detail?: { en_us: string };
  reason?: string;
  comment_id?: string;
  tasks?: {
    task_id: string;
    assignee: { user_id: string };
    status: string;
    origin: string;
    why: { en_us: string; zh_cn: string };
    opinion?: string;
  }[];
  cc?: { user_id: string }[];
}

forEachDialect('people API: one process', (dialect) => {
  let t: TestServer;
  let d: DemoDriver;
  const people = new Map<string, PeopleClient>();

  /** A signed-in person (one client per person, kept for the suite). */
  async function as(userId: string): Promise<PeopleClient> {
    let client = people.get(userId);
    if (!client) {
      client = new PeopleClient(t.url);
      await client.signInDemo(userId);
      people.set(userId, client);
    }
    return client;
  }
  const detail = async (userId: string, processId: string) => {
    const r = await (await as(userId)).get(`/api/v1/processes/${processId}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const myTask = async (userId: string, processId: string) => {
    const body = await detail(userId, processId);
    assert.equal(
      body.my_tasks.length,
      1,
      `${userId} should have one open task: ${JSON.stringify(body.my_tasks)}`,
    );
    return body.my_tasks[0] as {
      task_id: string;
      node_id: string;
      can: Record<string, boolean>;
      return_targets: { node_id: string }[];
      editable_fields: string[];
    };
  };
  const act = async (userId: string, processId: string, path: string, body: unknown = {}) =>
    (await as(userId)).post(`/api/v1/processes/${processId}/${path}`, body);
  const taskAct = async (
    userId: string,
    processId: string,
    taskId: string,
    action: string,
    body: unknown = {},
  ) => act(userId, processId, `tasks/${taskId}/${action}`, body);

  before(async () => {
    t = await startTestServer(dialect, { flags: ['--demo'] });
    d = new DemoDriver(sdkClient(t.url, t.server.demo!.app), t.server.demo!);
  });
  after(async () => {
    await t.close();
  });

  test('the initiator, an assignee and a CC recipient see the detail; a stranger and another tenant get 404', async () => {
    const p = await d.start('leave', 'employee', leave('5'));
    const mine = await detail('employee', p);
    assert.equal(mine.process_id, p);
    assert.equal(mine.status, 'in_progress');
    assert.equal(mine.initiator.user_id, 'employee');
    assert.equal(mine.flow.name.en_us, 'Leave');
    assert.equal(mine.biz_type_name.zh_cn, '休假申请');
    assert.equal(mine.form_values.days, '5');
    assert.ok(mine.form.some((f: { api_name: string }) => f.api_name === 'leave_type'));
    assert.deepEqual(mine.my_tasks, []);
    assert.deepEqual(mine.can, { withdraw: true, revoke: false, comment: true });
    const timeline = mine.timeline as Entry[];
    assert.equal(timeline[0]?.action, 'start');
    const managerNode = timeline.find((e) => e.kind === 'node' && e.node_id === 'manager');
    const managerTask = managerNode?.tasks?.[0];
    assert.equal(managerTask?.assignee.user_id, 'manager');
    assert.equal(managerTask.why.en_us, 'Manager of the initiator');
    assert.equal(managerTask.why.zh_cn, '发起人的直属上级');
    // Ahead: the department leader (5 days > 3), the HRBP copied, the end.
    assert.deepEqual(
      mine.upcoming.map((s: { node_id: string }) => s.node_id),
      ['long_leave', 'dept_leader', 'notify_hrbp', 'end'],
    );
    const leader = mine.upcoming.find((s: { node_id: string }) => s.node_id === 'dept_leader');
    assert.deepEqual(
      leader.assignees.map((a: { user_id: string }) => a.user_id),
      ['dept_leader'],
    );
    assert.deepEqual(leader.reasons[0], {
      zh_cn: '发起人所在部门的负责人',
      en_us: "Leader of the initiator's department",
    });

    const task = await myTask('manager', p);
    assert.equal(task.node_id, 'manager');
    assert.deepEqual(task.can, {
      approve: true,
      reject: true,
      transfer: true,
      add_sign: true,
      return: false,
    });
    assert.deepEqual(task.return_targets, []);
    assert.deepEqual((await detail('manager', p)).can, { withdraw: false, revoke: false, comment: true });

    // The HRBP is copied only at the end: until then the process does not exist for them.
    const hrbpBefore = await (await as('hrbp')).get(`/api/v1/processes/${p}`);
    assert.equal(hrbpBefore.status, 404);
    assert.equal(hrbpBefore.body.error.code, 'process_not_found');
    const stranger = await (await as('outsider')).get(`/api/v1/processes/${p}`);
    assert.equal(stranger.status, 404);
    assert.equal(stranger.body.error.code, 'process_not_found');
    assert.equal((await (await as('outsider')).get('/api/v1/processes/1234567890')).status, 404);

    assert.equal((await taskAct('manager', p, task.task_id, 'approve', { opinion: 'fine' })).status, 200);
    const leaderTask = await myTask('dept_leader', p);
    const done = await taskAct('dept_leader', p, leaderTask.task_id, 'approve');
    assert.equal(done.status, 200);
    assert.equal(done.body.status, 'completed');
    assert.deepEqual(done.body.upcoming, []);
    const copied = await detail('hrbp', p);
    const ccNode = (copied.timeline as Entry[]).find((e) => e.kind === 'node' && e.node_id === 'notify_hrbp');
    assert.deepEqual(
      ccNode?.cc?.map((c) => c.user_id),
      ['hrbp'],
    );
    assert.deepEqual(copied.my_tasks, []);

    // Someone of another tenant, with a live session there, asks for this process: it does not exist.
    await seedTenant(t, 'elsewhere');
    const tenant = await t.server.services.sessions.tenantFor('elsewhere');
    assert.ok(tenant.ok);
    const employee = await t.server.services.sessions.employeeByUserId(tenant.value, 'u0');
    assert.ok(employee);
    const created = await t.server.services.sessions.create(tenant.value, employee, 'password');
    assert.ok(created.ok);
    const foreigner = new PeopleClient(t.url);
    foreigner.cookies.set('pf_session', created.value.token);
    assert.equal((await foreigner.get('/api/v1/me')).status, 200);
    const foreign = await foreigner.get(`/api/v1/processes/${p}`);
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.error.code, 'process_not_found');
  });

  test('approve twice: the second click gets 409 and changes nothing; only the assignee may act', async () => {
    const p = await d.start('leave', 'employee', leave('5'));
    const task = await myTask('manager', p);
    // Signed in but not the assignee: 403; not even allowed to see it: 404.
    const notMine = await taskAct('employee', p, task.task_id, 'approve');
    assert.equal(notMine.status, 403);
    assert.equal(notMine.body.error.code, 'operator_not_allowed');
    const stranger = await taskAct('outsider', p, task.task_id, 'approve');
    assert.equal(stranger.status, 404);
    assert.equal(stranger.body.error.code, 'process_not_found');
    // No CSRF token: refused before anything runs.
    const manager = await as('manager');
    const forged = await manager.request('POST', `/api/v1/processes/${p}/tasks/${task.task_id}/approve`, {
      body: {},
    });
    assert.equal(forged.status, 403);
    assert.equal(forged.body.error.code, 'csrf_invalid');

    const first = await taskAct('manager', p, task.task_id, 'approve', { opinion: 'ok' });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.deepEqual(first.body.my_tasks, []);
    const eventsBefore = (await processEvents(t, p)).length;
    assert.ok(eventsBefore > 0, 'the start and the approval are there as events');
    const second = await taskAct('manager', p, task.task_id, 'approve', { opinion: 'ok' });
    assert.equal(second.status, 409);
    assert.equal(second.body.error.code, 'task_status_conflict');
    assert.match(second.body.error.message, /approved, not in progress/);
    assert.equal((await processEvents(t, p)).length, eventsBefore, 'nothing emitted twice');
    const after = await detail('employee', p);
    const node = (after.timeline as Entry[]).find((e) => e.kind === 'node' && e.node_id === 'manager');
    assert.deepEqual(
      node?.tasks?.map((x) => [x.status, x.opinion]),
      [['approved', 'ok']],
    );
    assert.equal((after.timeline as Entry[]).filter((e) => e.action === 'approve').length, 1);
    const unknown = await taskAct('dept_leader', p, '999', 'approve');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'task_not_found');
  });

  test("approve with the node's editable fields, in people shapes; other fields refused", async () => {
    const p = await d.start('info_change', 'employee', { field: choice('phone'), new_value: text('123') });
    const task = await myTask('hrbp', p);
    assert.deepEqual(task.editable_fields, ['new_value']);
    const wrong = await taskAct('hrbp', p, task.task_id, 'approve', { field_values: { field: 'address' } });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.code, 'form_invalid');
    assert.deepEqual(
      wrong.body.error.violations.map((v: { field: string }) => v.field),
      ['field_values.field'],
    );
    const done = await taskAct('hrbp', p, task.task_id, 'approve', { field_values: { new_value: '456' } });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.status, 'completed');
    assert.equal(done.body.form_values.new_value, '456');

    // A form-fill node with a user field: the person is named by user_id and comes back resolved.
    const off = await d.start('offboarding', 'employee', {
      last_day: date('2026-12-31'),
      reason: text('moving'),
    });
    const manager = await myTask('manager', off);
    assert.equal((await taskAct('manager', off, manager.task_id, 'approve')).status, 200);
    const fill = await myTask('hrbp', off);
    assert.deepEqual(fill.can, {
      approve: true,
      reject: false,
      transfer: true,
      add_sign: false,
      return: true,
    });
    const missing = await taskAct('hrbp', off, fill.task_id, 'approve', {});
    assert.equal(missing.status, 400);
    assert.deepEqual(
      missing.body.error.violations.map((v: { field: string }) => v.field),
      ['field_values.handover_to'],
    );
    const unknown = await taskAct('hrbp', off, fill.task_id, 'approve', {
      field_values: { handover_to: 'nobody' },
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.violations[0].field, 'field_values.handover_to');
    const filled = await taskAct('hrbp', off, fill.task_id, 'approve', {
      field_values: { handover_to: 'backend_dev' },
    });
    assert.equal(filled.status, 200, JSON.stringify(filled.body));
    assert.equal(filled.body.form_values.handover_to, 'backend_dev');
    assert.equal(filled.body.people.backend_dev.name.en_us, 'Zhao Min');
    const node = (filled.body.timeline as Entry[]).find((e) => e.kind === 'node' && e.node_id === 'handover');
    const filledTask = node?.tasks?.[0];
    assert.equal(filledTask?.status, 'form_submitted');
    assert.equal(filledTask.why.en_us, "Role “HR business partner” serving the initiator's department");
  });

  test('the same approval clicked twice at once: one approves, the other gets 409', async () => {
    const p = await d.start('leave', 'employee', leave('5'));
    const task = await myTask('manager', p);
    const results = await Promise.all([
      taskAct('manager', p, task.task_id, 'approve', { opinion: 'yes' }),
      taskAct('manager', p, task.task_id, 'approve', { opinion: 'yes' }),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
    const after = await detail('employee', p);
    assert.equal((after.timeline as Entry[]).filter((e) => e.action === 'approve').length, 1);
    assert.equal((await myTask('dept_leader', p)).node_id, 'dept_leader');
  });

  test('reject needs an opinion: without one 400 naming opinion, nothing changed', async () => {
    const p = await d.start('leave', 'employee', leave('2'));
    const task = await myTask('manager', p);
    for (const body of [{}, { opinion: '   ' }]) {
      const r = await taskAct('manager', p, task.task_id, 'reject', body);
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 'invalid_field');
      assert.deepEqual(
        r.body.error.violations.map((v: { field: string }) => v.field),
        ['opinion'],
      );
    }
    assert.equal((await detail('employee', p)).status, 'in_progress');
    assert.equal((await myTask('manager', p)).task_id, task.task_id);
    const rejected = await taskAct('manager', p, task.task_id, 'reject', { opinion: 'not now' });
    assert.equal(rejected.status, 200);
    assert.equal(rejected.body.status, 'rejected');
    const entry = (rejected.body.timeline as Entry[]).find((e) => e.action === 'reject');
    assert.equal(entry?.reason, 'not now');
    assert.deepEqual((await detail('employee', p)).can.withdraw, false);
  });

  test('transfer: the new assignee sees why; the old one can no longer act', async () => {
    const p = await d.start('leave', 'employee', leave('2'));
    const task = await myTask('manager', p);
    const unknown = await taskAct('manager', p, task.task_id, 'transfer', { to_user_id: 'nobody' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.violations[0].field, 'to_user_id');
    const moved = await taskAct('manager', p, task.task_id, 'transfer', {
      to_user_id: 'backend_dev',
      remark: 'on leave',
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.deepEqual(moved.body.my_tasks, []);
    const again = await taskAct('manager', p, task.task_id, 'transfer', { to_user_id: 'backend_dev' });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'task_status_conflict');
    const theirs = await detail('backend_dev', p);
    const node = (theirs.timeline as Entry[]).find((e) => e.kind === 'node' && e.node_id === 'manager');
    const newTask = node?.tasks?.find((x) => x.assignee.user_id === 'backend_dev');
    assert.equal(newTask?.why.en_us, 'Transferred by Wang Fang');
    assert.equal(node?.tasks?.find((x) => x.assignee.user_id === 'manager')?.status, 'transferred');
    const entry = (theirs.timeline as Entry[]).find((e) => e.action === 'transfer');
    assert.equal(entry?.detail?.en_us, 'transferred to Zhao Min');
    assert.equal(entry.reason, 'on leave');
    const approved = await taskAct('backend_dev', p, theirs.my_tasks[0].task_id, 'approve');
    assert.equal(approved.status, 200);
    assert.equal(approved.body.status, 'completed');
  });

  test('add-sign before, beside and after me', async () => {
    // pre: the added person decides first, then my task reopens.
    const p1 = await d.start('leave', 'employee', leave('2'));
    const t1 = await myTask('manager', p1);
    const pre = await taskAct('manager', p1, t1.task_id, 'add-sign', {
      position: 'pre',
      mode: 'or',
      user_ids: ['hrbp'],
    });
    assert.equal(pre.status, 200, JSON.stringify(pre.body));
    assert.deepEqual(pre.body.my_tasks, [], 'my task waits for the added approver');
    const hrbpTask = await myTask('hrbp', p1);
    const node = ((await detail('hrbp', p1)).timeline as Entry[]).find(
      (e) => e.kind === 'node' && e.node_id === 'manager',
    );
    const added = node?.tasks?.find((x) => x.assignee.user_id === 'hrbp');
    assert.equal(added?.origin, 'add_sign_pre');
    assert.equal(added.why.en_us, 'Added by Wang Fang (before them)');
    const line = (pre.body.timeline as Entry[]).find((e) => e.action === 'add_sign');
    assert.equal(line?.detail?.en_us, 'added He Jia before themselves, or-sign');
    assert.equal((await taskAct('hrbp', p1, hrbpTask.task_id, 'approve')).status, 200);
    const reopened = await myTask('manager', p1);
    assert.equal(reopened.task_id, t1.task_id);
    assert.equal((await taskAct('manager', p1, t1.task_id, 'approve')).body.status, 'completed');

    // parallel: a countersign only; the node needs both.
    const p2 = await d.start('leave', 'employee', leave('2'));
    const t2 = await myTask('manager', p2);
    const orSign = await taskAct('manager', p2, t2.task_id, 'add-sign', {
      position: 'parallel',
      mode: 'or',
      user_ids: ['hrbp'],
    });
    assert.equal(orSign.status, 400);
    assert.equal(orSign.body.error.violations[0].field, 'mode');
    const self = await taskAct('manager', p2, t2.task_id, 'add-sign', {
      position: 'post',
      mode: 'or',
      user_ids: ['manager'],
    });
    assert.equal(self.status, 400);
    assert.equal(self.body.error.violations[0].field, 'user_ids');
    const parallel = await taskAct('manager', p2, t2.task_id, 'add-sign', {
      position: 'parallel',
      mode: 'and',
      user_ids: ['hrbp'],
    });
    assert.equal(parallel.status, 200);
    assert.equal(parallel.body.my_tasks.length, 1, 'my task stays open beside theirs');
    assert.equal((await taskAct('manager', p2, t2.task_id, 'approve')).body.status, 'in_progress');
    const beside = await myTask('hrbp', p2);
    assert.equal((await taskAct('hrbp', p2, beside.task_id, 'approve')).body.status, 'completed');

    // post: the added person decides after me.
    const p3 = await d.start('leave', 'employee', leave('2'));
    const t3 = await myTask('manager', p3);
    const post = await taskAct('manager', p3, t3.task_id, 'add-sign', {
      position: 'post',
      mode: 'and',
      user_ids: ['it_admin', 'hrbp'],
    });
    assert.equal(post.status, 200);
    assert.equal(
      (await (await as('it_admin')).get(`/api/v1/processes/${p3}`)).body.my_tasks.length,
      0,
      'not yet',
    );
    assert.equal((await taskAct('manager', p3, t3.task_id, 'approve')).body.status, 'in_progress');
    const afterMe = await myTask('it_admin', p3);
    assert.equal((await taskAct('it_admin', p3, afterMe.task_id, 'approve')).body.status, 'in_progress');
    const last = await myTask('hrbp', p3);
    const finished = await taskAct('hrbp', p3, last.task_id, 'approve');
    assert.equal(finished.body.status, 'completed');
    assert.match(
      (finished.body.timeline as Entry[]).find((e) => e.action === 'add_sign')?.detail?.en_us ?? '',
      /after themselves, countersign/,
    );
  });

  test('return to an earlier node: offered targets only', async () => {
    const p = await d.start('leave', 'employee', leave('5'));
    const first = await myTask('manager', p);
    assert.equal((await taskAct('manager', p, first.task_id, 'approve')).status, 200);
    const task = await myTask('dept_leader', p);
    assert.equal(task.can.return, true);
    assert.deepEqual(
      task.return_targets.map((r) => r.node_id),
      ['manager'],
    );
    const bad = await taskAct('dept_leader', p, task.task_id, 'return', { target_node_id: 'end' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.violations[0].field, 'target_node_id');
    const returned = await taskAct('dept_leader', p, task.task_id, 'return', {
      target_node_id: 'manager',
      reason: 'check dates',
    });
    assert.equal(returned.status, 200, JSON.stringify(returned.body));
    assert.deepEqual(returned.body.my_tasks, []);
    const entry = (returned.body.timeline as Entry[]).find((e) => e.action === 'return');
    assert.equal(entry?.detail?.en_us, 'returned to “Manager approval”');
    assert.equal(entry.reason, 'check dates');
    const again = await myTask('manager', p);
    assert.notEqual(again.task_id, first.task_id);
    // The path ahead is the department leader again.
    assert.ok(
      (await detail('employee', p)).upcoming.some((s: { node_id: string }) => s.node_id === 'dept_leader'),
    );
    const twice = await taskAct('dept_leader', p, task.task_id, 'return', { target_node_id: 'manager' });
    assert.equal(twice.status, 409);
  });

  test('withdraw: the initiator only, once', async () => {
    const p = await d.start('leave', 'employee', leave('2'));
    const byManager = await act('manager', p, 'withdraw');
    assert.equal(byManager.status, 403);
    assert.equal(byManager.body.error.code, 'operator_not_allowed');
    const withdrawn = await act('employee', p, 'withdraw', { reason: 'changed plans' });
    assert.equal(withdrawn.status, 200);
    assert.equal(withdrawn.body.status, 'withdrawn');
    assert.equal(withdrawn.body.can.withdraw, false);
    assert.equal(
      (withdrawn.body.timeline as Entry[]).find((e) => e.action === 'withdraw')?.reason,
      'changed plans',
    );
    // A bare POST (no body, no Content-Type) is an empty request, here a conflict like any second withdraw.
    const employee = await as('employee');
    const twice = await employee.request('POST', `/api/v1/processes/${p}/withdraw`, {
      headers: { 'x-csrf-token': await employee.ensureCsrf() },
    });
    assert.equal(twice.status, 409);
    assert.equal(twice.body.error.code, 'process_status_conflict');
    // The manager's closed task: no action any more.
    assert.deepEqual((await detail('manager', p)).my_tasks, []);
  });

  test('revoke: a process admin of the flow, once the process completed', async () => {
    const p = await d.start('leave', 'employee', leave('2'));
    const early = await act('process_admin', p, 'revoke');
    assert.equal(early.status, 409);
    assert.equal(early.body.error.code, 'process_status_conflict');
    const task = await myTask('manager', p);
    assert.equal((await taskAct('manager', p, task.task_id, 'approve')).body.status, 'completed');
    assert.equal((await detail('employee', p)).can.revoke, false);
    const admin = await detail('process_admin', p);
    assert.equal(admin.can.revoke, true);
    const byInitiator = await act('employee', p, 'revoke');
    assert.equal(byInitiator.status, 403);
    assert.equal(byInitiator.body.error.code, 'operator_not_allowed');
    const revoked = await act('process_admin', p, 'revoke', { reason: 'booked twice' });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    assert.equal(revoked.body.status, 'revoked');
    assert.equal(
      (revoked.body.timeline as Entry[]).find((e) => e.action === 'revoke')?.reason,
      'booked twice',
    );
    assert.equal((await act('process_admin', p, 'revoke')).status, 409);
  });

  test('two approvers of an or-sign node at once: one wins, the other gets 409', async () => {
    const imported = await t.admin('POST', '/tenants/demo/flow_definitions/import', {
      name: { zh_cn: '或签', en_us: 'Either approves' },
      biz_type: 'custom:either',
      process_admins: ['process_admin'],
      form: [{ api_name: 'note', label: { zh_cn: '说明', en_us: 'Note' }, type: 'text', required: true }],
      nodes: [
        { type: 'start', id: 'start', name: { zh_cn: '发起', en_us: 'Start' }, next: 'either' },
        {
          type: 'approval',
          id: 'either',
          name: { zh_cn: '任一审批', en_us: 'Either' },
          approvers: [{ type: 'users', user_ids: ['manager', 'dept_leader'] }],
          mode: 'or',
          next: 'end',
        },
        { type: 'end', id: 'end', name: { zh_cn: '结束', en_us: 'End' } },
      ],
    });
    assert.equal(imported.status, 201, JSON.stringify(imported.body));
    const flowId = imported.body.data.flow_definition_id as string;
    const started = await d.client.corehr.v2.processStart.create({
      params: { user_id_type: 'user_id' },
      data: {
        flow_definition_id: flowId,
        initiator_id: 'employee',
        flow_data: [{ variable_api_name: 'note', variable_value: text('either of you') }],
      },
    });
    const p = started.data!.process_id!;
    const a = await myTask('manager', p);
    const b = await myTask('dept_leader', p);
    assert.equal(
      (await detail('manager', p)).timeline.find((e: Entry) => e.node_id === 'either').tasks[0].why.en_us,
      'Named in the flow',
    );
    const results = await Promise.all([
      taskAct('manager', p, a.task_id, 'approve'),
      taskAct('dept_leader', p, b.task_id, 'approve'),
    ]);
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 409], JSON.stringify(results.map((r) => r.body)));
    const loser = results.find((r) => r.status === 409)!;
    assert.equal(loser.body.error.code, 'task_status_conflict');
    const final = await detail('employee', p);
    assert.equal(final.status, 'completed');
    const tasks = (final.timeline as Entry[]).find((e) => e.node_id === 'either')?.tasks ?? [];
    assert.deepEqual(tasks.map((x) => x.status).sort(), ['approved', 'cancelled']);
  });
});
