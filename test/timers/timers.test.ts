import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { PROCESS_STATUS_CODE } from '../../src/api/openapi/wire-enums.js';
import { processEvents, subscribeToEvents } from '../helpers/process-events.js';
import { seedTenant, startTestServer, type TestServer } from '../helpers/server.js';
import { i18n } from '../helpers/fixtures.js';

const MINUTE = 60_000;
const FLAGS = ['--emulator', '--clock-control', '--job-interval-ms', '50'];
/** Round the clock in UTC: a working minute is a minute, so the clock moves read plainly. */
const ALWAYS = {
  time_zone: 'UTC',
  work_days: [1, 2, 3, 4, 5, 6, 7],
  hours: [{ start: '00:00', end: '24:00' }],
  holidays: [],
  extra_workdays: [],
};

const timedFlow = (timers: Record<string, unknown>) => ({
  name: i18n('加班申请', 'Overtime'),
  biz_type: 'work_application',
  process_admins: ['u2'],
  form: [{ api_name: 'note', label: i18n('说明', 'Note'), type: 'text', required: true }],
  nodes: [
    { type: 'start', id: 'start', next: 'boss' },
    {
      type: 'approval',
      id: 'boss',
      name: i18n('审批', 'Approval'),
      approvers: [{ type: 'users', user_ids: ['u0'] }],
      timers,
      next: 'end',
    },
    { type: 'end', id: 'end' },
  ],
});

forEachDialect('node timers fire in working time through the command path; the emulator clock', (dialect) => {
  let t: TestServer;
  const tk = 'tm';
  const flows = `/tenants/${tk}/flow_definitions`;
  before(async () => {
    t = await startTestServer(dialect, { flags: FLAGS });
    const { appId } = await seedTenant(t, tk);
    await subscribeToEvents(t, tk, appId);
  });
  after(async () => {
    await t.close();
  });

  const publish = async (timers: Record<string, unknown>) => {
    const created = await t.admin('POST', flows, timedFlow(timers));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.data.flow_definition_id as string;
    const published = await t.admin('POST', `${flows}/${id}/publish`);
    assert.equal(published.status, 200, JSON.stringify(published.body));
    return id;
  };
  const start = async (definitionId: string) => {
    const r = await t.admin('POST', `/tenants/${tk}/processes`, {
      flow_definition_id: definitionId,
      initiator_user_id: 'u1',
      form_values: { note: 'weekend release' },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.data.process_id as string;
  };
  const tenantId = async () => {
    const tenant = await t.server.services.tenants.get(tk);
    assert.ok(tenant.ok);
    return tenant.value.id;
  };
  const stateOf = async (processId: string) => {
    const view = await t.server.services.processes.get(await tenantId(), processId);
    assert.ok(view.ok);
    return view.value.state;
  };
  const advance = async (minutes: number) => {
    const moved = await t.admin('POST', '/clock', { advance_ms: minutes * MINUTE });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    return moved.body.data as { now: string };
  };
  const timerJobs = async (processId: string) =>
    (await t.server.database.db
      .selectFrom('jobs')
      .select(['key', 'status'])
      .where('process_id', '=', processId)
      .where('kind', '=', 'timer')
      .orderBy('due_at')
      .execute()) as { key: string; status: string }[];

  test('a calendar with overlapping holidays, no working hours or a bad zone is refused, naming the field', async () => {
    const bad = await t.admin('PUT', `/tenants/${tk}/calendar`, {
      ...ALWAYS,
      time_zone: 'Mars/Olympus',
      hours: [],
      holidays: [
        { start: '2026-10-01', end: '2026-10-07', name: 'National Day' },
        { start: '2026-10-05', end: '2026-10-06' },
      ],
    });
    assert.equal(bad.status, 400);
    const fields = (bad.body.error.field_violations as { field: string }[]).map((v) => v.field);
    assert.ok(fields.includes('time_zone'), JSON.stringify(fields));
    assert.ok(fields.includes('hours'), JSON.stringify(fields));
    assert.ok(
      fields.some((f) => f.startsWith('holidays[1]')),
      JSON.stringify(fields),
    );
    const unchanged = await t.admin('GET', `/tenants/${tk}/calendar`);
    assert.equal(unchanged.body.data.is_default, true, 'nothing stored');
    assert.equal(unchanged.body.data.calendar.time_zone, 'Asia/Shanghai');
    const set = await t.admin('PUT', `/tenants/${tk}/calendar`, ALWAYS);
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.data.is_default, false);
  });

  test('a timer shorter than a minute, or after the automatic action, is refused at publish', async () => {
    const created = await t.admin(
      'POST',
      flows,
      timedFlow({
        remind: { after_minutes: 0 },
        auto: { after_minutes: 30, action: 'approve' },
        escalate: { after_minutes: 45, action: 'notify_manager' },
      }),
    );
    const id = created.body.data.flow_definition_id as string;
    const published = await t.admin('POST', `${flows}/${id}/publish`);
    assert.equal(published.status, 400);
    const fields = (published.body.error.field_violations as { field: string }[]).map((v) => v.field).sort();
    assert.deepEqual(fields, [
      'nodes[boss].timers.escalate.after_minutes',
      'nodes[boss].timers.remind.after_minutes',
    ]);
  });

  test('reminders fire when due, the automatic approval completes the process, and the rest are dropped', async () => {
    const id = await publish({
      remind: { after_minutes: 60, every_minutes: 60, times: 3 },
      auto: { after_minutes: 150, action: 'approve' },
    });
    const processId = await start(id);
    assert.deepEqual(
      (await timerJobs(processId)).map((j) => j.status),
      ['pending', 'pending', 'pending', 'pending'],
      'three reminders (60, 120, 180 minutes) and the automatic approval (150)',
    );
    await advance(59);
    assert.equal(
      (await stateOf(processId)).audit.filter((a) => a.action === 'timer_remind').length,
      0,
      'not yet',
    );
    await advance(1);
    let state = await stateOf(processId);
    assert.equal(state.audit.filter((a) => a.action === 'timer_remind').length, 1, 'the first reminder');
    await advance(90);
    state = await stateOf(processId);
    assert.equal(state.status, 'completed', JSON.stringify(state.audit));
    assert.equal(state.audit.filter((a) => a.action === 'timer_remind').length, 2);
    assert.ok(
      state.tasks.some(
        (task) => task.assigneeId !== state.initiatorId && task.bySystem && task.status === 'approved',
      ),
    );
    const jobs = await timerJobs(processId);
    assert.deepEqual(
      jobs.map((j) => j.status),
      ['done', 'done', 'done', 'cancelled'],
      'the third reminder (due at 180) was dropped when the task closed at 150',
    );
    // The apps heard of it as of any approval.
    // Timer events stay inside: the apps see the process start and complete, nothing of the timers.
    assert.deepEqual(
      (await processEvents(t, processId))
        .filter((e) => e.type === 'corehr.process.status.update_v2')
        .map((e) => e.event.status),
      [PROCESS_STATUS_CODE.in_progress, PROCESS_STATUS_CODE.completed],
    );
  });

  test('a task decided before its timer makes the timer stale: cancelled, nothing changes', async () => {
    const id = await publish({ auto: { after_minutes: 30, action: 'reject' } });
    const processId = await start(id);
    const state = await stateOf(processId);
    const task = state.tasks.find((x) => x.status === 'in_progress');
    assert.ok(task);
    const approved = await t.server.services.processes.execute(await tenantId(), processId, {
      kind: 'approve',
      taskId: task.id,
      operatorId: task.assigneeId,
      system: false,
    });
    assert.ok(approved.ok);
    await advance(31);
    const after = await stateOf(processId);
    assert.equal(after.status, 'completed', 'approved by the person, not rejected by the timer');
    assert.deepEqual(
      (await timerJobs(processId)).map((j) => j.status),
      ['cancelled'],
    );
  });

  test('the clock only moves forward, by whole milliseconds up to a year', async () => {
    for (const body of [
      { advance_ms: -1 },
      { advance_ms: 0 },
      { advance_ms: 1.5 },
      { advance_ms: '60000' },
      {},
      { advance_ms: 400 * 24 * 60 * MINUTE },
    ]) {
      const r = await t.admin('POST', '/clock', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(JSON.stringify(r.body), /advance_ms/);
    }
    const before = (await t.admin('GET', '/clock')).body.data;
    assert.equal(before.controllable, true);
    const moved = await advance(1);
    assert.ok(Number(moved.now) >= Number(before.now) + MINUTE);
  });
});

test('clock control is refused on a server that is not the emulator', async () => {
  const t = await startTestServer('sqlite');
  try {
    const r = await t.admin('POST', '/clock', { advance_ms: 1000 });
    assert.equal(r.status, 403);
    assert.match(r.body.msg ?? r.body.message ?? JSON.stringify(r.body), /--clock-control/);
    assert.equal((await t.admin('GET', '/clock')).body.data.controllable, false);
  } finally {
    await t.close();
  }
});
