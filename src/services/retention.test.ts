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
    /** Sweeps made so far, once `ms` more have passed and what they started has run. */
    const after = async (ms: number) => {
      mock.timers.tick(ms);
      for (let i = 0; i < 5; i++) await Promise.resolve();
      return sweeps;
    };
    retention.start();
    assert.equal(await after(59_000), 0, 'not before a minute');
    assert.equal(await after(1_000), 1, 'a minute after start');
    assert.equal(await after(3_200_000), 1, 'not before 90 % of the interval');
    assert.equal(await after(800_000), 2, 'by 110 % of the interval');
    await retention.stop();
    assert.equal(await after(10 * 3_600_000), 2, 'none after stop');
  } finally {
    mock.timers.reset();
  }
});
