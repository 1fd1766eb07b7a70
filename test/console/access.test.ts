import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer } from '../helpers/server.js';
import { PeopleClient } from '../helpers/people.js';
import { signedInDemo } from '../helpers/fixtures.js';

forEachDialect('console roles', (dialect) => {
  test('tenant admins and process admins reach the console; others are refused; the last admin stays', async () => {
    const server = await startTestServer(dialect, { flags: ['--demo'] });
    try {
      const signIn = (userId: string) => signedInDemo(server, userId);
      const head = await signIn('hr_head');
      const processAdmin = await signIn('process_admin');
      const employee = await signIn('employee');

      // What each may do, as the web app learns it.
      const headMe = (await head.get('/api/v1/me')).body;
      assert.equal(headMe.console.tenant_admin, true);
      const adminMe = (await processAdmin.get('/api/v1/me')).body;
      assert.equal(adminMe.console.tenant_admin, false);
      assert.ok(adminMe.console.flow_ids.length > 0, 'the demo process admin administers the demo flows');
      const employeeMe = (await employee.get('/api/v1/me')).body;
      assert.deepEqual(employeeMe.console, { tenant_admin: false, flow_ids: [] });

      // The console's routes: no role → 403 forbidden; a process admin is not a tenant admin.
      const refused = await employee.get('/api/v1/admin/admins');
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'forbidden');
      assert.equal((await processAdmin.get('/api/v1/admin/admins')).status, 403);
      const list = await head.get('/api/v1/admin/admins');
      assert.equal(list.status, 200);
      assert.deepEqual(
        list.body.items.map((a: { person: { user_id: string } }) => a.person.user_id),
        ['hr_head'],
      );

      // The last tenant admin cannot remove themselves in the console; nothing changes.
      const last = await head.send('DELETE', '/api/v1/admin/admins/hr_head');
      assert.equal(last.status, 409);
      assert.equal(last.body.error.code, 'in_use');
      // Granting another, then removing: through the console, with CSRF.
      assert.equal((await head.request('PUT', '/api/v1/admin/admins/employee')).status, 403, 'CSRF needed');
      const granted = await head.send('PUT', '/api/v1/admin/admins/employee');
      assert.equal(granted.status, 200);
      assert.equal(granted.body.person.user_id, 'employee');
      assert.equal((await employee.get('/api/v1/me')).body.console.tenant_admin, true);
      assert.equal((await employee.get('/api/v1/admin/admins')).status, 200);
      assert.equal((await head.send('PUT', '/api/v1/admin/admins/nobody')).status, 404);
      assert.equal((await head.send('DELETE', '/api/v1/admin/admins/employee')).status, 204);
      assert.equal((await employee.get('/api/v1/admin/admins')).status, 403);

      // The operator's admin API grants and removes too, the last one included.
      const byOperator = await server.admin('PUT', '/tenants/demo/admins/manager');
      assert.equal(byOperator.status, 200);
      assert.equal(byOperator.body.data.user_id, 'manager');
      const all = await server.admin('GET', '/tenants/demo/admins');
      assert.deepEqual(
        all.body.data.items.map((a: { user_id: string }) => a.user_id),
        ['hr_head', 'manager'],
      );
      assert.equal((await server.admin('DELETE', '/tenants/demo/admins/manager')).status, 200);
      assert.equal((await server.admin('DELETE', '/tenants/demo/admins/manager')).status, 404);
      assert.equal((await server.admin('PUT', '/tenants/demo/admins/nobody')).status, 404);
    } finally {
      await server.close();
    }
  });
});

forEachDialect('console expression checking', (dialect) => {
  test('a condition is checked against the unsaved form: wrong types and unknown fields are named', async () => {
    const server = await startTestServer(dialect, { flags: ['--demo'] });
    try {
      const admin = new PeopleClient(server.url);
      await admin.signInDemo('process_admin');
      const form = [
        { api_name: 'cost', label: { zh_cn: '费用', en_us: 'Cost' }, type: 'number' },
        { api_name: 'city', label: { zh_cn: '城市', en_us: 'City' }, type: 'text' },
      ];
      const check = (expression: string) =>
        admin.post('/api/v1/admin/expressions/check', { form, expression, kind: 'condition' });
      assert.deepEqual((await check('form.cost > 10000.0 && form.city == "Beijing"')).body, {
        ok: true,
        type: 'bool',
      });
      const mismatch = (await check('form.cost > "10000"')).body;
      assert.equal(mismatch.ok, false);
      assert.match(mismatch.problem, /type/);
      assert.match((await check('form.days > 3')).body.problem, /unknown form field "days"/);
      assert.match((await check('form.cost +')).body.problem, /does not parse/);
      const bad = await admin.post('/api/v1/admin/expressions/check', {
        form,
        expression: '',
        kind: 'condition',
      });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.violations[0].field, 'expression');
      const employee = new PeopleClient(server.url);
      await employee.signInDemo('employee');
      assert.equal(
        (
          await employee.post('/api/v1/admin/expressions/check', {
            form,
            expression: 'true',
            kind: 'condition',
          })
        ).status,
        403,
      );
    } finally {
      await server.close();
    }
  });
});
