import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../../test/helpers/server.js';
import { TargetGuard, nonPublicRange } from './target-guard.js';

/** [special range, an address inside it, an address just outside it (or undefined where none is meaningful)]. */
const SPECIAL: readonly (readonly [string, string, string | undefined])[] = [
  // IPv4
  ['0.0.0.0/8', '0.1.2.3', '1.0.0.1'],
  ['10.0.0.0/8', '10.255.255.255', '11.0.0.1'],
  ['100.64.0.0/10', '100.127.255.254', '100.128.0.1'],
  ['100.64.0.0/10 (low edge)', '100.64.0.1', '100.63.255.254'],
  ['127.0.0.0/8', '127.0.0.1', '128.0.0.1'],
  ['169.254.0.0/16', '169.254.169.254', '169.255.0.1'],
  ['172.16.0.0/12', '172.31.255.254', '172.32.0.1'],
  ['172.16.0.0/12 (low edge)', '172.16.0.1', '172.15.255.254'],
  ['192.0.0.0/24', '192.0.0.8', '192.0.1.1'],
  ['192.0.2.0/24', '192.0.2.1', '192.0.3.1'],
  ['192.88.99.0/24', '192.88.99.1', '192.88.100.1'],
  ['192.168.0.0/16', '192.168.1.1', '192.169.0.1'],
  ['198.18.0.0/15', '198.19.255.254', '198.20.0.1'],
  ['198.18.0.0/15 (low edge)', '198.18.0.1', '198.17.255.254'],
  ['198.51.100.0/24', '198.51.100.7', '198.51.101.1'],
  ['203.0.113.0/24', '203.0.113.9', '203.0.114.1'],
  ['224.0.0.0/4', '239.255.255.250', '223.255.255.254'],
  ['240.0.0.0/4', '240.0.0.1', undefined],
  ['255.255.255.255/32', '255.255.255.255', undefined],
  // IPv6
  ['::/128', '::', undefined],
  ['::1/128', '::1', undefined],
  ['::/96 IPv4-compatible, loopback inside', '::7f00:1', undefined],
  ['::/96 IPv4-compatible, metadata inside', '::a9fe:a9fe', undefined],
  ['::/96 IPv4-compatible, public inside', '::808:808', undefined],
  ['::ffff:0:0/96 IPv4-mapped loopback', '::ffff:127.0.0.1', '::ffff:8.8.8.8'],
  ['::ffff:0:0/96 IPv4-mapped metadata', '::ffff:a9fe:a9fe', '::ffff:5db8:d822'],
  ['::ffff:0:0:0/96 IPv4-translated', '::ffff:0:808:808', undefined],
  ['64:ff9b::/96 NAT64, private inside', '64:ff9b::a00:1', '64:ff9b::808:808'],
  ['64:ff9b::/96 NAT64, loopback inside', '64:ff9b::7f00:1', undefined],
  ['64:ff9b:1::/48 local-use NAT64', '64:ff9b:1::808:808', undefined],
  ['100::/64 discard-only', '100::1', undefined],
  ['2001::/32 Teredo', '2001:0:4136:e378:8000:63bf:3fff:fdd2', '2001:200::1'],
  ['2001::/23 IETF protocol assignments', '2001:2::1', '2001:200::1'],
  ['2001:db8::/32 documentation', '2001:db8::1', '2001:db9::1'],
  ['2002::/16 6to4, public inside', '2002:808:808::1', '2003::1'],
  ['2002::/16 6to4, loopback inside', '2002:7f00:1::1', undefined],
  ['3fff::/20 documentation', '3fff::1', '3fff:1000::1'],
  ['5f00::/16 segment routing', '5f00::1', undefined],
  ['fc00::/7 unique-local', 'fd12:3456::1', undefined],
  ['fe80::/10 link-local', 'fe80::1', undefined],
  ['fec0::/10 site-local', 'fec0::1', undefined],
  ['ff00::/8 multicast', 'ff02::1', undefined],
  ['outside 2000::/3', '4000::1', '2a00:1450:4001::1'],
];

test('every special-purpose range is refused, its neighbour outside is allowed', () => {
  const guard = new TargetGuard([]);
  for (const [range, inside, outside] of SPECIAL) {
    assert.notEqual(nonPublicRange(inside), undefined, `${inside} lies in ${range}`);
    assert.equal(guard.addressAllowed('hooks.example', inside), false, `${inside} (${range})`);
    if (outside !== undefined) {
      assert.equal(nonPublicRange(outside), undefined, `${outside} lies just outside ${range}`);
      assert.equal(guard.addressAllowed('hooks.example', outside), true, `${outside} (outside ${range})`);
    }
  }
  assert.equal(guard.addressAllowed('hooks.example', '93.184.216.34'), true);
  assert.equal(guard.addressAllowed('hooks.example', 'not-an-ip'), false);
});

test('an embedded IPv4 address is judged as IPv4, and the refusal says why', () => {
  assert.match(
    nonPublicRange('::ffff:7f00:1') ?? '',
    /IPv4-mapped 127\.0\.0\.1: loopback \(127\.0\.0\.0\/8\)/,
  );
  assert.match(nonPublicRange('64:ff9b::a9fe:a9fe') ?? '', /NAT64 169\.254\.169\.254: link-local/);
  assert.match(nonPublicRange('::7f00:1') ?? '', /IPv4-compatible/);
  assert.match(nonPublicRange('2001:0:4136:e378:8000:63bf:3fff:fdd2') ?? '', /^Teredo/);
});

test('--webhook-allow-hosts still overrides, by host, by address or for all', () => {
  assert.equal(new TargetGuard(['localhost']).addressAllowed('localhost', '127.0.0.1'), true);
  assert.equal(new TargetGuard(['localhost']).addressAllowed('localhost', '::7f00:1'), true);
  assert.equal(new TargetGuard(['::7f00:1']).addressAllowed('::7f00:1', '::7f00:1'), true);
  assert.equal(new TargetGuard(['127.0.0.1']).addressAllowed('other.example', '127.0.0.1'), true);
  assert.equal(new TargetGuard(['localhost']).addressAllowed('other.example', '127.0.0.1'), false);
  assert.equal(new TargetGuard(['*']).addressAllowed('anything', '10.0.0.1'), true);
  assert.equal(new TargetGuard(['*']).addressAllowed('anything', '64:ff9b::a00:1'), true);
});

test('only http(s) URLs without credentials', () => {
  const guard = new TargetGuard([]);
  assert.equal(guard.checkUrl('ftp://x.example/'), 'must be an http or https URL');
  assert.equal(guard.checkUrl('https://user:pw@x.example/'), 'must not carry credentials');
  assert.equal(guard.checkUrl('not a url'), 'is not a valid URL');
  assert.equal(guard.checkUrl('https://hooks.example/feishu'), undefined);
});

test("an app's request URL at an embedded loopback or metadata address is refused before any connection", async () => {
  const strict = await startTestServer('sqlite');
  const open = await startTestServer('sqlite', { flags: ['--webhook-allow-hosts', '::7f00:1'] });
  try {
    for (const t of [strict, open])
      assert.equal((await t.admin('POST', '/tenants', { tenant_key: 'acme', name: 'Acme' })).status, 201);
    for (const url of [
      'http://[::7f00:1]:1/hook',
      'http://[::a9fe:a9fe]/latest/meta-data',
      'http://[64:ff9b::7f00:1]:1/hook',
      'http://[fec0::1]:1/hook',
    ]) {
      const refused = await strict.admin('POST', '/tenants/acme/apps', {
        name: 'x',
        event: { request_url: url },
      });
      assert.equal(refused.status, 400, url);
      assert.equal(refused.body.error.field_violations[0].field, 'event.request_url');
      assert.match(
        refused.body.error.field_violations[0].description,
        /may not reach.*--webhook-allow-hosts/,
        url,
      );
    }
    // Allowed by the operator: the guard lets it through, and the connection itself is what fails.
    const allowed = await open.admin('POST', '/tenants/acme/apps', {
      name: 'x',
      event: { request_url: 'http://[::7f00:1]:1/hook' },
    });
    assert.equal(allowed.status, 400);
    assert.doesNotMatch(allowed.body.error.field_violations[0].description, /--webhook-allow-hosts/);
  } finally {
    await strict.close();
    await open.close();
  }
});
