import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../src/store/database.js';
import { uniqueViolation } from '../../src/store/errors.js';
import { repositories, type Repositories } from '../../src/services/context.js';
import { GroupCommit, RetryCommand } from '../../src/services/group-commit.js';
import { fail, ok, type Result } from '../../src/services/result.js';
import { IdGenerator } from '../../src/platform/id-generator.js';
import { ManualClock } from '../../src/platform/clock.js';
import { forEachDialect, freshDatabase, type TestDatabase } from '../helpers/databases.js';

forEachDialect('group commit', (dialect) => {
  let testDb: TestDatabase;
  let handle: DatabaseHandle;
  const ids = new IdGenerator(new ManualClock(), 1);
  before(async () => {
    testDb = await freshDatabase(dialect);
    handle = openDatabase({ url: testDb.url });
    await migrateToLatest(handle.db);
  });
  after(async () => {
    await handle.close();
    await testDb.drop();
  });

  /** A command that stores a tenant under `key`. */
  const addTenant =
    (key: string, id = ids.next()) =>
    async (repos: Repositories): Promise<Result<string>> => {
      await repos.tenants.insert({ id, tenantKey: key, name: key, createdAt: 1, updatedAt: 1 });
      return ok(id);
    };
  const stored = async (key: string) => (await repositories(handle.db).tenants.findByKey(key)) !== undefined;

  test('commands arriving together commit in one transaction; maxBatch splits them', async () => {
    let commits = 0;
    const together = new GroupCommit(handle.db, { maxBatch: 64, lanes: 1 }, () => commits++);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => together.run(`k${i}`, addTenant(`together-${i}`))),
    );
    assert.ok(results.every((r) => r.ok));
    assert.equal(commits, 1, 'twenty commands, one commit');
    for (let i = 0; i < 20; i++) assert.ok(await stored(`together-${i}`));

    commits = 0;
    const small = new GroupCommit(handle.db, { maxBatch: 5, lanes: 1 }, () => commits++);
    await Promise.all(Array.from({ length: 20 }, (_, i) => small.run(`k${i}`, addTenant(`small-${i}`))));
    assert.equal(commits, 4, 'twenty commands in batches of at most five');
  });

  test('a refused command is undone alone; its neighbours in the batch commit', async () => {
    const commands = new GroupCommit(handle.db, { maxBatch: 64, lanes: 1 });
    const refused = async (repos: Repositories): Promise<Result<string>> => {
      await addTenant('refused-mid')(repos);
      return fail('invalid_field', 'refused after writing', [{ field: 'x', description: 'bad' }]);
    };
    const [first, middle, last] = await Promise.all([
      commands.run('a', addTenant('refused-before')),
      commands.run('b', refused),
      commands.run('c', addTenant('refused-after')),
    ]);
    assert.ok(first.ok && last.ok);
    assert.deepEqual(middle, {
      ok: false,
      error: {
        kind: 'invalid_field',
        message: 'refused after writing',
        violations: [{ field: 'x', description: 'bad' }],
      },
    });
    assert.ok(await stored('refused-before'));
    assert.ok(await stored('refused-after'));
    assert.equal(await stored('refused-mid'), false, 'what the refused command wrote is gone');
  });

  test('a command that throws (a unique violation) fails alone, even where an error aborts the transaction', async () => {
    const commands = new GroupCommit(handle.db, { maxBatch: 64, lanes: 1 });
    const duplicate = async (repos: Repositories): Promise<Result<string>> => {
      await addTenant('dup-new')(repos);
      await addTenant('dup-first')(repos);
      return ok('unreachable');
    };
    const outcomes = await Promise.allSettled([
      commands.run('a', addTenant('dup-first')),
      commands.run('b', duplicate),
      commands.run('c', addTenant('dup-last')),
    ]);
    assert.equal(outcomes[0].status, 'fulfilled');
    assert.equal(outcomes[1].status, 'rejected');
    assert.ok(uniqueViolation(outcomes[1].reason) !== undefined, 'the driver error reaches the caller');
    assert.equal(outcomes[2].status, 'fulfilled');
    assert.ok(await stored('dup-first'));
    assert.ok(await stored('dup-last'), 'the command after the failed one still commits');
    assert.equal(await stored('dup-new'), false, 'the failed command left nothing behind');
  });

  test('a command that lost a race runs again on fresh rows; its first attempt leaves nothing', async () => {
    const commands = new GroupCommit(handle.db, { maxBatch: 64, lanes: 1, maxAttempts: 3 });
    let attempts = 0;
    const result = await commands.run('r', async (repos) => {
      attempts++;
      await addTenant(`race-${attempts}`)(repos);
      if (attempts === 1) throw new RetryCommand();
      return ok(attempts);
    });
    assert.deepEqual(result, { ok: true, value: 2 });
    assert.equal(await stored('race-1'), false);
    assert.ok(await stored('race-2'));

    let forever = 0;
    await assert.rejects(
      commands.run('r', () => {
        forever++;
        throw new RetryCommand();
      }),
      RetryCommand,
    );
    assert.equal(forever, 3, 'gives up after maxAttempts');
  });

  test('lanes: commands with the same key run in order; other keys may share the time', async () => {
    const commands = new GroupCommit(handle.db, { maxBatch: 4, lanes: 3 });
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        commands.run('same-process', async (repos) => {
          order.push(i);
          return addTenant(`lane-${i}`)(repos);
        }),
      ),
    );
    assert.deepEqual(
      order,
      Array.from({ length: 12 }, (_, i) => i),
    );
    const mixed = await Promise.all(
      Array.from({ length: 12 }, (_, i) => commands.run(`p${i}`, addTenant(`mixed-${i}`))),
    );
    assert.ok(mixed.every((r) => r.ok));
  });
  test('a command that changes more than 64 KiB in its savepoint is undone alone; on SQLite its sub-journal stays in memory', async () => {
    if (dialect === 'sqlite') {
      // A command's savepoint journal spilled to a temporary file past 64 KiB: an open, writes and an
      // unlink per start, a tenth of the server's CPU under load (BENCHMARKS.md).
      const rows = await sql<{ temp_store: number }>`pragma temp_store`.execute(handle.db);
      assert.equal(rows.rows[0]?.temp_store, 2, 'temp_store = MEMORY');
    }
    const commands = new GroupCommit(handle.db, { maxBatch: 64, lanes: 1 });
    const big =
      (prefix: string, refuse: boolean) =>
      async (repos: Repositories): Promise<Result<string>> => {
        // About 200 KiB of rows (long names), well past the spill threshold.
        for (let i = 0; i < 50; i++)
          await repos.tenants.insert({
            id: ids.next(),
            tenantKey: `${prefix}-${i}`,
            name: 'n'.repeat(4000),
            createdAt: 1,
            updatedAt: 1,
          });
        return refuse
          ? fail('invalid_field', 'refused after writing', [{ field: 'x', description: 'bad' }])
          : ok(prefix);
      };
    const [kept, undone] = await Promise.all([
      commands.run('a', big('big-kept', false)),
      commands.run('b', big('big-undone', true)),
    ]);
    assert.ok(kept.ok);
    assert.ok(!undone.ok);
    assert.ok(await stored('big-kept-49'));
    assert.ok(!(await stored('big-undone-0')), 'the refused command left nothing');
  });
});
