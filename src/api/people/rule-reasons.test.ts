import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DirectorySnapshot } from '../../engine/approver-resolution.js';
import type { ApproverRule, FlowDefinition } from '../../engine/definition.js';
import { fallbackReason, ruleReason } from './rule-reasons.js';

const definition: FlowDefinition = {
  id: 'flow',
  version: 1,
  name: { zh_cn: '交接', en_us: 'Handover' },
  bizType: 'custom:handover',
  processAdminIds: [],
  form: [
    { apiName: 'successor', label: { zh_cn: '交接人', en_us: 'Hand over to' }, type: 'user', required: true },
  ],
  nodes: [],
  settings: { skipDuplicateApprovers: false, revokeNeedsApproval: false },
};

const directory: DirectorySnapshot = {
  employees: new Map(),
  departments: new Map(),
  roles: new Map([
    [
      'hrbp',
      {
        id: 'r1',
        tenantId: 't',
        roleKey: 'hrbp',
        name: { zh_cn: '人事业务伙伴', en_us: 'HRBP' },
        members: [],
        createdAt: 0,
        updatedAt: 0,
      },
    ],
  ]),
};

const reason = (rule: ApproverRule) => ruleReason(rule, definition, directory);

test('every approver rule says why in both languages', () => {
  assert.deepEqual(reason({ kind: 'users', userIds: ['a'] }), {
    zh_cn: '流程指定的人员',
    en_us: 'Named in the flow',
  });
  assert.deepEqual(reason({ kind: 'initiator' }), { zh_cn: '发起人本人', en_us: 'The initiator' });
  assert.deepEqual(reason({ kind: 'initiator_selected' }), {
    zh_cn: '发起人自选',
    en_us: 'Chosen by the initiator',
  });
  assert.deepEqual(reason({ kind: 'manager', level: 1 }), {
    zh_cn: '发起人的直属上级',
    en_us: 'Manager of the initiator',
  });
  assert.deepEqual(reason({ kind: 'manager', level: 2 }), {
    zh_cn: '发起人的第 2 级上级',
    en_us: 'Manager 2 levels above the initiator',
  });
  assert.deepEqual(reason({ kind: 'department_leader', level: 1 }), {
    zh_cn: '发起人所在部门的负责人',
    en_us: "Leader of the initiator's department",
  });
  assert.deepEqual(reason({ kind: 'department_leader', level: 3 }), {
    zh_cn: '发起人所在部门向上第 3 级部门的负责人',
    en_us: "Leader of the department 3 levels above the initiator's",
  });
  assert.deepEqual(reason({ kind: 'role', roleKey: 'hrbp' }), {
    zh_cn: '角色「人事业务伙伴」（负责发起人所在部门）',
    en_us: "Role “HRBP” serving the initiator's department",
  });
  assert.deepEqual(reason({ kind: 'form_field', field: 'successor' }), {
    zh_cn: '表单字段「交接人」中填写的人员',
    en_us: 'Named in the form field “Hand over to”',
  });
});

test('a role or field that no longer exists is named by its key', () => {
  assert.equal(
    reason({ kind: 'role', roleKey: 'gone' }).en_us,
    "Role “gone” serving the initiator's department",
  );
  assert.equal(reason({ kind: 'form_field', field: 'gone' }).zh_cn, '表单字段「gone」中填写的人员');
});

test('fallbacks say that nobody was found and what happens instead', () => {
  assert.equal(fallbackReason('to_admins').en_us, 'No approver found: the process admins take over');
  assert.equal(fallbackReason('auto_pass').zh_cn, '未找到审批人，自动通过');
  assert.equal(fallbackReason('refused').en_us, 'No approver found: the flow cannot start');
});
