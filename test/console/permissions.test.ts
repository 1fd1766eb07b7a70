import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer } from '../helpers/server.js';
import { signedInDemo } from '../helpers/fixtures.js';

const t = (zh_cn: string, en_us: string) => ({ zh_cn, en_us });

/** A raise request: the manager decides without seeing the current salary; the leader sees everything. */
function raiseFlow(managerNode: Record<string, unknown> = {}) {
  return {
    name: t('调薪', 'Raise'),
    biz_type: 'cpst_adjust_salary_flow_info',
    process_admins: ['process_admin'],
    form: [
      { api_name: 'current_salary', label: t('当前薪资', 'Current salary'), type: 'number', required: true },
      { api_name: 'reason', label: t('理由', 'Reason'), type: 'text', required: true },
    ],
    nodes: [
      { type: 'start', id: 'start', next: 'manager' },
      {
        type: 'approval',
        id: 'manager',
        name: t('上级审批', 'Manager'),
        approvers: [{ type: 'manager', level: 1 }],
        hidden_fields: ['current_salary'],
        next: 'leader',
        ...managerNode,
      },
      {
        type: 'approval',
        id: 'leader',
        name: t('负责人审批', 'Leader'),
        approvers: [{ type: 'department_leader', level: 1 }],
        next: 'end',
      },
      { type: 'end', id: 'end' },
    ],
  };
}

forEachDialect('console field permissions', (dialect) => {
  test('a field hidden at a node is not shown to its assignees; the initiator and admins still see it', async () => {
    const server = await startTestServer(dialect, { flags: ['--demo'] });
    try {
      const as = (userId: string) => signedInDemo(server, userId);
      // Validation: hidden fields must exist, and cannot also be editable.
      const unknown = await server.admin(
        'POST',
        '/tenants/demo/flow_definitions/import',
        raiseFlow({ hidden_fields: ['bonus'] }),
      );
      assert.equal(unknown.status, 400);
      assert.deepEqual(unknown.body.error.field_violations, [
        { field: 'nodes[manager].hidden_fields', description: '"bonus" is not a field of the form' },
      ]);
      const both = await server.admin(
        'POST',
        '/tenants/demo/flow_definitions/import',
        raiseFlow({ editable_fields: ['current_salary'] }),
      );
      assert.equal(both.status, 400);
      assert.deepEqual(both.body.error.field_violations, [
        {
          field: 'nodes[manager].hidden_fields',
          description: '"current_salary" cannot be both hidden and editable at this node',
        },
      ]);

      const imported = await server.admin('POST', '/tenants/demo/flow_definitions/import', raiseFlow());
      assert.ok(imported.status < 300, JSON.stringify(imported.body));
      const flowId = imported.body.data.flow_definition_id as string;
      // Exported as written.
      const exported = await server.admin('GET', `/tenants/demo/flow_definitions/${flowId}/export`);
      const managerDoc = exported.body.data.nodes.find((n: { id: string }) => n.id === 'manager');
      assert.deepEqual(managerDoc.hidden_fields, ['current_salary']);

      const employee = await as('employee');
      const started = await employee.post('/api/v1/processes', {
        flow_id: flowId,
        form_values: { current_salary: '30000', reason: 'Promotion' },
      });
      assert.equal(started.status, 201, JSON.stringify(started.body));
      const processId = started.body.process_id as string;
      const detailOf = async (userId: string) =>
        (await (await as(userId)).get(`/api/v1/processes/${processId}`)).body;

      // The manager acts only at the node that hides the salary: no field, no value, no summary line.
      const manager = await as('manager');
      const seenByManager = (await manager.get(`/api/v1/processes/${processId}`)).body;
      assert.deepEqual(
        seenByManager.form.map((f: { api_name: string }) => f.api_name),
        ['reason'],
      );
      assert.equal(seenByManager.form_values.current_salary, undefined);
      assert.equal(seenByManager.form_values.reason, 'Promotion');
      assert.doesNotMatch(JSON.stringify(seenByManager.summary), /30000/);
      const todo = (await manager.get('/api/v1/inbox/todo')).body.items.find(
        (i: { process_id: string }) => i.process_id === processId,
      );
      assert.doesNotMatch(JSON.stringify(todo.summary), /30000/);
      assert.match(JSON.stringify(todo.summary), /Promotion/);

      // The initiator and the process admin see it.
      for (const userId of ['employee', 'process_admin']) {
        const detail = await detailOf(userId);
        assert.equal(detail.form_values.current_salary, '30000', userId);
        assert.ok(detail.form.some((f: { api_name: string }) => f.api_name === 'current_salary'));
      }

      // After the manager approves, the department leader (whose node hides nothing) sees it; the manager still does not.
      const task = seenByManager.my_tasks[0].task_id as string;
      const approved = await manager.post(`/api/v1/processes/${processId}/tasks/${task}/approve`, {});
      assert.equal(approved.status, 200, JSON.stringify(approved.body));
      assert.equal(approved.body.form_values.current_salary, undefined);
      assert.equal((await detailOf('dept_leader')).form_values.current_salary, '30000');
      assert.equal((await detailOf('manager')).form_values.current_salary, undefined);
    } finally {
      await server.close();
    }
  });
});
