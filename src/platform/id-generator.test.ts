import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstIdAt, IdGenerator, newEventId, randomHex } from './id-generator.js';
import { ManualClock } from './clock.js';

test('ids are 19 digits, strictly increasing, also within one millisecond and when the clock steps back', () => {
  const clock = new ManualClock(Date.UTC(2026, 10, 21));
  const ids = new IdGenerator(clock, 3);
  const seen: bigint[] = [];
  for (let i = 0; i < 10_000; i++) {
    if (i === 5000) clock.advance(-60_000);
    if (i % 1000 === 0) clock.advance(1);
    const id = ids.next();
    assert.match(id, /^\d{19}$/);
    seen.push(BigInt(id));
  }
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i]! > seen[i - 1]!, `id ${i} not greater`);
});

test('two nodes never produce the same id in the same millisecond', () => {
  const clock = new ManualClock(Date.UTC(2030, 0, 1));
  const a = new IdGenerator(clock, 1);
  const b = new IdGenerator(clock, 2);
  const all = new Set<string>();
  for (let i = 0; i < 3000; i++) {
    all.add(a.next());
    all.add(b.next());
  }
  assert.equal(all.size, 6000);
});

test('ids stay 19 digits for decades', () => {
  const id = new IdGenerator(new ManualClock(Date.UTC(2080, 0, 1)), 255).next();
  assert.match(id, /^\d{19}$/);
  assert.throws(() => new IdGenerator(new ManualClock(), 256), RangeError);
});

test('random hex from the pool: right length, never repeated, also across refills', () => {
  const seen = new Set<string>();
  // 9 bytes at a time does not divide 4 KiB: refills happen with bytes left over.
  for (let i = 0; i < 2000; i++) {
    const hex = randomHex(9);
    assert.match(hex, /^[0-9a-f]{18}$/);
    seen.add(hex);
  }
  assert.equal(seen.size, 2000);
  assert.equal(randomHex(4096).length, 8192);
  assert.throws(() => randomHex(4097), RangeError);
});

test('event ids: 32 hex digits, in the order of the deliveries they belong to, also as text', () => {
  const ids = new IdGenerator(new ManualClock(Date.UTC(2026, 11, 5)), 7);
  const eventIds = Array.from({ length: 5000 }, () => newEventId(ids.next()));
  for (const id of eventIds) assert.match(id, /^[0-9a-f]{32}$/);
  const sorted = [...eventIds].sort();
  assert.deepEqual(sorted, eventIds, 'text order is creation order: appended to the end of their index');
  assert.equal(new Set(eventIds).size, eventIds.length);
  // The largest id a generator makes in this century still fits the 16 leading digits.
  assert.match(
    newEventId(new IdGenerator(new ManualClock(Date.UTC(2080, 0, 1)), 255).next()),
    /^[0-9a-f]{32}$/,
  );
});

test('firstIdAt(t) sorts above every id made before t and at or below every id made from t on', () => {
  const clock = new ManualClock(Date.UTC(2026, 11, 6, 12));
  const ids = new IdGenerator(clock, 255);
  const before = ids.next();
  clock.advance(1);
  const t = clock.now();
  const at = ids.next();
  clock.advance(30 * 24 * 3_600_000);
  const later = ids.next();
  const cut = firstIdAt(t);
  assert.match(cut, /^\d{19}$/);
  // Compared as text, as the database compares the id column.
  assert.ok(before < cut, `${before} < ${cut}`);
  assert.ok(cut <= at && at < later, `${cut} <= ${at} < ${later}`);
  // Before the ids' epoch: the smallest id of all.
  assert.ok(firstIdAt(0) <= before);
});
