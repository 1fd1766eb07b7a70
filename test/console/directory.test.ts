import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer } from '../helpers/server.js';
import { PeopleClient } from '../helpers/people.js';
import { signedInDemo } from '../helpers/fixtures.js';

const D = '/api/v1/admin/directory';

forEachDialect('console directory', (dialect) => {
  test('departments, employees, sign-in links and roles through the console; refusals name fields', async () => {
    const server = await startTestServer(dialect, { flags: ['--demo'] });
    try {
      const signIn = (userId: string) => signedInDemo(server, userId);
      const head = await signIn('hr_head');
      const processAdmin = await signIn('process_admin');
      const employee = await signIn('employee');

      // Only tenant admins: a process admin and an employee are refused.
      for (const other of [processAdmin, employee]) {
        assert.equal((await other.get(`${D}/departments`)).status, 403);
        assert.equal((await other.get(`${D}/employees`)).status, 403);
        assert.equal(
          (await other.send('POST', `${D}/departments`, { name: { zh_cn: 'x', en_us: 'x' } })).status,
          403,
        );
        assert.equal(
          (
            await other.send('POST', `${D}/import`, {
              kind: 'departments',
              content_base64: '',
              dry_run: true,
            })
          ).status,
          403,
        );
        assert.equal((await other.send('POST', `${D}/employees/employee/invite`)).status, 403);
      }

      // Departments: a flat, paged list with parent ids and leaders.
      const first = await head.get(`${D}/departments?page_size=3`);
      assert.equal(first.status, 200);
      assert.equal(first.body.items.length, 3);
      assert.ok(first.body.page_token);
      const rest = await head.get(`${D}/departments?page_size=500&page_token=${first.body.page_token}`);
      const all = [...first.body.items, ...rest.body.items];
      assert.equal(all.length, 8);
      const backend = all.find((d: { department_id: string }) => d.department_id === 'backend');
      assert.equal(backend.parent_department_id, 'engineering');
      assert.equal(backend.leader.user_id, 'dept_leader');
      assert.equal((await head.get(`${D}/departments?page_token=forged`)).status, 400);

      // Create, rename, move, leader; a cycle is refused on its field.
      const created = await head.send('POST', `${D}/departments`, {
        department_id: 'platform',
        name: { zh_cn: '平台组', en_us: 'Platform' },
        parent_department_id: 'engineering',
        leader_user_id: 'backend_dev',
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.leader.user_id, 'backend_dev');
      const renamed = await head.send('PATCH', `${D}/departments/platform`, {
        name: { zh_cn: '基础平台组', en_us: 'Core Platform' },
        parent_department_id: 'backend',
        leader_user_id: null,
      });
      assert.equal(renamed.status, 200);
      assert.deepEqual(renamed.body.name, { zh_cn: '基础平台组', en_us: 'Core Platform' });
      assert.equal(renamed.body.parent_department_id, 'backend');
      assert.equal(renamed.body.leader, null);
      const cycle = await head.send('PATCH', `${D}/departments/engineering`, {
        parent_department_id: 'platform',
      });
      assert.equal(cycle.status, 400);
      assert.equal(cycle.body.error.violations[0].field, 'parent_department_id');
      assert.match(cycle.body.error.violations[0].description, /cycle/);
      const badCreate = await head.send('POST', `${D}/departments`, {
        name: { zh_cn: '', en_us: 'x' },
        parent_department_id: 'nowhere',
      });
      assert.equal(badCreate.status, 400);
      assert.ok(badCreate.body.error.violations.some((v: { field: string }) => v.field.includes('name')));
      const unknownParent = await head.send('POST', `${D}/departments`, {
        name: { zh_cn: '某组', en_us: 'Some team' },
        parent_department_id: 'nowhere',
      });
      assert.equal(unknownParent.status, 400);
      assert.equal(unknownParent.body.error.violations[0].field, 'parent_department_id');
      // In use: refused with 409 naming why; nothing changed.
      const inUse = await head.send('DELETE', `${D}/departments/backend`);
      assert.equal(inUse.status, 409);
      assert.equal(inUse.body.error.code, 'in_use');
      assert.match(inUse.body.error.message, /sub-departments/);
      assert.equal((await head.send('DELETE', `${D}/departments/platform`)).status, 204);
      assert.equal((await head.send('DELETE', `${D}/departments/platform`)).status, 404);

      // Employees: search by text, department and status, paged.
      const byName = await head.get(`${D}/employees?query=${encodeURIComponent('zhang')}`);
      assert.equal(byName.status, 200);
      assert.deepEqual(
        byName.body.items.map((e: { user_id: string }) => e.user_id),
        ['employee'],
      );
      const byZh = await head.get(`${D}/employees?query=${encodeURIComponent('郑')}`);
      assert.deepEqual(
        byZh.body.items.map((e: { user_id: string }) => e.user_id),
        ['hr_head'],
      );
      const inBackend = await head.get(`${D}/employees?department_id=backend&page_size=2`);
      assert.equal(inBackend.body.items.length, 2);
      assert.ok(inBackend.body.page_token);
      const zhang = byName.body.items[0];
      assert.equal(zhang.department.department_id, 'backend');
      assert.equal(zhang.manager.user_id, 'manager');
      assert.equal(zhang.employment_status, 'active');
      assert.deepEqual(zhang.sign_in, { has_password: false, invite: null });
      // A token from one search is refused for another.
      assert.equal(
        (await head.get(`${D}/employees?department_id=people&page_token=${inBackend.body.page_token}`))
          .status,
        400,
      );
      assert.equal((await head.get(`${D}/employees?query=${encodeURIComponent('%')}`)).body.items.length, 0);
      assert.equal((await head.get(`${D}/employees?employment_status=fired`)).status, 400);

      const hired = await head.send('POST', `${D}/employees`, {
        user_id: 'new_hire',
        name: { zh_cn: '钱七', en_us: 'Qian Qi' },
        email: 'Qian.Qi@Example.com',
        department_id: 'backend',
        manager_user_id: 'manager',
        employment_status: 'pre_hire',
      });
      assert.equal(hired.status, 201, JSON.stringify(hired.body));
      assert.equal(hired.body.email, 'qian.qi@example.com');
      assert.equal(hired.body.manager.user_id, 'manager');
      const preHires = await head.get(`${D}/employees?employment_status=pre_hire`);
      assert.deepEqual(
        preHires.body.items.map((e: { user_id: string }) => e.user_id),
        ['new_hire'],
      );
      const duplicate = await head.send('POST', `${D}/employees`, {
        name: { zh_cn: '重复' },
        email: 'qian.qi@example.com',
        department_id: 'nowhere',
      });
      assert.equal(duplicate.status, 400);
      assert.deepEqual(duplicate.body.error.violations.map((v: { field: string }) => v.field).sort(), [
        'department_id',
        'email',
      ]);
      const badEmail = await head.send('POST', `${D}/employees`, { name: { zh_cn: 'x' }, email: 'not mail' });
      assert.equal(badEmail.status, 400);
      assert.equal(badEmail.body.error.violations[0].field, 'email');

      const edited = await head.send('PATCH', `${D}/employees/new_hire`, {
        employment_status: 'active',
        department_id: 'frontend',
        manager_user_id: 'fe_lead',
      });
      assert.equal(edited.status, 200);
      assert.equal(edited.body.department.department_id, 'frontend');
      assert.equal(edited.body.manager.user_id, 'fe_lead');
      // Manager cycle: manager's manager chain leads back.
      const managerCycle = await head.send('PATCH', `${D}/employees/dept_leader`, {
        manager_user_id: 'employee',
      });
      assert.equal(managerCycle.status, 400);
      assert.equal(managerCycle.body.error.violations[0].field, 'manager_user_id');
      assert.equal((await head.get(`${D}/employees/dept_leader`)).body.manager.user_id, 'cto');
      assert.equal((await head.send('PATCH', `${D}/employees/nobody`, { name: { zh_cn: 'x' } })).status, 404);
      assert.equal(
        (await head.send('PATCH', `${D}/employees/new_hire`, { user_id: 'renamed' })).status,
        400,
        'user_id is not editable here',
      );

      // Invites: the link, its expiry, and the state the list shows; the link works.
      const invite = await head.send('POST', `${D}/employees/new_hire/invite`);
      assert.equal(invite.status, 200);
      assert.match(invite.body.url, /\/invite\/[A-Za-z0-9_-]+$/);
      assert.ok(Date.parse(invite.body.expires_at) > Date.now());
      const token = invite.body.url.split('/invite/')[1];
      const invited = new PeopleClient(server.url);
      const accepted = await invited.post(`/api/v1/auth/invites/${token}/accept`, {
        password: 'a good long password',
      });
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      assert.equal((await invited.get('/api/v1/me')).status, 200);
      const state = (await head.get(`${D}/employees/new_hire`)).body.sign_in;
      assert.equal(state.has_password, true);
      assert.equal(state.invite.status, 'used');
      // Reset: the password goes, the sessions end, a fresh link comes back.
      const reset = await head.send('POST', `${D}/employees/new_hire/reset-password`);
      assert.equal(reset.status, 200);
      assert.notEqual(reset.body.url, invite.body.url);
      assert.equal((await invited.get('/api/v1/me')).status, 401);
      const afterReset = (await head.get(`${D}/employees/new_hire`)).body.sign_in;
      assert.equal(afterReset.has_password, false);
      assert.equal(afterReset.invite.status, 'pending');
      assert.equal((await head.send('POST', `${D}/employees/nobody/invite`)).status, 404);

      // Roles with department scopes.
      const role = await head.send('POST', `${D}/roles`, {
        role_key: 'payroll',
        name: { zh_cn: '薪酬专员', en_us: 'Payroll' },
        members: [{ user_id: 'hrbp', department_ids: ['engineering'] }, { user_id: 'recruiter' }],
      });
      assert.equal(role.status, 201, JSON.stringify(role.body));
      assert.equal(role.body.members[0].person.user_id, 'hrbp');
      assert.deepEqual(role.body.members[0].departments, [
        { department_id: 'engineering', name: { zh_cn: '研发部', en_us: 'Engineering' } },
      ]);
      assert.deepEqual(role.body.members[1].departments, []);
      const badMembers = await head.send('PATCH', `${D}/roles/payroll`, {
        members: [{ user_id: 'nobody', department_ids: ['nowhere'] }],
      });
      assert.equal(badMembers.status, 400);
      assert.deepEqual(
        badMembers.body.error.violations.map((v: { field: string }) => v.field),
        ['members[0].user_id', 'members[0].department_ids[0]'],
      );
      const roles = await head.get(`${D}/roles`);
      assert.ok(roles.body.items.some((r: { role_key: string }) => r.role_key === 'payroll'));
      assert.equal(
        (await head.send('POST', `${D}/roles`, { role_key: 'payroll', name: { zh_cn: 'a', en_us: 'a' } }))
          .status,
        400,
      );
      // A department in a role's scope stays until the role changes.
      await head.send('POST', `${D}/departments`, {
        department_id: 'scoped',
        name: { zh_cn: '范围', en_us: 'Scoped' },
      });
      await head.send('PATCH', `${D}/roles/payroll`, {
        members: [{ user_id: 'hrbp', department_ids: ['scoped'] }],
      });
      const scoped = await head.send('DELETE', `${D}/departments/scoped`);
      assert.equal(scoped.status, 409);
      assert.match(scoped.body.error.message, /payroll/);
      assert.equal((await head.send('DELETE', `${D}/roles/payroll`)).status, 204);
      assert.equal((await head.send('DELETE', `${D}/departments/scoped`)).status, 204);
    } finally {
      await server.close();
    }
  });

  test("another tenant's departments, people and roles are not found", async () => {
    const server = await startTestServer(dialect, { flags: ['--demo'] });
    try {
      await server.admin('POST', '/tenants', { tenant_key: 'other', name: 'Other' });
      await server.admin('POST', '/tenants/other/departments', {
        department_id: 'elsewhere',
        name: { zh_cn: '别处', en_us: 'Elsewhere' },
      });
      await server.admin('POST', '/tenants/other/employees', {
        user_id: 'stranger',
        name: { zh_cn: '陌生人' },
        email: 'stranger@other.example',
      });
      await server.admin('POST', '/tenants/other/roles', {
        role_key: 'other_role',
        name: { zh_cn: '别的', en_us: 'Other' },
      });
      const head = new PeopleClient(server.url);
      await head.signInDemo('hr_head');
      assert.equal(
        (await head.send('PATCH', `${D}/departments/elsewhere`, { name: { zh_cn: 'x', en_us: 'x' } })).status,
        404,
      );
      assert.equal((await head.send('DELETE', `${D}/departments/elsewhere`)).status, 404);
      assert.equal((await head.get(`${D}/employees/stranger`)).status, 404);
      assert.equal((await head.send('POST', `${D}/employees/stranger/invite`)).status, 404);
      assert.equal((await head.send('POST', `${D}/employees/stranger/reset-password`)).status, 404);
      assert.equal((await head.send('DELETE', `${D}/roles/other_role`)).status, 404);
      const asManager = await head.send('PATCH', `${D}/employees/employee`, { manager_user_id: 'stranger' });
      assert.equal(asManager.status, 400);
      assert.equal(asManager.body.error.violations[0].field, 'manager_user_id');
      assert.equal((await head.get(`${D}/employees?query=stranger`)).body.items.length, 0);
      const departments = (await head.get(`${D}/departments`)).body.items;
      assert.ok(!departments.some((d: { department_id: string }) => d.department_id === 'elsewhere'));
    } finally {
      await server.close();
    }
  });
});
