import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { Kysely } from 'kysely';
import { ManualClock } from '../platform/clock.js';
import type { Database } from '../store/schema.js';
import { DataRetention, NOTHING_SWEPT } from './retention.js';

test('the first sweep runs a minute after start, then about every interval, and none after stop', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const retention = new DataRetention({
      // Never reached: sweep() is replaced below.
      db: undefined as unknown as Kysely<Database>,
      clock: new ManualClock(0),
      logger: pino({ level: 'silent' }),
      deliveryDays: 30,
      sessionIdleMs: 60_000,
      intervalMs: 3_600_000,
    });
    let sweeps = 0;
    // The schedule alone is under test here; what a sweep deletes is in test/integration/retention.test.ts.
    retention.sweep = () => {
      sweeps++;
      return Promise.resolve({ ...NOTHING_SWEPT });
    };
    const settle = async () => {
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
    retention.start();
    mock.timers.tick(59_000);
    await settle();
    assert.equal(sweeps, 0, 'not before a minute');
    mock.timers.tick(1_000);
    await settle();
    assert.equal(sweeps, 1, 'a minute after start');
    mock.timers.tick(3_200_000);
    await settle();
    assert.equal(sweeps, 1, 'not before 90 % of the interval');
    mock.timers.tick(800_000);
    await settle();
    assert.equal(sweeps, 2, 'by 110 % of the interval');
    await retention.stop();
    mock.timers.tick(10 * 3_600_000);
    await settle();
    assert.equal(sweeps, 2, 'none after stop');
  } finally {
    mock.timers.reset();
  }
});
