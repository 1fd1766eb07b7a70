import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { seedTenant, startTestServer, type TestServer } from '../helpers/server.js';
import { PeopleClient } from '../helpers/people.js';

interface Step {
  node_id: string;
  kind: string;
  assignees: { user_id: string; name: { en_us: string } }[];
  reasons: { zh_cn: string; en_us: string }[];
  skipped: string[];
  fallback?: string;
}

const LEAVE_5_DAYS = { leave_type: 'annual', start_date: '2026-03-02', end_date: '2026-03-06', days: '5' };

forEachDialect('people API: directory, flows, preview and start', (dialect) => {
  let server: TestServer;
  let employee: PeopleClient;
  let leaveId: string;
  before(async () => {
    server = await startTestServer(dialect, { flags: ['--demo'] });
    employee = new PeopleClient(server.url);
    await employee.signInDemo('employee');
    const flows = await employee.get('/api/v1/flows');
    leaveId = flows.body.items.find((f: { biz_type: string }) => f.biz_type === 'leave_application').flow_id;
  });
  after(() => server.close());

  test('the directory: active people and departments by name, paged without skips or repeats', async () => {
    assert.equal((await new PeopleClient(server.url).get('/api/v1/people')).status, 401);
    const wang = await employee.get('/api/v1/people?query=wang');
    assert.equal(wang.status, 200);
    assert.deepEqual(
      wang.body.items.map((p: { user_id: string }) => p.user_id),
      ['manager'],
    );
    assert.equal(wang.body.items[0].department.name.en_us, 'Backend');
    assert.equal(
      (await employee.get('/api/v1/people?query=%E7%8E%8B%E8%8A%B3')).body.items[0].user_id,
      'manager',
    );

    const all = (await employee.get('/api/v1/people?page_size=100')).body.items as { user_id: string }[];
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await employee.get(
        `/api/v1/people?page_size=4${token ? `&page_token=${encodeURIComponent(token)}` : ''}`,
      );
      assert.equal(page.status, 200);
      assert.ok(page.body.items.length <= 4);
      seen.push(...page.body.items.map((p: { user_id: string }) => p.user_id));
      token = page.body.page_token;
    } while (token);
    assert.deepEqual(
      seen,
      all.map((p) => p.user_id),
    );
    assert.equal(new Set(seen).size, seen.length);
    assert.ok(seen.length > 10);

    const forged = await employee.get('/api/v1/people?page_token=abc');
    assert.equal(forged.status, 400);
    assert.equal(forged.body.error.violations[0].field, 'page_token');
    const tooBig = await employee.get('/api/v1/people?page_size=101');
    assert.equal(tooBig.status, 400);
    assert.equal(tooBig.body.error.violations[0].field, 'page_size');

    const backend = await employee.get('/api/v1/departments?query=backend');
    assert.deepEqual(backend.body.items, [
      {
        department_id: backend.body.items[0].department_id,
        name: { zh_cn: '后端组', en_us: 'Backend' },
        parent_department_id: backend.body.items[0].parent_department_id,
      },
    ]);
    const departments = await employee.get('/api/v1/departments');
    assert.ok(
      departments.body.items.some(
        (d: { department_id: string }) => d.department_id === backend.body.items[0].parent_department_id,
      ),
    );
  });

  test('flows: enabled ones with their business type; the form in people shapes', async () => {
    const flows = await employee.get('/api/v1/flows');
    assert.equal(flows.status, 200);
    const leave = flows.body.items.find((f: { flow_id: string }) => f.flow_id === leaveId);
    assert.deepEqual(leave.name, { zh_cn: '休假申请', en_us: 'Leave' });
    assert.deepEqual(leave.biz_type_name, { zh_cn: '休假申请', en_us: 'Leave' });
    assert.equal(leave.version, 1);
    const search = await employee.get('/api/v1/flows?query=%E4%BC%91%E5%81%87');
    assert.deepEqual(
      search.body.items.map((f: { flow_id: string }) => f.flow_id),
      [leaveId],
    );

    const form = await employee.get(`/api/v1/flows/${leaveId}`);
    assert.equal(form.status, 200);
    assert.deepEqual(
      form.body.form.map((f: { api_name: string; type: string; required: boolean }) => [
        f.api_name,
        f.type,
        f.required,
      ]),
      [
        ['leave_type', 'enum', true],
        ['start_date', 'date', true],
        ['end_date', 'date', true],
        ['days', 'number', true],
        ['reason', 'text', false],
      ],
    );
    assert.deepEqual(form.body.form[0].options[0], {
      value: 'annual',
      label: { zh_cn: '年假', en_us: 'Annual' },
    });
    assert.deepEqual(form.body.selectable_nodes, []);

    const unknown = await employee.get('/api/v1/flows/1234567');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'definition_not_found');
    const malformed = await employee.get('/api/v1/flows/abc');
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.violations[0].field, 'flow_id');
  });

  test("another tenant's flow is not found, and cannot be previewed or started", async () => {
    await seedTenant(server, 'other_co');
    const imported = await server.admin('POST', '/tenants/other_co/flow_definitions/import', {
      name: { zh_cn: '其他', en_us: 'Other' },
      biz_type: 'custom:other',
      process_admins: ['u0'],
      form: [{ api_name: 'note', label: { zh_cn: '备注', en_us: 'Note' }, type: 'text', required: false }],
      nodes: [
        { type: 'start', id: 'start', name: { zh_cn: '发起', en_us: 'Start' }, next: 'a' },
        {
          type: 'approval',
          id: 'a',
          name: { zh_cn: '审批', en_us: 'Approve' },
          approvers: [{ type: 'users', user_ids: ['u0'] }],
          next: 'end',
        },
        { type: 'end', id: 'end', name: { zh_cn: '结束', en_us: 'End' } },
      ],
    });
    assert.equal(imported.status, 201, JSON.stringify(imported.body));
    const otherId = imported.body.data.flow_definition_id as string;
    const flows = await employee.get('/api/v1/flows?page_size=100');
    assert.ok(!flows.body.items.some((f: { flow_id: string }) => f.flow_id === otherId));
    assert.equal((await employee.get(`/api/v1/flows/${otherId}`)).status, 404);
    assert.equal((await employee.post(`/api/v1/flows/${otherId}/preview`, { form_values: {} })).status, 404);
    const start = await employee.post('/api/v1/processes', { flow_id: otherId, form_values: {} });
    assert.equal(start.status, 404);
    assert.equal(start.body.error.code, 'definition_not_found');
    assert.equal((await employee.get('/api/v1/inbox/counts')).body.started, 0);
  });

  test('preview: a 5-day leave goes to the manager, then the department leader; reasons in both languages', async () => {
    const preview = await employee.post(`/api/v1/flows/${leaveId}/preview`, { form_values: LEAVE_5_DAYS });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    const steps = preview.body.steps as Step[];
    assert.deepEqual(
      steps.map((s) => s.node_id),
      ['start', 'manager', 'long_leave', 'dept_leader', 'notify_hrbp', 'end'],
    );
    const manager = steps[1] as Step;
    assert.deepEqual(
      manager.assignees.map((a) => a.user_id),
      ['manager'],
    );
    assert.equal(manager.assignees[0]?.name.en_us, 'Wang Fang');
    assert.deepEqual(manager.reasons, [{ zh_cn: '发起人的直属上级', en_us: 'Manager of the initiator' }]);
    const leader = steps[3] as Step;
    assert.deepEqual(
      leader.assignees.map((a) => a.user_id),
      ['dept_leader'],
    );
    assert.equal(leader.reasons[0]?.en_us, "Leader of the initiator's department");
    assert.deepEqual(
      (steps[4] as Step).assignees.map((a) => a.user_id),
      ['hrbp'],
    );
    assert.equal(preview.body.blocked, undefined);
    assert.equal(preview.body.violations, undefined);

    // Two days: no department leader.
    const short = await employee.post(`/api/v1/flows/${leaveId}/preview`, {
      form_values: { ...LEAVE_5_DAYS, days: '2' },
    });
    assert.deepEqual(
      (short.body.steps as Step[]).map((s) => s.node_id),
      ['start', 'manager', 'long_leave', 'notify_hrbp', 'end'],
    );

    // Half-typed values are hints, not errors; they do not steer the path.
    const partial = await employee.post(`/api/v1/flows/${leaveId}/preview`, {
      form_values: { days: '5 d', start_date: '2026-02-30' },
    });
    assert.equal(partial.status, 200);
    assert.deepEqual(partial.body.violations.map((v: { field: string }) => v.field).sort(), [
      'form_values.days',
      'form_values.start_date',
    ]);
    assert.ok(!(partial.body.steps as Step[]).some((s) => s.node_id === 'dept_leader'));

    // The manager previewing their own leave: their manager is the department leader, who leads
    // their department too (the demo flow does not skip duplicate approvers).
    const manager2 = new PeopleClient(server.url);
    await manager2.signInDemo('manager');
    const own = await manager2.post(`/api/v1/flows/${leaveId}/preview`, { form_values: LEAVE_5_DAYS });
    const ownSteps = own.body.steps as Step[];
    assert.deepEqual(
      [ownSteps[1], ownSteps[3]].map((s) => s?.assignees.map((a) => a.user_id)),
      [['dept_leader'], ['dept_leader']],
    );

    // Nothing was stored.
    assert.equal((await employee.get('/api/v1/inbox/counts')).body.started, 0);
  });

  test('start: 201 as the signed-in person; bad values name their field; nothing stored on refusal', async () => {
    const noCsrf = await employee.request('POST', '/api/v1/processes', {
      body: { flow_id: leaveId, form_values: LEAVE_5_DAYS },
    });
    assert.equal(noCsrf.status, 403);
    assert.equal(noCsrf.body.error.code, 'csrf_invalid');

    const missing = await employee.post('/api/v1/processes', {
      flow_id: leaveId,
      form_values: { leave_type: 'holiday', days: 'five', extra: 'x' },
    });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'form_invalid');
    const fields = missing.body.error.violations.map((v: { field: string }) => v.field).sort();
    assert.deepEqual(fields, [
      'form_values.days',
      'form_values.end_date',
      'form_values.extra',
      'form_values.leave_type',
      'form_values.start_date',
    ]);

    const nul = await employee.post('/api/v1/processes', {
      flow_id: leaveId,
      form_values: { ...LEAVE_5_DAYS, reason: 'a\u0000b' },
    });
    assert.equal(nul.status, 400);
    assert.equal(nul.body.error.code, 'invalid_field');
    assert.equal(nul.body.error.violations[0].field, 'form_values.reason');

    const long = await employee.post('/api/v1/processes', {
      flow_id: leaveId,
      form_values: { ...LEAVE_5_DAYS, reason: 'x'.repeat(10_001) },
    });
    assert.equal(long.status, 400);
    assert.equal(long.body.error.violations[0].field, 'form_values.reason');

    const huge = await employee.post('/api/v1/processes', {
      flow_id: leaveId,
      form_values: { ...LEAVE_5_DAYS, reason: 'x'.repeat(2 * 1024 * 1024) },
    });
    assert.equal(huge.status, 413);

    const badSelection = await employee.post('/api/v1/processes', {
      flow_id: leaveId,
      form_values: LEAVE_5_DAYS,
      selected_approvers: { manager: ['nobody'] },
    });
    assert.equal(badSelection.status, 400);
    assert.equal(badSelection.body.error.violations[0].field, 'selected_approvers.manager[0]');

    assert.equal((await employee.get('/api/v1/inbox/counts')).body.started, 0);

    const started = await employee.post('/api/v1/processes', {
      flow_id: leaveId,
      form_values: { ...LEAVE_5_DAYS, reason: 'Family trip' },
    });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    assert.match(started.body.process_id, /^\d+$/);
    assert.equal(started.body.status, 'in_progress');
    assert.equal((await employee.get('/api/v1/inbox/counts')).body.started, 1);
    // Started as the person: the Open-API view of the process names them as initiator.
    const processes = await server.admin('GET', `/tenants/demo/processes/${started.body.process_id}`);
    assert.equal(processes.body.data.initiator_user_id, 'employee');
  });

  test('a business type has one name on every screen; a custom type is named after its flow, never its key', async () => {
    const flows = await employee.get('/api/v1/flows');
    const expense = flows.body.items.find((f: { biz_type: string }) => f.biz_type === 'custom:expense');
    assert.ok(expense, 'the demo expense flow');
    // Not "Expense" read from `custom:expense` in both languages: the flow's own name.
    assert.deepEqual(expense.biz_type_name, { zh_cn: '费用报销', en_us: 'Expense' });
    const search = await employee.get(`/api/v1/flows?query=${encodeURIComponent('费用')}`);
    assert.ok(search.body.items.some((f: { flow_id: string }) => f.flow_id === expense.flow_id));

    // The same names in the console's flow list, the process page and the manager's to-do list.
    const admin = new PeopleClient(server.url);
    await admin.signInDemo('hr_head');
    const console = await admin.get('/api/v1/admin/flows?page_size=100');
    assert.equal(console.status, 200);
    const named = (items: { flow_id: string; biz_type_name: unknown }[], id: string) =>
      items.find((f) => f.flow_id === id)?.biz_type_name;
    assert.deepEqual(named(console.body.items, expense.flow_id), expense.biz_type_name);
    assert.deepEqual(named(console.body.items, leaveId), { zh_cn: '休假申请', en_us: 'Leave' });

    const started = await employee.post('/api/v1/processes', {
      flow_id: expense.flow_id,
      form_values: { amount: '120', items: [{ description: 'Taxi', amount: '120' }] },
    });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const processId = started.body.process_id as string;
    const detail = await employee.get(`/api/v1/processes/${processId}`);
    assert.deepEqual(detail.body.biz_type_name, expense.biz_type_name);
    const manager = new PeopleClient(server.url);
    await manager.signInDemo('manager');
    const todo = await manager.get('/api/v1/inbox/todo?page_size=100');
    const item = todo.body.items.find((i: { process_id: string }) => i.process_id === processId);
    assert.deepEqual(item?.biz_type_name, expense.biz_type_name);
  });
});
