import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SendChains, type ChainEvent, type SendChain } from './send-chains.js';

const event = (id: string): ChainEvent => ({ deliveryId: id, eventId: `e${id}`, json: '{}', createdAt: 0 });

function chain(appId: string, processId: string, first: string, sentAt = 0): SendChain {
  return {
    appId,
    processId,
    storedHead: first,
    storedLeaseUntil: sentAt + 1000,
    acked: [],
    inFlight: { deliveryId: first, createdAt: 0, sentAt },
    rest: [],
  };
}

test('an ack takes the chain only for the app it was sent to', () => {
  const chains = new SendChains(10, 1000);
  chains.put(chain('app-a', 'p1', 'd1'));
  assert.equal(chains.take('app-b', 'd1'), undefined, "another app's ack");
  const taken = chains.take('app-a', 'd1');
  assert.equal(taken?.processId, 'p1');
  assert.equal(chains.take('app-a', 'd1'), undefined, 'taken once');
});

test('later events join a chain that holds their queue, until it ends', () => {
  const chains = new SendChains(10, 1000);
  const c = chain('app-a', 'p1', 'd1');
  chains.put(c);
  assert.ok(chains.holds('app-a', 'p1'));
  assert.ok(chains.append('app-a', 'p1', [event('d2')]));
  assert.equal(chains.append('app-a', 'p2', [event('d3')]), false, 'another process');
  assert.deepEqual(
    c.rest.map((e) => e.deliveryId),
    ['d2'],
  );
  chains.end(c);
  assert.equal(chains.append('app-a', 'p1', [event('d4')]), false, 'the chain ended');
  assert.equal(chains.holds('app-a', 'p1'), false);
});

test('a chain refuses events past its bound, and every later one after that (none may overtake them)', () => {
  const chains = new SendChains(10, 1000);
  const c = chain('app-a', 'p1', 'd1');
  chains.put(c);
  const many = Array.from({ length: 99 }, (_, i) => event(`m${i}`));
  assert.ok(chains.append('app-a', 'p1', many));
  assert.equal(chains.append('app-a', 'p1', [event('x1'), event('x2')]), false, 'past 100 waiting');
  c.rest.splice(0, 50);
  assert.equal(chains.append('app-a', 'p1', [event('x3')]), false, 'x1 and x2 wait in the store');
  assert.equal(c.rest.length, 49);

  const other = chain('app-a', 'p2', 'd9');
  chains.put(other);
  chains.close('app-a', 'p2');
  assert.equal(chains.append('app-a', 'p2', [event('d10')]), false, 'closed');
});

test('a chain is due when its event is overdue, or when its stored lease is half gone while a later one is out', () => {
  const chains = new SendChains(10, 1000);
  const fresh = chain('app-a', 'p1', 'd1', 0);
  chains.put(fresh);
  assert.deepEqual(chains.due(400), []);
  assert.deepEqual(chains.due(1000), [fresh], 'its event out for the whole ack timeout');

  const moving = chain('app-a', 'p2', 'd5', 0);
  moving.acked.push('d5');
  moving.inFlight = { deliveryId: 'd6', createdAt: 0, sentAt: 300 };
  chains.put(moving);
  assert.deepEqual(
    chains.due(499).map((c) => c.processId),
    [],
  );
  assert.deepEqual(
    chains.due(500).map((c) => c.processId),
    ['p2'],
    'the stored lease (to 1000) is half gone: the hold moves to d6',
  );
  assert.equal(chains.due(0, true).length, 2, 'all of them when the server stops');
});

test('chains are bounded', () => {
  const chains = new SendChains(2, 1000);
  chains.put(chain('a', 'p1', 'd1'));
  assert.ok(chains.hasRoom());
  chains.put(chain('a', 'p2', 'd2'));
  assert.equal(chains.hasRoom(), false);
  chains.drop('d1');
  assert.ok(chains.hasRoom());
  assert.equal(chains.holds('a', 'p1'), false, 'a dropped chain holds its queue no more');
});
