import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_FLOWS } from './demo-flows.js';
import { documentPathOf, pinProblems } from './flow-problems.js';

const leave = DEMO_FLOWS.leave!;

test('engine paths become document paths: node ids to indexes, engine names to the document’s', () => {
  assert.equal(documentPathOf(leave, 'nodes[manager].approvers[0]'), 'nodes[1].approvers[0]');
  assert.equal(documentPathOf(leave, 'nodes[notify_hrbp].approvers'), 'nodes[4].recipients');
  assert.equal(
    documentPathOf(leave, 'nodes[long_leave].branches[0].condition'),
    'nodes[2].branches[0].condition',
  );
  assert.equal(documentPathOf(leave, 'process_admin_ids'), 'process_admins');
  assert.equal(documentPathOf(leave, 'nodes[nowhere]'), 'nodes[nowhere]', 'an unknown id stays as it is');
  assert.equal(documentPathOf(leave, 'form[2].api_name'), 'form[2].api_name');
});

test('problems are pinned on their node or form field', () => {
  const problems = pinProblems(
    leave,
    [{ field: 'nodes[1].approvers[0].user_ids[0]', description: 'unknown user' }],
    [
      { field: 'form[3].api_name', description: 'is used twice' },
      { field: 'nodes[long_leave].branches[0].condition', description: 'does not type-check' },
      { field: 'nodes', description: 'needs an end node' },
    ],
  );
  const withRules = {
    ...leave,
    rules: { validations: [{ id: 'order', expression: 'x', message: leave.name, fields: ['end_date'] }] },
  };
  assert.deepEqual(
    pinProblems(
      withRules,
      [],
      [{ field: 'rules.validations[0].expression', description: 'does not type-check' }],
    ),
    [
      {
        field: 'rules.validations[0].expression',
        description: 'does not type-check',
        field_api_name: 'end_date',
      },
    ],
  );
  assert.deepEqual(problems, [
    { field: 'nodes[1].approvers[0].user_ids[0]', description: 'unknown user', node_id: 'manager' },
    { field: 'form[3].api_name', description: 'is used twice', field_api_name: 'days' },
    { field: 'nodes[2].branches[0].condition', description: 'does not type-check', node_id: 'long_leave' },
    { field: 'nodes', description: 'needs an end node' },
  ]);
});
