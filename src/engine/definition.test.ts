import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateDefinition, type FlowDefinition } from './definition.js';
import { previewPath } from './preview.js';
import {
  approval,
  context,
  end,
  flow,
  LEAVE_VALUES,
  singleNode,
  start,
  users,
} from './__fixtures__/flows.js';
import type { ProcessState } from './process.js';

const fields = (definition: FlowDefinition) =>
  validateDefinition(definition).map((v) => `${v.field}: ${v.description}`);

test('a well-formed definition has no problems', () => {
  assert.deepEqual(fields(singleNode([users('a')])), []);
});

test('publish-time problems point at the node and field', () => {
  const unreachable = flow([
    start('n1'),
    approval('n1', [users('a')], 'end'),
    approval('orphan', [users('b')], 'end'),
    end(),
  ]);
  assert.deepEqual(fields(unreachable), ['nodes[orphan]: cannot be reached from the start node']);

  const noDefault = flow([
    start('gw'),
    {
      id: 'gw',
      kind: 'exclusive',
      name: { zh_cn: 'g', en_us: 'g' },
      branches: [{ condition: 'form.days > 3', next: 'end' }],
      defaultNext: '',
    },
    end(),
  ]);
  assert.ok(fields(noDefault).some((f) => f.startsWith('nodes[gw].default_next')));

  const unknownField = flow([
    start('gw'),
    {
      id: 'gw',
      kind: 'exclusive',
      name: { zh_cn: 'g', en_us: 'g' },
      branches: [
        { condition: 'form.salary > 3', next: 'end' },
        { condition: 'form.days >', next: 'end' },
      ],
      defaultNext: 'end',
    },
    end(),
  ]);
  const problems = fields(unknownField);
  assert.ok(
    problems.some((p) =>
      p.startsWith('nodes[gw].branches[0].condition: refers to unknown form field "salary"'),
    ),
    problems.join('\n'),
  );
  assert.ok(
    problems.some((p) => p.startsWith('nodes[gw].branches[1].condition: does not parse')),
    problems.join('\n'),
  );

  const emptyRules = flow([start('n1'), approval('n1', [], 'end'), end()]);
  assert.deepEqual(fields(emptyRules), ['nodes[n1].approvers: has no approver rule']);

  const cycle = flow([
    start('n1'),
    approval('n1', [users('a')], 'n2'),
    approval('n2', [users('b')], 'n1'),
    end(),
  ]);
  const cycleProblems = fields(cycle);
  assert.ok(
    cycleProblems.some((p) => /cycle: n1 → n2 → n1/.test(p)),
    cycleProblems.join('\n'),
  );

  const badRefs = flow(
    [
      start('n1'),
      approval(
        'n1',
        [
          { kind: 'form_field', field: 'reason' },
          { kind: 'manager', level: 0 },
        ],
        'nowhere',
        { editable: ['nope'] },
      ),
      end(),
    ],
    {
      bizType: 'made_up',
      processAdminIds: [],
    },
  );
  assert.deepEqual(
    fields(badRefs).sort(),
    [
      'biz_type: is neither a listed business type nor custom:<name>',
      'nodes[n1]: leads to unknown node "nowhere"',
      'nodes[n1].approvers[0].field: "reason" is not a user or employment field of the form',
      'nodes[n1].approvers[1].level: must be 1 to 10',
      'nodes[n1].editable_fields[0]: "nope" is not a field of the form',
      'process_admin_ids: needs at least one process admin',
    ].sort(),
  );
});

test('path preview: branches, resolved approvers, fallbacks and duplicate skips, without starting anything', () => {
  const definition = flow(
    [
      start('gw'),
      {
        id: 'gw',
        kind: 'exclusive',
        name: { zh_cn: 'g', en_us: 'g' },
        branches: [{ condition: 'form.days > 3', next: 'long' }],
        defaultNext: 'mgr',
      },
      approval('long', [{ kind: 'manager', level: 1 }], 'mgr'),
      approval('mgr', [{ kind: 'manager', level: 1 }, users('lead')], 'nobody'),
      approval('nobody', [{ kind: 'manager', level: 8 }], 'cc', { fallback: 'to_admins' }),
      {
        id: 'cc',
        kind: 'cc',
        name: { zh_cn: 'c', en_us: 'c' },
        recipients: [{ kind: 'role', roleKey: 'hrbp' }],
        next: 'end',
      },
      end(),
    ],
    { settings: { skipDuplicateApprovers: true, revokeNeedsApproval: false } },
  );
  const state = {
    initiatorId: 'emp',
    formValues: { ...LEAVE_VALUES, days: '5' },
    selectedApprovers: {},
  } as unknown as ProcessState;
  const steps = previewPath(definition, state, context());
  assert.deepEqual(
    steps.map((s) => [s.nodeId, s.assignees.join(','), s.skipped.join(','), s.fallback ?? '']),
    [
      ['start', '', '', ''],
      ['gw', '', '', ''],
      ['long', 'mgr', '', ''],
      ['mgr', 'mgr,lead', 'mgr', ''],
      ['nobody', 'admin', '', 'to_admins'],
      ['cc', 'hrbp', '', ''],
      ['end', '', '', ''],
    ],
  );
});
