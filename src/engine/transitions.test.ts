import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, startProcess, type Command } from './transitions.js';
import type { FlowDefinition } from './definition.js';
import type { EngineEvent, ProcessState, TaskStatus } from './process.js';
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

function begin(
  definition: FlowDefinition,
  formValues: Record<string, unknown> = LEAVE_VALUES,
  initiatorId = 'emp',
) {
  const ctx = context();
  const result = startProcess(definition, { processId: 'p1', initiatorId, formValues }, ctx);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
  let state = result.value.state;
  let events: EngineEvent[] = result.value.events;
  const send = (command: Command) => {
    ctx.tick();
    const outcome = decide(definition, state, command, ctx);
    if (outcome.ok) {
      state = outcome.value.state;
      events = outcome.value.events;
    }
    return outcome;
  };
  const must = (command: Command) => {
    const outcome = send(command);
    assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.error));
    return outcome.value;
  };
  return {
    get state(): ProcessState {
      return state;
    },
    get events() {
      return events;
    },
    send,
    must,
    /** The open task of a person (in progress). */
    task: (assignee: string) => {
      const task = state.tasks.find((t) => t.assigneeId === assignee && t.status === 'in_progress');
      assert.ok(
        task,
        `${assignee} has no open task; tasks: ${JSON.stringify(state.tasks.map((t) => [t.assigneeId, t.status]))}`,
      );
      return task.id;
    },
    statuses: () =>
      Object.fromEntries(
        state.tasks.filter((t) => t.status !== 'initiated').map((t) => [`${t.assigneeId}:${t.id}`, t.status]),
      ),
    statusOf: (assignee: string): TaskStatus[] =>
      state.tasks.filter((t) => t.assigneeId === assignee).map((t) => t.status),
    approve: (assignee: string, extra: Partial<Extract<Command, { kind: 'approve' }>> = {}) =>
      must({
        kind: 'approve',
        taskId:
          state.tasks.find((t) => t.assigneeId === assignee && t.status === 'in_progress')?.id ?? 'none',
        operatorId: assignee,
        system: false,
        ...extra,
      }),
    reject: (assignee: string) =>
      must({
        kind: 'reject',
        taskId:
          state.tasks.find((t) => t.assigneeId === assignee && t.status === 'in_progress')?.id ?? 'none',
        operatorId: assignee,
        system: false,
      }),
  };
}

describe('approval modes', () => {
  test('or-sign passes on the first approval; the others are closed', () => {
    const p = begin(singleNode([users('a', 'b', 'c')]));
    assert.deepEqual(p.statusOf('a'), ['in_progress']);
    p.approve('b');
    assert.equal(p.state.status, 'completed');
    assert.deepEqual(
      [p.statusOf('a'), p.statusOf('b'), p.statusOf('c')],
      [['cancelled'], ['approved'], ['cancelled']],
    );
  });

  test('countersign passes only when every approver approved', () => {
    const p = begin(singleNode([users('a', 'b', 'c')], { kind: 'and' }));
    p.approve('a');
    p.approve('c');
    assert.equal(p.state.status, 'in_progress');
    p.approve('b');
    assert.equal(p.state.status, 'completed');
  });

  test('sequential opens one task at a time, in order', () => {
    const p = begin(singleNode([users('a', 'b', 'c')], { kind: 'sequential' }));
    assert.deepEqual(
      [p.statusOf('a'), p.statusOf('b'), p.statusOf('c')],
      [['in_progress'], ['not_started'], ['not_started']],
    );
    p.approve('a');
    assert.deepEqual([p.statusOf('b'), p.statusOf('c')], [['in_progress'], ['not_started']]);
    p.approve('b');
    p.approve('c');
    assert.equal(p.state.status, 'completed');
  });

  test('pass ratio: 50% of four passes on the second approval; becomes unreachable on the third rejection', () => {
    const passing = begin(singleNode([users('a', 'b', 'c', 'd')], { kind: 'ratio', percent: 50 }));
    passing.reject('a');
    passing.approve('b');
    assert.equal(passing.state.status, 'in_progress', 'one rejection does not end a ratio node');
    passing.approve('c');
    assert.equal(passing.state.status, 'completed');
    const failing = begin(singleNode([users('a', 'b', 'c', 'd')], { kind: 'ratio', percent: 50 }));
    failing.reject('a');
    failing.reject('b');
    assert.equal(failing.state.status, 'in_progress');
    failing.reject('c');
    assert.equal(failing.state.status, 'rejected');
  });

  test('a rejection rejects the process and closes every open task', () => {
    const p = begin(singleNode([users('a', 'b', 'c')], { kind: 'and' }));
    p.approve('a');
    p.reject('b');
    assert.equal(p.state.status, 'rejected');
    assert.deepEqual(p.statusOf('c'), ['cancelled']);
    assert.equal(p.state.nodeRuns.find((r) => r.defId === 'n1')?.status, 'rejected');
  });
});

describe('approver rules and fallbacks', () => {
  const chain = (
    rule: Parameters<typeof approval>[1][number],
    fallback: 'auto_pass' | 'to_admins' | 'refuse' = 'to_admins',
  ) => flow([start('n1'), approval('n1', [rule], 'end', { fallback }), end()]);

  test('manager N levels up, department leader N levels up, role, form field, initiator', () => {
    const assignee = (rule: Parameters<typeof chain>[0], values: Record<string, unknown> = LEAVE_VALUES) =>
      begin(chain(rule), values)
        .state.tasks.filter((t) => t.status === 'in_progress')
        .map((t) => t.assigneeId);
    assert.deepEqual(assignee({ kind: 'manager', level: 1 }), ['mgr']);
    assert.deepEqual(assignee({ kind: 'manager', level: 2 }), ['lead']);
    assert.deepEqual(assignee({ kind: 'department_leader', level: 1 }), ['lead']);
    assert.deepEqual(assignee({ kind: 'department_leader', level: 2 }), ['cto']);
    assert.deepEqual(assignee({ kind: 'role', roleKey: 'hrbp' }), ['hrbp']);
    assert.deepEqual(
      assignee({ kind: 'form_field', field: 'handover_to' }, { ...LEAVE_VALUES, handover_to: 'x' }),
      ['x'],
    );
    assert.deepEqual(assignee({ kind: 'initiator' }), ['emp']);
  });

  test('nobody resolved: auto-pass, hand to the process admins, or refuse to start', () => {
    const autoPass = begin(chain({ kind: 'manager', level: 9 }, 'auto_pass'));
    assert.equal(autoPass.state.status, 'completed');
    assert.equal(autoPass.state.nodeRuns.find((r) => r.defId === 'n1')?.autoPassed, true);
    const toAdmins = begin(chain({ kind: 'manager', level: 9 }, 'to_admins'));
    assert.deepEqual(toAdmins.statusOf('admin'), ['in_progress']);
    const refused = startProcess(
      chain({ kind: 'manager', level: 9 }, 'refuse'),
      { processId: 'p', initiatorId: 'emp', formValues: LEAVE_VALUES },
      context(),
    );
    assert.ok(!refused.ok);
    assert.equal(refused.error.kind, 'definition_not_startable');
    assert.match(refused.error.message, /n1/);
  });

  test('terminated people never get tasks', () => {
    const p = begin(singleNode([users('gone', 'a')], { kind: 'and' }));
    assert.deepEqual(p.statusOf('gone'), []);
    assert.deepEqual(p.statusOf('a'), ['in_progress']);
  });

  test('consecutive duplicate approvers are skipped (-2) where the definition asks', () => {
    const nodes = [
      start('n1'),
      approval('n1', [users('a')], 'n2'),
      approval('n2', [users('a', 'b')], 'end', { mode: { kind: 'and' } }),
      end(),
    ];
    const p = begin(flow(nodes, { settings: { skipDuplicateApprovers: true, revokeNeedsApproval: false } }));
    p.approve('a');
    assert.deepEqual(p.statusOf('a'), ['approved', 'skipped']);
    p.approve('b');
    assert.equal(p.state.status, 'completed');
    const noSkip = begin(flow(nodes));
    noSkip.approve('a');
    assert.deepEqual(noSkip.statusOf('a'), ['approved', 'in_progress']);
  });
});

describe('node kinds', () => {
  test('CC records are made and the node passes at once', () => {
    const p = begin(
      flow([
        start('cc'),
        {
          id: 'cc',
          kind: 'cc',
          name: { zh_cn: 'cc', en_us: 'cc' },
          recipients: [{ kind: 'role', roleKey: 'hrbp' }],
          next: 'end',
        },
        end(),
      ]),
    );
    assert.equal(p.state.status, 'completed');
    assert.deepEqual(
      p.state.ccs.map((c) => c.recipientId),
      ['hrbp'],
    );
    assert.ok(p.events.some((e) => e.kind === 'cc_created'));
  });

  test('form fill: the assignee submits the required fields (task status form_submitted)', () => {
    const def = flow([
      start('fill'),
      {
        id: 'fill',
        kind: 'form_fill',
        name: { zh_cn: 'f', en_us: 'f' },
        assignees: [users('hrbp')],
        emptyFallback: 'to_admins',
        editableFields: ['handover_to'],
        requiredFields: ['handover_to'],
        next: 'end',
      },
      end(),
    ]);
    const p = begin(def);
    const missing = p.send({ kind: 'approve', taskId: p.task('hrbp'), operatorId: 'hrbp', system: false });
    assert.ok(!missing.ok);
    assert.equal(missing.error.kind, 'form_invalid');
    assert.deepEqual(missing.error.violations, [
      { field: 'handover_to', description: 'is required at this node' },
    ]);
    const notEditable = p.send({
      kind: 'approve',
      taskId: p.task('hrbp'),
      operatorId: 'hrbp',
      system: false,
      fieldValues: { handover_to: 'x', days: '9' },
    });
    assert.ok(!notEditable.ok);
    assert.deepEqual(
      notEditable.error.violations?.map((v) => v.field),
      ['days'],
    );
    p.approve('hrbp', { fieldValues: { handover_to: 'x' } });
    assert.deepEqual(p.statusOf('hrbp'), ['form_submitted']);
    assert.equal(p.state.formValues.handover_to, 'x');
    assert.equal(p.state.status, 'completed');
  });

  test('exclusive branches follow the first true condition, else the default', () => {
    const def = flow([
      start('gw'),
      {
        id: 'gw',
        kind: 'exclusive',
        name: { zh_cn: 'gw', en_us: 'gw' },
        branches: [{ condition: 'form.days > 3', next: 'long' }],
        defaultNext: 'short',
      },
      approval('long', [users('lead')], 'end'),
      approval('short', [users('mgr')], 'end'),
      end(),
    ]);
    assert.deepEqual(begin(def, { leave_type: 'annual', days: '5' }).statusOf('lead'), ['in_progress']);
    assert.deepEqual(begin(def, { leave_type: 'annual', days: '2' }).statusOf('mgr'), ['in_progress']);
  });

  test('parallel branches: the join waits for every branch', () => {
    const def = flow([
      start('split'),
      {
        id: 'split',
        kind: 'parallel',
        name: { zh_cn: 's', en_us: 's' },
        branches: ['left', 'right'],
        join: 'join',
      },
      approval('left', [users('a')], 'join'),
      approval('right', [users('b')], 'join'),
      { id: 'join', kind: 'join', name: { zh_cn: 'j', en_us: 'j' }, next: 'final' },
      approval('final', [users('c')], 'end'),
      end(),
    ]);
    const p = begin(def);
    p.approve('b');
    assert.deepEqual(p.statusOf('c'), [], 'not before the left branch');
    p.approve('a');
    assert.deepEqual(p.statusOf('c'), ['in_progress']);
    p.approve('c');
    assert.equal(p.state.status, 'completed');
  });
});

describe('process operations', () => {
  test('withdraw: only the initiator, only in progress; every open task is cancelled', () => {
    const p = begin(singleNode([users('a', 'b')], { kind: 'and' }));
    const byOther = p.send({ kind: 'withdraw', operatorId: 'a', system: false });
    assert.ok(!byOther.ok);
    assert.equal(byOther.error.kind, 'operator_not_allowed');
    p.must({ kind: 'withdraw', operatorId: 'emp', system: false, reason: 'changed my mind' });
    assert.equal(p.state.status, 'withdrawn');
    assert.deepEqual([p.statusOf('a'), p.statusOf('b')], [['cancelled'], ['cancelled']]);
    const again = p.send({ kind: 'withdraw', operatorId: 'emp', system: false });
    assert.ok(!again.ok);
    assert.equal(again.error.kind, 'process_status_conflict');
  });

  test('a console admin acts in the system’s authority and is named: marked by_admin, withdraw on behalf', () => {
    const p = begin(singleNode([users('a', 'b')], { kind: 'and' }));
    const task = p.state.tasks.find((t) => t.assigneeId === 'a' && t.status === 'in_progress');
    assert.ok(task);
    p.must({ kind: 'transfer', taskIds: [task.id], toUserId: 'c', system: true, admin: 'root' });
    assert.deepEqual(p.state.audit.at(-1), {
      at: p.state.audit.at(-1)?.at,
      actor: 'root',
      action: 'transfer',
      detail: { tasks: [task.id], to: 'c', by_admin: true },
    });
    // The admin is not the initiator; the person rules still hold for people.
    const asPerson = p.send({ kind: 'withdraw', operatorId: 'root', system: false });
    assert.ok(!asPerson.ok && asPerson.error.kind === 'operator_not_allowed');
    p.must({ kind: 'withdraw', reason: 'asked by phone', system: true, admin: 'root' });
    assert.equal(p.state.status, 'withdrawn');
    assert.deepEqual(p.state.audit.at(-1)?.detail, {
      reason: 'asked by phone',
      by_admin: true,
      on_behalf_of: 'emp',
    });
    assert.equal(p.state.audit.at(-1)?.actor, 'root');
  });

  test('revoke: only a completed process, only a process admin; directly or through revoke approval', () => {
    const direct = begin(singleNode([users('a')]));
    const early = direct.send({ kind: 'revoke', operatorId: 'admin', system: false });
    assert.ok(!early.ok && early.error.kind === 'process_status_conflict');
    direct.approve('a');
    const notAdmin = direct.send({ kind: 'revoke', operatorId: 'emp', system: false });
    assert.ok(!notAdmin.ok && notAdmin.error.kind === 'operator_not_allowed');
    direct.must({ kind: 'revoke', operatorId: 'admin', system: false });
    assert.equal(direct.state.status, 'revoked');

    const settings = { skipDuplicateApprovers: false, revokeNeedsApproval: true };
    const approved = begin(singleNode([users('a')], { kind: 'or' }, { settings }));
    approved.approve('a');
    approved.must({ kind: 'revoke', operatorId: 'admin', system: false });
    assert.equal(approved.state.status, 'revoking');
    approved.approve('admin');
    assert.equal(approved.state.status, 'revoked');

    const refused = begin(singleNode([users('a')], { kind: 'or' }, { settings }));
    refused.approve('a');
    refused.must({ kind: 'revoke', operatorId: 'admin', system: false });
    refused.reject('admin');
    assert.equal(refused.state.status, 'completed');
  });

  test('transfer: the task closes as transferred and the new assignee gets an open one', () => {
    const p = begin(singleNode([users('a')]));
    const self = p.send({
      kind: 'transfer',
      taskIds: [p.task('a')],
      toUserId: 'a',
      operatorId: 'a',
      system: false,
    });
    assert.ok(!self.ok && self.error.kind === 'invalid_field');
    const notMine = p.send({
      kind: 'transfer',
      taskIds: [p.task('a')],
      toUserId: 'x',
      operatorId: 'b',
      system: false,
    });
    assert.ok(!notMine.ok && notMine.error.kind === 'operator_not_allowed');
    p.must({ kind: 'transfer', taskIds: [p.task('a')], toUserId: 'x', operatorId: 'a', system: false });
    assert.deepEqual([p.statusOf('a'), p.statusOf('x')], [['transferred'], ['in_progress']]);
    p.approve('x');
    assert.equal(p.state.status, 'completed');
  });

  test('return to an earlier node: the task rolls back (14) and the path re-runs from there', () => {
    const def = flow([
      start('n1'),
      approval('n1', [users('a')], 'n2'),
      approval('n2', [users('b')], 'end'),
      end(),
    ]);
    const p = begin(def);
    const tooEarly = p.send({
      kind: 'return',
      taskId: p.task('a'),
      targetNodeDefId: 'n2',
      operatorId: 'a',
      system: false,
    });
    assert.ok(!tooEarly.ok && tooEarly.error.kind === 'invalid_field');
    p.approve('a');
    p.must({
      kind: 'return',
      taskId: p.task('b'),
      targetNodeDefId: 'n1',
      operatorId: 'b',
      system: false,
      reason: 'fix it',
    });
    assert.deepEqual(p.statusOf('b'), ['rolled_back']);
    assert.equal(p.state.nodeRuns.filter((r) => r.defId === 'n2')[0]?.status, 'rolled_back');
    assert.deepEqual(p.statusOf('a'), ['approved', 'in_progress']);
    p.approve('a');
    p.approve('b');
    assert.equal(p.state.status, 'completed');
  });

  test('comments with mentions; an unknown mention is refused', () => {
    const p = begin(singleNode([users('a')]));
    p.must({ kind: 'comment', authorId: 'a', text: 'please check @x', mentionIds: ['x'] });
    assert.equal(p.state.comments[0]?.text, 'please check @x');
    assert.ok(p.events.some((e) => e.kind === 'comment_added'));
    const unknown = p.send({ kind: 'comment', authorId: 'a', text: 'hi', mentionIds: ['nobody'] });
    assert.ok(!unknown.ok && unknown.error.kind === 'id_not_found');
  });
});

describe('add-sign', () => {
  test('pre: the added approver decides first, then the original task reopens', () => {
    const p = begin(singleNode([users('a')]));
    p.must({
      kind: 'add_sign',
      taskId: p.task('a'),
      extraType: 'pre',
      approvalMode: 'or',
      userIds: ['x'],
      operatorId: 'a',
      system: false,
    });
    assert.deepEqual([p.statusOf('a'), p.statusOf('x')], [['not_started'], ['in_progress']]);
    p.approve('x');
    assert.deepEqual(p.statusOf('a'), ['in_progress']);
    p.approve('a');
    assert.equal(p.state.status, 'completed');
  });

  test('post: the added approvers decide after the original; countersign needs them all', () => {
    const p = begin(singleNode([users('a')]));
    p.must({
      kind: 'add_sign',
      taskId: p.task('a'),
      extraType: 'post',
      approvalMode: 'and',
      userIds: ['x', 'b'],
      operatorId: 'a',
      system: false,
    });
    assert.deepEqual(p.statusOf('x'), ['not_started']);
    p.approve('a');
    assert.deepEqual([p.statusOf('x'), p.statusOf('b')], [['in_progress'], ['in_progress']]);
    p.approve('x');
    assert.equal(p.state.status, 'in_progress');
    p.approve('b');
    assert.equal(p.state.status, 'completed');
  });

  test('parallel: the added approvers decide alongside, as a countersign; the node passes when both sides pass', () => {
    const p = begin(singleNode([users('a', 'b')]));
    const orSign = p.send({
      kind: 'add_sign',
      taskId: p.task('a'),
      extraType: 'parallel',
      approvalMode: 'or',
      userIds: ['x'],
      operatorId: 'a',
      system: false,
    });
    assert.ok(!orSign.ok && orSign.error.kind === 'invalid_field');
    p.must({
      kind: 'add_sign',
      taskId: p.task('a'),
      extraType: 'parallel',
      approvalMode: 'and',
      userIds: ['x'],
      operatorId: 'a',
      system: false,
    });
    p.approve('b');
    assert.equal(p.state.status, 'in_progress', 'the added countersign still waits');
    assert.deepEqual(p.statusOf('a'), ['cancelled'], 'the or-sign group is decided');
    p.approve('x');
    assert.equal(p.state.status, 'completed');
  });

  test('no users, the assignee themself, or an unknown user are refused and change nothing', () => {
    const p = begin(singleNode([users('a')]));
    const before = JSON.stringify(p.state);
    for (const [userIds, kind] of [
      [[], 'invalid_field'],
      [['a'], 'invalid_field'],
      [['ghost'], 'id_not_found'],
    ] as const) {
      const r = p.send({
        kind: 'add_sign',
        taskId: p.task('a'),
        extraType: 'pre',
        approvalMode: 'or',
        userIds: [...userIds],
        operatorId: 'a',
        system: false,
      });
      assert.ok(!r.ok);
      assert.equal(r.error.kind, kind);
    }
    assert.equal(JSON.stringify(p.state), before);
  });
});

describe('start', () => {
  test('form validation names every bad field', () => {
    const result = startProcess(
      singleNode([users('a')]),
      {
        processId: 'p',
        initiatorId: 'emp',
        formValues: { leave_type: 'holiday', days: 2, extra: 'x', handover_to: 'ghost' },
      },
      context(),
    );
    assert.ok(!result.ok);
    assert.equal(result.error.kind, 'form_invalid');
    assert.deepEqual(result.error.violations?.map((v) => v.field).sort(), [
      'days',
      'extra',
      'handover_to',
      'leave_type',
    ]);
  });

  test('events of a start: process in progress, nodes, tasks, process updated, in order', () => {
    const p = begin(singleNode([users('a')]));
    assert.deepEqual(
      p.events.map((e) => e.kind),
      [
        'process_status_changed',
        'node_status_changed',
        'task_status_changed',
        'node_status_changed',
        'task_status_changed',
        'process_updated',
      ],
    );
  });

  test('a decision never changes the state it was given', () => {
    const def = singleNode([users('a')]);
    const ctx = context();
    const started = startProcess(def, { processId: 'p', initiatorId: 'emp', formValues: LEAVE_VALUES }, ctx);
    assert.ok(started.ok);
    const frozen = JSON.stringify(started.value.state);
    const taskId = started.value.state.tasks.find((t) => t.status === 'in_progress')!.id;
    assert.ok(
      decide(def, started.value.state, { kind: 'approve', taskId, operatorId: 'a', system: false }, ctx).ok,
    );
    assert.equal(JSON.stringify(started.value.state), frozen);
  });
});

describe('corner cases: return and add-sign inside countersign and parallel branches', () => {
  const parallel = () =>
    flow([
      start('split'),
      {
        id: 'split',
        kind: 'parallel',
        name: { zh_cn: 's', en_us: 's' },
        branches: ['l1', 'r1'],
        join: 'join',
      },
      approval('l1', [users('a')], 'l2'),
      approval('l2', [users('b')], 'join'),
      approval('r1', [users('c', 'd')], 'join', { mode: { kind: 'and' } }),
      { id: 'join', kind: 'join', name: { zh_cn: 'j', en_us: 'j' }, next: 'final' },
      approval('final', [users('x')], 'end'),
      end(),
    ]);

  test('return inside one parallel branch re-runs that branch only; the other branch keeps its state', () => {
    const p = begin(parallel());
    p.approve('a');
    p.approve('c');
    p.must({ kind: 'return', taskId: p.task('b'), targetNodeDefId: 'l1', operatorId: 'b', system: false });
    assert.deepEqual(p.statusOf('a'), ['approved', 'in_progress'], 'the left branch runs again from l1');
    assert.deepEqual(
      [p.statusOf('c'), p.statusOf('d')],
      [['approved'], ['in_progress']],
      'the right branch is untouched',
    );
    p.approve('a');
    p.approve('b');
    p.approve('d');
    assert.deepEqual(p.statusOf('x'), ['in_progress'], 'the join passes once both branches arrive again');
  });

  test('return from after the join to a node inside a branch is refused; within the countersign the other approvals stand', () => {
    const p = begin(parallel());
    p.approve('a');
    p.approve('b');
    p.approve('c');
    p.approve('d');
    const intoBranch = p.send({
      kind: 'return',
      taskId: p.task('x'),
      targetNodeDefId: 'l1',
      operatorId: 'x',
      system: false,
    });
    assert.ok(!intoBranch.ok && intoBranch.error.kind === 'invalid_field');
  });

  test('return to before a parallel split re-runs every branch', () => {
    const def = flow([
      start('first'),
      approval('first', [users('mgr')], 'split'),
      {
        id: 'split',
        kind: 'parallel',
        name: { zh_cn: 's', en_us: 's' },
        branches: ['l1', 'r1'],
        join: 'join',
      },
      approval('l1', [users('a')], 'join'),
      approval('r1', [users('c')], 'join'),
      { id: 'join', kind: 'join', name: { zh_cn: 'j', en_us: 'j' }, next: 'end' },
      end(),
    ]);
    const p = begin(def);
    p.approve('mgr');
    p.approve('a');
    p.must({ kind: 'return', taskId: p.task('c'), targetNodeDefId: 'first', operatorId: 'c', system: false });
    assert.deepEqual(p.statusOf('mgr'), ['approved', 'in_progress']);
    assert.equal(
      p.state.nodeRuns.filter((r) => r.defId === 'join' && r.status === 'in_progress').length,
      0,
      'the half-arrived join was cancelled',
    );
    p.approve('mgr');
    p.approve('a');
    assert.equal(p.state.status, 'in_progress', 'both branches run again');
    p.approve('c');
    assert.equal(p.state.status, 'completed');
  });

  test('add-sign inside a countersign: a pre add-sign pauses the whole group; the others cannot approve meanwhile', () => {
    const p = begin(singleNode([users('a', 'b')], { kind: 'and' }));
    p.must({
      kind: 'add_sign',
      taskId: p.task('a'),
      extraType: 'pre',
      approvalMode: 'or',
      userIds: ['x'],
      operatorId: 'a',
      system: false,
    });
    assert.deepEqual([p.statusOf('a'), p.statusOf('b')], [['not_started'], ['not_started']]);
    const early = p.send({
      kind: 'approve',
      taskId: p.state.tasks.find((t) => t.assigneeId === 'b')!.id,
      operatorId: 'b',
      system: false,
    });
    assert.ok(!early.ok && early.error.kind === 'task_status_conflict');
    p.approve('x');
    p.approve('a');
    assert.equal(p.state.status, 'in_progress');
    p.approve('b');
    assert.equal(p.state.status, 'completed');
  });

  test("a revoke records that the business type's compensation is due", () => {
    const p = begin(singleNode([users('a')]));
    p.approve('a');
    p.must({ kind: 'revoke', operatorId: 'admin', system: false, reason: 'entered by mistake' });
    assert.deepEqual(p.state.audit.at(-1), {
      at: p.state.audit.at(-1)?.at,
      actor: 'system',
      action: 'compensation_due',
      detail: { biz_type: 'leave_application' },
    });
  });
});
