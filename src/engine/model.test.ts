import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decide, startProcess, type Command } from './transitions.js';
import type { FlowDefinition } from './definition.js';
import { isOpenTask, type ProcessState, type ProcessStatus } from './process.js';
import {
  approval,
  context,
  end,
  flow,
  LEAVE_VALUES,
  PEOPLE,
  singleNode,
  start,
  users,
} from './__fixtures__/flows.js';

/** Model-based tests: random command sequences, invariants checked after every step. */

const RUNS = Number(process.env.PEOPLEFLOW_MODEL_RUNS ?? 1000);

const DEFINITIONS: FlowDefinition[] = [
  singleNode([users('a', 'b', 'c')], { kind: 'or' }),
  singleNode([users('a', 'b', 'c')], { kind: 'and' }),
  singleNode([users('a', 'b', 'c')], { kind: 'sequential' }),
  singleNode([users('a', 'b', 'c', 'd')], { kind: 'ratio', percent: 50 }),
  flow(
    [
      start('n1'),
      approval('n1', [{ kind: 'manager', level: 1 }], 'n2'),
      approval('n2', [users('a', 'b')], 'n3', { mode: { kind: 'and' } }),
      approval('n3', [users('c')], 'end'),
      end(),
    ],
    {
      settings: { skipDuplicateApprovers: true, revokeNeedsApproval: true },
    },
  ),
  flow([
    start('split'),
    {
      id: 'split',
      kind: 'parallel',
      name: { zh_cn: 's', en_us: 's' },
      branches: ['left', 'right'],
      join: 'join',
    },
    approval('left', [users('a', 'b')], 'left2'),
    approval('left2', [users('c')], 'join'),
    approval('right', [users('d')], 'join', { mode: { kind: 'and' } }),
    { id: 'join', kind: 'join', name: { zh_cn: 'j', en_us: 'j' }, next: 'final' },
    approval('final', [users('x')], 'end'),
    end(),
  ]),
];

const ALLOWED_STATUS_EDGES = new Set([
  'in_progress>rejected',
  'in_progress>withdrawn',
  'in_progress>completed',
  'completed>revoked',
  'completed>revoking',
  'revoking>revoked',
  'revoking>completed',
]);
const FINISHED: ProcessStatus[] = ['rejected', 'withdrawn', 'revoked', 'completed'];

const step = fc.record({
  // Approvals dominate, as in life; enders (reject, withdraw) are rarer so sequences go deep.
  op: fc.constantFrom(
    'approve',
    'approve',
    'approve',
    'approve',
    'approve',
    'approve',
    'reject',
    'withdraw',
    'revoke',
    'revoke',
    'add_sign',
    'add_sign',
    'transfer',
    'transfer',
    'return',
    'return',
    'return',
    'comment',
    'concurrent',
    'concurrent',
  ),
  pick: fc.nat(),
  who: fc.nat(),
  extra: fc.nat(),
});

const pickOf = <T>(items: readonly T[], n: number): T | undefined =>
  items.length === 0 ? undefined : items[n % items.length];

type Step = { op: string; pick: number; who: number; extra: number };

/** Turns a random step into a command on the current state: mostly valid, sometimes from the wrong person. */
function commandFor(definition: FlowDefinition, state: ProcessState, s: Step): Command | undefined {
  const open = state.tasks.filter((t) => t.status === 'in_progress');
  const task = pickOf(open, s.pick);
  const stranger = s.who % 5 === 0;
  const someone = pickOf(PEOPLE, s.who) ?? 'x';
  const operatorId = stranger ? someone : task?.assigneeId;
  switch (s.op) {
    case 'approve':
    case 'reject':
      return task && { kind: s.op, taskId: task.id, operatorId, system: s.extra % 7 === 0 };
    case 'withdraw':
      return { kind: 'withdraw', operatorId: stranger ? someone : 'emp', system: false };
    case 'revoke':
      return { kind: 'revoke', operatorId: stranger ? someone : 'admin', system: false };
    case 'add_sign':
      return (
        task && {
          kind: 'add_sign',
          taskId: task.id,
          extraType: pickOf(['pre', 'parallel', 'post'] as const, s.extra) ?? 'pre',
          approvalMode: s.extra % 2 === 0 ? 'and' : 'or',
          userIds: [someone, pickOf(PEOPLE, s.extra) ?? 'x'],
          operatorId,
          system: false,
        }
      );
    case 'transfer':
      return task && { kind: 'transfer', taskIds: [task.id], toUserId: someone, operatorId, system: false };
    case 'return':
      return (
        task && {
          kind: 'return',
          taskId: task.id,
          // Mostly an earlier node that passed, sometimes any node (which must be refused).
          targetNodeDefId:
            (s.extra % 4 === 0
              ? pickOf(definition.nodes, s.extra)?.id
              : pickOf(
                  state.nodeRuns.filter((r) => r.status === 'passed' && r.kind === 'approval'),
                  s.extra,
                )?.defId) ?? 'n1',
          operatorId,
          system: false,
        }
      );
    case 'comment':
      return {
        kind: 'comment',
        authorId: someone,
        text: `comment ${s.extra}`,
        mentionIds: s.extra % 3 === 0 ? [someone] : [],
      };
    case 'concurrent':
      return undefined;
  }
}

function checkInvariants(
  definition: FlowDefinition,
  before: ProcessState,
  after: ProcessState,
  events: { kind: string; taskId?: string; status?: string }[],
): void {
  if (before.status !== after.status) {
    assert.ok(
      ALLOWED_STATUS_EDGES.has(`${before.status}>${after.status}`),
      `status edge ${before.status} → ${after.status}`,
    );
  }
  if (FINISHED.includes(after.status)) {
    assert.deepEqual(
      after.tasks.filter(isOpenTask).map((t) => t.status),
      [],
      `a ${after.status} process has no open task`,
    );
    assert.deepEqual(
      after.nodeRuns.filter((r) => r.status === 'in_progress').map((r) => r.defId),
      [],
      'and no running node',
    );
  } else {
    assert.ok(
      after.tasks.some((t) => t.status === 'in_progress'),
      `a ${after.status} process waits on someone`,
    );
  }
  // Each task status change emits exactly one approver event; an unchanged task emits none.
  const previous = new Map(before.tasks.map((t) => [t.id, t.status]));
  const changed = after.tasks.filter(
    (t) =>
      previous.get(t.id) !== t.status && !(previous.get(t.id) === undefined && t.status === 'not_started'),
  );
  const taskEvents = events.filter((e) => e.kind === 'task_status_changed');
  assert.deepEqual(
    taskEvents.map((e) => e.taskId).sort(),
    changed.map((t) => t.id).sort(),
    'one event per changed task',
  );
  for (const e of taskEvents) assert.equal(after.tasks.find((t) => t.id === e.taskId)?.status, e.status);
  // Or-sign runs pass on one approval, countersign runs only on all.
  for (const run of after.nodeRuns.filter(
    (r) => r.status === 'passed' && r.kind === 'approval' && !r.autoPassed,
  )) {
    for (const group of run.groups) {
      const tasks = after.tasks.filter((t) => t.groupId === group.id && t.status !== 'transferred');
      const approved = tasks.filter((t) => ['approved', 'skipped'].includes(t.status));
      if (group.mode.kind === 'or')
        assert.ok(approved.length >= 1, 'an or-sign group passed with an approval');
      if (group.mode.kind === 'and' || group.mode.kind === 'sequential')
        assert.equal(approved.length, tasks.length, 'a countersign group passed only when all approved');
    }
  }
  assert.equal(after.definitionVersion, definition.version, 'a process keeps its definition version');
}

test(`random command sequences keep every invariant (${RUNS} runs)`, () => {
  fc.assert(
    fc.property(
      fc.nat({ max: DEFINITIONS.length - 1 }),
      fc.array(step, { maxLength: 30 }),
      (which, steps) => {
        const definition = DEFINITIONS[which]!;
        const ctx = context();
        const started = startProcess(
          definition,
          { processId: 'p', initiatorId: 'emp', formValues: LEAVE_VALUES },
          ctx,
        );
        assert.ok(started.ok);
        let state = started.value.state;
        checkInvariants(
          definition,
          { ...state, status: 'in_progress', tasks: [] },
          state,
          started.value.events,
        );
        for (const s of steps) {
          ctx.tick();
          if (s.op === 'concurrent') {
            // Two approvals read the same state; the second is decided on what the first committed.
            const open = state.tasks.filter((t) => t.status === 'in_progress');
            const first = pickOf(open, s.pick);
            const second = pickOf(open, s.extra);
            if (!first || !second) continue;
            const one = decide(
              definition,
              state,
              { kind: 'approve', taskId: first.id, operatorId: first.assigneeId, system: false },
              ctx,
            );
            assert.ok(one.ok);
            const two = decide(
              definition,
              one.value.state,
              { kind: 'approve', taskId: second.id, operatorId: second.assigneeId, system: false },
              ctx,
            );
            const stillOpen = one.value.state.tasks.find((t) => t.id === second.id)?.status === 'in_progress';
            assert.equal(
              two.ok,
              stillOpen && one.value.state.status === 'in_progress',
              'the loser of a race is refused exactly when its task closed',
            );
            if (!two.ok && !stillOpen) assert.equal(two.error.kind, 'task_status_conflict');
            checkInvariants(definition, state, one.value.state, one.value.events);
            state = one.value.state;
            continue;
          }
          const command = commandFor(definition, state, s);
          if (!command) continue;
          const frozen = JSON.stringify(state);
          const outcome = decide(definition, state, command, ctx);
          assert.equal(JSON.stringify(state), frozen, 'decide never mutates its input');
          if (!outcome.ok) continue;
          checkInvariants(definition, state, outcome.value.state, outcome.value.events);
          state = outcome.value.state;
        }
      },
    ),
    { numRuns: RUNS },
  );
});

test(`or-sign: whoever approves first decides the node (${RUNS} runs)`, () => {
  const definition = singleNode([users('a', 'b', 'c')], { kind: 'or' });
  fc.assert(
    fc.property(fc.constantFrom('a', 'b', 'c'), (first) => {
      const ctx = context();
      const started = startProcess(
        definition,
        { processId: 'p', initiatorId: 'emp', formValues: LEAVE_VALUES },
        ctx,
      );
      assert.ok(started.ok);
      const task = started.value.state.tasks.find((t) => t.assigneeId === first)!;
      const outcome = decide(
        definition,
        started.value.state,
        { kind: 'approve', taskId: task.id, operatorId: first, system: false },
        ctx,
      );
      assert.ok(outcome.ok);
      assert.equal(outcome.value.state.status, 'completed');
      for (const t of outcome.value.state.tasks.filter((t) => t.status !== 'initiated')) {
        assert.equal(t.status, t.assigneeId === first ? 'approved' : 'cancelled');
      }
    }),
    { numRuns: RUNS },
  );
});

test(`countersign: any order of approvals completes only after the last one (${RUNS} runs)`, () => {
  const definition = singleNode([users('a', 'b', 'c', 'd')], { kind: 'and' });
  fc.assert(
    fc.property(fc.shuffledSubarray(['a', 'b', 'c', 'd'], { minLength: 4, maxLength: 4 }), (order) => {
      const ctx = context();
      const started = startProcess(
        definition,
        { processId: 'p', initiatorId: 'emp', formValues: LEAVE_VALUES },
        ctx,
      );
      assert.ok(started.ok);
      let state = started.value.state;
      order.forEach((who, i) => {
        const task = state.tasks.find((t) => t.assigneeId === who && t.status === 'in_progress')!;
        const outcome = decide(
          definition,
          state,
          { kind: 'approve', taskId: task.id, operatorId: who, system: false },
          ctx,
        );
        assert.ok(outcome.ok);
        state = outcome.value.state;
        assert.equal(state.status, i === order.length - 1 ? 'completed' : 'in_progress');
      });
    }),
    { numRuns: RUNS },
  );
});
