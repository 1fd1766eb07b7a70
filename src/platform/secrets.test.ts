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

test('secrets opened again come from memory, which stays bounded and never opens a tampered text', () => {
  const box = new SecretBox(randomBytes(32));
  const sealed = Array.from({ length: 1100 }, (_, i) => box.encrypt(`token-${i}`));
  for (let round = 0; round < 2; round++)
    sealed.forEach((s, i) => {
      assert.equal(box.decrypt(s), `token-${i}`);
    });
  const opened = (box as unknown as { opened: Map<string, string> }).opened;
  assert.ok(opened.size <= 1024, `kept ${opened.size}`);
  const first = sealed[0]!;
  assert.equal(box.decrypt(first), 'token-0');
  const raw = Buffer.from(first.slice(3), 'base64');
  raw[14] = raw[14]! ^ 1;
  assert.throws(() => box.decrypt(`v1:${raw.toString('base64')}`));
  assert.throws(() => new SecretBox(randomBytes(32)).decrypt(first));
});
