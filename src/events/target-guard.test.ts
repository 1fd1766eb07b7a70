import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TargetGuard } from './target-guard.js';

test('only public unicast addresses, unless the host is allowed', () => {
  const guard = new TargetGuard([]);
  for (const address of [
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '::1',
    'fe80::1',
    '0.0.0.0',
    '::ffff:127.0.0.1',
    'fc00::1',
  ]) {
    assert.equal(guard.addressAllowed('example.com', address), false, address);
  }
  assert.equal(guard.addressAllowed('example.com', '93.184.216.34'), true);
  assert.equal(new TargetGuard(['localhost']).addressAllowed('localhost', '127.0.0.1'), true);
  assert.equal(new TargetGuard(['*']).addressAllowed('anything', '10.0.0.1'), true);
  assert.equal(guard.checkUrl('ftp://x.example/'), 'must be an http or https URL');
  assert.equal(guard.checkUrl('https://user:pw@x.example/'), 'must not carry credentials');
  assert.equal(guard.checkUrl('not a url'), 'is not a valid URL');
  assert.equal(guard.checkUrl('https://hooks.example/feishu'), undefined);
});
