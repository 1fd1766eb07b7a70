import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ManualClock } from '../../src/platform/clock.js';
import { IdGenerator } from '../../src/platform/id-generator.js';
import { SecretBox } from '../../src/platform/secrets.js';
import { createServices, type Services } from '../../src/services/index.js';
import { inTransaction, repositories, type ServiceContext } from '../../src/services/context.js';
import { ok, type Result } from '../../src/services/result.js';
import { actionFor, BUSINESS_ACTIONS } from '../../src/services/actions/index.js';
import type {
  ActionContext,
  ActionPlan,
  AppliedAction,
  BusinessAction,
} from '../../src/services/actions/types.js';
import type { ProcessState } from '../../src/engine/process.js';
import type { FormValues } from '../../src/engine/form.js';
import { flow, start, end } from '../../src/engine/__fixtures__/flows.js';
import { forEachDialect, migratedDatabase } from '../helpers/databases.js';

/**
 * The employee-record business actions (docs/actions.md) on a real database: plan, apply in a
 * transaction, compensate — and compensation refused when someone changed the record since.
 */
forEachDialect('record actions', (dialect) => {
  const database = migratedDatabase(dialect);
  let services: Services;
  let ctx: ServiceContext;
  let tenantId: string;
  const clock = new ManualClock(Date.UTC(2026, 2, 1));
  const ids: Record<string, string> = {};
  const departments: Record<string, string> = {};

  before(async () => {
    ctx = {
      db: database.handle.db,
      clock,
      ids: new IdGenerator(clock, 1),
      secrets: new SecretBox(randomBytes(32)),
    };
    services = createServices(ctx, () => database.handle.ping());
    const tenant = await services.tenants.create({ tenant_key: 'acme', name: 'Acme' });
    assert.ok(tenant.ok);
    tenantId = tenant.value.id;
    for (const id of ['eng', 'sales']) {
      const d = await services.departments.create('acme', {
        department_id: id,
        name: { zh_cn: id, en_us: id },
      });
      assert.ok(d.ok);
      departments[id] = d.value.department.id;
    }
    const people: [string, string | null][] = [
      ['boss', null],
      ['lead', 'boss'],
      ['zhang', 'lead'],
      ['report', 'zhang'],
    ];
    for (const [userId, manager] of people) {
      const e = await services.employees.create('acme', {
        user_id: userId,
        name: { zh_cn: userId },
        email: `${userId}@acme.example`,
        department_id: 'eng',
        manager_user_id: manager,
        ...(userId === 'zhang'
          ? {
              phone: '+86 138 0000 0000',
              bank_account: '6222 0000 1111 2222',
              probation_status: 'on_probation',
            }
          : {}),
      });
      assert.ok(e.ok, JSON.stringify(e));
      ids[userId] = e.value.employee.id;
    }
  });

  const process = (bizType: string, formValues: FormValues, initiator = 'zhang'): ProcessState => ({
    id: '7000000000000000001',
    definitionId: '9000000000000000001',
    definitionVersion: 1,
    bizType,
    status: 'completed',
    initiatorId: ids[initiator] as string,
    formValues,
    selectedApprovers: {},
    createdAt: clock.now(),
    updatedAt: clock.now(),
    nodeRuns: [],
    tasks: [],
    ccs: [],
    comments: [],
    audit: [],
  });

  async function actionContext(state: ProcessState): Promise<ActionContext> {
    return {
      repos: repositories(database.handle.db),
      tenantId,
      process: state,
      definition: flow([start('end'), end()], { bizType: state.bizType, form: [] }),
      directory: await services.processes.directory(tenantId),
      now: clock.now(),
      secrets: ctx.secrets,
    };
  }

  /** Runs `work` in a transaction, as the job runner does (the snapshot is read before it). */
  const inTx = async <T>(state: ProcessState, work: (actionCtx: ActionContext) => Promise<T>): Promise<T> => {
    const base = await actionContext(state);
    const result: Result<T> = await inTransaction(database.handle.db, async (repos) =>
      ok(await work({ ...base, repos })),
    );
    assert.ok(result.ok);
    return result.value;
  };

  async function planOf(action: BusinessAction, state: ProcessState): Promise<ActionPlan> {
    const result = await action.plan(await actionContext(state));
    assert.ok(result.ok, JSON.stringify(result));
    return result.plan;
  }
  const apply = (action: BusinessAction, state: ProcessState, plan: ActionPlan) =>
    inTx(state, (actionCtx) => action.apply(actionCtx, plan));
  const compensate = (action: BusinessAction, state: ProcessState, applied: AppliedAction) =>
    inTx(state, (actionCtx) => action.compensate(actionCtx, applied));
  const employee = async (userId: string) => {
    const view = await services.employees.get('acme', userId);
    assert.ok(view.ok);
    return view.value;
  };
  const directoryVersion = async () => repositories(database.handle.db).tenants.directoryVersion(tenantId);

  test('the registry maps the record and leave business types to their actions', () => {
    assert.deepEqual([...BUSINESS_ACTIONS.keys()].sort(), [
      'corehr_probation_default_flow',
      'job_change',
      'leave_application',
      'offboarding_info',
      'person_info_change',
    ]);
    assert.equal(actionFor('job_change')?.bizType, 'job_change');
    assert.equal(actionFor('travel_application'), undefined);
  });

  test('person_info_change: plan lists before → after (bank account masked), apply writes, compensate restores', async () => {
    const action = actionFor('person_info_change') as BusinessAction;
    const state = process('person_info_change', {
      phone: '+86 139 1111 2222',
      address: '1 Long Road\nShanghai',
      bank_account: '6222 9999 8888 7777',
      reason: 'moved',
    });
    const plan = await planOf(action, state);
    assert.equal(plan.employeeId, ids.zhang);
    assert.equal(plan.effectiveDate, undefined);
    assert.deepEqual(plan.changes, [
      { field: 'phone', before: '+86 138 0000 0000', after: '+86 139 1111 2222' },
      { field: 'address', before: null, after: '1 Long Road\nShanghai' },
      { field: 'bank_account', before: '****2222', after: '****7777', sensitive: true },
    ]);
    assert.doesNotMatch(
      JSON.stringify(plan),
      /8888/,
      'the plan (stored with the job) holds no plain account',
    );

    const version = await directoryVersion();
    const applied = await apply(action, state, plan);
    assert.ok(((await directoryVersion()) ?? 0) > (version ?? 0), 'the directory version moved');
    assert.doesNotMatch(JSON.stringify(applied), /8888|2222 0000 1111/);
    const after = await employee('zhang');
    assert.equal(after.profile.phone, '+86 139 1111 2222');
    assert.equal(after.profile.bank_account, '6222 9999 8888 7777');
    const raw = await database.handle.db
      .selectFrom('employees')
      .select('bank_account')
      .where('id', '=', ids.zhang as string)
      .executeTakeFirstOrThrow();
    assert.ok(raw.bank_account?.startsWith('v1:'));
    assert.doesNotMatch(raw.bank_account ?? '', /8888/);

    const restored = await compensate(action, state, applied);
    assert.ok(restored.ok, JSON.stringify(restored));
    const back = await employee('zhang');
    assert.equal(back.profile.phone, '+86 138 0000 0000');
    assert.equal(back.profile.address, null);
    assert.equal(back.profile.bank_account, '6222 0000 1111 2222');
  });

  test('person_info_change: a bad value is a problem naming the field; nothing to change is one too', async () => {
    const action = actionFor('person_info_change') as BusinessAction;
    const bad = await action.plan(await actionContext(process('person_info_change', { phone: 'call me' })));
    assert.deepEqual(bad, {
      ok: false,
      problem: 'phone must be a phone number: digits, spaces, ( ) and -, optionally starting with +',
      field: 'phone',
    });
    const nul = await action.plan(
      await actionContext(process('person_info_change', { address: 'a\u0000b' })),
    );
    assert.equal(!nul.ok && nul.field, 'address');
    // The demo's form: one field chosen in `field`, its value in `new_value`.
    const demo = await planOf(
      action,
      process('person_info_change', { field: 'address', new_value: 'Hangzhou' }),
    );
    assert.deepEqual(demo.changes, [{ field: 'address', before: null, after: 'Hangzhou' }]);
    const demoBad = await action.plan(
      await actionContext(process('person_info_change', { field: 'job_title', new_value: 'CEO' })),
    );
    assert.equal(!demoBad.ok && demoBad.field, 'field');
    const none = await action.plan(await actionContext(process('person_info_change', { reason: 'x' })));
    assert.equal(none.ok, false);
  });

  test('person_info_change: a later edit of the same field makes compensation a conflict, nothing written', async () => {
    const action = actionFor('person_info_change') as BusinessAction;
    const state = process('person_info_change', {
      phone: '+86 139 5555 6666',
      bank_account: '6222 4444 3333 1234',
    });
    const applied = await apply(action, state, await planOf(action, state));
    const edited = await services.employees.update('acme', 'zhang', { bank_account: '6222 1212 1212 9876' });
    assert.ok(edited.ok);
    const result = await compensate(action, state, applied);
    assert.deepEqual(result, {
      ok: false,
      conflicts: [{ field: 'bank_account', expected: '****1234', found: '****9876' }],
    });
    const now = await employee('zhang');
    assert.equal(now.profile.phone, '+86 139 5555 6666', 'the untouched field is not restored either');
    assert.equal(now.profile.bank_account, '6222 1212 1212 9876');
  });

  test('job_change: department, manager and title from the effective date; compensate restores', async () => {
    const action = actionFor('job_change') as BusinessAction;
    const state = process(
      'job_change',
      {
        employee: [ids.report as string],
        effective_date: '2026-04-01',
        new_department: departments.sales as string,
        new_manager: ids.lead as string,
        new_job_title: 'Account executive',
      },
      'lead',
    );
    const plan = await planOf(action, state);
    assert.equal(plan.employeeId, ids.report);
    assert.equal(plan.effectiveDate, '2026-04-01');
    assert.deepEqual(plan.changes, [
      { field: 'department_id', before: departments.eng, after: departments.sales },
      { field: 'manager_id', before: ids.zhang, after: ids.lead },
      { field: 'job_title', before: null, after: 'Account executive' },
    ]);
    const applied = await apply(action, state, plan);
    const moved = await employee('report');
    assert.equal(moved.departmentId, 'sales');
    assert.equal(moved.managerUserId, 'lead');
    assert.equal(moved.profile.job_title, 'Account executive');
    const snapshot = await services.processes.directory(tenantId);
    assert.equal(
      snapshot.employees.get(ids.report as string)?.departmentId,
      departments.sales,
      'snapshot refreshed',
    );

    const restored = await compensate(action, state, applied);
    assert.ok(restored.ok);
    const back = await employee('report');
    assert.equal(back.departmentId, 'eng');
    assert.equal(back.managerUserId, 'zhang');
    assert.equal(back.profile.job_title, null);
  });

  test('job_change: problems name the field (no change, unknown department, a manager loop, a bad date)', async () => {
    const action = actionFor('job_change') as BusinessAction;
    const field = async (values: FormValues) => {
      const result = await action.plan(await actionContext(process('job_change', values, 'lead')));
      assert.ok(!result.ok);
      return result.field;
    };
    assert.equal(await field({ employee: ids.zhang as string }), 'new_department');
    assert.equal(await field({ new_department: '123' }), 'new_department');
    // zhang under report, who reports to zhang: a loop.
    assert.equal(
      await field({ employee: ids.zhang as string, new_manager: ids.report as string }),
      'new_manager',
    );
    assert.equal(await field({ new_job_title: 'x', effective_date: '2026-02-30' }), 'effective_date');
    assert.equal(await field({ employee: '42', new_job_title: 'x' }), 'employee');
    // The demo's form calls the department `target_department`.
    const demo = await planOf(
      action,
      process('job_change', { target_department: departments.sales as string }),
    );
    assert.deepEqual(demo.changes, [
      { field: 'department_id', before: departments.eng, after: departments.sales },
    ]);
  });

  test('job_change: the department moved again since: compensation is a conflict', async () => {
    const action = actionFor('job_change') as BusinessAction;
    const state = process('job_change', {
      employee: ids.report as string,
      new_department: departments.sales as string,
    });
    const applied = await apply(action, state, await planOf(action, state));
    assert.ok((await services.employees.update('acme', 'report', { department_id: 'eng' })).ok);
    const result = await compensate(action, state, applied);
    assert.deepEqual(result, {
      ok: false,
      conflicts: [{ field: 'department_id', expected: departments.sales, found: departments.eng }],
    });
  });

  test('offboarding_info: terminated on last_day; compensation brings the person back', async () => {
    const action = actionFor('offboarding_info') as BusinessAction;
    const state = process('offboarding_info', { last_day: '2026-03-31' }, 'report');
    const plan = await planOf(action, state);
    assert.equal(plan.effectiveDate, '2026-03-31');
    assert.deepEqual(plan.changes, [
      { field: 'employment_status', before: 'active', after: 'terminated' },
      { field: 'last_day', before: null, after: '2026-03-31' },
    ]);
    const applied = await apply(action, state, plan);
    const gone = await employee('report');
    assert.equal(gone.employee.employmentStatus, 'terminated');
    assert.equal(gone.profile.last_day, '2026-03-31');
    const restored = await compensate(action, state, applied);
    assert.ok(restored.ok);
    const back = await employee('report');
    assert.equal(back.employee.employmentStatus, 'active');
    assert.equal(back.profile.last_day, null);

    const missing = await action.plan(await actionContext(process('offboarding_info', {}, 'report')));
    assert.equal(!missing.ok && missing.field, 'last_day');
  });

  test('probation: regular from regular_date; a later status change makes compensation a conflict', async () => {
    const action = actionFor('corehr_probation_default_flow') as BusinessAction;
    const state = process(
      'corehr_probation_default_flow',
      { employee: ids.zhang as string, regular_date: '2026-06-01' },
      'lead',
    );
    const plan = await planOf(action, state);
    assert.equal(plan.effectiveDate, '2026-06-01');
    assert.deepEqual(plan.changes, [
      { field: 'probation_status', before: 'on_probation', after: 'regular' },
      { field: 'probation_end_date', before: null, after: '2026-06-01' },
    ]);
    const applied = await apply(action, state, plan);
    const regular = await employee('zhang');
    assert.equal(regular.profile.probation_status, 'regular');
    assert.equal(
      regular.employee.employmentStatus,
      'active',
      'probation never changes the employment status',
    );
    assert.ok((await services.employees.update('acme', 'zhang', { probation_end_date: '2026-05-15' })).ok);
    const result = await compensate(action, state, applied);
    assert.deepEqual(result, {
      ok: false,
      conflicts: [{ field: 'probation_end_date', expected: '2026-06-01', found: '2026-05-15' }],
    });
    assert.equal((await employee('zhang')).profile.probation_status, 'regular', 'nothing written');
  });

  test('apply reads before values at apply time and refuses a reference that is gone', async () => {
    const action = actionFor('job_change') as BusinessAction;
    const d = await services.departments.create('acme', {
      department_id: 'temp',
      name: { zh_cn: 't', en_us: 't' },
    });
    assert.ok(d.ok);
    const state = process('job_change', {
      employee: ids.boss as string,
      new_department: d.value.department.id,
    });
    const plan = await planOf(action, state);
    assert.ok((await services.departments.delete('acme', 'temp')).ok);
    await assert.rejects(apply(action, state, plan), /department_id/);
    assert.equal((await employee('boss')).departmentId, 'eng', 'nothing written');
  });
});
