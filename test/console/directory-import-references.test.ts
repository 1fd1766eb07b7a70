import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer } from '../helpers/server.js';
import { signedInDemo } from '../helpers/fixtures.js';

/**
 * CSV import (docs/console/directory.md "CSV import"): an employees file may name as manager a
 * person it creates itself, on an earlier or a later line; references are resolved once every row is
 * read, and unknown ids and manager cycles are refused with their line and column.
 */

const IMPORT = '/api/v1/admin/directory/import';
const HEADER = 'user_id,name_zh,email,department_id,manager_user_id\n';

interface Problem {
  line: number;
  column: string | null;
  code: string;
  params: Record<string, unknown>;
  message: string;
}

forEachDialect('console CSV import: references within the file', (dialect) => {
  test('managers created earlier or later in the same file; unknown ids and cycles named by line and column', async () => {
    const server = await startTestServer(dialect, { flags: ['--demo'] });
    try {
      const head = await signedInDemo(server, 'hr_head');
      const run = (kind: string, csv: string, dryRun: boolean) =>
        head.send('POST', IMPORT, {
          kind,
          content_base64: Buffer.from(csv, 'utf8').toString('base64'),
          dry_run: dryRun,
        });
      const managerOf = async (userId: string) => {
        const response = await head.get(`/api/v1/admin/directory/employees/${userId}`);
        assert.equal(response.status, 200, `${userId}: ${JSON.stringify(response.body)}`);
        return (response.body.manager as { user_id: string } | null)?.user_id ?? null;
      };

      // A new team whose chain is all new people: the deepest first (managers on later lines), one
      // on an earlier line, the top reporting to someone already in the directory.
      const team =
        HEADER +
        'ana,安娜,ana@example.com,backend,bo\n' +
        'bo,博,bo@example.com,backend,chen\n' +
        'chen,陈,chen@example.com,backend,cto\n' +
        'dai,戴,dai@example.com,backend,chen\n';
      const dry = await run('employees', team, true);
      assert.equal(dry.status, 200, JSON.stringify(dry.body));
      assert.deepEqual(dry.body.problems, []);
      assert.equal(dry.body.creates, 4);
      const applied = await run('employees', team, false);
      assert.equal(applied.body.applied, true, JSON.stringify(applied.body));
      assert.deepEqual(await Promise.all(['ana', 'bo', 'chen', 'dai'].map(managerOf)), [
        'bo',
        'chen',
        'cto',
        'chen',
      ]);

      // Unknown managers and a cycle among new people: each on its own line and column; nothing is
      // written, not even the good rows.
      const bad =
        HEADER +
        'eve,伊芙,eve@example.com,backend,ghost\n' +
        'fay,菲,fay@example.com,backend,gus\n' +
        'gus,古斯,gus@example.com,backend,hal\n' +
        'hal,哈尔,hal@example.com,backend,fay\n' +
        'ivy,艾薇,ivy@example.com,backend,ana\n';
      const refused = await run('employees', bad, false);
      assert.equal(refused.status, 200);
      assert.equal(refused.body.applied, false);
      const problems: Problem[] = refused.body.problems;
      assert.deepEqual(
        problems.map((p) => [p.line, p.column, p.code]),
        [
          [2, 'manager_user_id', 'unknown_manager'],
          [3, 'manager_user_id', 'manager_cycle'],
          [4, 'manager_user_id', 'manager_cycle'],
          [5, 'manager_user_id', 'manager_cycle'],
        ],
      );
      const [unknownManager, cycle] = problems as [Problem, Problem];
      assert.deepEqual(unknownManager.params, { value: 'ghost' });
      assert.match(unknownManager.message, /unknown employee ghost/);
      assert.deepEqual(cycle.params, { cycle: ['fay', 'gus', 'hal', 'fay'] });
      assert.equal(
        (await head.get('/api/v1/admin/directory/employees/ivy')).status,
        404,
        'an import with problems writes nothing',
      );

      // A file that moves an existing person under one it creates, closing a loop through the
      // directory: ana → bo → chen, and now chen under a new person who reports to ana.
      const loop = HEADER + 'chen,陈,chen@example.com,backend,jo\n' + 'jo,乔,jo@example.com,backend,ana\n';
      const loopProblems: Problem[] = (await run('employees', loop, true)).body.problems;
      assert.deepEqual(
        loopProblems.map((p) => [p.line, p.column, p.code, p.params.cycle]),
        [
          [2, 'manager_user_id', 'manager_cycle', ['chen', 'jo', 'ana', 'bo', 'chen']],
          [3, 'manager_user_id', 'manager_cycle', ['jo', 'ana', 'bo', 'chen', 'jo']],
        ],
      );

      // Department leaders are people: a departments file creates none, so its leaders are people of
      // the directory — those just imported included; an unknown one is named by line and column.
      const departments =
        'department_id,name_zh,parent_department_id,leader_user_id\n' +
        'squad,小队,backend,chen\n' +
        'ghosts,幽灵组,backend,nobody\n';
      const leaders: Problem[] = (await run('departments', departments, true)).body.problems;
      assert.deepEqual(
        leaders.map((p) => [p.line, p.column, p.code, p.params.value]),
        [[3, 'leader_user_id', 'unknown_leader', 'nobody']],
      );
    } finally {
      await server.close();
    }
  });
});
