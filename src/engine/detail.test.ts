import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, startProcess } from './transitions.js';
import { processDetail } from './detail.js';
import { approval, context, directory, end, flow, start, users } from './__fixtures__/flows.js';

test('detail: to-dos, done list, system decisions, CC list and the form summary', () => {
  const definition = flow(
    [
      start('n1'),
      approval('n1', [users('a')], 'n2'),
      approval('n2', [users('a', 'b')], 'cc', { mode: { kind: 'and' } }),
      { id: 'cc', kind: 'cc', name: { zh_cn: '抄送', en_us: 'CC' }, recipients: [users('x')], next: 'end' },
      end(),
    ],
    { settings: { skipDuplicateApprovers: true, revokeNeedsApproval: false } },
  );
  const ctx = context();
  const started = startProcess(
    definition,
    { processId: 'p', initiatorId: 'emp', formValues: { leave_type: 'annual', days: '2', handover_to: 'x' } },
    ctx,
  );
  assert.ok(started.ok);
  const taskA = started.value.state.tasks.find((t) => t.assigneeId === 'a' && t.status === 'in_progress')!;
  const afterA = decide(
    definition,
    started.value.state,
    { kind: 'approve', taskId: taskA.id, operatorId: 'a', system: false, reason: 'ok' },
    ctx,
  );
  assert.ok(afterA.ok);
  const detail = processDetail(definition, afterA.value.state, directory());
  assert.deepEqual(
    detail.todos.map((l) => [l.assigneeId, l.nodeDefId]),
    [['b', 'n2']],
  );
  assert.deepEqual(
    detail.doneList.map((l) => [l.assigneeId, l.status, l.opinion]),
    [['a', 'approved', 'ok']],
  );
  assert.deepEqual(
    detail.systemDoneList.map((l) => [l.assigneeId, l.status]),
    [['a', 'skipped']],
  );
  assert.deepEqual(
    detail.abstracts.map((a) => a.value.en_us),
    ['annual', '2', 'x'],
  );

  const taskB = afterA.value.state.tasks.find((t) => t.assigneeId === 'b' && t.status === 'in_progress')!;
  const done = decide(
    definition,
    afterA.value.state,
    { kind: 'approve', taskId: taskB.id, operatorId: 'b', system: true },
    ctx,
  );
  assert.ok(done.ok);
  const final = processDetail(definition, done.value.state, directory());
  assert.deepEqual(final.todos, []);
  assert.deepEqual(
    final.ccList.map((c) => [c.recipientId, c.nodeName.en_us]),
    [['x', 'CC']],
  );
  assert.ok(
    final.systemDoneList.some((l) => l.assigneeId === 'b'),
    'a system approval is listed as decided by the system',
  );
});
