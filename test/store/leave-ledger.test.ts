import { SecretBox } from '../../src/platform/secrets.js';
import { randomBytes } from 'node:crypto';
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { repositories, type Repositories } from '../../src/services/context.js';
import { IdGenerator } from '../../src/platform/id-generator.js';
import { ManualClock } from '../../src/platform/clock.js';
import type { DirectorySnapshot } from '../../src/engine/approver-resolution.js';
import type { FlowDefinition } from '../../src/engine/definition.js';
import type { ProcessState } from '../../src/engine/process.js';
import { leaveAction } from '../../src/services/actions/leave.js';
import type { ActionContext } from '../../src/services/actions/types.js';
import { checkLeaveBalance } from '../../src/services/leave.service.js';
import {
  centidaysOfNumber,
  centidaysOfText,
  daysText,
  readLeaveRequest,
} from '../../src/services/leave-request.js';
import { forEachDialect, migratedDatabase } from '../helpers/databases.js';

test('reading a request: days win, else calendar days from start to end, both included', () => {
  assert.deepEqual(
    readLeaveRequest({ leave_type: 'annual', days: '2.5', start_date: '2026-01-01', end_date: '2026-01-09' }),
    {
      kind: 'request',
      typeKey: 'annual',
      centidays: 250,
      daysField: 'days',
    },
  );
  assert.deepEqual(
    readLeaveRequest({ leave_type: 'annual', start_date: '2026-02-27', end_date: '2026-03-02' }),
    {
      kind: 'request',
      typeKey: 'annual',
      centidays: 400,
      daysField: 'end_date',
    },
  );
  assert.equal(
    readLeaveRequest({ leave_type: 'annual', start_date: '2026-03-02', end_date: '2026-03-02' }).kind,
    'request',
  );
  assert.deepEqual(
    readLeaveRequest({ leave_type: 'annual', start_date: '2026-03-03', end_date: '2026-03-02' }),
    {
      kind: 'problem',
      typeKey: 'annual',
      field: 'end_date',
      description: 'is before start_date',
    },
  );
  assert.equal(readLeaveRequest({ days: '2' }).kind, 'no_type');
  assert.equal(readLeaveRequest({ leave_type: 'annual', days: '-1' }).kind, 'problem');
  assert.equal(readLeaveRequest({ leave_type: 'annual', days: '0.125' }).kind, 'problem');
  assert.equal(readLeaveRequest({ leave_type: 'annual' }).kind, 'problem');
  assert.equal(centidaysOfText('1.50'), 150);
  assert.equal(centidaysOfNumber(0.1 + 0.2), 30);
  assert.equal(centidaysOfNumber(1e300), undefined);
  assert.equal(centidaysOfNumber(0.001), undefined);
  assert.equal(daysText(-50), '-0.5');
  assert.equal(daysText(1205), '12.05');
  fc.assert(
    fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), (c) => centidaysOfText(daysText(c)) === c),
  );
});

forEachDialect('leave ledger', (dialect) => {
  const database = migratedDatabase(dialect);
  let repos: Repositories;
  const clock = new ManualClock();
  const ids = new IdGenerator(clock, 1);
  const tenantId = ids.next();
  const employeeId = ids.next();
  before(async () => {
    repos = repositories(database.handle.db);
    await repos.leave.insertType(tenantId, {
      key: 'annual',
      name: { zh_cn: '年假', en_us: 'Annual' },
      overBalance: 'refuse',
      active: true,
      createdAt: 1,
      updatedAt: 1,
    });
  });

  test('a balance is the sum of its entries; a repeated idempotency key adds nothing', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            key: fc.integer({ min: 0, max: 8 }),
            amount: fc.integer({ min: -100_000, max: 100_000 }),
          }),
          { maxLength: 25 },
        ),
        async (writes) => {
          run += 1;
          const person = `${employeeId}-${run}`;
          const firstByKey = new Map<number, number>();
          for (const w of writes) if (!firstByKey.has(w.key)) firstByKey.set(w.key, w.amount);
          // One batch, then each again one by one: the second round writes nothing.
          const entries = writes.map((w) => ({
            id: ids.next(),
            employeeId: person,
            typeKey: 'annual',
            kind: 'adjustment' as const,
            amount: w.amount,
            reason: 'property',
            processId: null,
            idempotencyKey: `p${run}:${w.key}`,
            createdBy: null,
          }));
          const created = await repos.leave.append(tenantId, entries, clock.now());
          assert.equal(created.size, firstByKey.size);
          for (const entry of entries)
            assert.equal(
              (await repos.leave.append(tenantId, [{ ...entry, id: ids.next() }], clock.now())).size,
              0,
            );
          const expected = [...firstByKey.values()].reduce((a, b) => a + b, 0);
          const sums = await repos.leave.balances(tenantId, [person]);
          assert.equal(sums.get(person)?.get('annual') ?? 0, expected);
        },
      ),
      { numRuns: 40 },
    );
  });

  test('the ledger pages newest first without skips or repeats', async () => {
    const person = ids.next();
    for (let i = 0; i < 7; i++) {
      clock.advance(i % 2 === 0 ? 0 : 5);
      await repos.leave.append(
        tenantId,
        [
          {
            id: ids.next(),
            employeeId: person,
            typeKey: 'annual',
            kind: 'grant',
            amount: 100 * (i + 1),
            reason: `g${i}`,
            processId: null,
            idempotencyKey: `ledger:${person}:${i}`,
            createdBy: null,
          },
        ],
        clock.now(),
      );
    }
    const seen: string[] = [];
    let afterId: string | undefined;
    do {
      const page = await repos.leave.ledger(tenantId, person, undefined, {
        pageSize: 3,
        ...(afterId ? { afterId } : {}),
      });
      seen.push(...page.items.map((e) => e.reason));
      afterId = page.nextAfterId;
    } while (afterId);
    assert.deepEqual(seen, ['g6', 'g5', 'g4', 'g3', 'g2', 'g1', 'g0']);
  });

  const definition = { bizType: 'leave_application' } as FlowDefinition;
  const processOf = (id: string, initiatorId: string, formValues: ProcessState['formValues']) =>
    ({ id, initiatorId, formValues, bizType: 'leave_application', status: 'completed' }) as ProcessState;
  const context = (process: ProcessState, on: Repositories = repos): ActionContext => ({
    repos: on,
    secrets: new SecretBox(randomBytes(32)),
    tenantId,
    process,
    definition,
    directory: {} as DirectorySnapshot,
    now: clock.now(),
  });

  test('the action: plan shows before → after, apply debits once, compensate credits once', async () => {
    const person = ids.next();
    await repos.leave.append(
      tenantId,
      [
        {
          id: ids.next(),
          employeeId: person,
          typeKey: 'annual',
          kind: 'grant',
          amount: 1000,
          reason: 'yearly',
          processId: null,
          idempotencyKey: `grant:${person}`,
          createdBy: null,
        },
      ],
      clock.now(),
    );
    const process = processOf(ids.next(), person, { leave_type: 'annual', days: '2.5' });
    const planned = await leaveAction.plan(context(process));
    assert.ok(planned.ok);
    assert.deepEqual(planned.plan.changes, [
      {
        field: 'leave_balance.annual',
        before: '10',
        after: '7.5',
        label: { zh_cn: '年假', en_us: 'Annual' },
      },
    ]);
    assert.equal(planned.plan.employeeId, person);

    // Applied in a transaction, as the job runner does; a second run (a lost commit reply) adds nothing.
    const applied = await database.handle.db
      .transaction()
      .execute((trx) => leaveAction.apply(context(process, repositories(trx)), planned.plan));
    assert.deepEqual(applied.changes, [{ field: 'leave_balance.annual', before: '10', after: '7.5' }]);
    const again = await leaveAction.apply(context(process), planned.plan);
    assert.deepEqual(again.changes, applied.changes);
    const balance = async () => (await repos.leave.balances(tenantId, [person])).get(person)?.get('annual');
    assert.equal(await balance(), 750);
    assert.equal((await repos.leave.entryByKey(tenantId, `${process.id}:debit`))?.amount, -250);

    const restored = await leaveAction.compensate(context(process), applied);
    assert.deepEqual(restored, {
      ok: true,
      restored: [{ field: 'leave_balance.annual', before: '7.5', after: '10' }],
    });
    assert.deepEqual(await leaveAction.compensate(context(process), applied), restored);
    assert.equal(await balance(), 1000);

    // Compensating what was never debited is a conflict, nothing written.
    const never = processOf(ids.next(), person, { leave_type: 'annual', days: '1' });
    const missing = await leaveAction.compensate(context(never), {
      changes: [],
      data: { leave_type: 'annual', centidays: 100, employee_id: person },
    });
    assert.deepEqual(missing, {
      ok: false,
      conflicts: [{ field: 'leave_balance.annual', expected: '-1', found: null }],
    });
    assert.equal(await balance(), 1000);

    // An untracked type plans nothing; a form without a type is a problem for the approver.
    const sick = await leaveAction.plan(
      context(processOf(ids.next(), person, { leave_type: 'sick', days: '1' })),
    );
    assert.deepEqual(sick, { ok: true, plan: { employeeId: person, changes: [] } });
    assert.deepEqual((await leaveAction.apply(context(never), { changes: [] })).changes, []);
    const noType = await leaveAction.plan(context(processOf(ids.next(), person, { days: '1' })));
    assert.equal(noType.ok, false);
  });

  test('the start check: over the available amount refused (refuse) or warned (warn); other types pass', async () => {
    const person = ids.next();
    await repos.leave.append(
      tenantId,
      [
        {
          id: ids.next(),
          employeeId: person,
          typeKey: 'annual',
          kind: 'grant',
          amount: 300,
          reason: 'yearly',
          processId: null,
          idempotencyKey: `grant:${person}`,
          createdBy: null,
        },
      ],
      clock.now(),
    );
    const within = await checkLeaveBalance(
      repos,
      tenantId,
      definition,
      { leave_type: 'annual', days: '3' },
      person,
    );
    assert.deepEqual(within, { ok: true, value: {} });
    const over = await checkLeaveBalance(
      repos,
      tenantId,
      definition,
      { leave_type: 'annual', days: '3.5' },
      person,
    );
    assert.ok(!over.ok);
    assert.equal(over.error.kind, 'form_invalid');
    const [violation] = over.error.violations ?? [];
    assert.equal(violation?.field, 'days');
    assert.match(violation.description, /only 3 days of Annual \(annual\) available/);
    const otherBiz = await checkLeaveBalance(
      repos,
      tenantId,
      { bizType: 'job_change' } as FlowDefinition,
      { leave_type: 'annual', days: '99' },
      person,
    );
    assert.ok(otherBiz.ok);
    const untracked = await checkLeaveBalance(
      repos,
      tenantId,
      definition,
      { leave_type: 'sick', days: '99' },
      person,
    );
    assert.ok(untracked.ok);

    await repos.leave.updateType(tenantId, {
      key: 'annual',
      name: { zh_cn: '年假', en_us: 'Annual' },
      overBalance: 'warn',
      active: true,
      createdAt: 1,
      updatedAt: 2,
    });
    const warned = await checkLeaveBalance(
      repos,
      tenantId,
      definition,
      { leave_type: 'annual', start_date: '2026-03-02', end_date: '2026-03-05' },
      person,
    );
    assert.deepEqual(warned, {
      ok: true,
      value: { warning: { leave_type: 'annual', days: '4', available: '3' } },
    });
    await repos.leave.updateType(tenantId, {
      key: 'annual',
      name: { zh_cn: '年假', en_us: 'Annual' },
      overBalance: 'refuse',
      active: true,
      createdAt: 1,
      updatedAt: 3,
    });
  });
});
