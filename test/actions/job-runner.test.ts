import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { repositories } from '../../src/services/context.js';
import { JobRunner } from '../../src/services/jobs/runner.js';
import { IdGenerator } from '../../src/platform/id-generator.js';
import { ManualClock } from '../../src/platform/clock.js';
import { forEachDialect, migratedDatabase } from '../helpers/databases.js';

forEachDialect('job runner', (dialect) => {
  const database = migratedDatabase(dialect);
  const clock = new ManualClock(Date.UTC(2026, 2, 1));
  const ids = new IdGenerator(clock, 1);
  const tenantId = ids.next();
  before(async () => {
    await repositories(database.handle.db).tenants.insert({
      id: tenantId,
      tenantKey: 'jobs',
      name: 'Jobs',
      createdAt: 1,
      updatedAt: 1,
    });
  });

  test("one process's jobs run one at a time in due order; other processes' jobs run beside them", async () => {
    const runner = new JobRunner({
      db: database.handle.db,
      clock,
      logger: pino({ level: 'silent' }),
      owner: 'test',
      pollIntervalMs: 60_000,
    });
    const log: string[] = [];
    let running = 0;
    let mostAtOnce = 0;
    runner.register('probe', {
      maxAttempts: 1,
      async run(job) {
        const name = (job.payload as { name: string }).name;
        running++;
        mostAtOnce = Math.max(mostAtOnce, running);
        log.push(`start ${name}`);
        // Each job waits a little, as one whose transaction waits for a group commit does.
        await new Promise((resolve) => setTimeout(resolve, 30));
        log.push(`end ${name}`);
        running--;
        return { status: 'done' };
      },
    });
    const now = clock.now();
    const job = (name: string, processId: string | undefined, dueAt: number) => ({
      id: ids.next(),
      tenantId,
      kind: 'probe',
      key: name,
      processId,
      dueAt,
      payload: { name },
    });
    const processA = ids.next();
    const processB = ids.next();
    await repositories(database.handle.db).jobs.enqueue(
      [
        job('a1', processA, now - 30),
        job('b1', processB, now - 25),
        job('a2', processA, now - 20),
        job('n1', undefined, now - 15),
        job('n2', undefined, now - 10),
      ],
      now,
    );
    await runner.drain();
    const at = (entry: string) => {
      const i = log.indexOf(entry);
      assert.ok(i >= 0, `${entry} happened: ${log.join(', ')}`);
      return i;
    };
    assert.ok(at('end a1') < at('start a2'), `a1 before a2: ${log.join(', ')}`);
    assert.ok(at('end n1') < at('start n2'), `jobs of no process keep their order: ${log.join(', ')}`);
    assert.ok(at('start b1') < at('end a1'), `b1 beside a1: ${log.join(', ')}`);
    assert.equal(mostAtOnce, 3, 'three chains (process A, process B, no process) side by side');
    const rows = await repositories(database.handle.db).jobs.list(tenantId, { kind: 'probe' }, 10);
    assert.deepEqual(
      rows.map((r) => r.status),
      ['done', 'done', 'done', 'done', 'done'],
    );
    // An idempotency key that exists is left alone, and only the new job counts (twice: the kept SQL).
    for (const name of ['n3', 'n4'])
      assert.equal(
        await repositories(database.handle.db).jobs.enqueue(
          [job('a1', processA, now), job(name, undefined, now)],
          now,
        ),
        1,
      );
    const again = await repositories(database.handle.db).jobs.list(tenantId, { kind: 'probe' }, 10);
    assert.equal(again.length, 7);
    assert.equal(again.find((r) => r.key === 'a1')?.status, 'done');
  });
});
