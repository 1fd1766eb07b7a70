import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/platform/clock.js';
import { safeCell } from '../../src/api/people/console/monitoring.render.js';
import { forEachDialect } from '../helpers/databases.js';
import { seedTenant, startTestServer, type TestServer } from '../helpers/server.js';
import { processEvents } from '../helpers/process-events.js';
import { PeopleClient } from '../helpers/people.js';
import { i18n, noteField, singleApprovalFlow } from '../helpers/fixtures.js';

/**
 * The admin console's process monitoring (docs/console-api.md "Process monitoring"): search with every
 * filter, scope, CSV export, and the admin's actions — real HTTP, real database, the demo tenant.
 */

const DAY = 24 * 60 * 60 * 1000;
const leave = (days: number) => ({
  leave_type: 'annual',
  start_date: '2026-03-02',
  end_date: '2026-03-06',
  days: String(days),
});

interface Row {
  process_id: string;
  flow: { flow_id: string; name: { en_us: string }; version: number };
  initiator: { user_id: string };
  status: string;
  current_nodes: { node_id: string; name: { en_us: string }; assignees: { user_id: string }[] }[];
  started_at: string;
  waiting_since?: string;
}
interface AuditLine {
  action: string;
  actor: { user_id: string } | null;
  by_admin?: boolean;
  on_behalf_of?: { user_id: string };
  reason?: string;
  detail?: { en_us: string };
}
interface AdminTask {
  task_id: string;
  node_id: string;
  status: string;
  assignee: { user_id: string };
  return_targets: { node_id: string }[];
}

forEachDialect('console: process monitoring', (dialect) => {
  const clock = new ManualClock(Date.UTC(2026, 2, 1, 9));
  let server: TestServer;
  const people = new Map<string, PeopleClient>();
  const flows: Record<string, string> = {};
  let otherFlow = '';
  /** P1: 5-day leave, 3 days old; P2: 2-day leave; P3: the other flow (not the process admin's). */
  const p: string[] = [];

  async function as(userId: string): Promise<PeopleClient> {
    let client = people.get(userId);
    if (!client) {
      client = new PeopleClient(server.url);
      await client.signInDemo(userId);
      people.set(userId, client);
    }
    return client;
  }
  async function start(flowId: string, values: Record<string, unknown>): Promise<string> {
    const r = await (
      await as('employee')
    ).post('/api/v1/processes', { flow_id: flowId, form_values: values });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.process_id as string;
  }
  const search = async (userId: string, query = '') => {
    const r = await (await as(userId)).get(`/api/v1/admin/processes${query ? `?${query}` : ''}`);
    assert.equal(r.status, 200, `${query}: ${JSON.stringify(r.body)}`);
    return r.body.items as Row[];
  };
  const ids = (rows: Row[]) => rows.map((r) => r.process_id);
  const detail = async (userId: string, processId: string) => {
    const r = await (await as(userId)).get(`/api/v1/admin/processes/${processId}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const openTask = async (processId: string, nodeId: string) => {
    const tasks = (await detail('hr_head', processId)).tasks as AdminTask[];
    const task = tasks.find((t) => t.node_id === nodeId && t.status === 'in_progress');
    assert.ok(task, `an open task at ${nodeId}`);
    return task;
  };
  // The demo app hears every event: its deliveries are the process's event record.
  const eventTypes = async (processId: string) => (await processEvents(server, processId)).map((e) => e.type);

  before(async () => {
    server = await startTestServer(dialect, { flags: ['--demo'], clock });
    for (const f of (await (await as('employee')).get('/api/v1/flows')).body.items as {
      flow_id: string;
      biz_type: string;
    }[])
      flows[f.biz_type] = f.flow_id;
    // A flow the demo process admin does not administer; its name would be a formula in a spreadsheet.
    const imported = await server.admin(
      'POST',
      '/tenants/demo/flow_definitions/import',
      singleApprovalFlow({
        name: i18n('=其他', '=HYPERLINK("http://evil.example")'),
        bizType: 'custom:other',
        processAdmins: ['hrbp'],
        form: [noteField()],
        node: { id: 'boss', name: i18n('老板审批', 'Boss approval'), userIds: ['manager'] },
      }),
    );
    assert.equal(imported.status, 201, JSON.stringify(imported.body));
    otherFlow = imported.body.data.flow_definition_id as string;

    p.push(await start(flows.leave_application as string, leave(5)));
    clock.advance(3 * DAY);
    // Three idle days ended every session: sign in again.
    people.clear();
    p.push(await start(flows.leave_application as string, leave(2)));
    clock.advance(60_000);
    p.push(await start(otherFlow, { note: 'hello' }));
  });
  after(() => server.close());

  test('search: rows, filters, sorts and paging; the scope of each role', async () => {
    const [p1, p2, p3] = p as [string, string, string];
    const all = await search('hr_head');
    assert.deepEqual(ids(all), [p3, p2, p1], 'a tenant admin sees every process, newest first');
    const first = all.find((r) => r.process_id === p1) as Row;
    assert.equal(first.flow.name.en_us, 'Leave');
    assert.equal(first.flow.version, 1);
    assert.equal(first.initiator.user_id, 'employee');
    assert.equal(first.status, 'in_progress');
    assert.deepEqual(
      first.current_nodes.map((n) => [n.node_id, n.name.en_us, n.assignees.map((a) => a.user_id)]),
      [['manager', 'Manager approval', ['manager']]],
    );
    assert.equal(first.waiting_since, new Date(Date.UTC(2026, 2, 1, 9)).toISOString());
    assert.equal(first.started_at, first.waiting_since);

    // A process admin sees only their flows' processes; other processes answer 404 like unknown ones.
    assert.deepEqual(ids(await search('process_admin')), [p2, p1]);
    const hidden = await (await as('process_admin')).get(`/api/v1/admin/processes/${p3}`);
    assert.equal(hidden.status, 404);
    assert.equal(hidden.body.error.code, 'process_not_found');
    const hiddenAct = await (
      await as('process_admin')
    ).post(`/api/v1/admin/processes/${p3}/withdraw`, {
      reason: 'nope',
    });
    assert.equal(hiddenAct.status, 404);
    assert.deepEqual(ids(await search('hrbp')), [p3], 'the other flow names the HRBP its admin');
    assert.equal((await (await as('employee')).get('/api/v1/admin/processes')).status, 403);

    // Filters.
    assert.deepEqual(ids(await search('hr_head', 'waiting_days=2')), [p1], 'waiting longer than 2 days');
    assert.deepEqual(ids(await search('hr_head', 'waiting_days=4')), []);
    assert.deepEqual(ids(await search('hr_head', `flow_id=${flows.leave_application}`)), [p2, p1]);
    assert.deepEqual(ids(await search('process_admin', `flow_id=${otherFlow}`)), [], 'scope still applies');
    assert.deepEqual(ids(await search('hr_head', 'current_node_id=boss')), [p3]);
    assert.deepEqual(ids(await search('hr_head', 'current_node_id=manager')), [p2, p1]);
    assert.deepEqual(ids(await search('hr_head', 'initiator_user_id=employee')), [p3, p2, p1]);
    assert.deepEqual(ids(await search('hr_head', 'initiator_user_id=manager')), []);
    assert.deepEqual(ids(await search('hr_head', 'department_id=engineering')), [p3, p2, p1], 'subtree');
    assert.deepEqual(ids(await search('hr_head', 'department_id=backend')), [p3, p2, p1]);
    assert.deepEqual(ids(await search('hr_head', 'department_id=sales')), []);
    assert.deepEqual(ids(await search('hr_head', 'status=completed')), []);
    assert.deepEqual(ids(await search('hr_head', 'status=completed&status=in_progress')), [p3, p2, p1]);
    assert.deepEqual(ids(await search('hr_head', 'started_from=2026-03-02')), [p3, p2]);
    assert.deepEqual(
      ids(await search('hr_head', 'started_to=2026-03-01')),
      [p1],
      'a date `to` includes its day',
    );
    assert.deepEqual(ids(await search('hr_head', 'sort=waiting')), [p1, p2, p3], 'longest waiting first');

    // Paging walks every row once, in either order; a token is bound to its filters.
    for (const sort of ['newest', 'waiting']) {
      const full = ids(await search('hr_head', `sort=${sort}`));
      const walked: string[] = [];
      let token: string | undefined;
      do {
        const r = await (
          await as('hr_head')
        ).get(
          `/api/v1/admin/processes?sort=${sort}&page_size=1${token ? `&page_token=${encodeURIComponent(token)}` : ''}`,
        );
        assert.equal(r.status, 200, JSON.stringify(r.body));
        walked.push(...ids(r.body.items as Row[]));
        token = r.body.page_token as string | undefined;
      } while (token && walked.length < 10);
      assert.deepEqual(walked, full, sort);
    }
    const page = await (await as('hr_head')).get('/api/v1/admin/processes?page_size=1');
    const reused = await (
      await as('hr_head')
    ).get(
      `/api/v1/admin/processes?page_size=1&sort=waiting&page_token=${encodeURIComponent(page.body.page_token)}`,
    );
    assert.equal(reused.status, 400);
    assert.equal(reused.body.error.violations[0].field, 'page_token');

    // Bad input is named.
    const bad = async (query: string, field: string) => {
      const r = await (await as('hr_head')).get(`/api/v1/admin/processes?${query}`);
      assert.equal(r.status, 400, query);
      assert.equal(r.body.error.code, 'invalid_field');
      assert.ok(
        (r.body.error.violations as { field: string }[]).some((v) => v.field.includes(field)),
        `${query}: ${JSON.stringify(r.body.error)}`,
      );
    };
    await bad('initiator_user_id=nobody', 'initiator_user_id');
    await bad('department_id=nowhere', 'department_id');
    await bad('waiting_days=-1', 'waiting_days');
    await bad('started_from=2026-02-31', 'started_from');
    await bad('started_from=2026-03-05&started_to=2026-03-01', 'started_to');
    await bad('status=lost', 'status');
    await bad('colour=red', 'colour');
    await bad('current_node_id=%00', 'current_node_id');
    await bad(`initiator_user_id=${'x'.repeat(65)}`, 'initiator_user_id');
  });

  test('CSV export: BOM, header, one row per process, formula-safe cells', async () => {
    const r = await (await as('hr_head')).request('GET', '/api/v1/admin/processes.csv?sort=waiting');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(r.headers.get('content-disposition') ?? '', /attachment; filename="processes-/);
    // fetch's text() drops a byte order mark: read the bytes.
    const head = await (await as('hr_head')).get('/api/v1/me');
    assert.equal(head.status, 200);
    const cookie = [...(await as('hr_head')).cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const raw = new Uint8Array(
      await (
        await fetch(`${server.url}/api/v1/admin/processes.csv?sort=waiting`, { headers: { cookie } })
      ).arrayBuffer(),
    );
    assert.deepEqual([...raw.slice(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte order mark');
    const text = r.body as string;
    const lines = text.trim().split(/\r?\n/);
    assert.equal(lines[0]?.split(',')[0], 'process_id');
    assert.equal(lines.length, 4);
    assert.ok(
      lines[1]?.startsWith(`${p[0]},Leave,1,in_progress,employee,Zhang San,Backend,Manager approval,manager`),
    );
    assert.ok(
      lines[3]?.includes(`"'=HYPERLINK(""http://evil.example"")"`),
      `the formula is defused: ${lines[3]}`,
    );
    const zh = await (await as('hr_head')).request('GET', '/api/v1/admin/processes.csv?lang=zh-CN');
    assert.match(zh.body as string, /流程实例 ID/);
    assert.match(zh.body as string, /张三/);
    // Scope and filters apply as in the search; bad filters answer 400.
    const mine = await (await as('process_admin')).request('GET', '/api/v1/admin/processes.csv');
    assert.equal((mine.body as string).trim().split(/\r?\n/).length, 3);
    const bad = await (
      await as('hr_head')
    ).request('GET', '/api/v1/admin/processes.csv?initiator_user_id=nobody');
    assert.equal(bad.status, 400);
    assert.equal((await (await as('employee')).request('GET', '/api/v1/admin/processes.csv')).status, 403);

    assert.equal(safeCell('=1+2'), "'=1+2");
    assert.equal(safeCell('+1'), "'+1");
    assert.equal(safeCell('-1'), "'-1");
    assert.equal(safeCell('@SUM'), "'@SUM");
    assert.equal(safeCell('Zhang San'), 'Zhang San');
  });

  test('reassign: the new holder sees the task; the audit names the admin; refusals change nothing', async () => {
    const [p1, p2] = p as [string, string];
    const task = await openTask(p1, 'manager');
    const other = await openTask(p2, 'manager');
    const admin = await as('process_admin');
    const before = (await eventTypes(p1)).length;

    // Refusals first: each named, nothing changed.
    const refusals: [unknown, number, string, string?][] = [
      [{ task_ids: [other.task_id], to_user_id: 'dept_leader' }, 404, 'task_not_found'],
      [{ task_ids: [task.task_id], to_user_id: 'nobody' }, 400, 'invalid_field', 'to_user_id'],
      [{ task_ids: [], to_user_id: 'dept_leader' }, 400, 'invalid_field', 'task_ids'],
      [{ task_ids: [task.task_id], to_user_id: 'manager' }, 400, 'invalid_field', 'to_user_id'],
      [{ task_ids: [task.task_id], to_user_id: 'dept_leader', extra: 1 }, 400, 'invalid_field'],
    ];
    for (const [body, status, code, field] of refusals) {
      const r = await admin.post(`/api/v1/admin/processes/${p1}/reassign`, body);
      assert.equal(r.status, status, JSON.stringify([body, r.body]));
      assert.equal(r.body.error.code, code);
      if (field) assert.ok(JSON.stringify(r.body.error.violations).includes(field), JSON.stringify(r.body));
    }
    assert.equal((await eventTypes(p1)).length, before, 'nothing happened');

    const moved = await admin.post(`/api/v1/admin/processes/${p1}/reassign`, {
      task_ids: [task.task_id],
      to_user_id: 'dept_leader',
      remark: 'the manager is on leave',
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const tasks = moved.body.tasks as AdminTask[];
    assert.equal(tasks.find((t) => t.task_id === task.task_id)?.status, 'transferred');
    assert.equal(tasks.find((t) => t.status === 'in_progress')?.assignee.user_id, 'dept_leader');
    const line = (moved.body.audit as AuditLine[]).at(-1) as AuditLine;
    assert.equal(line.action, 'transfer');
    assert.equal(line.actor?.user_id, 'process_admin');
    assert.equal(line.by_admin, true);
    assert.equal(line.reason, 'the manager is on leave');
    // Events go out as for any change.
    assert.ok((await eventTypes(p1)).slice(before).includes('corehr.process.approver.updated_v2'));

    const todo = await (await as('dept_leader')).get('/api/v1/inbox/todo');
    assert.ok((todo.body.items as { process_id: string }[]).some((i) => i.process_id === p1));
    assert.ok(
      !((await (await as('manager')).get('/api/v1/inbox/todo')).body.items as { process_id: string }[]).some(
        (i) => i.process_id === p1,
      ),
    );

    // A closed task: 409, nothing changed.
    const again = await admin.post(`/api/v1/admin/processes/${p1}/reassign`, {
      task_ids: [task.task_id],
      to_user_id: 'hrbp',
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'task_status_conflict');

    // A holder who left can still be replaced.
    const holder = await openTask(p2, 'manager');
    assert.equal(
      (await server.admin('PATCH', '/tenants/demo/employees/manager', { employment_status: 'terminated' }))
        .status,
      200,
    );
    const replaced = await admin.post(`/api/v1/admin/processes/${p2}/reassign`, {
      task_ids: [holder.task_id],
      to_user_id: 'cto',
    });
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    assert.equal(
      (replaced.body.tasks as AdminTask[]).find((t) => t.status === 'in_progress')?.assignee.user_id,
      'cto',
    );
    assert.equal(
      (await server.admin('PATCH', '/tenants/demo/employees/manager', { employment_status: 'active' }))
        .status,
      200,
    );
  });

  test('return to an earlier node; unknown nodes and foreign ids are refused', async () => {
    const p5 = await start(flows.leave_application as string, leave(5));
    const managerTask = await openTask(p5, 'manager');
    const approved = await (
      await as('manager')
    ).post(`/api/v1/processes/${p5}/tasks/${managerTask.task_id}/approve`, {});
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const leaderTask = await openTask(p5, 'dept_leader');
    assert.deepEqual(
      leaderTask.return_targets.map((t) => t.node_id),
      ['manager'],
    );
    const admin = await as('hr_head');
    const unknown = await admin.post(`/api/v1/admin/processes/${p5}/return`, {
      task_id: leaderTask.task_id,
      target_node_id: 'nowhere',
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.violations[0].field, 'target_node_id');
    const foreign = await admin.post(`/api/v1/admin/processes/${p[0]}/return`, {
      task_id: leaderTask.task_id,
      target_node_id: 'manager',
    });
    assert.equal(foreign.status, 404);
    assert.equal(foreign.body.error.code, 'task_not_found');

    const returned = await admin.post(`/api/v1/admin/processes/${p5}/return`, {
      task_id: leaderTask.task_id,
      target_node_id: 'manager',
      reason: 'dates are wrong',
    });
    assert.equal(returned.status, 200, JSON.stringify(returned.body));
    assert.equal(returned.body.status, 'in_progress');
    const open = (returned.body.tasks as AdminTask[]).filter((t) => t.status === 'in_progress');
    assert.deepEqual(
      open.map((t) => [t.node_id, t.assignee.user_id]),
      [['manager', 'manager']],
    );
    const line = (returned.body.audit as AuditLine[]).at(-1) as AuditLine;
    assert.deepEqual([line.action, line.actor?.user_id, line.by_admin], ['return', 'hr_head', true]);
    assert.deepEqual(ids(await search('hr_head', `current_node_id=dept_leader`)), []);

    // Another tenant's process id answers 404, like an unknown one.
    await seedTenant(server, 'acme');
    const otherTenantFlow = await server.admin(
      'POST',
      '/tenants/acme/flow_definitions/import',
      singleApprovalFlow({
        name: i18n('审批', 'Approval'),
        bizType: 'custom:approval',
        processAdmins: ['u0'],
        node: { id: 'a', name: i18n('审批', 'Approve'), userIds: ['u0'] },
      }),
    );
    assert.equal(otherTenantFlow.status, 201, JSON.stringify(otherTenantFlow.body));
    const foreignProcess = await server.admin('POST', '/tenants/acme/processes', {
      flow_definition_id: otherTenantFlow.body.data.flow_definition_id,
      initiator_user_id: 'u1',
      form_values: {},
    });
    assert.equal(foreignProcess.status, 201, JSON.stringify(foreignProcess.body));
    const foreignId = foreignProcess.body.data.process_id as string;
    assert.equal((await admin.get(`/api/v1/admin/processes/${foreignId}`)).status, 404);
    assert.equal(
      (await admin.post(`/api/v1/admin/processes/${foreignId}/withdraw`, { reason: 'x' })).status,
      404,
    );
    assert.equal(
      (await server.admin('GET', `/tenants/acme/processes/${foreignId}`)).body.data.status,
      'in_progress',
    );
  });

  test('withdraw and revoke on the initiator’s behalf: recorded as the admin, for the initiator', async () => {
    const p6 = await start(flows.leave_application as string, leave(2));
    const admin = await as('process_admin');
    // People's own rules are unchanged: the manager may not withdraw someone else's request.
    const byManager = await (await as('manager')).post(`/api/v1/processes/${p6}/withdraw`, {});
    assert.ok([403, 404].includes(byManager.status));
    const noReason = await admin.post(`/api/v1/admin/processes/${p6}/withdraw`, { reason: '   ' });
    assert.equal(noReason.status, 400);
    assert.equal(noReason.body.error.violations[0].field, 'reason');
    assert.equal((await admin.post(`/api/v1/admin/processes/${p6}/withdraw`, {})).status, 400);
    const revokeEarly = await admin.post(`/api/v1/admin/processes/${p6}/revoke`, { reason: 'early' });
    assert.equal(revokeEarly.status, 409);
    assert.equal(revokeEarly.body.error.code, 'process_status_conflict');

    const before = (await eventTypes(p6)).length;
    const withdrawn = await admin.post(`/api/v1/admin/processes/${p6}/withdraw`, {
      reason: 'Zhang San asked by phone',
    });
    assert.equal(withdrawn.status, 200, JSON.stringify(withdrawn.body));
    assert.equal(withdrawn.body.status, 'withdrawn');
    const line = (withdrawn.body.audit as AuditLine[]).find((a) => a.action === 'withdraw') as AuditLine;
    assert.equal(line.actor?.user_id, 'process_admin');
    assert.equal(line.on_behalf_of?.user_id, 'employee');
    assert.equal(line.by_admin, true);
    assert.equal(line.reason, 'Zhang San asked by phone');
    assert.equal(line.detail?.en_us, 'withdrew the request on behalf of Zhang San');
    assert.ok((await eventTypes(p6)).slice(before).includes('corehr.process.status.update_v2'));
    // The initiator sees who did it in the approval center.
    const seen = await (await as('employee')).get(`/api/v1/processes/${p6}`);
    const entry = (seen.body.timeline as (AuditLine & { kind: string })[]).find(
      (e) => e.action === 'withdraw',
    );
    assert.ok(entry);
    assert.equal(entry.actor?.user_id, 'process_admin');
    assert.equal(entry.on_behalf_of?.user_id, 'employee');
    assert.equal(
      (await admin.post(`/api/v1/admin/processes/${p6}/withdraw`, { reason: 'again' })).status,
      409,
    );

    // Revoke: once completed; a tenant admin who is not the flow's process admin may too.
    const p7 = await start(flows.leave_application as string, leave(1));
    const task = await openTask(p7, 'manager');
    const done = await (
      await as('manager')
    ).post(`/api/v1/processes/${p7}/tasks/${task.task_id}/approve`, {});
    assert.equal(done.body.status, 'completed');
    const revoked = await (
      await as('hr_head')
    ).post(`/api/v1/admin/processes/${p7}/revoke`, {
      reason: 'booked twice',
    });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    assert.equal(revoked.body.status, 'revoked');
    const revokeLine = (revoked.body.audit as AuditLine[]).find((a) => a.action === 'revoke') as AuditLine;
    assert.deepEqual(
      [revokeLine.actor?.user_id, revokeLine.on_behalf_of?.user_id, revokeLine.by_admin],
      ['hr_head', 'employee', true],
    );
    assert.deepEqual(revoked.body.can, { reassign: false, return: false, withdraw: false, revoke: false });
  });
});
