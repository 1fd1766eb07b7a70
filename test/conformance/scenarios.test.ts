import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { choice, date, DemoDriver, failure, num, sdkClient, text } from '../helpers/sdk.js';

const LEAVE = (days: string) => ({
  leave_type: choice('annual'),
  start_date: date('2026-12-01'),
  end_date: date('2026-12-09'),
  days: num(days),
});
const who = (list: { operator_id?: string }[] | undefined) => (list ?? []).map((x) => x.operator_id).sort();

forEachDialect('demo scenarios through the official SDK', (dialect) => {
  let t: TestServer;
  let d: DemoDriver;
  before(async () => {
    t = await startTestServer(dialect, { flags: ['--demo'] });
    const demo = t.server.demo!;
    d = new DemoDriver(sdkClient(t.url, demo.app), demo);
  });
  after(() => t.close());

  test('leave, 2 days: the manager approves; the HRBP is copied; everyone sees their tasks', async () => {
    const p = await d.start('leave', 'employee', LEAVE('2'));
    let view = await d.get(p);
    assert.equal(view.status, 1);
    assert.deepEqual(who(view.todos), ['manager']);
    assert.equal(view.initiator_id, 'employee');
    assert.deepEqual(view.flow_definition_name, { zh_cn: '休假申请', en_us: 'Leave' });
    await d.approve(p, 'manager');
    view = await d.get(p);
    assert.equal(view.status, 9);
    assert.deepEqual(view.todos, []);
    assert.deepEqual(who(view.done_list), ['manager']);
    assert.equal(view.done_list?.[0]?.status, 3);
    assert.equal((view.done_list ?? [])[0]?.approval_opinion, 'agreed');
    assert.deepEqual(who(view.cc_list), ['hrbp']);
    assert.deepEqual(
      (await d.tasks('manager', p)).map((x) => x.approver_status),
      [3],
    );
    assert.deepEqual(await d.tasks('dept_leader', p), []);
    const form = await d.form(p);
    assert.deepEqual(form.days, { number_value: '2' });
    assert.deepEqual(form.leave_type, { enum_value: 'annual' });
  });

  test('leave, 5 days: the department leader approves after the manager', async () => {
    const p = await d.start('leave', 'employee', LEAVE('5'));
    await d.approve(p, 'manager');
    let view = await d.get(p);
    assert.equal(view.status, 1);
    assert.deepEqual(who(view.todos), ['dept_leader']);
    await d.approve(p, 'dept_leader');
    view = await d.get(p);
    assert.equal(view.status, 9);
    assert.deepEqual(who(view.done_list), ['dept_leader', 'manager']);
    assert.deepEqual(who(view.cc_list), ['hrbp']);
    assert.deepEqual(
      (await d.tasks('dept_leader', p)).map((x) => x.approver_status),
      [3],
    );
  });

  test('information change: the HRBP edits new_value through field_values_v2', async () => {
    const p = await d.start('info_change', 'employee', { field: choice('phone'), new_value: text('123') });
    const notEditable = await failure(
      d.client.corehr.v2.processApprover.update({
        path: { process_id: p, approver_id: await d.openTask('hrbp', p) },
        params: { user_id_type: 'user_id' },
        data: {
          status: 3,
          user_id: 'hrbp',
          field_values_v2: [{ variable_api_name: 'field', variable_value: { enum_value: 'address' } }],
        },
      }),
    );
    assert.equal(notEditable.code, 1161008);
    assert.deepEqual(notEditable.fields, ['field_values_v2.field']);
    await d.approve(p, 'hrbp', [
      { variable_api_name: 'new_value', variable_value: { text_value: '+86 138 0000 0000' } },
    ]);
    assert.equal((await d.get(p)).status, 9);
    assert.deepEqual((await d.form(p)).new_value, { text_value: '+86 138 0000 0000' });
  });

  test('job change: manager and department leader countersign, then the HRBP', async () => {
    const p = await d.start('job_change', 'employee', {
      target_department: { department_value: t.server.demo!.departments.sales!.open_department_id },
      effective_date: date('2027-01-01'),
      reason: text('growth'),
    });
    // department_value arrives in department_id_type (default open_department_id): use the right type.
    let view = await d.get(p);
    assert.deepEqual(who(view.todos), ['dept_leader', 'manager']);
    await d.approve(p, 'manager');
    view = await d.get(p);
    assert.equal(view.status, 1);
    assert.deepEqual(who(view.todos), ['dept_leader'], 'a countersign waits for everyone');
    await d.approve(p, 'dept_leader');
    assert.deepEqual(who((await d.get(p)).todos), ['hrbp']);
    await d.approve(p, 'hrbp');
    assert.equal((await d.get(p)).status, 9);
    assert.deepEqual((await d.form(p)).target_department, { department_value: 'sales' });
  });

  test('offboarding: the HRBP fills handover_to in the form-fill node, then IT approves', async () => {
    const p = await d.start('offboarding', 'employee', {
      last_day: date('2026-12-31'),
      reason: text('moving'),
    });
    await d.approve(p, 'manager');
    const view = await d.get(p);
    assert.equal(view.todos?.[0]?.type, 2, 'a form-fill to-do');
    const missing = await failure(
      d.client.corehr.v2.processApprover.update({
        path: { process_id: p, approver_id: await d.openTask('hrbp', p) },
        params: { user_id_type: 'user_id' },
        data: { status: 3, user_id: 'hrbp' },
      }),
    );
    assert.equal(missing.code, 1161008);
    assert.deepEqual(missing.fields, ['field_values_v2.handover_to']);
    const colleague = t.server.demo!.users.backend_dev!.people_corehr_id;
    await d.approve(p, 'hrbp', [
      { variable_api_name: 'handover_to', variable_value: { employment_value: colleague } },
    ]);
    assert.deepEqual(
      (await d.tasks('hrbp', p)).map((x) => x.approver_status),
      [6],
      'form submitted',
    );
    assert.deepEqual((await d.form(p)).handover_to, { user_value: 'backend_dev' });
    await d.approve(p, 'it_admin');
    assert.equal((await d.get(p)).status, 9);
  });

  test('expense: a record list, and all three amount branches', async () => {
    const items = (amount: string) => ({
      variable_api_name: 'items',
      variable_value: {
        record_values: [
          { variable_api_name: 'description', sub_value_key: 'r1.description', record_id: 'r1' },
          { variable_api_name: 'amount', sub_value_key: 'r1.amount', record_id: 'r1' },
        ],
      },
      sub_values: [
        { key: 'r1.description', value: { text_value: 'flight' } },
        { key: 'r1.amount', value: { number_value: amount } },
      ],
    });
    for (const [amount, chain] of [
      ['800', ['manager']],
      ['6000', ['manager', 'dept_leader']],
      ['25000', ['manager', 'dept_leader', 'process_admin']],
    ] as const) {
      const p = await d.start('expense', 'employee', { amount: num(amount) }, [items(amount)]);
      for (const person of chain) {
        assert.deepEqual(who((await d.get(p)).todos), [person]);
        await d.approve(p, person);
      }
      const view = await d.get(p);
      assert.equal(view.status, 9, `${amount}: ${chain.join(' → ')}`);
      assert.deepEqual(who(view.done_list), [...chain].sort());
      const form = await d.form(p);
      assert.deepEqual(form.items, {
        record_values: [
          { variable_api_name: 'description', sub_value_key: 'row_1.description', record_id: 'row_1' },
          { variable_api_name: 'amount', sub_value_key: 'row_1.amount', record_id: 'row_1' },
        ],
      });
    }
  });

  test('withdraw by the initiator; revoke by the process admin; reject', async () => {
    const withdrawn = await d.start('leave', 'employee', LEAVE('2'));
    const notInitiator = await failure(
      d.client.corehr.v2.processWithdraw.update({
        path: { process_id: withdrawn },
        params: { user_id_type: 'user_id' },
        data: { user_id: 'manager' },
      }),
    );
    assert.deepEqual([notInitiator.status, notInitiator.code], [403, 1161005]);
    await d.client.corehr.v2.processWithdraw.update({
      path: { process_id: withdrawn },
      params: { user_id_type: 'user_id' },
      data: { user_id: 'employee', reason: 'plans changed' },
    });
    assert.equal((await d.get(withdrawn)).status, 4);
    assert.deepEqual(
      (await d.tasks('manager', withdrawn)).map((x) => x.approver_status),
      [4],
    );

    const revoked = await d.start('leave', 'employee', LEAVE('2'));
    await d.approve(revoked, 'manager');
    const byEmployee = await failure(
      d.client.corehr.v2.processRevoke.update({
        path: { process_id: revoked },
        params: { user_id_type: 'user_id' },
        data: { user_id: 'employee' },
      }),
    );
    assert.equal(byEmployee.code, 1161005);
    await d.client.corehr.v2.processRevoke.update({
      path: { process_id: revoked },
      params: { user_id_type: 'user_id' },
      data: { user_id: 'process_admin', reason: 'entered twice' },
    });
    assert.equal((await d.get(revoked)).status, 8);

    const rejected = await d.start('leave', 'employee', LEAVE('5'));
    await d.decide(rejected, 'manager', 2);
    const view = await d.get(rejected);
    assert.equal(view.status, 2);
    assert.deepEqual(view.todos, []);
    assert.equal(view.done_list?.[0]?.status, 2);
  });

  test('add-sign of each type and transfer', async () => {
    const extra = (
      processId: string,
      approverId: string,
      operator: string,
      extraType: number,
      users: string[],
      approvalType?: number,
    ) =>
      d.client.corehr.v2.processExtra.update({
        path: { process_id: processId },
        params: { user_id_type: 'user_id' },
        data: {
          operator,
          approver_id: approverId,
          extra_type: extraType,
          extra_user_ids: users,
          ...(approvalType === undefined ? {} : { approval_type: approvalType }),
        },
      });

    const pre = await d.start('leave', 'employee', LEAVE('2'));
    await extra(pre, await d.openTask('manager', pre), 'manager', 0, ['hrbp']);
    assert.deepEqual(who((await d.get(pre)).todos), ['hrbp'], 'pre add-sign: the added person first');
    await d.approve(pre, 'hrbp');
    await d.approve(pre, 'manager');
    assert.equal((await d.get(pre)).status, 9);

    const parallel = await d.start('leave', 'employee', LEAVE('2'));
    const orSign = await failure(
      extra(parallel, await d.openTask('manager', parallel), 'manager', 1, ['hrbp'], 0),
    );
    assert.deepEqual([orSign.code, orSign.fields], [99992402, ['approval_type']]);
    await extra(parallel, await d.openTask('manager', parallel), 'manager', 1, ['hrbp'], 1);
    assert.deepEqual(who((await d.get(parallel)).todos), ['hrbp', 'manager']);
    await d.approve(parallel, 'manager');
    assert.equal((await d.get(parallel)).status, 1, 'parallel add-sign is a countersign');
    await d.approve(parallel, 'hrbp');
    assert.equal((await d.get(parallel)).status, 9);

    const post = await d.start('leave', 'employee', LEAVE('2'));
    await extra(post, await d.openTask('manager', post), 'manager', 2, ['it_admin']);
    await d.approve(post, 'manager');
    assert.deepEqual(who((await d.get(post)).todos), ['it_admin'], 'post add-sign: after the original');
    await d.approve(post, 'it_admin');
    assert.equal((await d.get(post)).status, 9);

    const self = await failure(extra(post, '1', 'manager', 0, ['manager']));
    assert.equal(self.code, 1161003, 'the process is already completed');

    const transfer = await d.start('leave', 'employee', LEAVE('2'));
    const task = await d.openTask('manager', transfer);
    const toSelf = await failure(
      d.client.corehr.v2.processTransfer.update({
        path: { process_id: transfer },
        params: { user_id_type: 'user_id' },
        data: { operator: 'manager', to_user_id: 'manager', approver_ids: [task] },
      }),
    );
    assert.deepEqual([toSelf.code, toSelf.fields], [99992402, ['to_user_id']]);
    await d.client.corehr.v2.processTransfer.update({
      path: { process_id: transfer },
      params: { user_id_type: 'user_id' },
      data: { operator: 'manager', to_user_id: 'dept_leader', approver_ids: [task], remark: 'on leave' },
    });
    assert.deepEqual(
      (await d.tasks('manager', transfer)).map((x) => x.approver_status),
      [4],
    );
    assert.deepEqual(who((await d.get(transfer)).todos), ['dept_leader']);
    await d.approve(transfer, 'dept_leader');
    assert.equal((await d.get(transfer)).status, 9);
  });
});
