import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIZ_TYPES, isKnownBizType } from './biz-types.js';

const docs = readFileSync(join(import.meta.dirname, '../../docs/engine.md'), 'utf8');

test('every business type is listed in docs/engine.md with its code, api name and name', () => {
  const rows = docs.split('\n').filter((line) => /^\| \d+ \| `/.test(line));
  for (const type of BIZ_TYPES) {
    const row = rows.find((line) => line.startsWith(`| ${type.code} | \`${type.apiName}\` |`));
    assert.ok(row, `${type.apiName} (${type.code}) is missing from docs/engine.md`);
    const cells = row.split('|').map((cell) => cell.trim());
    assert.equal(cells[3], type.name, `${type.apiName}: documented name`);
    assert.ok((cells[4] ?? '').length > 0, `${type.apiName}: what it is for`);
  }
  assert.equal(rows.length, BIZ_TYPES.length, 'no documented type the engine does not know');
});

test('custom business types are custom:<name>', () => {
  assert.ok(isKnownBizType('custom:expense'));
  assert.ok(!isKnownBizType('custom:Expense'));
  assert.ok(!isKnownBizType('expense'));
});
