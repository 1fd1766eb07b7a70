import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Delegation, DirectorySnapshot } from './approver-resolution.js';
import { delegateFor, delegationCycle, MAX_DELEGATION_CHAIN } from './delegation.js';
import { processDetail } from './detail.js';
import { decide, startProcess } from './transitions.js';
import { taskReasons } from './why.js';
import {
  approval,
  context,
  directory,
  end,
  flow,
  LEAVE_VALUES,
  singleNode,
  start,
  users,
} from './__fixtures__/flows.js';

const NOW = 1_700_000_000_000;
const DAY = 86_400_000;

const d = (
  delegatorId: string,
  delegateId: string,
  startsAt = NOW - DAY,
  endsAt = NOW + DAY,
): Delegation => ({
  delegatorId,
  delegateId,
  startsAt,
  endsAt,
});

function withDelegations(...list: Delegation[]): DirectorySnapshot {
  const byDelegator = new Map<string, Delegation[]>();
  for (const x of list) byDelegator.set(x.delegatorId, [...(byDelegator.get(x.delegatorId) ?? []), x]);
  return { ...directory(), delegations: byDelegator };
}

function started(dir: DirectorySnapshot, definition = singleNode([users('a')])) {
  const ctx = context(dir);
  const result = startProcess(
    definition,
    { processId: 'p1', initiatorId: 'emp', formValues: LEAVE_VALUES },
    ctx,
  );
  assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
  return { ctx, definition, state: result.value.state };
}

describe('delegateFor', () => {
  test('nobody delegates: the person themself', () => {
    assert.equal(delegateFor(directory(), 'a', NOW), 'a');
  });

  test('only inside the range: from inclusive, to exclusive', () => {
    const dir = withDelegations(d('a', 'b', NOW, NOW + DAY));
    assert.equal(delegateFor(dir, 'a', NOW - 1), 'a');
    assert.equal(delegateFor(dir, 'a', NOW), 'b');
    assert.equal(delegateFor(dir, 'a', NOW + DAY - 1), 'b');
    assert.equal(delegateFor(dir, 'a', NOW + DAY), 'a');
  });

  test('a chain is followed to its end', () => {
    assert.equal(delegateFor(withDelegations(d('a', 'b'), d('b', 'c'), d('c', 'd')), 'a', NOW), 'd');
  });

  test('a terminated delegate ends the chain before them', () => {
    assert.equal(delegateFor(withDelegations(d('a', 'b'), d('b', 'gone')), 'a', NOW), 'b');
    assert.equal(delegateFor(withDelegations(d('a', 'gone')), 'a', NOW), 'a');
  });

  test('a cycle (impossible after validation) stops instead of looping', () => {
    assert.equal(delegateFor(withDelegations(d('a', 'b'), d('b', 'c'), d('c', 'a')), 'a', NOW), 'c');
  });

  test('a chain longer than the bound stops at the bound', () => {
    const ids = Array.from({ length: MAX_DELEGATION_CHAIN + 5 }, (_, i) => `p${i}`);
    const base = directory();
    const employees = new Map(base.employees);
    const template = base.employees.get('a')!;
    for (const id of ids) employees.set(id, { ...template, id, userId: id });
    const list = ids.slice(1).map((id, i) => d(ids[i]!, id));
    const byDelegator = new Map(list.map((x) => [x.delegatorId, [x]]));
    assert.equal(
      delegateFor({ ...base, employees, delegations: byDelegator }, 'p0', NOW),
      `p${MAX_DELEGATION_CHAIN}`,
    );
  });
});

describe('delegationCycle', () => {
  test('A→B while B→A is a cycle; in disjoint ranges it is not', () => {
    assert.deepEqual(delegationCycle([d('b', 'a')], d('a', 'b')), ['a', 'b', 'a']);
    assert.equal(delegationCycle([d('b', 'a', NOW + 2 * DAY, NOW + 3 * DAY)], d('a', 'b')), undefined);
  });

  test('A→B→C→A is found with the path', () => {
    assert.deepEqual(delegationCycle([d('b', 'c'), d('c', 'a')], d('a', 'b')), ['a', 'b', 'c', 'a']);
  });

  test('the ranges must overlap all along the chain at one moment', () => {
    // B→C in week 1, C→A in week 2: no moment has both.
    const existing = [d('b', 'c', NOW, NOW + DAY), d('c', 'a', NOW + DAY, NOW + 2 * DAY)];
    assert.equal(delegationCycle(existing, d('a', 'b', NOW, NOW + 2 * DAY)), undefined);
  });

  test('a chain that does not come back is fine', () => {
    assert.equal(delegationCycle([d('b', 'c'), d('c', 'd')], d('a', 'b')), undefined);
  });
});

describe('tasks created for someone out of office', () => {
  test('go to the delegate, on behalf of the assignee; the why names the rule', () => {
    const { state, definition } = started(withDelegations(d('a', 'b')));
    const task = state.tasks.find((t) => t.status === 'in_progress');
    assert.equal(task?.assigneeId, 'b');
    assert.equal(task.onBehalfOf, 'a');
    const reason = taskReasons(definition, state, withDelegations(d('a', 'b'))).get(task.id);
    assert.equal(reason?.kind, 'rule');
  });

  test('follow the chain to its end, recording the original assignee', () => {
    const { state } = started(withDelegations(d('a', 'b'), d('b', 'c')));
    const task = state.tasks.find((t) => t.status === 'in_progress');
    assert.equal(task?.assigneeId, 'c');
    assert.equal(task.onBehalfOf, 'a');
  });

  test('outside the range nothing changes; the start record stays with the initiator', () => {
    const { state } = started(withDelegations(d('a', 'b', NOW + DAY, NOW + 2 * DAY), d('emp', 'x')));
    const open = state.tasks.find((t) => t.status === 'in_progress');
    assert.equal(open?.assigneeId, 'a');
    assert.equal(open.onBehalfOf, undefined);
    const initiated = state.tasks.find((t) => t.status === 'initiated');
    assert.equal(initiated?.assigneeId, 'emp');
    assert.equal(initiated.onBehalfOf, undefined);
  });

  test('the delegate decides; the Open API done_list opinion says for whom', () => {
    const dir = withDelegations(d('a', 'b'));
    const { ctx, definition, state } = started(dir);
    const task = state.tasks.find((t) => t.status === 'in_progress')!;
    const refused = decide(
      definition,
      state,
      { kind: 'approve', taskId: task.id, operatorId: 'a', system: false },
      ctx,
    );
    assert.equal(refused.ok, false, 'the delegator no longer holds the task');
    const done = decide(
      definition,
      state,
      { kind: 'approve', taskId: task.id, operatorId: 'b', system: false, reason: 'ok' },
      ctx,
    );
    assert.ok(done.ok);
    assert.equal(done.value.state.status, 'completed');
    const line = processDetail(definition, done.value.state, dir).doneList[0];
    assert.equal(line?.assigneeId, 'b');
    assert.equal(line.onBehalfOf, 'a');
  });

  test('a later node resolves at its own time (ctx.now), not the start time', () => {
    const definition = flow([
      start('n1'),
      approval('n1', [users('c')], 'n2'),
      approval('n2', [users('a')], 'end'),
      end(),
    ]);
    const dir = withDelegations(d('a', 'b', NOW + 10, NOW + DAY));
    const { ctx, state } = started(dir, definition);
    ctx.tick(); // still before the range
    const early = decide(
      definition,
      state,
      {
        kind: 'approve',
        taskId: state.tasks.find((t) => t.assigneeId === 'c')!.id,
        operatorId: 'c',
        system: false,
      },
      ctx,
    );
    assert.ok(early.ok);
    assert.equal(early.value.state.tasks.find((t) => t.status === 'in_progress')?.assigneeId, 'a');
    for (let i = 0; i < 20; i++) ctx.tick();
    const late = decide(
      definition,
      state,
      {
        kind: 'approve',
        taskId: state.tasks.find((t) => t.assigneeId === 'c')!.id,
        operatorId: 'c',
        system: false,
      },
      ctx,
    );
    assert.ok(late.ok);
    const open = late.value.state.tasks.find((t) => t.status === 'in_progress');
    assert.equal(open?.assigneeId, 'b');
    assert.equal(open.onBehalfOf, 'a');
  });

  test('a transfer on behalf of someone records it on the task and in the audit line', () => {
    const { ctx, definition, state } = started(directory());
    const task = state.tasks.find((t) => t.status === 'in_progress')!;
    const out = decide(
      definition,
      state,
      { kind: 'transfer', taskIds: [task.id], toUserId: 'b', system: true, onBehalfOf: 'a' },
      ctx,
    );
    assert.ok(out.ok);
    const moved = out.value.state.tasks.find((t) => t.status === 'in_progress');
    assert.equal(moved?.assigneeId, 'b');
    assert.equal(moved.onBehalfOf, 'a');
    const entry = out.value.state.audit.find((a) => a.action === 'transfer');
    assert.equal(entry?.actor, 'system');
    assert.equal(entry.detail?.on_behalf_of, 'a');
    const reason = taskReasons(definition, out.value.state, directory()).get(moved.id);
    assert.equal(reason?.kind, 'transferred');
  });

  test("a task given back when the delegation is over is the person's own again; the audit line says why", () => {
    const { ctx, definition, state } = started(directory());
    const task = state.tasks.find((t) => t.status === 'in_progress')!;
    const handed = decide(
      definition,
      state,
      { kind: 'transfer', taskIds: [task.id], toUserId: 'b', system: true, onBehalfOf: 'a' },
      ctx,
    );
    assert.ok(handed.ok);
    const held = handed.value.state.tasks.find((t) => t.status === 'in_progress')!;
    const back = decide(
      definition,
      handed.value.state,
      { kind: 'transfer', taskIds: [held.id], toUserId: 'a', system: true, outOfOfficeReturn: 'ended' },
      ctx,
    );
    assert.ok(back.ok);
    const own = back.value.state.tasks.find((t) => t.status === 'in_progress');
    assert.equal(own?.assigneeId, 'a');
    assert.equal(own.onBehalfOf, undefined);
    const entry = back.value.state.audit.filter((a) => a.action === 'transfer').at(-1);
    assert.equal(entry?.detail?.out_of_office_return, 'ended');
    assert.equal(entry.detail.on_behalf_of, undefined);
    const reason = taskReasons(definition, back.value.state, directory()).get(own.id);
    assert.deepEqual(reason, { kind: 'returned_from_delegate', fromId: 'b' });
  });
});
