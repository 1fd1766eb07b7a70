import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { leaseChunk, LeasedLimiter } from './leased-limiter.js';

/** Two servers' limiters over one shared counter (PostgreSQL in production, memory here). */
function cluster(points: number, chunk: number) {
  const shared = new RateLimiterMemory({ points, duration: 60 });
  let storeCalls = 0;
  const consume = shared.consume.bind(shared);
  shared.consume = (key, p) => {
    storeCalls += 1;
    return consume(key, p);
  };
  return {
    a: new LeasedLimiter(shared, points, chunk),
    b: new LeasedLimiter(shared, points, chunk),
    storeCalls: () => storeCalls,
  };
}

test('chunk 1 is exact: the limit split across servers, then refused on both with the window left', async () => {
  const { a, b } = cluster(5, 1);
  const answers = [];
  for (let i = 0; i < 5; i++) answers.push(await (i % 2 === 0 ? a : b).consume('k'));
  assert.ok(answers.every((x) => x.allowed));
  for (const server of [a, b]) {
    const refused = await server.consume('k');
    assert.equal(refused.allowed, false);
    assert.ok(refused.msBeforeNext > 50_000 && refused.msBeforeNext <= 60_000);
  }
  assert.equal((await a.consume('other')).allowed, true, 'keys are separate');
});

test('leases never let more than the limit through, and cost one store call per chunk', async () => {
  const { a, b, storeCalls } = cluster(1000, leaseChunk(1000));
  assert.equal(leaseChunk(1000), 10);
  let allowed = 0;
  // Concurrent calls on both servers: they wait for one lease instead of each asking the store.
  for (let round = 0; round < 60; round++) {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).consume('k')),
    );
    allowed += answers.filter((x) => x.allowed).length;
  }
  assert.ok(allowed <= 1000, `${allowed} allowed`);
  assert.ok(allowed >= 1000 - 10, `${allowed} allowed: at most a chunk per other server left unused`);
  assert.ok(storeCalls() <= 1000 / 10 + 4, `${storeCalls()} store calls`);
});

test('at the limit a lease is granted only what was left below it', async () => {
  const { a, b } = cluster(25, 10);
  for (let i = 0; i < 10; i++) assert.ok((await a.consume('k')).allowed); // a: 10 of 10
  for (let i = 0; i < 10; i++) assert.ok((await b.consume('k')).allowed); // b: 10, counter 20
  let more = 0;
  for (let i = 0; i < 12; i++) if ((await a.consume('k')).allowed) more += 1; // counter 30: 5 left for a
  assert.equal(more, 5);
  assert.equal((await b.consume('k')).allowed, false);
});
