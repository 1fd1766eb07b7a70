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

/** A context whose clock the test moves, with the round-the-clock calendar. */
function movable() {
  const base = context();
  let now = base.now;
  return {
    ctx: {
      get now() {
        return now;
      },
      newId: base.newId,
      directory: base.directory,
      workingTime: always,
    },
    advance: (minutes: number) => {
      now += minutes * MINUTE;
    },
  };
}

function startedWith(timers: NodeTimers, mode: 'or' | 'sequential' = 'or') {
  const definition = flow([start('n1'), timed(timers, mode), end()]);
  const clock = movable();
  const started = startProcess(
    definition,
    { processId: 'p1', initiatorId: 'emp', formValues: LEAVE_VALUES },
    clock.ctx,
  );
  assert.ok(started.ok);
  const mgrTask = started.value.state.tasks.find((t) => t.assigneeId === 'mgr');
  assert.ok(mgrTask);
  return { definition, clock, state: started.value.state, mgrTask };
}

test('a timer fires once when due: early and repeated firings are refused, and the next reminder is listed', () => {
  const { definition, clock, state, mgrTask } = startedWith({
    remind: { afterMinutes: 60, everyMinutes: 30, times: 2 },
  });
  const key = `${mgrTask.id}:remind:1`;
  const early = decide(definition, state, { kind: 'timer', key, system: true }, clock.ctx);
  assert.ok(!early.ok);
  assert.equal(early.error.kind, 'process_status_conflict');
  clock.advance(60);
  const fired = decide(definition, state, { kind: 'timer', key, system: true }, clock.ctx);
  assert.ok(fired.ok);
  assert.deepEqual(
    fired.value.events.filter((e) => e.kind === 'timer_fired'),
    [{ kind: 'timer_fired', taskId: mgrTask.id, assigneeId: 'mgr', timer: 'remind', seq: 1 }],
  );
  assert.equal(fired.value.state.status, 'in_progress', 'a reminder decides nothing');
  const again = decide(definition, fired.value.state, { kind: 'timer', key, system: true }, clock.ctx);
  assert.ok(!again.ok, 'the same key never fires twice');
  const left = timersOf(definition, fired.value.state, always).filter((t) => t.taskId === mgrTask.id);
  assert.deepEqual(
    left.map((t) => t.key),
    [`${mgrTask.id}:remind:2`],
  );
  const byPerson = decide(
    definition,
    state,
    { kind: 'timer', key, system: false, operatorId: 'mgr' },
    clock.ctx,
  );
  assert.ok(!byPerson.ok && byPerson.error.kind === 'operator_not_allowed');
});

test('a timer of a task decided meanwhile is stale and changes nothing', () => {
  const { definition, clock, state, mgrTask } = startedWith({ auto: { afterMinutes: 30, action: 'reject' } });
  const approved = decide(
    definition,
    state,
    { kind: 'approve', taskId: mgrTask.id, system: false, operatorId: 'mgr' },
    clock.ctx,
  );
  assert.ok(approved.ok);
  clock.advance(30);
  const stale = decide(
    definition,
    approved.value.state,
    { kind: 'timer', key: `${mgrTask.id}:auto:1`, system: true },
    clock.ctx,
  );
  assert.ok(!stale.ok);
  assert.match(stale.error.message, /no longer due/);
});

test('automatic actions: approve and reject decide the task for the assignee; transfer gives it to a process admin', () => {
  for (const action of ['approve', 'reject', 'transfer_to_admins'] as const) {
    const { definition, clock, state, mgrTask } = startedWith(
      { auto: { afterMinutes: 30, action } },
      'sequential',
    );
    clock.advance(30);
    const fired = decide(
      definition,
      state,
      { kind: 'timer', key: `${mgrTask.id}:auto:1`, system: true },
      clock.ctx,
    );
    assert.ok(fired.ok, action);
    const task = fired.value.state.tasks.find((t) => t.id === mgrTask.id);
    if (action === 'approve') {
      assert.equal(task?.status, 'approved');
      assert.equal(task.bySystem, true);
      const next = fired.value.state.tasks.find((t) => t.assigneeId === 'lead');
      assert.equal(next?.status, 'in_progress', 'the sequence moves on to the next approver');
    } else if (action === 'reject') {
      assert.equal(fired.value.state.status, 'rejected');
    } else {
      assert.equal(task?.status, 'transferred');
      const admin = fired.value.state.tasks.find((t) => t.assigneeId === 'admin');
      assert.equal(admin?.status, 'in_progress');
    }
  }
});

test("escalation tells or adds the assignee's manager", () => {
  for (const action of ['notify_manager', 'add_manager'] as const) {
    const { definition, clock, state, mgrTask } = startedWith({ escalate: { afterMinutes: 120, action } });
    clock.advance(120);
    const fired = decide(
      definition,
      state,
      { kind: 'timer', key: `${mgrTask.id}:escalate:1`, system: true },
      clock.ctx,
    );
    assert.ok(fired.ok);
    const event = fired.value.events.find((e) => e.kind === 'timer_fired');
    assert.equal(
      event?.kind === 'timer_fired' ? event.managerId : undefined,
      'lead',
      "mgr's manager is lead",
    );
    const leadTasks = fired.value.state.tasks.filter(
      (t) => t.assigneeId === 'lead' && t.status === 'in_progress',
    );
    // lead is an approver of the node already (or-sign with mgr), so adding them again is skipped.
    assert.equal(leadTasks.length, 1, action);
  }
});

test('urge: the initiator only, at most once an hour, naming who has open tasks', () => {
  const { definition, clock, state } = startedWith({});
  const byOther = decide(definition, state, { kind: 'urge', system: false, operatorId: 'mgr' }, clock.ctx);
  assert.ok(!byOther.ok && byOther.error.kind === 'operator_not_allowed');
  const urged = decide(definition, state, { kind: 'urge', system: false, operatorId: 'emp' }, clock.ctx);
  assert.ok(urged.ok);
  assert.deepEqual(
    urged.value.events.find((e) => e.kind === 'urged'),
    {
      kind: 'urged',
      byId: 'emp',
      assigneeIds: ['mgr', 'lead'],
    },
  );
  clock.advance(59);
  const soon = decide(
    definition,
    urged.value.state,
    { kind: 'urge', system: false, operatorId: 'emp' },
    clock.ctx,
  );
  assert.ok(!soon.ok);
  assert.match(soon.error.message, /urge again in 1 minute/);
  clock.advance(1);
  assert.ok(
    decide(definition, urged.value.state, { kind: 'urge', system: false, operatorId: 'emp' }, clock.ctx).ok,
  );
});

test('escalation with add_manager adds the manager to decide beside the assignee', () => {
  const node = approval('n1', [users('mgr')], 'end');
  assert.ok(node.kind === 'approval');
  const definition = flow([
    start('n1'),
    { ...node, timers: { escalate: { afterMinutes: 60, action: 'add_manager' } } },
    end(),
  ]);
  const clock = movable();
  const started = startProcess(
    definition,
    { processId: 'p1', initiatorId: 'emp', formValues: LEAVE_VALUES },
    clock.ctx,
  );
  assert.ok(started.ok);
  const mgrTask = started.value.state.tasks.find((t) => t.assigneeId === 'mgr');
  assert.ok(mgrTask);
  clock.advance(60);
  const fired = decide(
    definition,
    started.value.state,
    { kind: 'timer', key: `${mgrTask.id}:escalate:1`, system: true },
    clock.ctx,
  );
  assert.ok(fired.ok);
  const lead = fired.value.state.tasks.find((t) => t.assigneeId === 'lead');
  assert.equal(lead?.status, 'in_progress');
  assert.ok(
    fired.value.state.audit.some((a) => a.action === 'timer_escalate' && a.detail?.manager === 'lead'),
  );
});
