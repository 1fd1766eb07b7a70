import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newLogId } from './log-id.js';

test('a log id is the UTC second of its request then 18 upper-case hex digits, unique', () => {
  const a = newLogId(new Date('2026-12-04T23:59:59.100Z'));
  const b = newLogId(new Date('2026-12-04T23:59:59.900Z'));
  const c = newLogId(new Date('2026-12-05T00:00:00.000Z'));
  assert.match(a, /^20261204235959[0-9A-F]{18}$/);
  assert.match(b, /^20261204235959[0-9A-F]{18}$/);
  assert.notEqual(a, b);
  // The stamp kept for a second is made again for the next one.
  assert.match(c, /^20261205000000[0-9A-F]{18}$/);
  assert.match(newLogId(new Date('2026-12-04T23:59:59.500Z')), /^20261204235959/);
});
