import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect, freshDatabase, type TestDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { PeopleClient } from '../helpers/people.js';

/**
 * What `--demo` seeds beyond the directory and the flows (src/services/demo-time-off.ts): leave types
 * with balances for the demo people, a working calendar with holidays, and timers on the expense
 * flow's manager approval — once, however often the server starts, and never over an admin's changes.
 */

interface Balance {
  leave_type: { key: string; over_balance: string };
  balance: number;
  pending: number;
  available: number;
}

forEachDialect('demo data: leave balances, the working calendar, timers', (dialect) => {
  let database: TestDatabase;
  let t: TestServer;
  let admin: PeopleClient;
  before(async () => {
    database = await freshDatabase(dialect);
    t = await startTestServer(dialect, { flags: ['--demo'], database });
    admin = new PeopleClient(t.url);
    await admin.signInDemo('hr_head');
  });
  after(async () => {
    await t.server.close();
    await database.drop();
  });

  const restart = async () => {
    await t.server.close();
    t = await startTestServer(dialect, { flags: ['--demo'], database });
    admin = new PeopleClient(t.url);
    await admin.signInDemo('hr_head');
  };
  const balancesOf = async (userId: string) => {
    const r = await admin.get(`/api/v1/admin/leave/balances?user_id=${userId}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return Object.fromEntries(
      (r.body.items[0].balances as Balance[]).map((b) => [b.leave_type.key, b.balance]),
    );
  };
  /** Every ledger entry of the demo tenant, as `<user>:<type>:<reason>:<amount>` (two people suffice). */
  const ledger = async () => {
    const lines: string[] = [];
    for (const userId of ['employee', 'manager']) {
      const r = await admin.get(`/api/v1/admin/leave/ledger/${userId}?page_size=100`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      for (const e of r.body.entries.items as { leave_type: string; reason: string; amount: number }[])
        lines.push(`${userId}:${e.leave_type}:${e.reason}:${e.amount}`);
    }
    return lines.sort();
  };
  const calendar = async () => {
    const r = await t.admin('GET', '/tenants/demo/calendar');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.data as {
      is_default: boolean;
      updated_at: string | null;
      calendar: { time_zone: string; holidays: { start: string; name?: string }[]; extra_workdays: string[] };
    };
  };

  test('leave types for the leave form’s options, with a balance for every demo person', async () => {
    const types = await admin.get('/api/v1/admin/leave/types');
    assert.deepEqual(
      types.body.items.map((x: { key: string; over_balance: string; active: boolean }) => [
        x.key,
        x.over_balance,
        x.active,
      ]),
      [
        ['annual', 'warn', true],
        ['sick', 'warn', true],
      ],
      'personal leave is not tracked',
    );
    assert.deepEqual(await balancesOf('employee'), { annual: 15, sick: 5 }, 'with 5 days carried over');
    assert.deepEqual(await balancesOf('outsider'), { annual: 10, sick: 5 });
    const employee = new PeopleClient(t.url);
    await employee.signInDemo('employee');
    const mine = await employee.get('/api/v1/leave/balances');
    assert.deepEqual(
      (mine.body.items as Balance[]).map((b) => [b.leave_type.key, b.available]),
      [
        ['annual', 15],
        ['sick', 5],
      ],
    );
  });

  test('a demo leave: the approver sees the debit before approving; approved, the ledger has it', async () => {
    const employee = new PeopleClient(t.url);
    await employee.signInDemo('employee');
    const manager = new PeopleClient(t.url);
    await manager.signInDemo('manager');
    const flows = await employee.get('/api/v1/flows');
    const leaveId = flows.body.items.find(
      (f: { biz_type: string }) => f.biz_type === 'leave_application',
    ).flow_id;
    const start = (leaveType: string, days: string) =>
      employee.post('/api/v1/processes', {
        flow_id: leaveId,
        form_values: { leave_type: leaveType, start_date: '2026-03-02', end_date: '2026-03-03', days },
      });
    const annual = await start('annual', '2');
    assert.equal(annual.status, 201, JSON.stringify(annual.body));
    const processId = annual.body.process_id as string;
    const preview = await manager.get(`/api/v1/processes/${processId}/action_preview`);
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.deepEqual(
      preview.body.changes.map(
        (c: { field: string; before: string; after: string; label?: { en_us: string } }) => [
          c.field,
          c.label?.en_us,
          c.before,
          c.after,
        ],
      ),
      [['leave_balance.annual', 'Annual', '15', '13']],
    );
    // Personal leave is untracked: no change to show.
    const personal = await start('personal', '1');
    assert.equal(personal.status, 201);
    const none = await manager.get(`/api/v1/processes/${personal.body.process_id as string}/action_preview`);
    assert.deepEqual(none.body.changes, []);

    const detail = await manager.get(`/api/v1/processes/${processId}`);
    const task = detail.body.my_tasks[0] as { task_id: string };
    const approved = await manager.post(`/api/v1/processes/${processId}/tasks/${task.task_id}/approve`, {});
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.status, 'completed', '2 days: the manager alone');
    await t.server.jobs.drain();
    assert.deepEqual(await balancesOf('employee'), { annual: 13, sick: 5 });
  });

  test('a working calendar in Beijing with the public holidays and make-up days', async () => {
    const seeded = await calendar();
    assert.equal(seeded.is_default, false);
    assert.equal(seeded.calendar.time_zone, 'Asia/Shanghai');
    assert.ok(
      seeded.calendar.holidays.some((h) => h.start === '2026-10-01' && /National Day/.test(h.name ?? '')),
    );
    assert.ok(seeded.calendar.extra_workdays.includes('2026-10-10'));
  });

  test('the expense flow’s manager approval has timers; a claim sets its timer jobs', async () => {
    const demo = t.server.demo!;
    const definition = await t.admin(
      'GET',
      `/tenants/demo/flow_definitions/${demo.flow_definitions.expense!}`,
    );
    const manager = (
      definition.body.data.published.nodes as { id: string; timers?: Record<string, unknown> }[]
    ).find((n) => n.id === 'manager');
    assert.deepEqual(manager?.timers, {
      remind: { after_minutes: 240, every_minutes: 480, times: 3 },
      escalate: { after_minutes: 960, action: 'notify_manager' },
      auto: { after_minutes: 2400, action: 'transfer_to_admins' },
    });
    const started = await t.admin('POST', '/tenants/demo/processes', {
      flow_definition_id: demo.flow_definitions.expense,
      initiator_user_id: 'employee',
      form_values: { amount: '120', items: [{ description: 'Taxi', amount: '120' }] },
    });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const processId = started.body.data.process_id as string;
    const jobs = await t.admin('GET', '/tenants/demo/jobs?kind=timer&page_size=100');
    const mine = (jobs.body.data.items as { key: string; status: string }[]).filter((j) =>
      j.key.startsWith(`${processId}:`),
    );
    assert.ok(mine.length > 0, JSON.stringify(jobs.body));
    assert.ok(mine.every((j) => j.status === 'pending'));
  });

  test('a second start seeds nothing again, and keeps what an admin changed', async () => {
    const entries = await ledger();
    const before = await calendar();
    await restart();
    assert.deepEqual(await ledger(), entries, 'no allowance granted twice');
    assert.deepEqual(await calendar(), before, 'the calendar untouched');

    // An admin's own calendar and leave settings survive a restart.
    const own = {
      time_zone: 'Europe/Berlin',
      work_days: [1, 2, 3, 4],
      hours: [{ start: '08:00', end: '16:00' }],
      holidays: [],
      extra_workdays: [],
    };
    assert.equal((await t.admin('PUT', '/tenants/demo/calendar', own)).status, 200);
    assert.equal((await admin.patch('/api/v1/admin/leave/types/sick', { active: false })).status, 200);
    assert.equal(
      (await admin.patch('/api/v1/admin/leave/types/annual', { over_balance: 'refuse' })).status,
      200,
    );
    await restart();
    const kept = await calendar();
    assert.equal(kept.calendar.time_zone, 'Europe/Berlin');
    const types = await admin.get('/api/v1/admin/leave/types');
    assert.deepEqual(
      types.body.items.map((x: { key: string; over_balance: string; active: boolean }) => [
        x.key,
        x.over_balance,
        x.active,
      ]),
      [
        ['annual', 'refuse', true],
        ['sick', 'warn', false],
      ],
    );
    assert.deepEqual(await ledger(), entries);
  });
});
