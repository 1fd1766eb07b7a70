import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { choice, date, DemoDriver, failure, flowData, num, sdkClient } from '../helpers/sdk.js';
import type { DemoManifest } from '../../src/services/demo.service.js';

const LEAVE = {
  leave_type: choice('sick'),
  start_date: date('2026-12-01'),
  end_date: date('2026-12-02'),
  days: num('2'),
};

forEachDialect('Open API conformance with the official SDK', (dialect) => {
  let t: TestServer;
  let demo: DemoManifest;
  let d: DemoDriver;
  before(async () => {
    t = await startTestServer(dialect, { flags: ['--demo'] });
    demo = t.server.demo!;
    d = new DemoDriver(sdkClient(t.url, demo.app), demo);
  });
  after(() => t.close());

  test('every user id type works in requests and responses', async () => {
    const employee = demo.users.employee!;
    for (const type of ['open_id', 'union_id', 'user_id', 'people_corehr_id'] as const) {
      const initiator = employee[type];
      const started = await d.client.corehr.v2.processStart.create({
        params: { user_id_type: type },
        data: {
          flow_definition_id: demo.flow_definitions.leave!,
          initiator_id: initiator,
          flow_data: flowData(LEAVE),
        },
      });
      const view = await d.client.corehr.v2.process.get({
        path: { process_id: started.data!.process_id! },
        params: { user_id_type: type },
      });
      assert.equal(view.data?.initiator_id, initiator, type);
      const firstTodo = (view.data.todos ?? [])[0];
      assert.equal(firstTodo?.operator_id, demo.users.manager?.[type], type);
      const tasks = await d.client.corehr.v2.approver.list({
        params: { user_id: demo.users.manager![type], user_id_type: type, page_size: 100 },
      });
      assert.ok(
        tasks.data?.approver_list?.some((x) => x.process_id === started.data!.process_id),
        type,
      );
    }
    // open_id is the default, and an open_id of another app names nobody.
    const byDefault = await d.client.corehr.v2.process.get({
      path: { process_id: await d.start('leave', 'employee', LEAVE) },
    });
    assert.equal(byDefault.data?.initiator_id, employee.open_id);
    const wrongType = await failure(
      d.client.corehr.v2.processStart.create({
        params: { user_id_type: 'user_id' },
        data: {
          flow_definition_id: demo.flow_definitions.leave!,
          initiator_id: employee.union_id,
          flow_data: flowData(LEAVE),
        },
      }),
    );
    assert.deepEqual([wrongType.status, wrongType.code, wrongType.fields], [400, 1161009, ['initiator_id']]);
  });

  test('every department id type works in form values, both ways', async () => {
    const sales = demo.departments.sales!;
    for (const type of ['open_department_id', 'department_id', 'people_corehr_department_id'] as const) {
      const started = await d.client.corehr.v2.processStart.create({
        params: { user_id_type: 'user_id', department_id_type: type },
        data: {
          flow_definition_id: demo.flow_definitions.job_change!,
          initiator_id: 'employee',
          flow_data: flowData({
            target_department: { department_value: sales[type] },
            effective_date: date('2027-01-01'),
            reason: { text_value: 'x' },
          }),
        },
      });
      const form = await d.client.corehr.v2.processFormVariableData.get({
        path: { process_id: started.data!.process_id! },
        params: { department_id_type: type },
      });
      const value = form.data?.field_variable_values?.find(
        (v) => v.variable_api_name === 'target_department',
      )?.variable_value;
      assert.deepEqual(value, { department_value: sales[type] }, type);
    }
  });

  test('flow_variable_data: form fields plus process fields, filtered by variable_keys', async () => {
    const p = await d.start('leave', 'employee', LEAVE);
    const all = await d.client.corehr.v2.process.flowVariableData({
      path: { process_id: p },
      params: { user_id_type: 'user_id' },
    });
    const names = (all.data?.field_variable_values ?? []).map((v) => v.variable_api_name);
    assert.ok(names.includes('days') && names.includes('initiator_id') && names.includes('process_status'));
    const some = await d.client.corehr.v2.process.flowVariableData({
      path: { process_id: p },
      params: { user_id_type: 'user_id', variable_keys: ['initiator_id', 'days'] },
    });
    assert.deepEqual(
      (some.data?.field_variable_values ?? []).map((v) => [v.variable_api_name, v.variable_value]),
      [
        ['days', { number_value: '2' }],
        ['initiator_id', { user_value: 'employee' }],
      ],
    );
    const unknown = await failure(
      d.client.corehr.v2.process.flowVariableData({
        path: { process_id: p },
        params: { variable_keys: ['nope'] },
      }),
    );
    assert.deepEqual([unknown.code, unknown.fields], [99992402, ['variable_keys[0]']]);
  });

  test('process list: statuses, time window and definition filters', async () => {
    const from = String(Date.now() - 1000);
    const completed = await d.start('leave', 'employee', LEAVE);
    await d.approve(completed, 'manager');
    const running = await d.start('info_change', 'employee', {
      field: choice('phone'),
      new_value: { text_value: '1' },
    });
    const to = String(Date.now() + 1000);
    const list = async (params: Record<string, unknown>) => {
      const ids: string[] = [];
      for await (const page of await d.client.corehr.v2.process.listWithIterator({
        params: { page_size: 100, modify_time_from: from, modify_time_to: to, ...params },
      })) {
        ids.push(...(page?.process_ids ?? []));
      }
      return ids;
    };
    assert.ok((await list({})).includes(completed));
    assert.deepEqual(
      (await list({ statuses: [9], flow_definition_id: demo.flow_definitions.leave })).includes(completed),
      true,
    );
    assert.equal((await list({ statuses: [1] })).includes(completed), false);
    assert.ok((await list({ statuses: [1, 9] })).includes(running));
    assert.deepEqual(await list({ flow_definition_id: demo.flow_definitions.expense }), []);
    const inverted = await failure(
      d.client.corehr.v2.process.list({
        params: { page_size: 10, modify_time_from: to, modify_time_to: from },
      }),
    );
    assert.deepEqual([inverted.code, inverted.fields], [99992402, ['modify_time_to']]);
    const tooLong = await failure(
      d.client.corehr.v2.process.list({
        params: { page_size: 10, modify_time_from: '0', modify_time_to: String(31 * 24 * 3600 * 1000) },
      }),
    );
    assert.deepEqual(tooLong.fields, ['modify_time_to']);
    const badStatus = await failure(
      d.client.corehr.v2.process.list({
        params: { page_size: 10, modify_time_from: from, modify_time_to: to, statuses: [3] },
      }),
    );
    assert.deepEqual(badStatus.fields, ['statuses[0]']);
  });

  test('pagination across more than 3 pages while processes are being created: nothing skipped or repeated', async () => {
    const from = String(Date.now() - 1);
    const before: string[] = [];
    for (let i = 0; i < 10; i++)
      before.push(
        await d.start('info_change', 'outsider', {
          field: choice('phone'),
          new_value: { text_value: String(i) },
        }),
      );
    const to = String(Date.now() + 60_000);
    const seen: string[] = [];
    let pages = 0;
    for await (const page of await d.client.corehr.v2.process.listWithIterator({
      params: {
        page_size: 3,
        modify_time_from: from,
        modify_time_to: to,
        flow_definition_id: demo.flow_definitions.info_change,
      },
    })) {
      pages++;
      seen.push(...(page?.process_ids ?? []));
      await d.start('info_change', 'outsider', {
        field: choice('phone'),
        new_value: { text_value: `during page ${pages}` },
      });
    }
    assert.ok(pages > 3, `${pages} pages`);
    assert.equal(new Set(seen).size, seen.length, 'no repeats');
    for (const id of before) assert.ok(seen.includes(id), `${id} was not skipped`);

    const forged = await failure(
      d.client.corehr.v2.process.list({
        params: { page_size: 3, modify_time_from: from, modify_time_to: to, page_token: 'forged' },
      }),
    );
    assert.deepEqual([forged.code, forged.fields], [99992402, ['page_token']]);
    const first = await d.client.corehr.v2.process.list({
      params: { page_size: 3, modify_time_from: from, modify_time_to: to },
    });
    const reused = await failure(
      d.client.corehr.v2.process.list({
        params: {
          page_size: 3,
          modify_time_from: from,
          modify_time_to: to,
          statuses: [9],
          page_token: first.data!.page_token!,
        },
      }),
    );
    assert.deepEqual(reused.fields, ['page_token'], 'a token is bound to its query');
  });

  test('the error table of docs/errors.md, each row', async () => {
    const p = await d.start('leave', 'employee', LEAVE);
    const managerTask = await d.openTask('manager', p);
    const raw = (path: string, init: RequestInit = {}) =>
      fetch(`${t.url}${path}`, init).then(async (r) => ({
        status: r.status,
        body: (await r.json()) as { code: number },
      }));

    // The SDK always sends a token; a raw request shows what an unauthenticated caller gets.
    const noToken = await raw(`/open-apis/corehr/v2/processes/${p}`);
    assert.deepEqual([noToken.status, noToken.body.code], [401, 99991661]);
    const forgedToken = await raw(`/open-apis/corehr/v2/processes/${p}`, {
      headers: { authorization: 'Bearer t-forged' },
    });
    assert.deepEqual([forgedToken.status, forgedToken.body.code], [401, 99991663]);

    const reader = await t.admin('POST', '/tenants/demo/apps', {
      name: 'reader',
      scopes: ['corehr:process:readonly'],
    });
    const readOnly = sdkClient(t.url, {
      app_id: reader.body.data.app_id,
      app_secret: reader.body.data.app_secret,
    });
    assert.equal((await readOnly.corehr.v2.process.get({ path: { process_id: p } })).code, 0);
    const noScope = await failure(
      readOnly.corehr.v2.processApprover.update({
        path: { process_id: p, approver_id: managerTask },
        data: { status: 3, system_approval: true },
      }),
    );
    assert.deepEqual([noScope.status, noScope.code], [403, 99991672]);
    assert.match(noScope.msg, /corehr:process\.approver/);

    const missing = await failure(
      d.client.corehr.v2.approver.list({
        params: { user_id: 'manager', user_id_type: 'user_id', page_size: 0 },
      }),
    );
    assert.deepEqual([missing.status, missing.code, missing.fields], [400, 99992402, ['page_size']]);

    const notFound = await failure(
      d.client.corehr.v2.process.get({ path: { process_id: '7000000000000000000' } }),
    );
    assert.deepEqual([notFound.status, notFound.code], [404, 1161001]);
    const taskNotFound = await failure(
      d.client.corehr.v2.processApprover.update({
        path: { process_id: p, approver_id: '7000000000000000000' },
        data: { status: 3, system_approval: true },
      }),
    );
    assert.deepEqual([taskNotFound.status, taskNotFound.code], [404, 1161002]);
    const wrongPerson = await failure(
      d.client.corehr.v2.processApprover.update({
        path: { process_id: p, approver_id: managerTask },
        params: { user_id_type: 'user_id' },
        data: { status: 3, user_id: 'outsider' },
      }),
    );
    assert.deepEqual([wrongPerson.status, wrongPerson.code], [403, 1161005]);
    await d.approve(p, 'manager');
    const closedTask = await failure(
      d.client.corehr.v2.processApprover.update({
        path: { process_id: p, approver_id: managerTask },
        params: { user_id_type: 'user_id' },
        data: { status: 3, user_id: 'manager' },
      }),
    );
    assert.deepEqual([closedTask.status, closedTask.code], [409, 1161004]);
    const finished = await failure(
      d.client.corehr.v2.processWithdraw.update({
        path: { process_id: p },
        params: { user_id_type: 'user_id' },
        data: { user_id: 'employee' },
      }),
    );
    assert.deepEqual([finished.status, finished.code], [409, 1161003]);

    const noDefinition = await failure(
      d.client.corehr.v2.processStart.create({
        params: { user_id_type: 'user_id' },
        data: { flow_definition_id: '7000000000000000000', initiator_id: 'employee' },
      }),
    );
    assert.deepEqual([noDefinition.status, noDefinition.code], [404, 1161006]);
    await t.admin('POST', `/tenants/demo/flow_definitions/${demo.flow_definitions.expense!}/disable`);
    const disabled = await failure(
      d.client.corehr.v2.processStart.create({
        params: { user_id_type: 'user_id' },
        data: { flow_definition_id: demo.flow_definitions.expense!, initiator_id: 'employee' },
      }),
    );
    assert.deepEqual([disabled.status, disabled.code], [409, 1161007]);
    await t.admin('POST', `/tenants/demo/flow_definitions/${demo.flow_definitions.expense!}/enable`);

    const badForm = await failure(
      d.client.corehr.v2.processStart.create({
        params: { user_id_type: 'user_id' },
        data: {
          flow_definition_id: demo.flow_definitions.leave!,
          initiator_id: 'employee',
          flow_data: flowData({ leave_type: choice('holiday'), days: { text_value: '2' } }),
        },
      }),
    );
    assert.deepEqual([badForm.status, badForm.code], [400, 1161008]);
    assert.deepEqual(badForm.fields.sort(), [
      'flow_data.days',
      'flow_data.end_date',
      'flow_data.leave_type',
      'flow_data.start_date',
    ]);
    const unknownUser = await failure(
      d.client.corehr.v2.approver.list({
        params: { user_id: 'ghost', user_id_type: 'user_id', page_size: 10 },
      }),
    );
    assert.deepEqual([unknownUser.status, unknownUser.code, unknownUser.fields], [400, 1161009, ['user_id']]);

    // Another tenant's process is "not found", never "forbidden".
    await t.admin('POST', '/tenants', { tenant_key: 'other', name: 'Other' });
    const otherApp = await t.admin('POST', '/tenants/other/apps', {
      name: 'x',
      scopes: ['corehr:process:readonly'],
    });
    const stranger = sdkClient(t.url, {
      app_id: otherApp.body.data.app_id,
      app_secret: otherApp.body.data.app_secret,
    });
    const foreign = await failure(stranger.corehr.v2.process.get({ path: { process_id: p } }));
    assert.deepEqual([foreign.status, foreign.code], [404, 1161001]);
  });
});

test('rate limit through the SDK: 429 99991400 with the ogw headers', async () => {
  const t = await startTestServer('sqlite', {
    flags: ['--demo', '--rate-limit', '2', '--rate-limit-window', '60'],
  });
  try {
    const demo = t.server.demo!;
    const client = sdkClient(t.url, demo.app);
    const p = new DemoDriver(client, demo);
    const id = await p.start('leave', 'employee', LEAVE);
    await client.corehr.v2.process.get({ path: { process_id: id } });
    await client.corehr.v2.process.get({ path: { process_id: id } });
    const limited = await failure(client.corehr.v2.process.get({ path: { process_id: id } }));
    assert.deepEqual([limited.status, limited.code], [429, 99991400]);
  } finally {
    await t.close();
  }
});
