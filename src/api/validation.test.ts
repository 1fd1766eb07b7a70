import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unstorableInput } from './validation.js';

test('unstorable input: NUL, unpaired surrogates and out-of-range numbers are named where they sit', () => {
  assert.deepEqual(
    unstorableInput({ name: 'ok 😀 中文', n: 2 ** 53 - 1, x: -0.5, list: ['a', 'b'] }, ''),
    [],
  );
  const fields = (value: unknown) => unstorableInput(value, '').map((v) => v.field);
  assert.deepEqual(fields({ flow_data: [{}, {}, { value: 'a\u0000b' }] }), ['flow_data[2].value']);
  assert.deepEqual(fields({ a: '\ud800', b: 'x\udc00', c: '\ud83d\ude00' }), ['a', 'b']);
  assert.deepEqual(fields({ form_values: { 'k\u0000': 1 } }), ['form_values.k\\u0000']);
  assert.deepEqual(fields({ n: Infinity, m: 2 ** 53, k: -1e308, ok: 99999999999 }), ['n', 'm', 'k']);
  assert.deepEqual(fields('top\u0000'), ['body']);
  // The walk does not recurse: a body nested far deeper than the call stack is still read.
  let deep: unknown = 'bottom\u0000';
  for (let i = 0; i < 200_000; i++) deep = [deep];
  assert.equal(unstorableInput(deep, '').length, 1);
  // Reported fields are capped.
  assert.equal(
    unstorableInput(
      Array.from({ length: 100 }, () => '\u0000'),
      '',
    ).length,
    20,
  );
});
