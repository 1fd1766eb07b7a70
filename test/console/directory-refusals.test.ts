import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer } from '../helpers/server.js';
import { signedInDemo } from '../helpers/fixtures.js';
import type { PeopleClient } from '../helpers/people.js';

/**
 * Directory and tenant-admin refusals (docs/console-api.md "Refusals"): a stable `reason` with
 * `params`, and the message in the language the request asks for (`lang`, else Accept-Language).
 */

const D = '/api/v1/admin/directory';

/** A DELETE through the console with the given language headers (CSRF included). */
async function remove(client: PeopleClient, path: string, acceptLanguage?: string) {
  const headers: Record<string, string> = { 'x-csrf-token': await client.ensureCsrf() };
  if (acceptLanguage !== undefined) headers['accept-language'] = acceptLanguage;
  return client.request('DELETE', path, { headers });
}

forEachDialect('console directory refusals', (dialect) => {
  test('409 refusals carry a reason and params, worded in English or Chinese as asked', async () => {
    const server = await startTestServer(dialect, { flags: ['--demo'] });
    try {
      const head = await signedInDemo(server, 'hr_head');

      // The demo's only tenant admin cannot remove themselves.
      const english = await remove(head, '/api/v1/admin/admins/hr_head');
      assert.equal(english.status, 409);
      assert.deepEqual(english.body.error, {
        code: 'in_use',
        reason: 'last_tenant_admin',
        params: { user_id: 'hr_head' },
        message: 'the last tenant admin cannot be removed from the console; ask an operator',
      });
      const chinese = await remove(head, '/api/v1/admin/admins/hr_head', 'zh-CN,zh;q=0.9,en;q=0.8');
      assert.equal(chinese.status, 409);
      assert.equal(chinese.body.error.reason, 'last_tenant_admin');
      assert.equal(
        chinese.body.error.message,
        '不能在控制台中移除最后一位租户管理员；如需移除，请联系运维人员',
      );
      // `lang` wins over Accept-Language, both ways.
      const named = await remove(head, '/api/v1/admin/admins/hr_head?lang=zh-CN', 'en-GB,en');
      assert.match(named.body.error.message, /最后一位租户管理员/);
      const namedEnglish = await remove(head, '/api/v1/admin/admins/hr_head?lang=en', 'zh-CN');
      assert.match(namedEnglish.body.error.message, /^the last tenant admin/);
      assert.equal((await head.get('/api/v1/admin/admins')).body.items.length, 1, 'nothing removed');

      // Departments and people still in use: one reason each, with what holds them. An empty
      // department that a role's scope names:
      const audit = await head.send('POST', `${D}/departments`, {
        department_id: 'audit',
        name: { zh_cn: '审计部', en_us: 'Audit' },
        parent_department_id: 'company',
      });
      assert.equal(audit.status, 201, JSON.stringify(audit.body));
      const auditors = await head.send('POST', `${D}/roles`, {
        role_key: 'auditor',
        name: { zh_cn: '审计员', en_us: 'Auditor' },
        members: [{ user_id: 'hrbp', department_ids: ['audit'] }],
      });
      assert.equal(auditors.status, 201, JSON.stringify(auditors.body));
      const cases: {
        path: string;
        reason: string;
        params: Record<string, unknown>;
        en: RegExp;
        zh: RegExp;
      }[] = [
        {
          path: `${D}/departments/engineering`,
          reason: 'department_has_subdepartments',
          params: { department_id: 'engineering' },
          en: /^department engineering has sub-departments; move or delete them first$/,
          zh: /^部门 engineering 下还有子部门/,
        },
        {
          path: `${D}/departments/sales_east`,
          reason: 'department_has_employees',
          params: { department_id: 'sales_east' },
          en: /^department sales_east has employees; move them first$/,
          zh: /^部门 sales_east 下还有员工/,
        },
        {
          path: `${D}/departments/audit`,
          reason: 'department_in_role_scope',
          params: { department_id: 'audit', role_keys: ['auditor'] },
          en: /^department audit is in the scope of role\(s\) auditor; change them first$/,
          zh: /^部门 audit 在角色 auditor 的范围内/,
        },
      ];
      for (const c of cases) {
        const en = await remove(head, c.path, 'en-US,en;q=0.9');
        assert.equal(en.status, 409, `${c.path}: ${JSON.stringify(en.body)}`);
        assert.equal(en.body.error.code, 'in_use');
        assert.equal(en.body.error.reason, c.reason);
        assert.deepEqual(en.body.error.params, c.params);
        assert.match(en.body.error.message, c.en);
        const zh = await remove(head, c.path, 'zh-CN');
        assert.equal(zh.status, 409);
        assert.equal(zh.body.error.reason, c.reason);
        assert.deepEqual(zh.body.error.params, c.params);
        assert.match(zh.body.error.message, c.zh);
      }

      // The operators' admin API keeps its envelope and English message, whatever the language.
      const operator = await server.admin('DELETE', '/tenants/demo/departments/sales_east');
      assert.equal(operator.status, 409);
      assert.equal(operator.body.msg, 'department sales_east has employees; move them first');
      // People still in use are refused there too (the console does not delete people).
      const leader = await server.admin('DELETE', '/tenants/demo/employees/dept_leader');
      assert.equal(leader.status, 409);
      assert.equal(leader.body.msg, 'dept_leader leads department(s) backend; set another leader first');
      const manager = await server.admin('DELETE', '/tenants/demo/employees/manager');
      assert.equal(
        manager.body.msg,
        'manager is the direct manager of other employees; give them another manager first',
      );
    } finally {
      await server.close();
    }
  });
});
