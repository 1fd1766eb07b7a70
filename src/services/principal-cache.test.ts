import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrincipalCache } from './principal-cache.js';
import type { Principal } from './auth.service.js';
import { CacheTrust, TRUSTED_BACKSTOP_MS } from './cache-trust.js';

const principal = (appId: string) => ({ app: { id: appId }, tenant: { id: 't' } }) as unknown as Principal;

test('entries live the TTL at most, never past the token, and go when their app changes', () => {
  const cache = new PrincipalCache(2000, 2);
  const mark = () => cache.mark();
  cache.set('h1', principal('a1'), 1000, 10_000, mark());
  assert.ok(cache.get('h1', 2999));
  assert.equal(cache.get('h1', 3000), undefined, 'TTL');
  cache.set('h2', principal('a1'), 1000, 1500, mark());
  assert.equal(cache.get('h2', 1500), undefined, 'token expiry');
  cache.set('h3', principal('a2'), 1000, 10_000, mark());
  cache.set('h4', principal('a3'), 1000, 10_000, mark());
  cache.forgetApp('a2');
  assert.equal(cache.get('h3', 1001), undefined);
  assert.ok(cache.get('h4', 1001));
  cache.set('h5', principal('a4'), 1000, 10_000, mark());
  cache.set('h6', principal('a5'), 1000, 10_000, mark());
  assert.equal(cache.get('h4', 1001), undefined, 'bounded: the oldest goes first');
});

test('while the cache bus is trusted entries live until the backstop; a forget voids a read begun before it', () => {
  const trust = new CacheTrust(true);
  const cache = new PrincipalCache(2000, 10, trust);
  cache.set('h1', principal('a1'), 1000, 1_000_000, cache.mark());
  assert.ok(cache.get('h1', 1000 + TRUSTED_BACKSTOP_MS - 1), 'no 2 s TTL while trusted');
  assert.equal(cache.get('h1', 1000 + TRUSTED_BACKSTOP_MS), undefined, 'backstop');
  const before = cache.mark();
  cache.forgetTenant('t');
  cache.set('h2', principal('a2'), 1000, 1_000_000, before);
  assert.equal(cache.get('h2', 1001), undefined, 'read before the forget is not kept');
  cache.set('h3', principal('a3'), 1000, 1_000_000, cache.mark());
  trust.set(false);
  assert.ok(cache.get('h3', 2999));
  assert.equal(cache.get('h3', 3000), undefined, 'untrusted again: the short TTL');
  const stale = cache.mark();
  trust.set(true);
  cache.set('h4', principal('a4'), 1000, 1_000_000, stale);
  assert.equal(cache.get('h4', 1001), undefined, 'read under another epoch is not kept');
});
