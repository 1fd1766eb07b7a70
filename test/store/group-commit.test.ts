import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql, type Kysely } from 'kysely';
import { uniqueViolation } from '../../src/store/errors.js';
import { repositories, type Repositories } from '../../src/services/context.js';
import { GroupCommit, RetryCommand, type CommandBatch } from '../../src/services/group-commit.js';
import type { OutboxRow } from '../../src/store/process.repository.js';
import type { Database } from '../../src/store/schema.js';
import { fail, ok, type Result } from '../../src/services/result.js';
import { IdGenerator } from '../../src/platform/id-generator.js';
import { ManualClock } from '../../src/platform/clock.js';
import { forEachDialect, migratedDatabase } from '../helpers/databases.js';

/** A command's new event, as the batch hands it to the fan-out. */
const event = (id: string): OutboxRow => ({
  id,
  tenantId: 't',
  processId: 'p',
  event: { kind: 'process_updated' },
  bizType: 'leave_application',
  definitionId: 'd',
  processStatus: 'in_progress',
  createdAt: 1,
});

forEachDialect('group commit', (dialect) => {
  const database = migratedDatabase(dialect);
  const ids = new IdGenerator(new ManualClock(), 1);

  /** A command that stores a tenant under `key`. */
  const addTenant =
    (key: string, id = ids.next()) =>
    async (repos: Repositories): Promise<Result<string>> => {
      await repos.tenants.insert({ id, tenantKey: key, name: key, createdAt: 1, updatedAt: 1 });
      return ok(id);
    };
  const stored = async (key: string) =>
    (await repositories(database.handle.db).tenants.findByKey(key)) !== undefined;

  test('commands arriving together commit in one transaction; maxBatch splits them', async () => {
    let commits = 0;
    const together = new GroupCommit(database.handle.db, { maxBatch: 64, lanes: 1 }, () => commits++);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => together.run(`k${i}`, addTenant(`together-${i}`))),
    );
    assert.ok(results.every((r) => r.ok));
    assert.equal(commits, 1, 'twenty commands, one commit');
    for (let i = 0; i < 20; i++) assert.ok(await stored(`together-${i}`));

    commits = 0;
    const small = new GroupCommit(database.handle.db, { maxBatch: 5, lanes: 1 }, () => commits++);
    await Promise.all(Array.from({ length: 20 }, (_, i) => small.run(`k${i}`, addTenant(`small-${i}`))));
    assert.equal(commits, 4, 'twenty commands in batches of at most five');
  });

  test('while commands keep arriving in the next turns of the event loop, they join the batch', async () => {
    let commits = 0;
    const commands = new GroupCommit(database.handle.db, { maxBatch: 64, lanes: 1 }, () => commits++);
    const first = [commands.run('a', addTenant('turns-1')), commands.run('b', addTenant('turns-2'))];
    // A turn later, while the batch is still gathering (it grew from nothing to two in its first turn).
    const later = await new Promise<{ result: Promise<Result<string>> }>((resolve) => {
      setImmediate(() => {
        resolve({ result: commands.run('c', addTenant('turns-3')) });
      });
    });
    const results = await Promise.all([...first, later.result]);
    assert.ok(results.every((r) => r.ok));
    assert.equal(commits, 1, 'three commands over two turns, one commit');
  });

  test('a refused command is undone alone; its neighbours in the batch commit', async () => {
    const commands = new GroupCommit(database.handle.db, { maxBatch: 64, lanes: 1 });
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
    const commands = new GroupCommit(database.handle.db, { maxBatch: 64, lanes: 1 });
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
    const commands = new GroupCommit(database.handle.db, { maxBatch: 64, lanes: 1, maxAttempts: 3 });
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
    const commands = new GroupCommit(database.handle.db, { maxBatch: 4, lanes: 3 });
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
      const rows = await sql<{ temp_store: number }>`pragma temp_store`.execute(database.handle.db);
      assert.equal(rows.rows[0]?.temp_store, 2, 'temp_store = MEMORY');
    }
    const commands = new GroupCommit(database.handle.db, { maxBatch: 64, lanes: 1 });
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

  test('the batch hands the events of its successful commands to the fan-out, inside its transaction; what that returns runs after the commit', async () => {
    const seen: string[][] = [];
    const log: string[] = [];
    const fanOut = async (trx: Kysely<Database>, rows: readonly OutboxRow[]) => {
      seen.push(rows.map((r) => r.id));
      // Written in the batch's transaction: it commits with the commands, or not at all.
      await addTenant(`fanned-${rows.map((r) => r.id).join('-')}`)(repositories(trx));
      log.push('fan-out');
      return () => {
        log.push('after commit');
      };
    };
    const commands = new GroupCommit(
      database.handle.db,
      { maxBatch: 64, lanes: 1 },
      () => log.push('committed'),
      fanOut,
    );
    const emitting =
      (key: string, events: string[], outcome: 'ok' | 'refuse' | 'throw') =>
      async (repos: Repositories, batch: CommandBatch): Promise<Result<string>> => {
        await addTenant(key)(repos);
        assert.equal(batch.events(events.map(event)), true, 'the batch fans out');
        if (outcome === 'throw') throw new Error('boom');
        return outcome === 'ok' ? ok(key) : fail('invalid_field', 'no', [{ field: 'x', description: 'bad' }]);
      };
    const results = await Promise.allSettled([
      commands.run('a', emitting('emit-a', ['e1', 'e2'], 'ok')),
      commands.run('b', emitting('emit-b', ['e3'], 'refuse')),
      commands.run('c', emitting('emit-c', ['e4'], 'throw')),
      commands.run('d', emitting('emit-d', ['e5'], 'ok')),
    ]);
    assert.deepEqual(
      results.map((r) => r.status === 'fulfilled' && r.value.ok),
      [true, false, false, true],
    );
    assert.deepEqual(seen, [['e1', 'e2', 'e5']], 'one call, the successful commands’ events in order');
    assert.deepEqual(log, ['fan-out', 'committed', 'after commit']);
    assert.ok(await stored('fanned-e1-e2-e5'));

    // A batch whose commands emit nothing does not call it; without a fan-out the events are left to the
    // dispatcher (the command writes them as not fanned out).
    seen.length = 0;
    assert.ok((await commands.run('e', addTenant('emit-none'))).ok);
    assert.deepEqual(seen, []);
    const plain = new GroupCommit(database.handle.db, { maxBatch: 64, lanes: 1 });
    const answer = await plain.run('f', async (repos, batch) => {
      await addTenant('emit-plain')(repos);
      return ok(batch.events([event('e6')]));
    });
    assert.deepEqual(answer, { ok: true, value: false });
  });

  test('a fan-out that fails takes its batch with it: nothing of it is stored', async () => {
    const commands = new GroupCommit(database.handle.db, { maxBatch: 64, lanes: 1 }, undefined, () =>
      Promise.reject(new Error('deliveries not written')),
    );
    const result = commands.run('a', async (repos, batch) => {
      await addTenant('fan-out-failed')(repos);
      batch.events([event('e7')]);
      return ok('written');
    });
    await assert.rejects(result, /deliveries not written/);
    assert.equal(await stored('fan-out-failed'), false);
  });
  test('work apart in a command: when it throws, what it wrote is undone and the command commits', async () => {
    const commands = new GroupCommit(database.handle.db, { maxBatch: 64, lanes: 1 });
    const results = await Promise.all([
      commands.run('a', async (repos, batch: CommandBatch): Promise<Result<string>> => {
        await addTenant('apart-command')(repos);
        const failed = await batch.apart(async () => {
          await addTenant('apart-undone')(repos);
          throw new Error('the action does not apply');
        });
        assert.ok(!failed.ok && failed.error instanceof Error);
        const kept = await batch.apart(async () => {
          await addTenant('apart-kept')(repos);
          return 'applied';
        });
        assert.deepEqual(kept, { ok: true, value: 'applied' });
        return ok('done');
      }),
      commands.run('b', addTenant('apart-neighbour')),
    ]);
    assert.ok(results.every((r) => r.ok));
    assert.equal(await stored('apart-command'), true);
    assert.equal(await stored('apart-undone'), false);
    assert.equal(await stored('apart-kept'), true);
    assert.equal(await stored('apart-neighbour'), true);
  });
});
