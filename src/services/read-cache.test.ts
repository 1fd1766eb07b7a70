import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { DirectorySnapshot } from '../engine/approver-resolution.js';
import { ReadCache } from './read-cache.js';

const snapshot = (): DirectorySnapshot => ({
  employees: new Map(),
  departments: new Map(),
  roles: new Map(),
});
const clock = (at: { now: number }) => ({ now: () => at.now });
const change = (processId: string, people: string[] | null) => ({
  tenantId: 't',
  processId,
  kinds: ['process' as const],
  people,
});

test('a process detail is served until the process or the directory changes', () => {
  const cache = new ReadCache(clock({ now: 0 }));
  const dir = snapshot();
  cache.rememberProcessDetail('t', 'p1', 'v', dir, 'body1', cache.currentEpoch());
  assert.equal(cache.processDetail('t', 'p1', 'v', dir)?.toString(), 'body1');
  assert.equal(cache.processDetail('t', 'p1', 'other variant', dir), undefined);
  assert.equal(cache.processDetail('t2', 'p1', 'v', dir), undefined, 'another tenant');
  assert.equal(cache.processDetail('t', 'p1', 'v', snapshot()), undefined, 'a new directory snapshot');
  cache.rememberProcessDetail('t', 'p1', 'v', dir, 'body1', cache.currentEpoch());
  cache.changed(change('p2', []));
  assert.equal(cache.processDetail('t', 'p1', 'v', dir)?.toString(), 'body1', 'another process changed');
  cache.changed(change('p1', []));
  assert.equal(cache.processDetail('t', 'p1', 'v', dir), undefined);
});

test('a body loaded before a change committed is not remembered', () => {
  const cache = new ReadCache(clock({ now: 0 }));
  const dir = snapshot();
  const since = cache.currentEpoch();
  cache.changed(change('p1', ['alice']));
  cache.rememberProcessDetail('t', 'p1', 'v', dir, 'stale', since);
  cache.rememberPersonalRead('t', 'alice', 'todo', dir, 'stale', since);
  assert.equal(cache.processDetail('t', 'p1', 'v', dir), undefined);
  assert.equal(cache.personalRead('t', 'alice', 'todo', dir), undefined);
});

test("a person's lists go stale with a change that concerns them, all of a tenant's with an unnamed crowd", () => {
  const cache = new ReadCache(clock({ now: 0 }));
  const dir = snapshot();
  for (const person of ['alice', 'bob'])
    cache.rememberPersonalRead('t', person, 'todo', dir, `${person}'s`, cache.currentEpoch());
  cache.changed(change('p1', ['alice']));
  assert.equal(cache.personalRead('t', 'alice', 'todo', dir), undefined);
  assert.equal(cache.personalRead('t', 'bob', 'todo', dir)?.toString(), "bob's");
  cache.rememberPersonalRead('t', 'alice', 'todo', dir, 'alice again', cache.currentEpoch());
  assert.equal(cache.personalRead('t', 'alice', 'todo', dir)?.toString(), 'alice again');
  cache.changed(change('p2', null));
  assert.equal(cache.personalRead('t', 'alice', 'todo', dir), undefined);
  assert.equal(cache.personalRead('t', 'bob', 'todo', dir), undefined);
});

test('a list is stale at its own deadline (an item turning overdue) and nothing is served while untrusted', () => {
  const at = { now: 1000 };
  let trusted = true;
  const cache = new ReadCache(clock(at), () => trusted);
  const dir = snapshot();
  cache.rememberPersonalRead('t', 'alice', 'todo', dir, 'list', cache.currentEpoch(), 5000);
  at.now = 4999;
  assert.equal(cache.personalRead('t', 'alice', 'todo', dir)?.toString(), 'list');
  at.now = 5000;
  assert.equal(cache.personalRead('t', 'alice', 'todo', dir), undefined);
  cache.rememberPersonalRead('t', 'alice', 'todo', dir, 'list', cache.currentEpoch());
  trusted = false;
  assert.equal(cache.personalRead('t', 'alice', 'todo', dir), undefined);
  cache.rememberProcessDetail('t', 'p1', 'v', dir, 'body', cache.currentEpoch());
  trusted = true;
  assert.equal(cache.processDetail('t', 'p1', 'v', dir), undefined, 'not remembered while untrusted');
  cache.clear();
  assert.equal(cache.personalRead('t', 'alice', 'todo', dir), undefined);
});

test('bounded: keys and variants beyond the limits go least recently used first', () => {
  const cache = new ReadCache(clock({ now: 0 }), () => true, 2, 2);
  const dir = snapshot();
  for (const p of ['p1', 'p2']) cache.rememberProcessDetail('t', p, 'v', dir, p, cache.currentEpoch());
  assert.equal(cache.processDetail('t', 'p1', 'v', dir)?.toString(), 'p1');
  cache.rememberProcessDetail('t', 'p3', 'v', dir, 'p3', cache.currentEpoch());
  assert.equal(cache.processDetail('t', 'p2', 'v', dir), undefined, 'p2 was the least recently used');
  assert.equal(cache.processDetail('t', 'p1', 'v', dir)?.toString(), 'p1');
  for (const v of ['a', 'b', 'c']) cache.rememberProcessDetail('t', 'p1', v, dir, v, cache.currentEpoch());
  assert.equal(cache.processDetail('t', 'p1', 'v', dir), undefined);
  assert.equal(cache.processDetail('t', 'p1', 'c', dir)?.toString(), 'c');
});

test('a body is kept as its UTF-8 bytes, sent as they are', () => {
  const cache = new ReadCache(clock({ now: 0 }));
  const dir = snapshot();
  const body = JSON.stringify({ name: '张三', note: 'ok' });
  cache.rememberPersonalRead('t', 'alice', 'todo', dir, body, cache.currentEpoch());
  const kept = cache.personalRead('t', 'alice', 'todo', dir);
  assert.ok(Buffer.isBuffer(kept));
  assert.deepEqual(kept, Buffer.from(body, 'utf8'));
  assert.equal(kept.length, Buffer.byteLength(body));
});
