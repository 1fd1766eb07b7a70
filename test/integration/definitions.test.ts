import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { seedTenant, startTestServer, type TestServer } from '../helpers/server.js';

const name = (text: string) => ({ zh_cn: text, en_us: text });

/** An expense flow whose gateway condition is `condition`. */
const expense = (condition: string) => ({
  name: name('expense'),
  biz_type: 'custom:expense',
  process_admins: ['u0'],
  form: [
    { api_name: 'estimated_cost', label: name('cost'), type: 'number', required: true },
    { api_name: 'spend_on', label: name('date'), type: 'date', required: false },
  ],
  nodes: [
    { type: 'start', id: 'start', next: 'gw' },
    { type: 'exclusive', id: 'gw', branches: [{ condition, next: 'big' }], default_next: 'end' },
    {
      type: 'approval',
      id: 'big',
      name: name('big'),
      approvers: [{ type: 'users', user_ids: ['u0'] }],
      next: 'end',
    },
    { type: 'end', id: 'end' },
  ],
});

forEachDialect('flow definitions: type-checked conditions, deleting drafts', (dialect) => {
  let t: TestServer;
  const tk = 'defs';
  const base = `/tenants/${tk}/flow_definitions`;
  before(async () => {
    t = await startTestServer(dialect);
    await seedTenant(t, tk);
    await seedTenant(t, 'other');
  });
  after(() => t.close());

  test('validate and publish refuse a badly typed condition, naming the node and branch', async () => {
    for (const [condition, problem] of [
      ['form.estimated_cost > "10000"', /no such overload: double > string/],
      ['form.spend_on > 20260101', /no such overload: string > int/],
      ['form.estimated_cost', /not a condition/],
      ['form.cost > 10000', /unknown form field "cost"/],
      ['over(form.estimated_cost)', /unknown function "over"/],
    ] as const) {
      const created = await t.admin('POST', base, expense(condition));
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const id = created.body.data.flow_definition_id as string;
      const validated = await t.admin('POST', `${base}/${id}/validate`);
      assert.equal(validated.status, 200);
      assert.deepEqual(
        validated.body.data.problems.map((p: { field: string }) => p.field),
        ['nodes[gw].branches[0].condition'],
        condition,
      );
      assert.match(validated.body.data.problems[0].description, problem);
      const published = await t.admin('POST', `${base}/${id}/publish`);
      assert.equal(published.status, 400);
      assert.equal(published.body.code, 99992402);
      assert.equal(published.body.error.field_violations[0].field, 'nodes[gw].branches[0].condition');
      assert.equal((await t.admin('GET', `${base}/${id}`)).body.data.latest_version, 0, 'not published');
    }
    const imported = await t.admin('POST', `${base}/import`, expense('form.estimated_cost > "10000"'));
    assert.equal(imported.status, 400, 'import validates too');

    const good = await t.admin('POST', base, expense('form.estimated_cost > 10000'));
    const id = good.body.data.flow_definition_id as string;
    assert.deepEqual((await t.admin('POST', `${base}/${id}/validate`)).body.data.problems, []);
    assert.equal((await t.admin('POST', `${base}/${id}/publish`)).status, 200);
    // And it is taken when it should be: the condition is not silently false.
    const started = await t.admin('POST', `/tenants/${tk}/processes`, {
      flow_definition_id: id,
      initiator_user_id: 'u1',
      form_values: { estimated_cost: '12000' },
    });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    assert.ok(started.body.data.nodes.some((n: { node_id: string }) => n.node_id === 'big'));
  });

  test('a draft is deleted; a published definition or version is refused with 409 saying to disable it', async () => {
    const draft = await t.admin('POST', base, expense('form.estimated_cost > 1'));
    const draftId = draft.body.data.flow_definition_id as string;
    assert.equal((await t.admin('DELETE', `/tenants/other/flow_definitions/${draftId}`)).status, 404);
    const deleted = await t.admin('DELETE', `${base}/${draftId}`);
    assert.equal(deleted.status, 200, JSON.stringify(deleted.body));
    assert.deepEqual(deleted.body.data, {});
    assert.equal((await t.admin('GET', `${base}/${draftId}`)).status, 404);
    assert.equal((await t.admin('DELETE', `${base}/${draftId}`)).status, 404);
    const listed = (await t.admin('GET', base)).body.data.items.map(
      (d: { flow_definition_id: string }) => d.flow_definition_id,
    );
    assert.ok(!listed.includes(draftId));

    const published = await t.admin('POST', `${base}/import`, expense('form.estimated_cost > 1'));
    const id = published.body.data.flow_definition_id as string;
    // A new draft on top of a published version does not make it deletable.
    await t.admin('PUT', `${base}/${id}/draft`, expense('form.estimated_cost > 2'));
    const refused = await t.admin('DELETE', `${base}/${id}`);
    assert.equal(refused.status, 409);
    assert.equal(refused.body.code, 1161409);
    assert.match(refused.body.msg, /cannot be deleted.*[Dd]isable it instead/s);
    const version = await t.admin('DELETE', `${base}/${id}/versions/1`);
    assert.equal(version.status, 409);
    assert.match(version.body.msg, /[Dd]isable it instead/);
    assert.equal((await t.admin('DELETE', `${base}/${id}/versions/7`)).status, 404);
    const still = await t.admin('GET', `${base}/${id}`);
    assert.equal(still.body.data.latest_version, 1);
    assert.ok(still.body.data.draft, 'the draft is kept too');
    assert.equal((await t.admin('POST', `${base}/${id}/disable`)).body.data.enabled, false);
  });
});
