import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer } from '../helpers/server.js';
import { PeopleClient } from '../helpers/people.js';

const IMPORT = '/api/v1/admin/directory/import';
const b64 = (text: string | Buffer) =>
  (typeof text === 'string' ? Buffer.from(text, 'utf8') : text).toString('base64');

interface Problem {
  line: number;
  column: string | null;
  message: string;
}

forEachDialect('console CSV import', (dialect) => {
  test('departments and employees: dry run, then an atomic apply; every problem named by line and column', async () => {
    const server = await startTestServer(dialect, { flags: ['--demo'] });
    try {
      const head = new PeopleClient(server.url);
      await head.signInDemo('hr_head');
      const run = (kind: string, content: string | Buffer, dryRun: boolean) =>
        head.send('POST', IMPORT, { kind, content_base64: b64(content), dry_run: dryRun });
      const employeeIds = async () => {
        const ids: string[] = [];
        let token = '';
        for (;;) {
          const page = await head.get(
            `/api/v1/admin/directory/employees?page_size=100${token ? `&page_token=${token}` : ''}`,
          );
          ids.push(...page.body.items.map((e: { user_id: string }) => e.user_id));
          if (!page.body.page_token) return ids.sort();
          token = page.body.page_token;
        }
      };

      // Departments: a child before its parent, a BOM, an update of an existing one, one unchanged.
      const departments =
        '\uFEFFdepartment_id,name_zh,name_en,parent_department_id,leader_user_id\n' +
        'data_team,数据组,Data,data,\n' +
        'data,数据部,Data Dept,company,cto\n' +
        'it,IT 部,IT,company,it_admin\n' +
        'sales_east,华东销售大区,Sales East Region,sales,sales_east_lead\n';
      const dry = await run('departments', departments, true);
      assert.equal(dry.status, 200, JSON.stringify(dry.body));
      assert.deepEqual(dry.body.problems, []);
      assert.equal(dry.body.applied, false);
      assert.deepEqual([dry.body.creates, dry.body.updates, dry.body.unchanged], [2, 1, 1]);
      const before = (await head.get('/api/v1/admin/directory/departments')).body.items;
      assert.equal(before.length, 8, 'a dry run writes nothing');
      const applied = await run('departments', departments, false);
      assert.equal(applied.body.applied, true, JSON.stringify(applied.body));
      const after = (await head.get('/api/v1/admin/directory/departments')).body.items;
      const byId = new Map(after.map((d: { department_id: string }) => [d.department_id, d]));
      assert.equal(after.length, 10);
      assert.equal((byId.get('data_team') as { parent_department_id: string }).parent_department_id, 'data');
      assert.equal((byId.get('data') as { leader: { user_id: string } }).leader.user_id, 'cto');
      assert.equal((byId.get('sales_east') as { name: { zh_cn: string } }).name.zh_cn, '华东销售大区');
      // The same file again: all unchanged, nothing to write.
      const again = await run('departments', departments, false);
      assert.deepEqual([again.body.creates, again.body.updates, again.body.unchanged], [0, 0, 4]);

      // Department problems: unknown parent, cycle, duplicate id, bad id, unknown leader, missing name.
      const badDepartments =
        'department_id,name_zh,parent_department_id,leader_user_id\n' +
        'a,甲,b,\n' +
        'b,乙,a,\n' +
        'c,丙,nowhere,\n' +
        'a,甲again,,\n' +
        'bad id,坏,,\n' +
        'd,,,ghost\n';
      const refused = await run('departments', badDepartments, false);
      assert.equal(refused.status, 200);
      assert.equal(refused.body.applied, false);
      const problems: Problem[] = refused.body.problems;
      const at = (line: number, column: string) =>
        problems.find((p) => p.line === line && p.column === column)?.message ?? '';
      assert.match(at(2, 'parent_department_id'), /cycle: a → b → a/);
      const cycleProblem = problems.find((p) => p.line === 2) as Problem & { code: string; params: unknown };
      assert.equal(cycleProblem.code, 'department_cycle');
      assert.deepEqual(cycleProblem.params, { cycle: ['a', 'b', 'a'] });
      assert.match(at(3, 'parent_department_id'), /cycle/);
      assert.match(at(4, 'parent_department_id'), /unknown department nowhere/);
      assert.match(at(5, 'department_id'), /also on line 2/);
      assert.match(at(6, 'department_id'), /not an id/);
      assert.match(at(7, 'name_zh'), /required/);
      assert.match(at(7, 'leader_user_id'), /unknown employee ghost/);
      assert.equal((await head.get('/api/v1/admin/directory/departments')).body.items.length, 10);

      // Employees: managers defined later in the file, an update, a new department from the import.
      const ids = await employeeIds();
      const employees =
        'user_id,name_zh,name_en,email,department_id,manager_user_id,employment_status\n' +
        'analyst,分析师,Analyst,analyst@example.com,data_team,data_lead,pre_hire\n' +
        'data_lead,数据负责人,Data Lead,Data.Lead@Example.com,data,cto,\n' +
        'employee,张三,Zhang San,zhang.san@example.com,data_team,data_lead,active\n';
      const dryEmployees = await run('employees', employees, true);
      assert.deepEqual(dryEmployees.body.problems, []);
      assert.deepEqual([dryEmployees.body.creates, dryEmployees.body.updates], [2, 1]);
      assert.deepEqual(await employeeIds(), ids, 'a dry run writes nothing');
      const appliedEmployees = await run('employees', employees, false);
      assert.equal(appliedEmployees.body.applied, true, JSON.stringify(appliedEmployees.body));
      const analyst = (await head.get('/api/v1/admin/directory/employees/analyst')).body;
      assert.equal(analyst.manager.user_id, 'data_lead');
      assert.equal(analyst.department.department_id, 'data_team');
      assert.equal(analyst.employment_status, 'pre_hire');
      const lead = (await head.get('/api/v1/admin/directory/employees/data_lead')).body;
      assert.equal(lead.email, 'data.lead@example.com');
      assert.equal(lead.employment_status, 'active');
      const zhang = (await head.get('/api/v1/admin/directory/employees/employee')).body;
      assert.equal(zhang.manager.user_id, 'data_lead');
      assert.equal(zhang.email, 'zhang.san@example.com');

      // Employee problems: duplicate emails (in the file and against the directory), unknown
      // department, manager cycle, bad status, wrong number of values.
      const badEmployees =
        'user_id,name_zh,email,department_id,manager_user_id,employment_status\n' +
        'p1,甲,same@example.com,backend,p2,active\n' +
        'p2,乙,SAME@example.com,backend,p1,active\n' +
        'p3,丙,data.lead@example.com,nowhere,,retired\n' +
        'p4,丁,p4@example.com,backend\n';
      const refusedEmployees = await run('employees', badEmployees, true);
      const employeeProblems: Problem[] = refusedEmployees.body.problems;
      const atE = (line: number, column: string | null) =>
        employeeProblems.find((p) => p.line === line && p.column === column)?.message ?? '';
      assert.match(atE(3, 'email'), /same@example.com is also on line 2/);
      assert.match(atE(2, 'manager_user_id'), /manager cycle: p1 → p2 → p1/);
      assert.match(atE(4, 'email'), /already the email of data_lead/);
      assert.match(atE(4, 'department_id'), /unknown department nowhere/);
      assert.match(atE(4, 'employment_status'), /not one of pre_hire, active, terminated/);
      assert.match(atE(5, null), /has 4 values; the header has 6 columns/);

      // A cycle through people already in the directory: cto's chain leads up to ceo.
      const throughDirectory = await run(
        'employees',
        'user_id,name_zh,email,manager_user_id\nceo,陈静,ceo2@example.com,employee\n',
        true,
      );
      assert.match(
        throughDirectory.body.problems[0].message,
        /manager cycle: ceo → employee → data_lead → cto → ceo/,
      );
    } finally {
      await server.close();
    }
  });

  test('a file that fails halfway applies nothing; bad encodings, sizes and row counts are refused', async () => {
    const server = await startTestServer(dialect, { flags: ['--demo'] });
    try {
      const head = new PeopleClient(server.url);
      await head.signInDemo('hr_head');
      const run = (kind: string, content: string | Buffer, dryRun: boolean) =>
        head.send('POST', IMPORT, { kind, content_base64: b64(content), dry_run: dryRun });
      const count = async () =>
        (
          await head.get(
            `/api/v1/admin/directory/employees?query=${encodeURIComponent('批量')}&page_size=100`,
          )
        ).body.items.length;

      // 300 good rows, then one bad one at the end: nothing of the 300 is written.
      const good = Array.from(
        { length: 300 },
        (_, i) => `bulk_${i},批量${i},bulk_${i}@example.com,backend,${i === 0 ? 'manager' : `bulk_${i - 1}`}`,
      );
      const header = 'user_id,name_zh,email,department_id,manager_user_id\n';
      const halfway = await run(
        'employees',
        `${header}${good.join('\n')}\nbulk_bad,坏,bad@example.com,nowhere,\n`,
        false,
      );
      assert.equal(halfway.status, 200);
      assert.equal(halfway.body.applied, false);
      assert.deepEqual(halfway.body.problems, [
        {
          line: 302,
          column: 'department_id',
          code: 'unknown_department',
          params: { value: 'nowhere' },
          message: 'unknown department nowhere (import departments first)',
        },
      ]);
      assert.equal(await count(), 0);

      // Checked on apply against the directory as it is then: a dry run passes, someone takes an
      // email in between, the apply refuses and writes nothing.
      const file = `${header}${good.slice(0, 50).join('\n')}\n`;
      assert.deepEqual((await run('employees', file, true)).body.problems, []);
      const taken = await head.send('POST', '/api/v1/admin/directory/employees', {
        user_id: 'late',
        name: { zh_cn: '晚到' },
        email: 'bulk_49@example.com',
      });
      assert.equal(taken.status, 201);
      const raced = await run('employees', file, false);
      assert.equal(raced.body.applied, false);
      assert.match(raced.body.problems[0].message, /already the email of late/);
      assert.equal(await count(), 0);
      // Fixed: all 300 in one go.
      await head.send('PATCH', '/api/v1/admin/directory/employees/late', { email: 'late@example.com' });
      const fixed = await run('employees', `${header}${good.join('\n')}\n`, false);
      assert.equal(fixed.body.applied, true, JSON.stringify(fixed.body.problems.slice(0, 3)));
      assert.equal(fixed.body.creates, 300);
      assert.equal(
        (await head.get('/api/v1/admin/directory/employees/bulk_299')).body.manager.user_id,
        'bulk_298',
      );

      // GBK bytes: refused, naming the encoding; nothing applied.
      const gbk = Buffer.concat([
        Buffer.from('user_id,name_zh,email\ngbk_person,', 'utf8'),
        Buffer.from([0xd5, 0xc5, 0xc8, 0xfd]), // 张三 in GBK
        Buffer.from(',gbk@example.com\n', 'utf8'),
      ]);
      const encoding = await run('employees', gbk, false);
      assert.equal(encoding.status, 400);
      assert.equal(encoding.body.error.code, 'invalid_field');
      assert.equal(encoding.body.error.violations[0].field, 'content_base64');
      assert.match(encoding.body.error.violations[0].description, /not UTF-8.*0xD5 on line 2.*GBK/);
      assert.equal((await head.get('/api/v1/admin/directory/employees/gbk_person')).status, 404);

      // Not base64, NUL bytes, unknown columns, a broken quote, too many rows, too large a file.
      const notBase64 = await head.send('POST', IMPORT, {
        kind: 'employees',
        content_base64: '%%%',
        dry_run: true,
      });
      assert.equal(notBase64.status, 400);
      assert.equal(notBase64.body.error.violations[0].field, 'content_base64');
      assert.equal(
        (await run('employees', 'user_id,name_zh,email\nx,\u0000,x@example.com\n', true)).status,
        400,
      );
      const columns = await run('departments', 'department_id,name,boss\nx,y,z\n', true);
      assert.deepEqual(
        columns.body.problems.map((p: Problem) => [p.line, p.column]),
        [
          [1, 'name'],
          [1, 'boss'],
          [1, 'name_zh'],
        ],
      );
      const quote = await run('departments', 'department_id,name_zh\nx,"unclosed\n', true);
      assert.equal(quote.status, 200);
      assert.match(quote.body.problems[0].message, /not valid CSV/);
      const many = `department_id,name_zh\n${Array.from({ length: 10_001 }, (_, i) => `d${i},部${i}`).join('\n')}\n`;
      const tooMany = await run('departments', many, true);
      assert.equal(tooMany.status, 400);
      assert.match(
        tooMany.body.error.violations[0].description,
        /10001 rows; one import takes at most 10000/,
      );
      const huge = Buffer.alloc(2 * 1024 * 1024 + 10, 'a');
      const tooLarge = await run('departments', huge, true);
      assert.equal(tooLarge.status, 400);
      assert.match(tooLarge.body.error.violations[0].description, /larger than 2 MiB/);
      const wrongKind = await head.send('POST', IMPORT, { kind: 'roles', content_base64: '', dry_run: true });
      assert.equal(wrongKind.status, 400);
      assert.equal(wrongKind.body.error.violations[0].field, 'kind');
    } finally {
      await server.close();
    }
  });
});
