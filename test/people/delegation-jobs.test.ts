import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { DemoPeople } from '../helpers/people.js';

/**
 * Out-of-office hand-over at a future start and hand-back at the end or on cancel
 * (docs/people-api.md "Out-of-office delegation"): real HTTP, real database, the emulator's clock moved
 * forward (`POST /admin/v1/clock` returns once the jobs that came due have run).
 */

const FLAGS = ['--demo', '--clock-control', '--job-interval-ms', '50'];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LEAVE = { leave_type: 'annual', start_date: '2026-12-01', end_date: '2026-12-02', days: '2' };

interface TaskJson {
  task_id: string;
  assignee: { user_id: string };
  status: string;
  on_behalf_of?: { user_id: string };
  why: { zh_cn: string; en_us: string };
}
interface ActionJson {
  kind: string;
  action?: string;
  actor: unknown;
  detail?: { zh_cn: string; en_us: string };
  on_behalf_of?: { user_id: string };
}
interface JobJson {
  kind: string;
  key: string;
  status: string;
  due_at: string;
  result: unknown;
}

forEachDialect('people API: out-of-office hand-over and hand-back by durable jobs', (dialect) => {
  let t: TestServer;
  // Sessions are dropped after each clock move (a move of a day outlasts their idle time).
  const people = new DemoPeople(() => t.url);
  const as = (userId: string) => people.as(userId);
  const serverNow = async () => Number((await t.admin('GET', '/clock')).body.data.now);
  const advance = async (ms: number) => {
    const moved = await t.admin('POST', '/clock', { advance_ms: ms });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    people.forget();
  };
  /** A leave request started through the admin API (its token does not age with the emulator clock). */
  const startLeave = async (initiator: string): Promise<string> => {
    const r = await t.admin('POST', '/tenants/demo/processes', {
      flow_definition_id: t.server.demo!.flow_definitions.leave,
      initiator_user_id: initiator,
      form_values: LEAVE,
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.data.process_id as string;
  };
  const detail = async (viewer: string, processId: string) => {
    const r = await (await as(viewer)).get(`/api/v1/processes/${processId}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const timeline = r.body.timeline as (ActionJson & { tasks?: TaskJson[] })[];
    return {
      tasks: timeline.flatMap((e) => e.tasks ?? []),
      actions: timeline.filter((e) => e.kind === 'action'),
    };
  };
  const openTask = async (viewer: string, processId: string): Promise<TaskJson> => {
    const open = (await detail(viewer, processId)).tasks.filter((x) => x.status === 'in_progress');
    assert.equal(open.length, 1, JSON.stringify(open));
    return open[0]!;
  };
  const create = async (userId: string, body: Record<string, unknown>) => {
    const r = await (await as(userId)).post('/api/v1/me/delegations', body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body as {
      delegation_id: string;
      status: string;
      include_existing: boolean;
      return_on_end: boolean;
      transferred_tasks: number;
    };
  };
  const cancel = async (userId: string, id: string) => {
    const r = await (await as(userId)).post(`/api/v1/me/delegations/${id}/cancel`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body as { status: string; returned_tasks: number; not_returned_tasks: number };
  };
  const jobOf = async (kind: string, key: string): Promise<JobJson | undefined> => {
    const r = await t.admin('GET', `/tenants/demo/jobs?kind=${kind}&page_size=100`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return (r.body.data.items as JobJson[]).find((j) => j.key === key);
  };
  const at = (now: number, offsetMs: number) => new Date(now + offsetMs).toISOString();

  before(async () => {
    t = await startTestServer(dialect, { flags: FLAGS });
  });
  after(async () => {
    await t.close();
  });

  test('a range ahead with include_existing: nothing moves before it starts, all at the start, all back at the end', async () => {
    const p = await startLeave('employee');
    assert.equal((await openTask('employee', p)).assignee.user_id, 'manager');
    const now = await serverNow();
    const made = await create('manager', {
      delegate_user_id: 'hrbp',
      start_time: at(now, HOUR),
      end_time: at(now, DAY),
      include_existing: true,
    });
    assert.equal(made.status, 'scheduled');
    assert.equal(made.include_existing, true);
    assert.equal(made.return_on_end, true, 'return_on_end defaults to true');
    assert.equal(made.transferred_tasks, 0, 'nothing is handed over before the range starts');
    const startJob = await jobOf('delegation_start', made.delegation_id);
    assert.equal(startJob?.status, 'pending');
    assert.equal(startJob.due_at, String(Date.parse(at(now, HOUR))));
    assert.equal((await jobOf('delegation_end', made.delegation_id))?.status, 'pending');

    await advance(HOUR / 2);
    assert.equal((await openTask('employee', p)).assignee.user_id, 'manager', 'not yet started');

    await advance(HOUR);
    const handed = await openTask('employee', p);
    assert.equal(handed.assignee.user_id, 'hrbp');
    assert.equal(handed.on_behalf_of?.user_id, 'manager');
    assert.equal((await jobOf('delegation_start', made.delegation_id))?.status, 'done');
    const listed = await (await as('manager')).get('/api/v1/me/delegations');
    assert.equal(listed.body.items[0].status, 'active');
    // A request made while the range runs goes to the delegate too, and comes back with the rest.
    const q = await startLeave('employee');
    assert.equal((await openTask('employee', q)).assignee.user_id, 'hrbp');

    await advance(DAY);
    for (const id of [p, q]) {
      const back = await openTask('employee', id);
      assert.equal(back.assignee.user_id, 'manager', 'back with the delegator');
      assert.equal(back.on_behalf_of, undefined);
      assert.match(back.why.en_us, /^Back from your out-of-office delegate /);
    }
    const { actions, tasks } = await detail('employee', p);
    assert.ok(tasks.some((x) => x.assignee.user_id === 'hrbp' && x.status === 'transferred'));
    const returned = actions.filter((e) => e.action === 'transfer').at(-1);
    assert.equal(returned?.actor, null, 'the system gave it back');
    assert.equal(returned.on_behalf_of, undefined);
    assert.match(returned.detail?.en_us ?? '', /^returned to .+: their out-of-office delegation ended$/);
    assert.match(returned.detail?.zh_cn ?? '', /^外出代理结束，任务交还给 /);
    const endJob = await jobOf('delegation_end', made.delegation_id);
    assert.equal(endJob?.status, 'done');
    assert.deepEqual(endJob.result, { moved: 2, not_moved: 0 });
  });

  test('cancelling gives back at once what came through the delegation, down the chain; the job then finds nothing', async () => {
    const before = await startLeave('fe_dev');
    const now = await serverNow();
    // fe_lead → backend_dev → qa_engineer: a new task for fe_lead ends with qa_engineer.
    await create('backend_dev', {
      delegate_user_id: 'qa_engineer',
      start_time: at(now, -HOUR),
      end_time: at(now, 2 * DAY),
      return_on_end: false,
    });
    const made = await create('fe_lead', {
      delegate_user_id: 'backend_dev',
      start_time: at(now, -HOUR),
      end_time: at(now, DAY),
    });
    assert.equal(made.status, 'active');
    assert.equal((await openTask('fe_dev', before)).assignee.user_id, 'fe_lead', 'made before: stays');
    const p = await startLeave('fe_dev');
    const held = await openTask('fe_dev', p);
    assert.equal(held.assignee.user_id, 'qa_engineer');
    assert.equal(held.on_behalf_of?.user_id, 'fe_lead');

    const cancelled = await cancel('fe_lead', made.delegation_id);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.returned_tasks, 1);
    assert.equal(cancelled.not_returned_tasks, 0);
    const back = await openTask('fe_dev', p);
    assert.equal(back.assignee.user_id, 'fe_lead');
    const returned = (await detail('fe_dev', p)).actions.filter((e) => e.action === 'transfer').at(-1);
    assert.match(returned?.detail?.en_us ?? '', /their out-of-office delegation was cancelled$/);
    assert.match(returned?.detail?.zh_cn ?? '', /^外出代理已取消，任务交还给 /);
    // A second cancel answers the same and moves nothing.
    const again = await cancel('fe_lead', made.delegation_id);
    assert.equal(again.status, 'cancelled');
    assert.equal(again.returned_tasks, 0);

    // The end job, brought forward as a backstop, runs and finds nothing left to move.
    await advance(2 * 60_000);
    const endJob = await jobOf('delegation_end', made.delegation_id);
    assert.equal(endJob?.status, 'done');
    assert.deepEqual(endJob.result, { moved: 0, not_moved: 0 });
    assert.equal((await openTask('fe_dev', p)).assignee.user_id, 'fe_lead');
    await advance(2 * DAY);
  });

  test('cancelled before it starts: no hand-over, no hand-back; return_on_end false keeps the tasks with the delegate', async () => {
    const own = await startLeave('it_support');
    const now = await serverNow();
    const ahead = await create('it_admin', {
      delegate_user_id: 'process_admin',
      start_time: at(now, HOUR),
      end_time: at(now, DAY),
      include_existing: true,
    });
    const cancelled = await cancel('it_admin', ahead.delegation_id);
    assert.equal(cancelled.returned_tasks, 0);
    assert.equal((await jobOf('delegation_start', ahead.delegation_id))?.status, 'cancelled');
    assert.equal((await jobOf('delegation_end', ahead.delegation_id))?.status, 'cancelled');

    const keep = await create('sales_east_lead', {
      delegate_user_id: 'sales_head',
      start_time: at(now, -HOUR),
      end_time: at(now, DAY),
      return_on_end: false,
    });
    assert.equal(keep.return_on_end, false);
    assert.equal(await jobOf('delegation_end', keep.delegation_id), undefined, 'no job to write');
    const sales = await startLeave('sales_rep');
    assert.equal((await openTask('sales_rep', sales)).assignee.user_id, 'sales_head');

    await advance(2 * DAY);
    assert.equal((await openTask('it_support', own)).assignee.user_id, 'it_admin', 'never handed over');
    const kept = await openTask('sales_rep', sales);
    assert.equal(kept.assignee.user_id, 'sales_head', 'stays with the delegate');
    assert.equal(kept.on_behalf_of?.user_id, 'sales_east_lead');
  });

  test('a delegator no longer active at the end: the tasks stay with the delegate', async () => {
    const now = await serverNow();
    const made = await create('hr_head', {
      delegate_user_id: 'cto',
      start_time: at(now, -HOUR),
      end_time: at(now, DAY),
    });
    const p = await startLeave('hrbp');
    assert.equal((await openTask('hrbp', p)).assignee.user_id, 'cto');
    const terminated = await t.admin('PATCH', '/tenants/demo/employees/hr_head', {
      employment_status: 'terminated',
    });
    assert.equal(terminated.status, 200, JSON.stringify(terminated.body));

    await advance(DAY);
    const kept = await openTask('hrbp', p);
    assert.equal(kept.assignee.user_id, 'cto');
    assert.equal(kept.on_behalf_of?.user_id, 'hr_head');
    const endJob = await jobOf('delegation_end', made.delegation_id);
    assert.equal(endJob?.status, 'done');
    assert.match(JSON.stringify(endJob.result), /not active \(terminated\)/);
  });
});
