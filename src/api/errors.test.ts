import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FAILURE_KINDS } from '../services/result.js';
import { ERROR_CATALOGUE } from './errors.js';

const docs = readFileSync(join(import.meta.dirname, '../../docs/errors.md'), 'utf8');

test('every failure kind has a catalogue entry and a documented row with the same status and code', () => {
  for (const kind of FAILURE_KINDS) {
    const entry = ERROR_CATALOGUE[kind];
    assert.ok(entry, `${kind} is missing from ERROR_CATALOGUE`);
    const row = docs.split('\n').find((line) => line.startsWith(`| \`${kind}\` |`));
    assert.ok(row, `${kind} is missing from docs/errors.md`);
    const [, , status, code] = row.split('|').map((cell) => cell.trim());
    assert.equal(Number(status), entry.status, `${kind}: documented HTTP status`);
    assert.equal(Number(code?.split(' ')[0]), entry.code, `${kind}: documented code`);
  }
  assert.deepEqual(Object.keys(ERROR_CATALOGUE).sort(), [...FAILURE_KINDS].sort());
});

test('codes are unique', () => {
  const codes = Object.values(ERROR_CATALOGUE).map((e) => e.code);
  assert.equal(new Set(codes).size, codes.length);
});
