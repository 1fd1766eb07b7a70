import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decryptEvent, encryptEvent, signature, signedBody } from './webhook-crypto.js';

test('encrypt/decrypt round trip; the IV makes every ciphertext different', () => {
  const a = encryptEvent('k3y', '{"hello":"世界"}');
  assert.notEqual(a, encryptEvent('k3y', '{"hello":"世界"}'));
  assert.equal(decryptEvent('k3y', a), '{"hello":"世界"}');
  assert.throws(() => decryptEvent('other', a));
});

test('signed bodies: plain without a key; encrypted and signed with one', () => {
  const plain = signedBody({ a: 1 }, null, 1_700_000_000_000);
  assert.equal(plain.body, '{"a":1}');
  assert.equal(plain.headers['x-lark-signature'], undefined);
  assert.equal(plain.headers['x-lark-request-timestamp'], '1700000000');
  const sealed = signedBody({ a: 1 }, 'k', 1_700_000_000_000);
  const { encrypt } = JSON.parse(sealed.body) as { encrypt: string };
  assert.equal(decryptEvent('k', encrypt), '{"a":1}');
  assert.equal(
    sealed.headers['x-lark-signature'],
    signature(
      sealed.headers['x-lark-request-timestamp']!,
      sealed.headers['x-lark-request-nonce']!,
      'k',
      sealed.body,
    ),
  );
});
