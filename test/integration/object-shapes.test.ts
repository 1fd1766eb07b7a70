import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * V8 gives objects built the same way one shape (its hidden class, a "map"), and every property
 * added to an empty object is a transition from one root shape, cached in a table of at most 1,536
 * entries. Compiling the routes' schemas with Ajv's code optimisation on filled that table with
 * the generated variable names (`err270`, `_errs46` …); until the next full garbage collection —
 * tens of seconds into a load — every object then built key by key (SQLite rows, `process.nextTick`'s
 * entries, our own records) got a brand-new shape, which made property access everywhere megamorphic.
 * The server must start with that table usable.
 */
test('after start-up, a property added to an empty object still gets a shared, cached shape', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--allow-natives-syntax', '--import', 'tsx', 'test/helpers/object-shapes-probe.ts'],
    { env: { ...process.env, NODE_OPTIONS: '' }, timeout: 120_000 },
  );
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as {
    health: number;
    afterStart: boolean;
    afterFilling: boolean;
  };
  assert.equal(result.health, 200);
  // The probe can tell: with the table filled on purpose, a new key gets a shape of its own.
  assert.equal(result.afterFilling, false);
  assert.equal(result.afterStart, true, 'the root shape transition table is full after start-up');
});
