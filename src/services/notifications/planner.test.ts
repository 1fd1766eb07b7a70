import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, startProcess, type Command } from '../../engine/transitions.js';
import type { FlowDefinition } from '../../engine/definition.js';
import type { EngineEvent, ProcessState } from '../../engine/process.js';
import {
  approval,
  context,
  end,
  flow,
  LEAVE_VALUES,
  singleNode,
  start,
  users,
} from '../../engine/__fixtures__/flows.js';
import { planActionFailed, planNotifications } from './planner.js';

/** Runs commands on a process and plans each step's notifications as the notifier would. */
function run(definition: FlowDefinition, initiatorId = 'emp') {
  const ctx = context();
  const started = startProcess(definition, { processId: 'p1', initiatorId, formValues: LEAVE_VALUES }, ctx);
  assert.ok(started.ok, JSON.stringify(!started.ok && started.error));
  let state: ProcessState = started.value.state;
  const first = planNotifications(undefined, state, started.value.events);
  return {
    first,
    get state() {
      return state;
    },
    taskOf: (assignee: string) => {
      const task = state.tasks.find((t) => t.assigneeId === assignee && t.status === 'in_progress');
      assert.ok(task, `${assignee} has no open task`);
      return task.id;
    },
    step(command: Command) {
      ctx.tick();
      const outcome = decide(definition, state, command, ctx);
      assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.error));
      const before = state;
      state = outcome.value.state;
      return planNotifications(before, state, outcome.value.events);
    },
    /** Plans internal events on the current state (the timer and urge commands are the lead's). */
    internal(events: EngineEvent[]) {
      return planNotifications(state, state, events);
    },
  };
}

const brief = (list: { recipientId: string; kind: string }[]) =>
  list.map((n) => `${n.recipientId}:${n.kind}`).sort();

describe('notification planner', () => {
  test('a start tells the first approver, never the initiator', () => {
    const p = run(singleNode([users('mgr')]));
    assert.deepEqual(brief(p.first), ['mgr:task_assigned']);
    assert.equal(p.first[0]?.actorId, 'emp');
    assert.equal(p.first[0].taskId, p.taskOf('mgr'));
  });

  test('the initiator who is also the approver is not told of their own start', () => {
    const p = run(singleNode([users('emp', 'mgr')], { kind: 'and' }));
    assert.deepEqual(brief(p.first), ['mgr:task_assigned']);
  });

  test('a sequential node tells the next approver when their turn comes, and the initiator at the end', () => {
    const p = run(singleNode([users('a', 'b')], { kind: 'sequential' }));
    assert.deepEqual(brief(p.first), ['a:task_assigned']);
    const next = p.step({ kind: 'approve', taskId: p.taskOf('a'), operatorId: 'a', system: false });
    assert.deepEqual(brief(next), ['b:task_assigned']);
    const done = p.step({ kind: 'approve', taskId: p.taskOf('b'), operatorId: 'b', system: false });
    assert.deepEqual(brief(done), ['emp:request_approved']);
    assert.equal(done[0]?.actorId, 'b');
  });

  test('a rejection tells the initiator', () => {
    const p = run(singleNode([users('mgr')]));
    const out = p.step({
      kind: 'reject',
      taskId: p.taskOf('mgr'),
      operatorId: 'mgr',
      system: false,
      reason: 'no',
    });
    assert.deepEqual(brief(out), ['emp:request_rejected']);
  });

  test('a transfer tells the new assignee, an add-sign the added people', () => {
    const p = run(singleNode([users('mgr')]));
    const moved = p.step({
      kind: 'transfer',
      taskIds: [p.taskOf('mgr')],
      toUserId: 'x',
      operatorId: 'mgr',
      system: false,
    });
    assert.deepEqual(brief(moved), ['x:transferred_to_you']);
    const added = p.step({
      kind: 'add_sign',
      taskId: p.taskOf('x'),
      extraType: 'parallel',
      approvalMode: 'and',
      userIds: ['a', 'b'],
      operatorId: 'x',
      system: false,
    });
    assert.deepEqual(brief(added), ['a:added_to_sign', 'b:added_to_sign']);
  });

  test('a return tells the approver of the earlier node', () => {
    const definition = flow([
      start('n1'),
      approval('n1', [users('a')], 'n2'),
      approval('n2', [users('b')], 'end'),
      end(),
    ]);
    const p = run(definition);
    p.step({ kind: 'approve', taskId: p.taskOf('a'), operatorId: 'a', system: false });
    const back = p.step({
      kind: 'return',
      taskId: p.taskOf('b'),
      targetNodeDefId: 'n1',
      operatorId: 'b',
      system: false,
    });
    assert.deepEqual(brief(back), ['a:returned_to_you']);
  });

  test('a comment tells the people it mentions, not its author', () => {
    const p = run(singleNode([users('mgr')]));
    const out = p.step({
      kind: 'comment',
      authorId: 'mgr',
      text: 'see @a @mgr',
      mentionIds: ['a', 'mgr', 'a'],
    });
    assert.deepEqual(brief(out), ['a:mentioned']);
    assert.equal(out[0]?.actorId, 'mgr');
  });

  test('a CC node tells the people copied', () => {
    const definition = flow([
      start('cc1'),
      {
        id: 'cc1',
        kind: 'cc',
        name: { zh_cn: '抄送', en_us: 'CC' },
        recipients: [users('hrbp', 'emp')],
        next: 'n1',
      },
      approval('n1', [users('mgr')], 'end'),
      end(),
    ]);
    const p = run(definition);
    assert.deepEqual(brief(p.first), ['hrbp:cc', 'mgr:task_assigned']);
  });

  test('timers: a reminder to the assignee, an escalation to the manager (who is not told twice)', () => {
    const p = run(singleNode([users('mgr')]));
    const taskId = p.taskOf('mgr');
    assert.deepEqual(
      p.internal([{ kind: 'timer_fired', taskId, assigneeId: 'mgr', timer: 'remind', seq: 1 }]),
      [{ recipientId: 'mgr', kind: 'reminder', processId: 'p1', taskId }],
    );
    const escalated = p.internal([
      {
        kind: 'timer_fired',
        taskId,
        assigneeId: 'mgr',
        timer: 'escalate',
        seq: 1,
        action: 'notify_manager',
        managerId: 'lead',
      },
    ]);
    assert.deepEqual(brief(escalated), ['lead:escalated']);
  });

  test('an urge tells each approver once, with their task, not the initiator', () => {
    const p = run(singleNode([users('a', 'b')], { kind: 'and' }));
    const out = p.internal([{ kind: 'urged', byId: 'emp', assigneeIds: ['a', 'b', 'a', 'emp'] }]);
    assert.deepEqual(brief(out), ['a:urged', 'b:urged']);
    assert.equal(out.find((n) => n.recipientId === 'a')?.taskId, p.taskOf('a'));
    assert.ok(out.every((n) => n.actorId === 'emp'));
  });

  test('a failed action tells the process admins', () => {
    assert.deepEqual(planActionFailed({ processAdminIds: ['admin', 'hrbp', 'admin'] }, 'p1'), [
      { recipientId: 'admin', kind: 'action_failed', processId: 'p1' },
      { recipientId: 'hrbp', kind: 'action_failed', processId: 'p1' },
    ]);
  });
});
