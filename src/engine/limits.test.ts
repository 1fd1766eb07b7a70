import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, startProcess, type Command } from './transitions.js';
import { PROCESS_LIMITS, stateBytes } from './limits.js';
import type { ProcessState } from './process.js';
import { context, directory, LEAVE_VALUES, singleNode, users } from './__fixtures__/flows.js';
import type { Employee } from './directory.js';

/** The fixture organisation plus `extra` more active people p0, p1, …. */
function crowd(extra: number) {
  const dir = directory();
  const template = dir.employees.get('a') as Employee;
  const employees = new Map(dir.employees);
  for (let i = 0; i < extra; i++) employees.set(`p${i}`, { ...template, id: `p${i}`, userId: `p${i}` });
  return context({ ...dir, employees });
}

const people = (from: number, count: number) => Array.from({ length: count }, (_, i) => `p${from + i}`);

function begin(ctx: ReturnType<typeof crowd>) {
  const definition = singleNode([users('mgr')]);
  const started = startProcess(
    definition,
    { processId: 'p', initiatorId: 'emp', formValues: LEAVE_VALUES },
    ctx,
  );
  assert.ok(started.ok, JSON.stringify(!started.ok && started.error));
  let state: ProcessState = started.value.state;
  const send = (command: Command) => {
    ctx.tick();
    const outcome = decide(definition, state, command, ctx);
    if (outcome.ok) state = outcome.value.state;
    return outcome;
  };
  return { send, state: () => state };
}

const addSign = (userIds: string[]): Command => ({
  kind: 'add_sign',
  nodeDefId: 'n1',
  extraType: 'post',
  approvalMode: 'or',
  userIds,
  system: true,
});

test('an add-sign adds at most 50 people; 51 is refused naming extra_user_ids', () => {
  const p = begin(crowd(60));
  const refused = p.send(addSign(people(0, PROCESS_LIMITS.addSignUsers + 1)));
  assert.ok(!refused.ok);
  assert.equal(refused.error.kind, 'invalid_field');
  assert.deepEqual(
    refused.error.violations?.map((v) => v.field),
    ['extra_user_ids'],
  );
  assert.equal(p.state().tasks.length, 2, 'nothing changed');
  // Duplicates count once: 50 distinct people listed twice each is within the limit.
  const fifty = people(0, PROCESS_LIMITS.addSignUsers);
  assert.ok(p.send(addSign([...fifty, ...fifty])).ok);
  assert.equal(p.state().tasks.length, 2 + PROCESS_LIMITS.addSignUsers);
});

test('a process has at most 500 tasks in its life: the command that would make the 501st is refused', () => {
  const p = begin(crowd(50));
  // The initiator's start record and the manager's task are the first two.
  while (p.state().tasks.length + 50 <= PROCESS_LIMITS.tasks) assert.ok(p.send(addSign(people(0, 50))).ok);
  const room = PROCESS_LIMITS.tasks - p.state().tasks.length;
  assert.ok(p.send(addSign(people(0, room))).ok, 'up to the limit is fine');
  assert.equal(p.state().tasks.length, PROCESS_LIMITS.tasks);
  const before = p.state();
  const refused = p.send(addSign(['p0']));
  assert.ok(!refused.ok);
  assert.equal(refused.error.kind, 'invalid_field');
  assert.equal(refused.error.violations?.[0]?.field, 'extra_user_ids');
  assert.match(refused.error.message, /at most 500/);
  assert.equal(p.state(), before, 'the state is unchanged');
  // A transfer makes a new task too.
  const open = before.tasks.find((t) => t.status === 'in_progress');
  assert.ok(open);
  const transfer = p.send({ kind: 'transfer', taskIds: [open.id], toUserId: 'x', system: true });
  assert.ok(!transfer.ok && transfer.error.violations?.[0]?.field === 'approver_ids');
  // Commands that add no task still work, and the process can be ended.
  assert.ok(p.send({ kind: 'comment', authorId: 'emp', text: 'still here', mentionIds: [] }).ok);
  assert.ok(p.send({ kind: 'withdraw', operatorId: 'emp', system: false }).ok);
  assert.equal(p.state().status, 'withdrawn');
});

test('the serialised state is at most 1 MiB: growth past it is refused, ending the process is not', () => {
  const p = begin(crowd(0));
  const text = 'x'.repeat(5000);
  let refused: ReturnType<typeof p.send> | undefined;
  for (let i = 0; i < 1000 && !refused; i++) {
    const outcome = p.send({ kind: 'comment', authorId: 'emp', text, mentionIds: [] });
    if (!outcome.ok) refused = outcome;
  }
  assert.ok(refused && !refused.ok, 'comments stop at the limit');
  assert.equal(refused.error.kind, 'invalid_field');
  assert.deepEqual(
    refused.error.violations?.map((v) => v.field),
    ['text'],
  );
  const size = stateBytes(p.state());
  assert.ok(size <= PROCESS_LIMITS.stateBytes && size > PROCESS_LIMITS.stateBytes - 6000, `${size}`);
  const open = p.state().tasks.find((t) => t.status === 'in_progress');
  assert.ok(open);
  assert.ok(
    p.send({ kind: 'reject', taskId: open.id, operatorId: 'mgr', system: false, reason: 'too long' }).ok,
  );
  assert.equal(p.state().status, 'rejected');
});

test('a start whose form would make the state larger than 1 MiB is refused, naming the largest field', () => {
  const ctx = crowd(0);
  const definition = singleNode([users('mgr')]);
  const started = startProcess(
    definition,
    {
      processId: 'p',
      initiatorId: 'emp',
      // Ten thousand characters of text is allowed per field; many multi-byte ones fill a megabyte.
      formValues: { ...LEAVE_VALUES, reason: '假'.repeat(10_000) },
    },
    ctx,
  );
  assert.ok(started.ok, 'thirty kilobytes is fine');
  const huge = startProcess(
    {
      ...definition,
      form: [
        ...definition.form,
        ...Array.from({ length: 40 }, (_, i) => ({
          apiName: `f${i}`,
          label: { zh_cn: 'f', en_us: 'f' },
          type: 'text' as const,
          required: false,
        })),
      ],
    },
    {
      processId: 'p',
      initiatorId: 'emp',
      formValues: {
        ...LEAVE_VALUES,
        ...Object.fromEntries(
          Array.from({ length: 40 }, (_, i) => [`f${i}`, '假'.repeat(i === 7 ? 10_000 : 9_000)]),
        ),
      },
    },
    ctx,
  );
  assert.ok(!huge.ok);
  assert.equal(huge.error.kind, 'invalid_field');
  assert.deepEqual(
    huge.error.violations?.map((v) => v.field),
    ['f7'],
  );
});
