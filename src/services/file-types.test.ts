import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkContentType, sanitiseFileName } from './file-types.js';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

test('declared types are taken when the bytes agree, and refused when they do not', () => {
  const accepted: [string, Buffer][] = [
    ['image/png', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'IHDR')],
    ['image/jpeg', bytes([0xff, 0xd8, 0xff, 0xe0], 'JFIF')],
    ['image/gif', bytes('GIF89a...')],
    ['image/webp', bytes('RIFF', [0, 0, 0, 0], 'WEBPVP8 ')],
    ['application/pdf; charset=binary', bytes('%PDF-1.4\n')],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', bytes('PK', [3, 4], 'rest')],
    ['application/msword', bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])],
    ['text/csv', bytes('a,b\n1,2\n')],
    ['text/plain', bytes([0xff, 0xfe], 'h\0i\0')],
  ];
  for (const [type, content] of accepted) {
    const verdict = checkContentType(type, 'x', content);
    assert.deepEqual(verdict, { ok: true, contentType: type.split(';')[0] }, type);
  }
  const refused: [string, Buffer, RegExp][] = [
    ['image/png', bytes([0xff, 0xd8, 0xff]), /not a PNG image/],
    ['application/zip', bytes('%PDF-'), /not a ZIP archive/],
    ['text/plain', bytes('a\0b'), /not text/],
    ['text/plain', Buffer.from('\uFEFF <svg onload=alert(1)>', 'utf8'), /markup/],
    ['text/markdown', bytes('<?xml version="1.0"?><x/>'), /markup/],
    ['application/pdf', bytes([0x7f, 0x45, 0x4c, 0x46]), /ELF executable/],
    ['application/zip', bytes([0xca, 0xfe, 0xba, 0xbe]), /Mach-O/],
    ['text/html', bytes('<p>'), /text\/html is not accepted/],
    ['application/x-msdownload', bytes('MZ'), /Windows executable/],
    ['application/javascript', bytes('alert(1)'), /not accepted/],
  ];
  for (const [type, content, reason] of refused) {
    const verdict = checkContentType(type, 'x', content);
    assert.equal(verdict.ok, false, type);
    assert.match((verdict as { reason: string }).reason, reason, type);
  }
});

test('octet-stream is taken only when the bytes say clearly what it is; CSV from Excel on Windows is CSV', () => {
  assert.deepEqual(checkContentType('application/octet-stream', 'scan', bytes('%PDF-1.7')), {
    ok: true,
    contentType: 'application/pdf',
  });
  assert.equal(checkContentType('application/octet-stream', 'a.zip', bytes('PK', [3, 4])).ok, false);
  assert.deepEqual(checkContentType('application/vnd.ms-excel', 'Claims.CSV', bytes('a;b\n')), {
    ok: true,
    contentType: 'text/csv',
  });
  assert.equal(checkContentType('application/vnd.ms-excel', 'claims.xls', bytes('a;b\n')).ok, false);
});

test('file names lose their directories and control characters; NUL, empty and long ones are refused', () => {
  assert.deepEqual(sanitiseFileName('C:\\Users\\me\\..\\发票.pdf'), { ok: true, name: '发票.pdf' });
  assert.deepEqual(sanitiseFileName('../../etc/passwd'), { ok: true, name: 'passwd' });
  assert.deepEqual(sanitiseFileName(' report\r\n.txt '), { ok: true, name: 'report.txt' });
  assert.deepEqual(sanitiseFileName('a.png\0.exe'), { ok: false, reason: 'must not contain NUL bytes' });
  assert.equal(sanitiseFileName('dir/').ok, false);
  assert.equal(sanitiseFileName('..').ok, false);
  assert.equal(sanitiseFileName('😀'.repeat(255)).ok, true, '255 characters, counted as characters');
  assert.equal(sanitiseFileName('a'.repeat(256)).ok, false);
});
