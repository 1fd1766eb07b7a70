import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { PeopleClient } from '../helpers/people.js';
import { choice, date, DemoDriver, num, sdkClient } from '../helpers/sdk.js';

/**
 * Out-of-office delegation (docs/people-api.md "Out-of-office delegation"): real HTTP, real database,
 * processes started with the official SDK, people signed in through demo sign-in.
 */

const LEAVE = {
  leave_type: choice('annual'),
  start_date: date('2026-12-01'),
  end_date: date('2026-12-02'),
  days: num('2'),
};
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

interface TaskJson {
  task_id: string;
  assignee: { user_id: string };
  status: string;
  on_behalf_of?: { user_id: string };
  why: { en_us: string };
}

forEachDialect('people API: out-of-office delegation', (dialect) => {
  let t: TestServer;
  let d: DemoDriver;
  const people = new Map<string, PeopleClient>();
  async function as(userId: string): Promise<PeopleClient> {
    let client = people.get(userId);
    if (!client) {
      client = new PeopleClient(t.url);
      await client.signInDemo(userId);
      people.set(userId, client);
    }
    return client;
  }
  const create = async (userId: string, body: unknown) =>
    (await as(userId)).post('/api/v1/me/delegations', body);
  const list = async (userId: string) => {
    const r = await (await as(userId)).get('/api/v1/me/delegations');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.items as { delegation_id: string; status: string; delegate: { user_id: string } }[];
  };
  const cancel = async (userId: string, id: string) =>
    (await as(userId)).post(`/api/v1/me/delegations/${id}/cancel`);
  const tasksOf = async (userId: string, processId: string): Promise<TaskJson[]> => {
    const r = await (await as(userId)).get(`/api/v1/processes/${processId}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return (r.body.timeline as { kind: string; tasks?: TaskJson[] }[]).flatMap((e) => e.tasks ?? []);
  };
  const openTask = async (viewer: string, processId: string) => {
    const open = (await tasksOf(viewer, processId)).filter((x) => x.status === 'in_progress');
    assert.equal(open.length, 1, JSON.stringify(open));
    return open[0]!;
  };
  /** A refusal: 400 invalid_field naming `field`, and the person's delegations unchanged. */
  async function refused(userId: string, body: unknown, field: string, says?: RegExp) {
    const before = await list(userId);
    const r = await create(userId, body);
    assert.equal(r.status, 400, JSON.stringify(r.body));
    assert.equal(r.body.error.code, 'invalid_field');
    assert.ok(
      (r.body.error.violations as { field: string }[]).some((v) => v.field === field),
      `expected ${field}: ${JSON.stringify(r.body.error)}`,
    );
    if (says) assert.match(r.body.error.message, says);
    assert.deepEqual(await list(userId), before, 'nothing changed');
  }

  before(async () => {
    t = await startTestServer(dialect, { flags: ['--demo'] });
    d = new DemoDriver(sdkClient(t.url, t.server.demo!.app), t.server.demo!);
  });
  after(async () => {
    await t.close();
  });

  test('bad input is refused naming the field, and nothing is stored', async () => {
    const ok = { start_time: at(-HOUR), end_time: at(DAY) };
    await refused('cto', { ...ok, delegate_user_id: 'cto' }, 'delegate_user_id', /other than yourself/);
    await refused('cto', { ...ok, delegate_user_id: 'nobody' }, 'delegate_user_id');
    const terminated = await t.admin('PATCH', '/tenants/demo/employees/outsider', {
      employment_status: 'terminated',
    });
    assert.equal(terminated.status, 200, JSON.stringify(terminated.body));
    await refused(
      'cto',
      { ...ok, delegate_user_id: 'outsider' },
      'delegate_user_id',
      /not an active employee/,
    );
    await refused(
      'cto',
      { delegate_user_id: 'it_admin', start_time: at(DAY), end_time: at(HOUR) },
      'end_time',
    );
    await refused(
      'cto',
      { delegate_user_id: 'it_admin', start_time: at(-2 * DAY), end_time: at(-DAY) },
      'end_time',
      /future/,
    );
    await refused(
      'cto',
      { delegate_user_id: 'it_admin', start_time: at(0), end_time: at(400 * DAY) },
      'end_time',
      /366 days/,
    );
    await refused(
      'cto',
      { delegate_user_id: 'it_admin', start_time: '2026-02-31T00:00:00Z', end_time: at(DAY) },
      'start_time',
    );
    // Schema: a missing delegate, a date without a zone, an unknown field, a choice that is no boolean.
    for (const body of [
      ok,
      { ...ok, delegate_user_id: 'it_admin', start_time: '2026-01-01T00:00' },
      { ...ok, delegate_user_id: 'it_admin', extra: 1 },
      { ...ok, delegate_user_id: 'it_admin', return_on_end: 'no' },
      { ...ok, delegate_user_id: 'it_admin', include_existing: 'yes' },
    ]) {
      const r = await create('cto', body);
      assert.equal(r.status, 400, JSON.stringify(r.body));
      assert.equal(r.body.error.code, 'invalid_field');
    }
    assert.deepEqual(await list('cto'), []);
  });

  test('overlapping ranges of one person, cycles and the per-person bound are refused', async () => {
    const week = { start_time: at(-HOUR), end_time: at(7 * DAY) };
    assert.equal((await create('cto', { ...week, delegate_user_id: 'it_admin' })).status, 201);
    await refused(
      'cto',
      { delegate_user_id: 'hr_head', start_time: at(DAY), end_time: at(2 * DAY) },
      'start_time',
      /overlaps/,
    );
    // A→B while B→A.
    await refused(
      'it_admin',
      { ...week, delegate_user_id: 'cto' },
      'delegate_user_id',
      /it_admin → cto → it_admin/,
    );
    // B→A in a week that does not overlap is fine.
    const later = await create('it_admin', {
      delegate_user_id: 'cto',
      start_time: at(8 * DAY),
      end_time: at(9 * DAY),
    });
    assert.equal(later.status, 201, JSON.stringify(later.body));
    // A→B→C→A.
    assert.equal((await create('it_admin', { delegate_user_id: 'hr_head', ...week })).status, 201);
    await refused(
      'hr_head',
      { delegate_user_id: 'cto', start_time: at(DAY), end_time: at(2 * DAY) },
      'delegate_user_id',
      /hr_head → cto → it_admin → hr_head/,
    );
    // At most 20 that have not ended.
    for (let i = 0; i < 20; i++) {
      const r = await create('process_admin', {
        delegate_user_id: 'hr_head',
        start_time: at((10 + i) * DAY),
        end_time: at((10 + i) * DAY + HOUR),
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }
    await refused(
      'process_admin',
      { delegate_user_id: 'hr_head', start_time: at(40 * DAY), end_time: at(41 * DAY) },
      'start_time',
      /20 delegations/,
    );
    // Pages: newest first, every one once.
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const r = await (
        await as('process_admin')
      ).get(`/api/v1/me/delegations?page_size=7${token ? `&page_token=${encodeURIComponent(token)}` : ''}`);
      assert.equal(r.status, 200);
      seen.push(...(r.body.items as { delegation_id: string }[]).map((x) => x.delegation_id));
      token = r.body.page_token;
    } while (token);
    assert.equal(new Set(seen).size, 20);
    assert.deepEqual(seen, [...seen].sort().reverse());
  });

  test('new tasks go to the delegate on behalf of the absent person; the Open API opinion says so', async () => {
    const made = await create('manager', {
      delegate_user_id: 'hrbp',
      start_time: at(-HOUR),
      end_time: at(DAY),
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.status, 'active');
    assert.equal(made.body.delegate.user_id, 'hrbp');
    assert.equal(made.body.transferred_tasks, 0);

    const p = await d.start('leave', 'employee', LEAVE);
    const task = await openTask('employee', p);
    assert.equal(task.assignee.user_id, 'hrbp');
    assert.equal(task.on_behalf_of?.user_id, 'manager');
    assert.match(task.why.en_us, /^On behalf of .+ \(/);
    const decided = await (
      await as('hrbp')
    ).post(`/api/v1/processes/${p}/tasks/${task.task_id}/approve`, {
      opinion: 'fine',
    });
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
    const detail = await d.get(p);
    const done = detail.done_list?.find((x) => x.approver_id === task.task_id);
    assert.equal(done?.operator_id, 'hrbp');
    assert.match(done.approval_opinion ?? '', /^（代 .+ 审批）fine$/);

    // Cancelled: the manager gets their own tasks again; a second cancel answers the same.
    const cancelled = await cancel('manager', made.body.delegation_id);
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal((await cancel('manager', made.body.delegation_id)).body.status, 'cancelled');
    assert.equal((await cancel('hrbp', made.body.delegation_id)).status, 404, "someone else's");
    const q = await d.start('leave', 'employee', LEAVE);
    const own = await openTask('employee', q);
    assert.equal(own.assignee.user_id, 'manager');
    assert.equal(own.on_behalf_of, undefined);
  });

  test('a chain is followed; include_existing hands open tasks over through a transfer', async () => {
    const p = await d.start('leave', 'employee', LEAVE);
    assert.equal((await openTask('employee', p)).assignee.user_id, 'manager');
    // backend_dev → dept_leader first, then manager → backend_dev with the open task handed over.
    const next = await create('backend_dev', {
      delegate_user_id: 'dept_leader',
      start_time: at(-HOUR),
      end_time: at(DAY),
    });
    assert.equal(next.status, 201, JSON.stringify(next.body));
    const made = await create('manager', {
      delegate_user_id: 'backend_dev',
      start_time: at(-HOUR),
      end_time: at(DAY),
      include_existing: true,
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.ok(made.body.transferred_tasks >= 1, JSON.stringify(made.body));
    assert.equal(made.body.not_transferred_tasks, 0);

    const tasks = await tasksOf('employee', p);
    assert.ok(tasks.some((x) => x.assignee.user_id === 'manager' && x.status === 'transferred'));
    const handed = await openTask('employee', p);
    assert.equal(handed.assignee.user_id, 'dept_leader', 'the transfer follows the chain too');
    assert.equal(handed.on_behalf_of?.user_id, 'manager');
    const r = await (await as('employee')).get(`/api/v1/processes/${p}`);
    const transfer = (
      r.body.timeline as {
        kind: string;
        action?: string;
        actor: unknown;
        on_behalf_of?: { user_id: string };
      }[]
    ).find((e) => e.action === 'transfer');
    assert.equal(transfer?.actor, null, 'the system transferred');
    assert.equal(transfer.on_behalf_of?.user_id, 'manager');

    // A new request meets the whole chain: manager → backend_dev → dept_leader.
    const q = await d.start('leave', 'employee', LEAVE);
    const chained = await openTask('employee', q);
    assert.equal(chained.assignee.user_id, 'dept_leader');
    assert.equal(chained.on_behalf_of?.user_id, 'manager');
    // The delegate's inbox has both.
    const todo = await (await as('dept_leader')).get('/api/v1/inbox/todo');
    const ids = (todo.body.items as { process_id: string }[]).map((i) => i.process_id);
    assert.ok(ids.includes(p) && ids.includes(q), JSON.stringify(ids));
  });
});
