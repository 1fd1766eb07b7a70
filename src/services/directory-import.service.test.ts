import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstInvalidUtf8 } from './directory-import.service.js';

test('firstInvalidUtf8: the offset of the first byte that breaks UTF-8', () => {
  const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
  assert.equal(firstInvalidUtf8(utf8('user_id,name_zh\nzhang,张三 😀\n')), undefined);
  assert.equal(firstInvalidUtf8(new Uint8Array([0xef, 0xbb, 0xbf, 0x61])), undefined, 'a BOM is UTF-8');
  // 张三 in GBK: D5 C5 C8 FD — D5 starts a two-byte sequence, C5 is no continuation byte.
  assert.equal(firstInvalidUtf8(new Uint8Array([0x61, 0x2c, 0xd5, 0xc5, 0xc8, 0xfd])), 2);
  assert.equal(firstInvalidUtf8(new Uint8Array([0xc0, 0xaf])), 0, 'overlong "/"');
  assert.equal(firstInvalidUtf8(new Uint8Array([0xe0, 0x80, 0xaf])), 0, 'overlong three-byte');
  assert.equal(firstInvalidUtf8(new Uint8Array([0xed, 0xa0, 0x80])), 0, 'a UTF-16 surrogate');
  assert.equal(firstInvalidUtf8(new Uint8Array([0x61, 0xe5, 0xbc])), 1, 'cut off at the end');
  assert.equal(firstInvalidUtf8(new Uint8Array([0x80])), 0, 'a lone continuation byte');
  assert.equal(firstInvalidUtf8(new Uint8Array([0xf4, 0x90, 0x80, 0x80])), 0, 'beyond U+10FFFF');
});
