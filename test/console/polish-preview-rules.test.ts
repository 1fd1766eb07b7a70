import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer } from '../helpers/server.js';
import { PeopleClient } from '../helpers/people.js';
import { tripFlow } from '../helpers/fixtures.js';

/** Calculated days and a reason asked only for long trips. */
const trip = tripFlow();

forEachDialect('the new-request preview carries the form rules’ effect', (dialect) => {
  test('calculated values and hidden fields follow the values typed so far', async () => {
    const t = await startTestServer(dialect, { flags: ['--demo'] });
    try {
      const imported = await t.admin('POST', '/tenants/demo/flow_definitions/import', trip);
      assert.equal(imported.status, 201, JSON.stringify(imported.body));
      const flowId = imported.body.data.flow_definition_id as string;
      const employee = new PeopleClient(t.url);
      await employee.signInDemo('employee');
      const preview = (formValues: Record<string, string>) =>
        employee.post(`/api/v1/flows/${flowId}/preview`, { form_values: formValues });

      const empty = await preview({});
      assert.equal(empty.status, 200, JSON.stringify(empty.body));
      assert.equal(empty.body.calculated_values, undefined, 'nothing to calculate from yet');
      assert.deepEqual(empty.body.hidden_fields, ['reason']);

      const long = await preview({ start_date: '2026-03-02', end_date: '2026-03-06', days: '1' });
      assert.equal(long.status, 200, JSON.stringify(long.body));
      const days = long.body.calculated_values?.days;
      assert.ok(days && /^\d+$/.test(days.en_us) && Number(days.en_us) > 3, JSON.stringify(days));
      assert.equal(long.body.hidden_fields, undefined, 'a long trip asks for the reason');

      const short = await preview({ start_date: '2026-03-02', end_date: '2026-03-03' });
      assert.deepEqual(short.body.hidden_fields, ['reason']);
    } finally {
      await t.close();
    }
  });
});
