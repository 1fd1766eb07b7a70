import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrincipalCache } from './principal-cache.js';
import type { Principal } from './auth.service.js';

const principal = (appId: string) => ({ app: { id: appId }, tenant: { id: 't' } }) as unknown as Principal;

test('entries live the TTL at most, never past the token, and go when their app changes', () => {
  const cache = new PrincipalCache(2000, 2);
  cache.set('h1', principal('a1'), 1000, 10_000);
  assert.ok(cache.get('h1', 2999));
  assert.equal(cache.get('h1', 3000), undefined, 'TTL');
  cache.set('h2', principal('a1'), 1000, 1500);
  assert.equal(cache.get('h2', 1500), undefined, 'token expiry');
  cache.set('h3', principal('a2'), 1000, 10_000);
  cache.set('h4', principal('a3'), 1000, 10_000);
  cache.forgetApp('a2');
  assert.equal(cache.get('h3', 1001), undefined);
  assert.ok(cache.get('h4', 1001));
  cache.set('h5', principal('a4'), 1000, 10_000);
  cache.set('h6', principal('a5'), 1000, 10_000);
  assert.equal(cache.get('h4', 1001), undefined, 'bounded: the oldest goes first');
});
