import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boundHeapGrowth } from './heap-growth.js';

test('the server bounds heap growth unless the operator gave Node its own growing factor', () => {
  assert.equal(boundHeapGrowth(['--heap-growing-percent=100']), false);
  assert.equal(boundHeapGrowth(['--enable-source-maps', '--heap_growing_percent=20']), false);
  assert.equal(boundHeapGrowth(['--max-old-space-size=512']), true);
  assert.equal(boundHeapGrowth([]), true);
});
