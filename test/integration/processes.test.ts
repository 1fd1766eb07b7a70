import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_FLOWS } from '../../src/services/demo-flows.js';
import type { DefinitionDocument } from '../../src/services/definition-document.js';
import { forEachDialect } from '../helpers/databases.js';
import { processEvents, reached, subscribeToEvents } from '../helpers/process-events.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** A small org for the flows: emp → mgr → lead (leader of d1); hr is the HRBP; pa the process admin. */
async function seedOrg(t: TestServer, tenantKey: string) {
  const post = async (path: string, body: unknown) => {
    const r = await t.admin('POST', `/tenants/${tenantKey}${path}`, body);
    assert.ok(r.status < 300, `${path}: ${JSON.stringify(r.body)}`);
    return r.body.data;
  };
  await t.admin('POST', '/tenants', { tenant_key: tenantKey, name: tenantKey });
  await post('/departments', { department_id: 'd1', name: { zh_cn: '一部', en_us: 'D1' } });
  await post('/departments', { department_id: 'd2', name: { zh_cn: '二部', en_us: 'D2' } });
  for (const [userId, manager] of [
    ['lead', null],
    ['mgr', 'lead'],
    ['emp', 'mgr'],
    ['hr', null],
    ['pa', null],
    ['it', null],
    ['x', null],
  ] as const) {
    await post('/employees', {
      user_id: userId,
      name: { zh_cn: userId },
      email: `${userId}@${tenantKey}.example`,
      department_id: 'd1',
      manager_user_id: manager,
    });
  }
  await t.admin('PATCH', `/tenants/${tenantKey}/departments/d1`, { leader_user_id: 'lead' });
  await post('/roles', {
    role_key: 'hrbp',
    name: { zh_cn: 'HRBP', en_us: 'HRBP' },
    members: [{ user_id: 'hr', department_ids: ['d1'] }],
  });
  await post('/roles', {
    role_key: 'it_admin',
    name: { zh_cn: 'IT', en_us: 'IT' },
    members: [{ user_id: 'it' }],
  });
  // An app that hears every event: its deliveries are the processes' event record (processEvents).
  const app = await post('/apps', { name: 'listener', scopes: ['corehr:process:readonly'] });
  await subscribeToEvents(t, tenantKey, app.app_id as string);
}

const withAdmins = (doc: DefinitionDocument): DefinitionDocument =>
  JSON.parse(JSON.stringify(doc).replaceAll('"process_admin"', '"pa"')) as DefinitionDocument;

forEachDialect('flow definitions and processes', (dialect) => {
  let t: TestServer;
  const tk = 'flows';
  before(async () => {
    t = await startTestServer(dialect);
    await seedOrg(t, tk);
  });
  after(() => t.close());

  const tenantId = async () => {
    const tenant = await t.server.services.tenants.get(tk);
    assert.ok(tenant.ok);
    return tenant.value.id;
  };
  const start = async (definitionId: string, formValues: Record<string, unknown>, initiator = 'emp') => {
    const r = await t.admin('POST', `/tenants/${tk}/processes`, {
      flow_definition_id: definitionId,
      initiator_user_id: initiator,
      form_values: formValues,
    });
    return r;
  };
  const openTasks = (process: { tasks: { user_id: string; status: string; approver_id: string }[] }) =>
    process.tasks
      .filter((x) => x.status === 'in_progress')
      .map((x) => x.user_id)
      .sort();
  /** Acts as the assignee through the service (the Open API arrives with its own issue). */
  const act = async (
    processId: string,
    userId: string,
    kind: 'approve' | 'reject',
    fieldValues?: Record<string, unknown>,
  ) => {
    const view = await t.admin('GET', `/tenants/${tk}/processes/${processId}`);
    const task = (view.body.data.tasks as { user_id: string; status: string; approver_id: string }[]).find(
      (x) => x.user_id === userId && x.status === 'in_progress',
    );
    assert.ok(task, `${userId} has no open task in ${JSON.stringify(view.body.data.tasks)}`);
    const directory = await t.server.services.processes.directory(await tenantId());
    const operatorId = [...directory.employees.values()].find((e) => e.userId === userId)!.id;
    const result = await t.server.services.processes.execute(await tenantId(), processId, {
      kind,
      taskId: task.approver_id,
      operatorId,
      system: false,
      fieldValues,
    });
    assert.ok(result.ok, JSON.stringify(!result.ok && result.error));
    return (await t.admin('GET', `/tenants/${tk}/processes/${processId}`)).body.data;
  };

  test('definitions: draft, validate, publish, versions, export and import, enable and disable', async () => {
    const bad = await t.admin('POST', `/tenants/${tk}/flow_definitions`, {
      name: { zh_cn: 'x', en_us: 'x' },
      biz_type: 'leave_application',
      process_admins: ['ghost'],
      form: [],
      nodes: [{ type: 'approval', id: 'a' }],
    });
    assert.equal(bad.status, 400);
    const created = await t.admin('POST', `/tenants/${tk}/flow_definitions`, {
      ...withAdmins(DEMO_FLOWS.leave!),
      nodes: [
        { type: 'start', id: 'start', next: 'nowhere' },
        { type: 'end', id: 'end' },
      ],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body.data.flow_definition_id as string;
    assert.match(id, /^\d{19}$/);
    assert.equal(created.body.data.latest_version, 0);
    const problems = await t.admin('POST', `/tenants/${tk}/flow_definitions/${id}/validate`);
    assert.deepEqual(
      problems.body.data.problems.map((p: { field: string }) => p.field),
      ['nodes[start]'],
    );
    const refused = await t.admin('POST', `/tenants/${tk}/flow_definitions/${id}/publish`);
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.field_violations[0].field, 'nodes[start]');

    assert.equal(
      (await t.admin('PUT', `/tenants/${tk}/flow_definitions/${id}/draft`, withAdmins(DEMO_FLOWS.leave!)))
        .status,
      200,
    );
    const published = await t.admin('POST', `/tenants/${tk}/flow_definitions/${id}/publish`);
    assert.equal(published.status, 200, JSON.stringify(published.body));
    assert.equal(published.body.data.latest_version, 1);
    assert.equal(published.body.data.draft, null);

    const exported = await t.admin('GET', `/tenants/${tk}/flow_definitions/${id}/export`);
    assert.deepEqual(exported.body.data.process_admins, ['pa']);
    const imported = await t.admin('POST', `/tenants/${tk}/flow_definitions/import`, exported.body.data);
    assert.equal(imported.status, 201);
    assert.deepEqual(
      (
        await t.admin(
          'GET',
          `/tenants/${tk}/flow_definitions/${imported.body.data.flow_definition_id}/export`,
        )
      ).body.data,
      exported.body.data,
      'export → import → export is stable',
    );

    await t.admin('POST', `/tenants/${tk}/flow_definitions/${id}/disable`);
    const disabled = await start(id, {
      leave_type: 'annual',
      start_date: '2026-12-01',
      end_date: '2026-12-02',
      days: '2',
    });
    assert.equal(disabled.status, 409);
    assert.equal(disabled.body.code, 1161007);
    await t.admin('POST', `/tenants/${tk}/flow_definitions/${id}/enable`);
    assert.equal(
      (await start(id, { leave_type: 'annual', start_date: '2026-12-01', end_date: '2026-12-02', days: '2' }))
        .status,
      201,
    );
    const unknown = await start('7000000000000000001', {});
    assert.equal(unknown.body.code, 1161006);
  });

  test('leave: the manager approves; over 3 days the department leader next; the HRBP is copied', async () => {
    const id = (
      await t.admin('POST', `/tenants/${tk}/flow_definitions/import`, withAdmins(DEMO_FLOWS.leave!))
    ).body.data.flow_definition_id as string;
    const preview = await t.admin('POST', `/tenants/${tk}/flow_definitions/${id}/preview`, {
      initiator_user_id: 'emp',
      form_values: { leave_type: 'annual', start_date: '2026-12-01', end_date: '2026-12-05', days: '5' },
    });
    assert.deepEqual(
      preview.body.data.steps.map(
        (s: { node_id: string; assignees: string[] }) => `${s.node_id}:${s.assignees.join(',')}`,
      ),
      ['start:', 'manager:mgr', 'long_leave:', 'dept_leader:lead', 'notify_hrbp:hr', 'end:'],
    );
    const short = (
      await start(id, { leave_type: 'sick', start_date: '2026-12-01', end_date: '2026-12-02', days: '2' })
    ).body.data;
    assert.deepEqual(openTasks(short), ['mgr']);
    const done = await act(short.process_id, 'mgr', 'approve');
    assert.equal(done.status, 'completed');
    assert.deepEqual(
      done.cc_list.map((c: { user_id: string }) => c.user_id),
      ['hr'],
    );

    const long = (
      await start(id, { leave_type: 'annual', start_date: '2026-12-01', end_date: '2026-12-05', days: '5' })
    ).body.data;
    const afterManager = await act(long.process_id, 'mgr', 'approve');
    assert.deepEqual(openTasks(afterManager), ['lead']);
    assert.equal((await act(long.process_id, 'lead', 'approve')).status, 'completed');

    const invalid = await start(id, { leave_type: 'holiday', start_date: '2026-02-30', days: 'two' });
    assert.equal(invalid.status, 400);
    assert.equal(invalid.body.code, 1161008);
    assert.deepEqual(invalid.body.error.field_violations.map((v: { field: string }) => v.field).sort(), [
      'days',
      'end_date',
      'leave_type',
      'start_date',
    ]);
  });

  test('a running process keeps its definition version when a new one is published', async () => {
    const id = (
      await t.admin('POST', `/tenants/${tk}/flow_definitions/import`, withAdmins(DEMO_FLOWS.info_change!))
    ).body.data.flow_definition_id as string;
    const v1 = (await start(id, { field: 'phone', new_value: '123' })).body.data;
    const v2doc = withAdmins(DEMO_FLOWS.info_change!);
    v2doc.nodes = [
      { type: 'start', id: 'start', next: 'mgr' },
      {
        type: 'approval',
        id: 'mgr',
        name: { zh_cn: 'm', en_us: 'm' },
        approvers: [{ type: 'manager', level: 1 }],
        next: 'hrbp',
      },
      ...v2doc.nodes.slice(1),
    ];
    await t.admin('PUT', `/tenants/${tk}/flow_definitions/${id}/draft`, v2doc);
    assert.equal(
      (await t.admin('POST', `/tenants/${tk}/flow_definitions/${id}/publish`)).body.data.latest_version,
      2,
    );
    assert.deepEqual(
      (await t.admin('GET', `/tenants/${tk}/flow_definitions/${id}/versions`)).body.data.items.map(
        (v: { version: number }) => v.version,
      ),
      [1, 2],
    );
    const old = await act(v1.process_id, 'hr', 'approve', { new_value: '456' });
    assert.equal(old.status, 'completed', 'v1 had only the HRBP');
    assert.equal(old.definition_version, 1);
    assert.equal(old.form_values.new_value, '456', 'the HRBP edited the value');
    const fresh = (await start(id, { field: 'phone', new_value: '789' })).body.data;
    assert.equal(fresh.definition_version, 2);
    assert.deepEqual(openTasks(fresh), ['mgr']);
  });

  test('offboarding: the form-fill node needs its field; expense takes all three amount branches', async () => {
    const off = (
      await t.admin('POST', `/tenants/${tk}/flow_definitions/import`, withAdmins(DEMO_FLOWS.offboarding!))
    ).body.data.flow_definition_id as string;
    const p = (await start(off, { last_day: '2026-12-31', reason: 'moving' })).body.data;
    await act(p.process_id, 'mgr', 'approve');
    const directory = await t.server.services.processes.directory(await tenantId());
    const hr = [...directory.employees.values()].find((e) => e.userId === 'hr')!;
    const view = (await t.admin('GET', `/tenants/${tk}/processes/${p.process_id}`)).body.data;
    const fill = view.tasks.find(
      (x: { user_id: string; status: string }) => x.user_id === 'hr' && x.status === 'in_progress',
    );
    const missing = await t.server.services.processes.execute(await tenantId(), p.process_id, {
      kind: 'approve',
      taskId: fill.approver_id,
      operatorId: hr.id,
      system: false,
    });
    assert.ok(!missing.ok && missing.error.kind === 'form_invalid');
    const x = [...directory.employees.values()].find((e) => e.userId === 'x')!;
    const filled = await act(p.process_id, 'hr', 'approve', { handover_to: x.id });
    assert.equal(filled.form_values.handover_to, 'x');
    assert.equal(
      filled.tasks.find((t2: { user_id: string }) => t2.user_id === 'hr').status,
      'form_submitted',
    );
    assert.equal((await act(p.process_id, 'it', 'approve')).status, 'completed');

    const expense = (
      await t.admin('POST', `/tenants/${tk}/flow_definitions/import`, withAdmins(DEMO_FLOWS.expense!))
    ).body.data.flow_definition_id as string;
    for (const [amount, approvers] of [
      ['800', ['mgr']],
      ['6000', ['mgr', 'lead']],
      ['25000', ['mgr', 'lead', 'pa']],
    ] as const) {
      let e = (await start(expense, { amount, items: [{ description: 'taxi', amount }] })).body.data;
      for (const who of approvers) e = await act(e.process_id, who, 'approve');
      assert.equal(e.status, 'completed', `${amount}: ${approvers.join(' → ')}`);
    }
    const badRow = await start(expense, { amount: '5', items: [{ description: 'x' }] });
    assert.equal(badRow.body.code, 1161008);
    assert.deepEqual(
      badRow.body.error.field_violations.map((v: { field: string }) => v.field),
      ['items[0].amount'],
    );
  });

  test('two concurrent approvals of an or-sign node: exactly one wins, the other gets task_status_conflict', async () => {
    const doc = withAdmins(DEMO_FLOWS.info_change!);
    doc.nodes = [
      { type: 'start', id: 'start', next: 'either' },
      {
        type: 'approval',
        id: 'either',
        name: { zh_cn: 'e', en_us: 'e' },
        approvers: [{ type: 'users', user_ids: ['mgr', 'lead'] }],
        next: 'end',
      },
      { type: 'end', id: 'end' },
    ];
    const id = (await t.admin('POST', `/tenants/${tk}/flow_definitions/import`, doc)).body.data
      .flow_definition_id as string;
    const directory = await t.server.services.processes.directory(await tenantId());
    const person = (u: string) => [...directory.employees.values()].find((e) => e.userId === u)!.id;
    for (let round = 0; round < 5; round++) {
      const p = (await start(id, { field: 'phone', new_value: String(round) })).body.data;
      const tasks = p.tasks.filter((x: { status: string }) => x.status === 'in_progress') as {
        approver_id: string;
        user_id: string;
      }[];
      const results = await Promise.all(
        tasks.map((task) =>
          t.server.services.processes.execute(tenantIdValue, p.process_id, {
            kind: 'approve',
            taskId: task.approver_id,
            operatorId: person(task.user_id),
            system: false,
          }),
        ),
      );
      assert.equal(results.filter((r) => r.ok).length, 1, 'exactly one wins');
      const refusals = results.flatMap((r) => (r.ok ? [] : [r.error.kind]));
      assert.deepEqual(refusals, ['task_status_conflict']);
      assert.equal(
        (await processEvents(t, p.process_id)).filter((e) => reached(e, 'completed')).length,
        1,
        'one completion event',
      );
    }
  });
  let tenantIdValue = '';
  before(async () => {
    tenantIdValue = await tenantId();
  });

  test('a refused command changes neither state nor events; an accepted one writes its events in order', async () => {
    const id = (
      await t.admin('POST', `/tenants/${tk}/flow_definitions/import`, withAdmins(DEMO_FLOWS.job_change!))
    ).body.data.flow_definition_id as string;
    const p = (await start(id, { target_department: 'd2', effective_date: '2027-01-01', reason: 'growth' }))
      .body.data;
    assert.deepEqual(openTasks(p), ['lead', 'mgr'], 'countersign by manager and department leader');
    const before = {
      state: (await t.admin('GET', `/tenants/${tk}/processes/${p.process_id}`)).body.data,
      events: await processEvents(t, p.process_id),
    };
    const task = p.tasks.find(
      (x: { user_id: string; status: string }) => x.user_id === 'mgr' && x.status === 'in_progress',
    );
    const wrongPerson = await t.server.services.processes.execute(tenantIdValue, p.process_id, {
      kind: 'approve',
      taskId: task.approver_id,
      operatorId: 'nobody',
      system: false,
    });
    assert.ok(!wrongPerson.ok && wrongPerson.error.kind === 'operator_not_allowed');
    const noTask = await t.server.services.processes.execute(tenantIdValue, p.process_id, {
      kind: 'approve',
      taskId: '1',
      operatorId: 'nobody',
      system: false,
    });
    assert.ok(!noTask.ok && noTask.error.kind === 'task_not_found');
    const otherTenant = await t.server.services.processes.execute('7000000000000000009', p.process_id, {
      kind: 'withdraw',
      system: true,
    });
    assert.ok(!otherTenant.ok && otherTenant.error.kind === 'process_not_found');
    assert.deepEqual(
      (await t.admin('GET', `/tenants/${tk}/processes/${p.process_id}`)).body.data,
      before.state,
    );
    assert.deepEqual(await processEvents(t, p.process_id), before.events);

    // In the order of their ids, the events follow the order of the changes: the status first, the
    // process's update last.
    const types = before.events.map((e) => e.type);
    assert.ok(reached(before.events[0]!, 'in_progress'), JSON.stringify(types));
    assert.equal(types.at(-1), 'corehr.process.updated_v2');
    assert.ok(types.length > 2);
  });

  test('process admin: search, return to an earlier node, reassign', async () => {
    const doc = withAdmins(DEMO_FLOWS.job_change!);
    const id = (await t.admin('POST', `/tenants/${tk}/flow_definitions/import`, doc)).body.data
      .flow_definition_id as string;
    let p = (await start(id, { target_department: 'd2', effective_date: '2027-01-01', reason: 'x' })).body
      .data;
    p = await act(p.process_id, 'mgr', 'approve');
    p = await act(p.process_id, 'lead', 'approve');
    assert.deepEqual(openTasks(p), ['hr']);
    const hrTask = p.tasks.find(
      (x: { user_id: string; status: string }) => x.user_id === 'hr' && x.status === 'in_progress',
    );
    const returned = await t.admin('POST', `/tenants/${tk}/processes/${p.process_id}/return`, {
      approver_id: hrTask.approver_id,
      target_node_id: 'countersign',
      reason: 'check again',
    });
    assert.equal(returned.status, 200, JSON.stringify(returned.body));
    assert.deepEqual(openTasks(returned.body.data), ['lead', 'mgr']);
    assert.equal(
      returned.body.data.tasks.find((x: { approver_id: string }) => x.approver_id === hrTask.approver_id)
        .status,
      'rolled_back',
    );
    const badTarget = await t.admin('POST', `/tenants/${tk}/processes/${p.process_id}/return`, {
      approver_id: hrTask.approver_id,
      target_node_id: 'countersign',
    });
    assert.equal(badTarget.body.code, 1161004, 'that task is no longer open');

    const mgrTask = returned.body.data.tasks.find(
      (x: { user_id: string; status: string }) => x.user_id === 'mgr' && x.status === 'in_progress',
    );
    const reassigned = await t.admin('POST', `/tenants/${tk}/processes/${p.process_id}/reassign`, {
      approver_ids: [mgrTask.approver_id],
      to_user_id: 'x',
    });
    assert.equal(reassigned.status, 200);
    assert.deepEqual(openTasks(reassigned.body.data), ['lead', 'x']);
    assert.equal(
      (
        await t.admin('POST', `/tenants/${tk}/processes/${p.process_id}/reassign`, {
          approver_ids: [mgrTask.approver_id],
          to_user_id: 'ghost',
        })
      ).status,
      400,
    );

    const found = await t.admin(
      'GET',
      `/tenants/${tk}/processes?statuses=in_progress&flow_definition_id=${id}&initiator_user_id=emp`,
    );
    assert.deepEqual(
      found.body.data.items.map((x: { process_id: string }) => x.process_id),
      [p.process_id],
    );
  });
});
