import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer, tenantToken, type TestServer } from '../helpers/server.js';
import { PeopleClient } from '../helpers/people.js';
import { i18n, tripFlow } from '../helpers/fixtures.js';

/** A travel application with form rules: end ≥ start, calculated days, a reason for long trips. */
const travel = tripFlow({
  fieldsFirst: [
    {
      api_name: 'destination',
      label: i18n('目的地', 'Destination'),
      type: 'text',
      required: true,
      max_length: 40,
      help_text: i18n('城市名', 'A city'),
    },
  ],
  fieldsAfterDays: [
    {
      api_name: 'estimated_cost',
      label: i18n('预计费用', 'Estimated cost'),
      type: 'number',
      required: false,
      min: 0,
      precision: 2,
      default: '0',
    },
  ],
  validations: [
    {
      id: 'end_after_start',
      expression: 'form.end_date >= form.start_date',
      message: i18n('结束日期不能早于开始日期', 'The end date cannot be before the start date'),
      fields: ['end_date'],
    },
  ],
  managerEditable: ['end_date', 'reason'],
});

const trip = { destination: 'Shanghai', start_date: '2026-03-02', end_date: '2026-03-03' };

forEachDialect('form rules through the people API and the Open API', (dialect) => {
  let t: TestServer;
  let employee: PeopleClient;
  let head: PeopleClient;
  let flowId: string;
  before(async () => {
    t = await startTestServer(dialect, { flags: ['--demo'] });
    employee = new PeopleClient(t.url);
    await employee.signInDemo('employee');
    head = new PeopleClient(t.url);
    await head.signInDemo('hr_head');
    const imported = await t.admin('POST', '/tenants/demo/flow_definitions/import', travel);
    assert.equal(imported.status, 201, JSON.stringify(imported.body));
    flowId = imported.body.data.flow_definition_id as string;
  });
  after(() => t.close());

  test('the document keeps field properties and rules; a bad rule or property is refused naming its path', async () => {
    const exported = await t.admin('GET', `/tenants/demo/flow_definitions/${flowId}/export`);
    assert.equal(exported.status, 200, JSON.stringify(exported.body));
    const doc = exported.body.data ?? exported.body;
    assert.deepEqual(doc.rules, travel.rules);
    assert.deepEqual(doc.form[0].help_text, travel.form[0]!.help_text);
    assert.equal(doc.form[4].default, '0');

    const broken = structuredClone(travel) as typeof travel & { form: Record<string, unknown>[] };
    broken.rules.validations![0]!.expression = 'form.end_date >= 3';
    broken.rules.calculations[0]!.expression = 'form.destination';
    broken.form[4]!.min = 10;
    broken.form[4]!.max = 1;
    const refused = await t.admin('POST', '/tenants/demo/flow_definitions/import', broken);
    assert.equal(refused.status, 400);
    const fields = (refused.body.error.field_violations as { field: string }[]).map((v) => v.field);
    assert.deepEqual(fields.sort(), [
      'form[4].default',
      'form[4].max',
      'rules.calculations[0].expression',
      'rules.validations[0].expression',
    ]);
  });

  test('people API: the form to fill says which fields are calculated or conditional', async () => {
    const flow = await employee.get(`/api/v1/flows/${flowId}`);
    assert.equal(flow.status, 200, JSON.stringify(flow.body));
    const byName = new Map((flow.body.form as { api_name: string }[]).map((f) => [f.api_name, f]));
    assert.deepEqual(byName.get('days'), {
      api_name: 'days',
      label: travel.form[3]!.label,
      type: 'number',
      required: false,
      calculated: true,
    });
    assert.deepEqual(byName.get('reason'), {
      api_name: 'reason',
      label: travel.form[5]!.label,
      type: 'text',
      required: false,
      shown_when: 'form.days > 3',
    });
    assert.deepEqual(byName.get('destination'), {
      api_name: 'destination',
      label: travel.form[0]!.label,
      type: 'text',
      required: true,
      help_text: travel.form[0]!.help_text,
    });
    assert.equal((byName.get('estimated_cost') as { default?: string }).default, '0');
  });

  test('people API: bad values refused naming the field; calculated value stored; hidden field dropped', async () => {
    const early = await employee.post('/api/v1/processes', {
      flow_id: flowId,
      form_values: { ...trip, end_date: '2026-03-01' },
    });
    assert.equal(early.status, 400, JSON.stringify(early.body));
    assert.equal(early.body.error.code, 'form_invalid');
    assert.deepEqual(early.body.error.violations, [
      { field: 'form_values.end_date', description: 'The end date cannot be before the start date' },
    ]);

    const negative = await employee.post('/api/v1/processes', {
      flow_id: flowId,
      form_values: { ...trip, estimated_cost: '-5' },
    });
    assert.deepEqual(negative.body.error.violations, [
      { field: 'form_values.estimated_cost', description: 'must be at least 0' },
    ]);

    const long = await employee.post('/api/v1/processes', {
      flow_id: flowId,
      form_values: { ...trip, end_date: '2026-03-10' },
    });
    assert.deepEqual(long.body.error.violations, [
      { field: 'form_values.reason', description: 'is required' },
    ]);

    // The client's days are ignored; reason is hidden for a two-day trip and dropped.
    const started = await employee.post('/api/v1/processes', {
      flow_id: flowId,
      form_values: { ...trip, days: '30', reason: 'not needed' },
    });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const detail = await employee.get(`/api/v1/processes/${started.body.process_id as string}`);
    assert.equal(detail.body.form_values.days, '2');
    assert.equal(detail.body.form_values.reason, undefined);
    assert.equal(detail.body.form_values.destination, 'Shanghai');

    // The manager edits the end date: days are recalculated, the rule is enforced again.
    const manager = new PeopleClient(t.url);
    await manager.signInDemo('manager');
    const mine = await manager.get(`/api/v1/processes/${started.body.process_id as string}`);
    const task = (mine.body.my_tasks as { task_id: string }[])[0];
    assert.ok(task, JSON.stringify(mine.body.my_tasks));
    const path = `/api/v1/processes/${started.body.process_id as string}/tasks/${task.task_id}/approve`;
    const bad = await manager.post(path, { field_values: { end_date: '2026-02-01' } });
    assert.equal(bad.status, 400, JSON.stringify(bad.body));
    assert.equal(bad.body.error.violations[0].field, 'field_values.end_date');
    const approved = await manager.post(path, {
      field_values: { end_date: '2026-03-06', reason: 'more meetings' },
    });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    const after = await employee.get(`/api/v1/processes/${started.body.process_id as string}`);
    assert.equal(after.body.form_values.days, '5');
    assert.equal(after.body.form_values.reason, 'more meetings');
  });

  test('Open API: the same rules, naming flow_data fields', async () => {
    const app = await t.admin('POST', '/tenants/demo/apps', {
      name: 'rules',
      scopes: ['corehr:process', 'corehr:process:readonly'],
    });
    assert.equal(app.status, 201, JSON.stringify(app.body));
    const token = await tenantToken(t, app.body.data.app_id as string, app.body.data.app_secret as string);
    const start = (endDate: string) =>
      t.call('POST', '/open-apis/corehr/v2/process_start?user_id_type=user_id', {
        token,
        body: {
          flow_definition_id: flowId,
          initiator_id: 'employee',
          flow_data: [
            { variable_api_name: 'destination', variable_value: { text_value: 'Beijing' } },
            { variable_api_name: 'start_date', variable_value: { date_value: '2026-04-01' } },
            { variable_api_name: 'end_date', variable_value: { date_value: endDate } },
            { variable_api_name: 'days', variable_value: { number_value: '99' } },
          ],
        },
      });
    const refused = await start('2026-03-01');
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.deepEqual(
      (refused.body.error.field_violations as { field: string }[]).map((v) => v.field),
      ['flow_data.end_date'],
    );
    const started = await start('2026-04-03');
    assert.equal(started.status, 200, JSON.stringify(started.body));
    const id = started.body.data.process_id as string;
    const values = await t.call('GET', `/open-apis/corehr/v2/processes/${id}/form_variable_data`, { token });
    const days = (
      values.body.data?.field_variable_values as
        { variable_api_name: string; variable_value: unknown }[] | undefined
    )?.find((v) => v.variable_api_name === 'days');
    assert.ok(days, JSON.stringify(values.body));
    assert.match(JSON.stringify(days.variable_value), /"3"/);
  });

  test('expressions check: validation, visibility and calculation kinds answer the type or the problem', async () => {
    const check = (body: Record<string, unknown>) =>
      head.post('/api/v1/admin/expressions/check', { form: travel.form, ...body });
    assert.deepEqual(
      (await check({ kind: 'validation', expression: 'form.end_date >= form.start_date' })).body,
      { ok: true, type: 'bool' },
    );
    assert.deepEqual((await check({ kind: 'visibility', expression: 'form.days > 3' })).body, {
      ok: true,
      type: 'bool',
    });
    assert.deepEqual(
      (
        await check({
          kind: 'calculation',
          field: 'days',
          expression: 'days_between(form.start_date, form.end_date)',
        })
      ).body,
      { ok: true, type: 'int' },
    );
    const wrongType = await check({ kind: 'calculation', field: 'days', expression: 'form.destination' });
    assert.equal(wrongType.body.ok, false);
    assert.match(wrongType.body.problem, /is of type string, but days is a number field/);
    const notBool = await check({ kind: 'validation', expression: 'form.days' });
    assert.match(notBool.body.problem, /not a condition/);
    const noField = await check({ kind: 'calculation', expression: '1' });
    assert.equal(noField.status, 400);
    assert.equal(noField.body.error.violations[0].field, 'field');
    assert.deepEqual((await check({ kind: 'condition', expression: 'form.days > 3' })).body, {
      ok: true,
      type: 'bool',
    });
    assert.equal(
      (
        await employee.post('/api/v1/admin/expressions/check', {
          form: [],
          kind: 'validation',
          expression: 'true',
        })
      ).status,
      403,
    );
  });
});
