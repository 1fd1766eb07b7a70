import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SecretBox, constantTimeEqual, newAccessToken, parseMasterKey } from './secrets.js';

test('encrypt then decrypt returns the secret; another master key cannot open it; tampering is detected', () => {
  const box = new SecretBox(randomBytes(32));
  const sealed = box.encrypt('encrypt-key-✓');
  assert.notEqual(sealed, 'encrypt-key-✓');
  assert.ok(!sealed.includes('encrypt-key'));
  assert.equal(box.decrypt(sealed), 'encrypt-key-✓');
  assert.throws(() => new SecretBox(randomBytes(32)).decrypt(sealed));
  const raw = Buffer.from(sealed.slice(3), 'base64');
  raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
  assert.throws(() => box.decrypt(`v1:${raw.toString('base64')}`));
});

test('hash verifies only the same secret, and differs per master key', () => {
  const key = randomBytes(32);
  const box = new SecretBox(key);
  const h = box.hash('s3cret');
  assert.ok(box.verify('s3cret', h));
  assert.ok(!box.verify('s3cret ', h));
  assert.notEqual(new SecretBox(randomBytes(32)).hash('s3cret'), h);
  assert.equal(new SecretBox(key).hash('s3cret'), h);
});

test('constant-time equality and token shape', () => {
  assert.ok(constantTimeEqual('abc', 'abc'));
  assert.ok(!constantTimeEqual('abc', 'abd'));
  assert.ok(!constantTimeEqual('abc', 'abcd'));
  assert.match(newAccessToken('t-'), /^t-[A-Z0-9]{40}$/);
  assert.equal(parseMasterKey('00'.repeat(32)).length, 32);
  assert.throws(() => parseMasterKey('short'), RangeError);
});
