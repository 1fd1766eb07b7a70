import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer } from '../helpers/server.js';
import { signedInDemo } from '../helpers/fixtures.js';

forEachDialect('console role options', (dialect) => {
  test('a process admin lists role options (key and name only); an employee is refused', async () => {
    const server = await startTestServer(dialect, { flags: ['--demo'] });
    try {
      const signIn = (userId: string) => signedInDemo(server, userId);
      const processAdmin = await signIn('process_admin');
      const employee = await signIn('employee');
      const head = await signIn('hr_head');

      const options = await processAdmin.get('/api/v1/admin/role-options');
      assert.equal(options.status, 200);
      assert.equal(options.body.truncated, false);
      const keys = options.body.items.map((o: { role_key: string }) => o.role_key);
      assert.deepEqual(keys, [...keys].sort(), 'by key');
      assert.ok(keys.includes('hrbp') && keys.includes('it_admin'), `demo roles listed: ${keys.join(',')}`);
      for (const option of options.body.items) {
        assert.deepEqual(Object.keys(option).sort(), ['name', 'role_key'], 'members stay private');
        assert.equal(typeof option.name.zh_cn, 'string');
        assert.equal(typeof option.name.en_us, 'string');
      }
      // The directory itself stays with tenant admins.
      assert.equal((await processAdmin.get('/api/v1/admin/directory/roles')).status, 403);

      // A role a tenant admin adds is a choice at once.
      const created = await head.send('POST', '/api/v1/admin/directory/roles', {
        role_key: 'travel_desk',
        name: { zh_cn: '差旅台', en_us: 'Travel desk' },
      });
      assert.equal(created.status, 201);
      const after = await processAdmin.get('/api/v1/admin/role-options');
      assert.deepEqual(
        after.body.items.find((o: { role_key: string }) => o.role_key === 'travel_desk'),
        { role_key: 'travel_desk', name: { zh_cn: '差旅台', en_us: 'Travel desk' } },
      );

      const refused = await employee.get('/api/v1/admin/role-options');
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error.code, 'forbidden');
    } finally {
      await server.close();
    }
  });
});
