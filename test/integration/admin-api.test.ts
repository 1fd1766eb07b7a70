import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { seedTenant, startTestServer, type CallResult, type TestServer } from '../helpers/server.js';
import { webhookReceiver, type WebhookReceiver } from '../helpers/receivers.js';

const fields = (r: CallResult): string[] =>
  ((r.body.error?.field_violations ?? []) as { field: string }[]).map((v) => v.field).sort();

forEachDialect('admin API', (dialect) => {
  let t: TestServer;
  let receiver: WebhookReceiver;
  before(async () => {
    t = await startTestServer(dialect, { flags: ['--webhook-allow-hosts', '127.0.0.1'] });
    receiver = await webhookReceiver({ encryptKey: 'my-encrypt-key' });
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  /** Row counts of every table: a rejected request must leave them all as they were. */
  const snapshot = async () => {
    const db = t.server.database.db;
    const tables = [
      'tenants',
      'departments',
      'employees',
      'roles',
      'role_members',
      'apps',
      'app_open_ids',
    ] as const;
    const counts: Record<string, number> = {};
    for (const table of tables) {
      const row = await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      counts[table] = row.n;
    }
    return counts;
  };
  const rejected = async (call: () => Promise<CallResult>, status: number, expectedFields: string[]) => {
    const before = await snapshot();
    const r = await call();
    assert.equal(r.status, status, JSON.stringify(r.body));
    if (status === 400) {
      assert.equal(r.body.code, 99992402);
      assert.deepEqual(fields(r), [...expectedFields].sort(), JSON.stringify(r.body));
    }
    assert.deepEqual(await snapshot(), before, 'a rejected request changed nothing');
    return r;
  };

  test('the admin API needs the admin token', async () => {
    const none = await t.call('GET', '/admin/v1/tenants');
    assert.equal(none.status, 401);
    assert.equal(none.body.code, 99991661);
    const wrong = await t.call('GET', '/admin/v1/tenants', { token: 'not-it' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.code, 99991663);
  });

  test('tenants: create, read, update, list with keyset pages, delete', async () => {
    for (const key of ['t1', 't2', 't3', 't4', 't5']) {
      assert.equal(
        (await t.admin('POST', '/tenants', { tenant_key: key, name: `Tenant ${key}` })).status,
        201,
      );
    }
    await rejected(() => t.admin('POST', '/tenants', { tenant_key: 't1', name: 'again' }), 400, [
      'tenant_key',
    ]);
    await rejected(
      () => t.admin('POST', '/tenants', { tenant_key: 'bad key!', name: 'x'.repeat(101) }),
      400,
      ['tenant_key', 'name'],
    );
    await rejected(() => t.admin('POST', '/tenants', { name: 42 }), 400, ['name']);
    assert.equal((await t.admin('PATCH', '/tenants/t2', { name: 'Renamed' })).body.data.name, 'Renamed');
    assert.equal((await t.admin('GET', '/tenants/t2')).body.data.name, 'Renamed');
    assert.equal((await t.admin('GET', '/tenants/nope')).status, 404);

    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await t.admin('GET', `/tenants?page_size=2${token ? `&page_token=${token}` : ''}`);
      assert.equal(page.status, 200);
      assert.ok(page.body.data.items.length <= 2);
      seen.push(...(page.body.data.items as { tenant_key: string }[]).map((x) => x.tenant_key));
      token = page.body.data.has_more ? page.body.data.page_token : undefined;
    } while (token);
    assert.deepEqual(seen, ['t1', 't2', 't3', 't4', 't5']);
    await rejected(() => t.admin('GET', '/tenants?page_token=forged'), 400, ['page_token']);
    await rejected(() => t.admin('GET', '/tenants?page_size=0'), 400, ['page_size']);
    await rejected(() => t.admin('GET', '/tenants?page_size=101'), 400, ['page_size']);

    assert.equal((await t.admin('DELETE', '/tenants/t5')).status, 200);
    assert.equal((await t.admin('GET', '/tenants/t5')).status, 404);
  });

  test('departments: a tree with leaders; unknown references, cycles and deletes in use are refused', async () => {
    await t.admin('POST', '/tenants', { tenant_key: 'org', name: 'Org' });
    const root = await t.admin('POST', '/tenants/org/departments', {
      department_id: 'root',
      name: { zh_cn: '总部', en_us: 'HQ' },
    });
    assert.equal(root.status, 201);
    assert.match(root.body.data.open_department_id, /^od-[0-9a-f]{32}$/);
    assert.match(root.body.data.people_corehr_department_id, /^\d{19}$/);
    await t.admin('POST', '/tenants/org/departments', {
      department_id: 'eng',
      name: { zh_cn: '研发', en_us: 'Eng' },
      parent_department_id: 'root',
    });
    await t.admin('POST', '/tenants/org/departments', {
      department_id: 'be',
      name: { zh_cn: '后端', en_us: 'BE' },
      parent_department_id: 'eng',
    });

    await rejected(
      () =>
        t.admin('POST', '/tenants/org/departments', {
          department_id: 'x',
          name: { zh_cn: 'x', en_us: 'x' },
          parent_department_id: 'nope',
          leader_user_id: 'nobody',
        }),
      400,
      ['parent_department_id', 'leader_user_id'],
    );
    await rejected(
      () =>
        t.admin('POST', '/tenants/org/departments', {
          department_id: 'eng',
          name: { zh_cn: 'x', en_us: 'x' },
        }),
      400,
      ['department_id'],
    );
    await rejected(
      () => t.admin('POST', '/tenants/org/departments', { department_id: 'y', name: { zh_cn: 'x' } }),
      400,
      ['name.en_us'],
    );
    await rejected(
      () => t.admin('PATCH', '/tenants/org/departments/root', { parent_department_id: 'be' }),
      400,
      ['parent_department_id'],
    );
    await rejected(
      () => t.admin('PATCH', '/tenants/org/departments/eng', { parent_department_id: 'eng' }),
      400,
      ['parent_department_id'],
    );
    assert.equal(
      (await t.admin('PATCH', '/tenants/org/departments/be', { parent_department_id: 'root' })).body.data
        .parent_department_id,
      'root',
    );

    const children = await t.admin('GET', '/tenants/org/departments?parent_department_id=root');
    assert.deepEqual(
      (children.body.data.items as { department_id: string }[]).map((d) => d.department_id).sort(),
      ['be', 'eng'],
    );
    const del = await rejected(() => t.admin('DELETE', '/tenants/org/departments/root'), 409, []);
    assert.equal(del.body.code, 1161409);
    assert.equal((await t.admin('DELETE', '/tenants/org/departments/be')).status, 200);
    assert.equal((await t.admin('GET', '/tenants/org/departments/be')).status, 404);
  });

  test('employees: ids of every type, unique user_id and email, known references, no manager cycles', async () => {
    await t.admin('POST', '/tenants', { tenant_key: 'emp', name: 'Emp' });
    await t.admin('POST', '/tenants/emp/departments', {
      department_id: 'd1',
      name: { zh_cn: '一部', en_us: 'D1' },
    });
    const boss = await t.admin('POST', '/tenants/emp/employees', {
      user_id: 'boss',
      name: { zh_cn: '老板' },
      email: 'Boss@Emp.example',
      department_id: 'd1',
    });
    assert.equal(boss.status, 201);
    assert.equal(boss.body.data.email, 'boss@emp.example');
    assert.deepEqual(boss.body.data.name, { zh_cn: '老板', en_us: '老板' });
    assert.match(boss.body.data.union_id, /^on_[0-9a-f]{32}$/);
    assert.match(boss.body.data.people_corehr_id, /^\d{19}$/);
    assert.equal(boss.body.data.employment_status, 'active');
    await t.admin('POST', '/tenants/emp/employees', {
      user_id: 'mid',
      name: { zh_cn: '中' },
      email: 'mid@emp.example',
      manager_user_id: 'boss',
    });
    await t.admin('POST', '/tenants/emp/employees', {
      user_id: 'low',
      name: { zh_cn: '低' },
      email: 'low@emp.example',
      manager_user_id: 'mid',
    });

    await rejected(
      () =>
        t.admin('POST', '/tenants/emp/employees', {
          user_id: 'boss',
          name: { zh_cn: 'x' },
          email: 'BOSS@emp.example',
        }),
      400,
      ['user_id', 'email'],
    );
    await rejected(
      () =>
        t.admin('POST', '/tenants/emp/employees', {
          name: { zh_cn: 'x' },
          email: 'x@emp.example',
          department_id: 'nope',
          manager_user_id: 'ghost',
        }),
      400,
      ['department_id', 'manager_user_id'],
    );
    await rejected(
      () =>
        t.admin('POST', '/tenants/emp/employees', {
          name: 'x',
          email: 'not-an-email',
          employment_status: 'retired',
          extra: true,
        }),
      400,
      ['name', 'email', 'employment_status', 'extra'],
    );
    await rejected(() => t.admin('POST', '/tenants/emp/employees', { name: { zh_cn: 'x' } }), 400, ['email']);
    await rejected(
      () =>
        t.admin('POST', '/tenants/emp/employees', {
          user_id: 'u'.repeat(65),
          name: { zh_cn: 'x' },
          email: 'y@emp.example',
        }),
      400,
      ['user_id'],
    );
    await rejected(() => t.admin('PATCH', '/tenants/emp/employees/boss', { manager_user_id: 'low' }), 400, [
      'manager_user_id',
    ]);
    await rejected(() => t.admin('PATCH', '/tenants/emp/employees/boss', { manager_user_id: 'boss' }), 400, [
      'manager_user_id',
    ]);
    await rejected(() => t.admin('PATCH', '/tenants/emp/employees/low', { email: 'mid@emp.example' }), 400, [
      'email',
    ]);

    const moved = await t.admin('PATCH', '/tenants/emp/employees/low', {
      manager_user_id: 'boss',
      employment_status: 'terminated',
    });
    assert.equal(moved.body.data.manager_user_id, 'boss');
    assert.equal(moved.body.data.employment_status, 'terminated');
    const reports = await t.admin('GET', '/tenants/emp/employees?manager_user_id=boss');
    assert.deepEqual((reports.body.data.items as { user_id: string }[]).map((e) => e.user_id).sort(), [
      'low',
      'mid',
    ]);

    const inUse = await rejected(() => t.admin('DELETE', '/tenants/emp/employees/boss'), 409, []);
    assert.match(inUse.body.msg, /manager/);
    assert.equal((await t.admin('DELETE', '/tenants/emp/employees/low')).status, 200);
    assert.equal((await t.admin('GET', '/tenants/emp/employees/low')).status, 404);
  });

  test('roles: members scoped to departments; unknown members and departments are named', async () => {
    const r = await t.admin('POST', '/tenants/emp/roles', {
      role_key: 'hrbp',
      name: { zh_cn: 'HRBP', en_us: 'HRBP' },
      members: [{ user_id: 'mid', department_ids: ['d1'] }, { user_id: 'boss' }],
    });
    assert.equal(r.status, 201);
    assert.deepEqual(
      r.body.data.members,
      [
        { user_id: 'boss', department_ids: [] },
        { user_id: 'mid', department_ids: ['d1'] },
      ],
      'members in the order the people were created',
    );
    await rejected(
      () =>
        t.admin('POST', '/tenants/emp/roles', {
          role_key: 'x',
          name: { zh_cn: 'x', en_us: 'x' },
          members: [{ user_id: 'ghost', department_ids: ['nope'] }],
        }),
      400,
      ['members[0].user_id', 'members[0].department_ids[0]'],
    );
    await rejected(
      () => t.admin('POST', '/tenants/emp/roles', { role_key: 'hrbp', name: { zh_cn: 'x', en_us: 'x' } }),
      400,
      ['role_key'],
    );
    await rejected(
      () => t.admin('POST', '/tenants/emp/roles', { role_key: 'Bad-Key', name: { zh_cn: 'x', en_us: 'x' } }),
      400,
      ['role_key'],
    );
    const inRole = await rejected(() => t.admin('DELETE', '/tenants/emp/departments/d1'), 409, []);
    assert.ok(inRole.body.code === 1161409);
    const updated = await t.admin('PATCH', '/tenants/emp/roles/hrbp', { members: [{ user_id: 'mid' }] });
    assert.deepEqual(updated.body.data.members, [{ user_id: 'mid', department_ids: [] }]);
    assert.equal((await t.admin('DELETE', '/tenants/emp/roles/hrbp')).status, 200);
  });

  test('apps: the secret is shown once; event settings are validated and kept sealed', async () => {
    const created = await t.admin('POST', '/tenants/emp/apps', {
      name: 'HR sync',
      scopes: ['corehr:process:readonly'],
      event: {
        request_url: receiver.url,
        encrypt_key: 'my-encrypt-key',
        event_types: ['corehr.process.status.update_v2'],
        delivery_mode: 'webhook',
      },
    });
    assert.equal(created.status, 201);
    assert.match(created.body.data.app_id, /^cli_[0-9a-f]{16}$/);
    assert.ok(created.body.data.app_secret.length >= 32);
    assert.ok(created.body.data.event.verification_token.length > 0);
    const appId = created.body.data.app_id as string;
    const got = await t.admin('GET', `/tenants/emp/apps/${appId}`);
    assert.equal(got.body.data.app_secret, undefined);
    assert.equal(got.body.data.event.encrypt_key, 'my-encrypt-key');
    const row = await t.server.database.db
      .selectFrom('apps')
      .selectAll()
      .where('app_id', '=', appId)
      .executeTakeFirstOrThrow();
    assert.ok(!JSON.stringify(row).includes('my-encrypt-key'), 'encrypt key is stored sealed');
    assert.ok(
      !JSON.stringify(row).includes(created.body.data.event.verification_token),
      'verification token is stored sealed',
    );

    await rejected(
      () =>
        t.admin('POST', '/tenants/emp/apps', {
          name: 'x',
          scopes: ['corehr:everything'],
          event: { request_url: 'ftp://x', event_types: ['nope'], delivery_mode: 'pigeon' },
        }),
      400,
      ['scopes[0]', 'event.request_url', 'event.event_types[0]', 'event.delivery_mode'],
    );
    const patched = await t.admin('PATCH', `/tenants/emp/apps/${appId}`, {
      event: { encrypt_key: null, delivery_mode: 'long_connection' },
    });
    assert.equal(patched.body.data.event.encrypt_key, null);
    assert.equal(patched.body.data.event.delivery_mode, 'long_connection');
    assert.equal(patched.body.data.event.request_url, receiver.url);
  });

  test("tenant isolation: another tenant's objects are not found through this tenant", async () => {
    const a = await seedTenant(t, 'iso_a');
    await seedTenant(t, 'iso_b');
    assert.equal((await t.admin('GET', `/tenants/iso_b/apps/${a.appId}`)).status, 404);
    assert.equal((await t.admin('DELETE', `/tenants/iso_b/apps/${a.appId}`)).status, 404);
    assert.equal((await t.admin('GET', `/tenants/iso_a/apps/${a.appId}`)).status, 200);
    // The same tenant-assigned ids live side by side in two tenants.
    const ua = await t.admin('GET', '/tenants/iso_a/employees/u1');
    const ub = await t.admin('GET', '/tenants/iso_b/employees/u1');
    assert.notEqual(ua.body.data.people_corehr_id, ub.body.data.people_corehr_id);
    // A reference into another tenant is unknown here.
    await rejected(() => t.admin('PATCH', '/tenants/iso_a/employees/u1', { department_id: 'd1' }), 400, [
      'department_id',
    ]);
    const list = await t.admin('GET', '/tenants/iso_a/employees');
    assert.ok((list.body.data.items as { email: string }[]).every((e) => e.email.endsWith('@iso-a.example')));
  });

  test('id look-up: every id type resolves to the same person; open_id is per app', async () => {
    const a1 = await seedTenant(t, 'ids');
    const a2 = (await t.admin('POST', '/tenants/ids/apps', { name: 'second' })).body.data.app_id as string;
    const byUser = await t.admin('GET', `/tenants/ids/employee_ids/u2?app_id=${a1.appId}`);
    assert.equal(byUser.status, 200);
    const ids = byUser.body.data;
    assert.match(ids.open_id, /^ou_[0-9a-f]{32}$/);
    assert.equal(ids.open_ids.length, 2);
    const other = (ids.open_ids as { app_id: string; open_id: string }[]).find((o) => o.app_id === a2)!;
    assert.notEqual(other.open_id, ids.open_id, 'a person has a different open_id in each app');
    for (const [type, value, app] of [
      ['user_id', ids.user_id, a1.appId],
      ['union_id', ids.union_id, a1.appId],
      ['people_corehr_id', ids.people_corehr_id, a1.appId],
      ['open_id', ids.open_id, a1.appId],
      ['open_id', other.open_id, a2],
    ] as const) {
      const r = await t.admin('GET', `/tenants/ids/employee_ids/${value}?user_id_type=${type}&app_id=${app}`);
      assert.equal(r.status, 200, `${type} ${JSON.stringify(r.body)}`);
      assert.equal(r.body.data.user_id, 'u2');
      assert.equal(r.body.data.people_corehr_id, ids.people_corehr_id);
    }
    // An open_id of one app means nobody in another app.
    assert.equal(
      (await t.admin('GET', `/tenants/ids/employee_ids/${ids.open_id}?user_id_type=open_id&app_id=${a2}`))
        .status,
      404,
    );
    await rejected(
      () => t.admin('GET', `/tenants/ids/employee_ids/${ids.open_id}?user_id_type=open_id`),
      400,
      ['app_id'],
    );
    await rejected(() => t.admin('GET', `/tenants/ids/employee_ids/u2?user_id_type=email`), 400, [
      'user_id_type',
    ]);
    // An id of the wrong type finds nobody.
    assert.equal(
      (await t.admin('GET', `/tenants/ids/employee_ids/${ids.union_id}?user_id_type=user_id`)).status,
      404,
    );
    // A new employee gets an open_id in every existing app.
    await t.admin('POST', '/tenants/ids/employees', {
      user_id: 'late',
      name: { zh_cn: '迟' },
      email: 'late@ids.example',
    });
    assert.equal((await t.admin('GET', '/tenants/ids/employee_ids/late')).body.data.open_ids.length, 2);
  });

  test('department id types convert both ways, and only within their tenant', async () => {
    const ids = t.server.services.ids;
    const tenant = await t.server.services.tenants.get('ids');
    assert.ok(tenant.ok);
    const tenantId = tenant.value.id;
    const root = await ids.resolveDepartment(tenantId, 'department_id', 'root');
    assert.ok(root);
    for (const type of ['department_id', 'open_department_id', 'people_corehr_department_id'] as const) {
      const rendered = ids.renderDepartment(root, type);
      assert.equal((await ids.resolveDepartment(tenantId, type, rendered))?.id, root.id, type);
    }
    assert.equal(
      await ids.resolveDepartment(tenantId, 'department_id', root.openDepartmentId),
      undefined,
      'wrong id type',
    );
    const other = await t.server.services.tenants.get('iso_a');
    assert.ok(other.ok);
    assert.equal(
      await ids.resolveDepartment(other.value.id, 'open_department_id', root.openDepartmentId),
      undefined,
      'another tenant',
    );
    const person = await ids.resolveUser(tenantId, 'user_id', 'u1');
    assert.ok(person);
    for (const type of ['user_id', 'union_id', 'people_corehr_id'] as const) {
      const rendered = await ids.renderUser(person, type);
      assert.equal((await ids.resolveUser(tenantId, type, rendered!))?.id, person.id, type);
      // user_id is tenant-assigned (u1 exists in both); the deployment-wide ids do not cross tenants.
      if (type !== 'user_id') {
        assert.equal(
          await ids.resolveUser(other.value.id, type, rendered!),
          undefined,
          `${type} of another tenant`,
        );
      }
    }
    assert.equal(await ids.renderUser(person, 'open_id'), undefined, 'no open_id without an app');
  });

  test('malformed bodies: invalid JSON is 400, an oversized body is 413, both with the field named', async () => {
    const bad = await t.call('POST', '/admin/v1/tenants', {
      token: 'test-admin-token-0123456789',
      rawBody: '{"name": ',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, 99992402);
    const huge = await t.call('POST', '/admin/v1/tenants', {
      token: 'test-admin-token-0123456789',
      rawBody: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(huge.status, 413);
    assert.equal(huge.body.error.field_violations[0].field, 'body');
    const unknownRoute = await t.admin('GET', '/no/such/thing');
    assert.equal(unknownRoute.status, 404);
    assert.ok(unknownRoute.headers.get('x-tt-logid'));
  });
});
