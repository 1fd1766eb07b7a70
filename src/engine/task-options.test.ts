import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { FlowDefinition } from './definition.js';
import type { ProcessState } from './process.js';
import { returnTargets, upcomingSteps } from './task-options.js';
import { decide, startProcess, type Command } from './transitions.js';
import { taskReasons } from './why.js';
import { approval, context, end, flow, LEAVE_VALUES, start, users } from './__fixtures__/flows.js';

// start → n1 → split (a1 → a2 | b1) → join → n4 → end
const parallelFlow = (): FlowDefinition =>
  flow([
    start('n1'),
    approval('n1', [{ kind: 'manager', level: 1 }], 'split'),
    { id: 'split', kind: 'parallel', name: { zh_cn: 's', en_us: 's' }, branches: ['a1', 'b1'], join: 'join' },
    approval('a1', [users('a')], 'a2'),
    approval('a2', [users('b')], 'join'),
    approval('b1', [users('c')], 'join'),
    { id: 'join', kind: 'join', name: { zh_cn: 'j', en_us: 'j' }, next: 'n4' },
    approval('n4', [users('nobody')], 'end'),
    end(),
  ]);

function run(definition: FlowDefinition, commands: ((s: ProcessState) => Command)[]) {
  const ctx = context();
  const started = startProcess(
    definition,
    { processId: 'p', initiatorId: 'emp', formValues: LEAVE_VALUES },
    ctx,
  );
  assert.ok(started.ok);
  let state = started.value.state;
  for (const make of commands) {
    ctx.tick();
    const next = decide(definition, state, make(state), ctx);
    assert.ok(next.ok, JSON.stringify(!next.ok && next.error));
    state = next.value.state;
  }
  return { state, ctx };
}
const openOf = (state: ProcessState, who: string) => {
  const task = state.tasks.find((t) => t.assigneeId === who && t.status === 'in_progress');
  assert.ok(task, `${who} has an open task`);
  return task;
};
const approve =
  (who: string) =>
  (s: ProcessState): Command => ({
    kind: 'approve',
    taskId: openOf(s, who).id,
    operatorId: who,
    system: false,
  });

test('return targets: what the engine accepts, nothing it refuses (parallel branches included)', () => {
  const definition = parallelFlow();
  const { state, ctx } = run(definition, [approve('mgr'), approve('a')]);
  const expected = new Map([
    ['b', ['n1', 'a1']],
    ['c', ['n1']],
  ]);
  for (const [who, targets] of expected) {
    const task = openOf(state, who);
    assert.deepEqual(returnTargets(definition, state, task), targets, who);
    for (const node of definition.nodes) {
      const decision = decide(
        definition,
        state,
        { kind: 'return', taskId: task.id, targetNodeDefId: node.id, operatorId: who, system: false },
        ctx,
      );
      assert.equal(decision.ok, targets.includes(node.id), `${who} → ${node.id}`);
    }
  }
});

test('upcoming: from the waiting nodes on, passed nodes left out; nothing once finished', () => {
  const definition = parallelFlow();
  const { state, ctx } = run(definition, [approve('mgr'), approve('a')]);
  assert.deepEqual(
    upcomingSteps(definition, state, ctx).map((s) => s.nodeId),
    ['join', 'n4', 'end'],
  );
  // (The preview lists a join's continuation after the first branch that reaches it: order aside,
  // every node ahead is there.)
  const fresh = run(definition, []);
  assert.deepEqual(
    upcomingSteps(definition, fresh.state, fresh.ctx)
      .map((s) => s.nodeId)
      .sort(),
    ['a1', 'a2', 'b1', 'end', 'join', 'n4', 'split'],
  );
  const withdrawn = run(definition, [() => ({ kind: 'withdraw', operatorId: 'emp', system: false })]);
  assert.deepEqual(upcomingSteps(definition, withdrawn.state, withdrawn.ctx), []);
});

test('why: the rule that named the assignee, the admins fallback, a transfer, an add-sign', () => {
  const definition = parallelFlow();
  const { state, ctx } = run(definition, [
    approve('mgr'),
    (s) => ({
      kind: 'transfer',
      taskIds: [openOf(s, 'a').id],
      toUserId: 'd',
      operatorId: 'a',
      system: false,
    }),
    (s) => ({
      kind: 'add_sign',
      taskId: openOf(s, 'c').id,
      extraType: 'post',
      approvalMode: 'or',
      userIds: ['x'],
      operatorId: 'c',
      system: false,
    }),
    approve('d'),
    approve('b'),
    approve('c'),
    approve('x'),
  ]);
  const reasons = taskReasons(definition, state, ctx.directory);
  const of = (who: string) => reasons.get(state.tasks.find((t) => t.assigneeId === who)?.id ?? '');
  assert.deepEqual(of('emp'), { kind: 'initiator' });
  assert.deepEqual(of('mgr'), { kind: 'rule', rule: { kind: 'manager', level: 1 } });
  assert.deepEqual(of('a'), { kind: 'rule', rule: { kind: 'users', userIds: ['a'] } });
  assert.deepEqual(of('d'), { kind: 'transferred', fromId: 'a', byId: 'a' });
  assert.deepEqual(of('x'), { kind: 'add_sign', byId: 'c', position: 'post' });
  // n4 names someone who does not exist: the process admins took over.
  assert.deepEqual(of('admin'), { kind: 'fallback_admins' });
});
