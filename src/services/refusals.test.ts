import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REFUSAL_LANGUAGES, REFUSAL_REASONS, refusalMessage, refuse } from './refusals.js';

test('every refusal reason is worded in every console language, with its params', () => {
  const params = { department_id: 'd1', user_id: 'u1', role_keys: ['r1', 'r2'], department_ids: ['d2'] };
  for (const reason of REFUSAL_REASONS) {
    const [english, chinese] = REFUSAL_LANGUAGES.map((language) => refusalMessage(reason, params, language));
    assert.ok(english && /^[\x20-\x7e]+$/.test(english), `${reason}: English ${english}`);
    assert.ok(chinese && /[\u4e00-\u9fff]/.test(chinese), `${reason}: Chinese ${chinese}`);
    assert.notEqual(english, chinese);
  }
  assert.equal(
    refusalMessage('employee_in_roles', params, 'zh-CN'),
    'u1 是角色 r1、r2 的成员；请先将其移出这些角色',
  );
});

test('refuse: the failure keeps the English message and carries the reason', () => {
  const result = refuse('in_use', 'employee_manages_others', { user_id: 'u1' });
  assert.deepEqual(result, {
    ok: false,
    error: {
      kind: 'in_use',
      message: 'u1 is the direct manager of other employees; give them another manager first',
      refusal: { reason: 'employee_manages_others', params: { user_id: 'u1' } },
    },
  });
});
