import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkingTime } from './calendar.js';
import { validateDefinition, type NodeDefinition } from './definition.js';
import { decide, startProcess } from './transitions.js';
import { timerProblems, timersOf, type NodeTimers } from './timers.js';
import { approval, context, end, flow, LEAVE_VALUES, start, users } from './__fixtures__/flows.js';

/** Round the clock in UTC: working minutes are plain minutes, so due times read at a glance. */
const always = new WorkingTime({
  timeZone: 'UTC',
  workDays: [1, 2, 3, 4, 5, 6, 7],
  hours: [{ start: '00:00', end: '24:00' }],
  holidays: [],
  extraWorkdays: [],
});
const MINUTE = 60_000;

const timed = (timers: NodeTimers, mode: 'or' | 'sequential' = 'or'): NodeDefinition => {
  const node = approval('n1', [users('mgr', 'lead')], 'end', { mode: { kind: mode } });
  assert.ok(node.kind === 'approval');
  return { ...node, timers };
};

test('an open task lists its reminders, escalation and automatic action, due in working time from its start', () => {
  const definition = flow([
    start('n1'),
    timed({
      remind: { afterMinutes: 60, everyMinutes: 30, times: 3 },
      escalate: { afterMinutes: 240, action: 'notify_manager' },
      auto: { afterMinutes: 480, action: 'transfer_to_admins' },
    }),
    end(),
  ]);
  assert.deepEqual(validateDefinition(definition), []);
  const ctx = context();
  const started = startProcess(
    definition,
    { processId: 'p1', initiatorId: 'emp', formValues: LEAVE_VALUES },
    ctx,
  );
  assert.ok(started.ok);
  const state = started.value.state;
  const timers = timersOf(definition, state, always);
  const mgrTask = state.tasks.find((t) => t.assigneeId === 'mgr');
  assert.ok(mgrTask);
  const mine = timers.filter((t) => t.taskId === mgrTask.id);
  assert.deepEqual(
    mine.map((t) => [t.kind, t.seq, (t.dueAt - mgrTask.createdAt) / MINUTE, t.action ?? '']),
    [
      ['remind', 1, 60, ''],
      ['remind', 2, 90, ''],
      ['remind', 3, 120, ''],
      ['escalate', 1, 240, 'notify_manager'],
      ['auto', 1, 480, 'transfer_to_admins'],
    ],
  );
  assert.equal(mine[0]?.key, `${mgrTask.id}:remind:1`);
  assert.equal(timers.length, 10, 'both assignees of an or-node have their own timers');

  // Once decided, the process has no timers left: the scheduler drops their jobs.
  const approved = decide(
    definition,
    state,
    { kind: 'approve', taskId: mgrTask.id, operatorId: 'mgr', system: false },
    ctx,
  );
  assert.ok(approved.ok);
  assert.deepEqual(timersOf(definition, approved.value.state, always), []);
});

test("a sequential group's second task counts from when its turn came, not from the start", () => {
  const definition = flow([start('n1'), timed({ remind: { afterMinutes: 10 } }, 'sequential'), end()]);
  const ctx = context();
  const started = startProcess(
    definition,
    { processId: 'p1', initiatorId: 'emp', formValues: LEAVE_VALUES },
    ctx,
  );
  assert.ok(started.ok);
  const first = started.value.state.tasks.find((t) => t.assigneeId === 'mgr');
  assert.ok(first);
  assert.deepEqual(
    timersOf(definition, started.value.state, always).map((t) => t.taskId),
    [first.id],
    'the waiting task has no timer yet',
  );
  for (let i = 0; i < 5; i++) ctx.tick();
  const turned = decide(
    definition,
    started.value.state,
    { kind: 'approve', taskId: first.id, operatorId: 'mgr', system: false },
    ctx,
  );
  assert.ok(turned.ok);
  const second = turned.value.state.tasks.find((t) => t.assigneeId === 'lead');
  assert.equal(second?.activatedAt, ctx.now);
  const [timer] = timersOf(definition, turned.value.state, always);
  assert.equal(timer?.dueAt, ctx.now + 10 * MINUTE);
});

test('bad timers name their field: under a minute, fractions, too many reminders, order after the automatic action', () => {
  const fields = (timers: NodeTimers) => timerProblems(timers, 't').map((p) => p.field);
  assert.deepEqual(fields({ remind: { afterMinutes: 0 } }), ['t.remind.after_minutes']);
  assert.deepEqual(fields({ escalate: { afterMinutes: 0.5, action: 'add_manager' } }), [
    't.escalate.after_minutes',
  ]);
  assert.deepEqual(fields({ remind: { afterMinutes: 5, times: 3 } }), ['t.remind.every_minutes']);
  assert.deepEqual(fields({ remind: { afterMinutes: 5, everyMinutes: 5, times: 21 } }), ['t.remind.times']);
  assert.deepEqual(fields({ auto: { afterMinutes: 10 ** 7, action: 'approve' } }), ['t.auto.after_minutes']);
  assert.deepEqual(
    fields({
      remind: { afterMinutes: 120 },
      escalate: { afterMinutes: 60, action: 'notify_manager' },
      auto: { afterMinutes: 60, action: 'reject' },
    }),
    ['t.escalate.after_minutes', 't.remind.after_minutes'],
  );
  const definition = flow([start('n1'), timed({ remind: { afterMinutes: -1 } }), end()]);
  assert.deepEqual(
    validateDefinition(definition).map((p) => p.field),
    ['nodes[n1].timers.remind.after_minutes'],
  );
});
