import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { freshDatabase, tempDir, type TestDatabase } from '../helpers/databases.js';
import { ADMIN_TOKEN } from '../helpers/server.js';

const INDEX =
  '<!doctype html><html><body><div id="root"></div><script type="module" src="/assets/app-abc123.js"></script></body></html>';
const SCRIPT = 'console.log("web app");';

async function start(database: TestDatabase, webDir: string): Promise<RunningServer> {
  const config = parseConfig(
    ['--port', '0', '--data-dir', database.dir, '--database-url', database.url, '--log-level', 'silent'],
    { PEOPLEFLOW_ADMIN_TOKEN: ADMIN_TOKEN },
  );
  return startServer(config, { webDir });
}

async function get(url: string, init: RequestInit = {}) {
  const response = await fetch(url, { redirect: 'manual', ...init });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('the built web app at /', () => {
  let database: TestDatabase;
  let server: RunningServer;
  let webDir: string;
  before(async () => {
    webDir = tempDir('peopleflow-web-');
    mkdirSync(join(webDir, 'assets'));
    mkdirSync(join(webDir, '.vite'));
    writeFileSync(join(webDir, 'index.html'), INDEX);
    writeFileSync(join(webDir, 'assets', 'app-abc123.js'), SCRIPT);
    writeFileSync(join(webDir, '.vite', 'manifest.json'), '{}');
    writeFileSync(join(webDir, 'robots.txt'), 'User-agent: *\n');
    database = await freshDatabase('sqlite');
    server = await start(database, webDir);
  });
  after(async () => {
    await server.close();
    await database.drop();
    rmSync(webDir, { recursive: true, force: true });
  });

  test('/ and every app URL answer index.html, revalidated on each load, with a CSP', async () => {
    for (const path of [
      '/',
      '/sign-in?return_to=%2Fprofile',
      '/approval-center/todo?sort=oldest',
      '/approval-center/processes/7301234567890123456',
      '/t/acme/approval-center/cc',
      '/invite/abc.def',
    ]) {
      const response = await get(`${server.url}${path}`);
      assert.equal(response.status, 200, path);
      assert.equal(response.text, INDEX, path);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/, path);
      assert.equal(response.headers.get('cache-control'), 'no-cache', path);
      assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'/, path);
    }
  });

  test('the page marks a session cookie the web app cannot read (a session from before the marker), and nothing else', async () => {
    const marker = (headers: Headers) => headers.getSetCookie().find((c) => c.startsWith('pf_signed_in='));
    const withSession = await get(`${server.url}/approval-center/todo`, {
      headers: { cookie: 'pf_session=abc' },
    });
    const set = marker(withSession.headers);
    assert.match(set ?? '', /^pf_signed_in=1;/, 'the marker is set beside a session cookie');
    assert.doesNotMatch(set ?? '', /HttpOnly/i, 'and the page can read it');
    assert.match(set ?? '', /SameSite=Lax/i);
    assert.match(set ?? '', /Path=\//);
    const anonymous = await get(`${server.url}/`);
    assert.equal(marker(anonymous.headers), undefined, 'no session cookie: no marker');
    const marked = await get(`${server.url}/`, { headers: { cookie: 'pf_session=abc; pf_signed_in=1' } });
    assert.equal(marked.headers.getSetCookie().length, 0, 'already marked: no cookie is written');
    const asset = await get(`${server.url}/assets/app-abc123.js`, { headers: { cookie: 'pf_session=abc' } });
    assert.equal(marker(asset.headers), undefined, 'only the page marks it');
  });

  test('hashed assets are served with a year-long immutable cache; other files revalidate', async () => {
    const asset = await get(`${server.url}/assets/app-abc123.js`);
    assert.equal(asset.status, 200);
    assert.equal(asset.text, SCRIPT);
    assert.match(asset.headers.get('content-type') ?? '', /javascript/);
    assert.equal(asset.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    const robots = await get(`${server.url}/robots.txt`);
    assert.equal(robots.status, 200);
    assert.equal(robots.headers.get('cache-control'), 'no-cache');
    const head = await fetch(`${server.url}/approval-center/todo`, { method: 'HEAD' });
    assert.equal(head.status, 200);
  });

  test('a missing asset is a 404, not the HTML page in its place; dot-files and traversal are refused', async () => {
    for (const path of [
      '/assets/app-old999.js',
      '/.vite/manifest.json',
      '/assets/..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/package.json',
    ]) {
      const response = await get(`${server.url}${path}`);
      assert.equal(response.status, 404, path);
      assert.notEqual(response.text, INDEX, path);
      assert.doesNotMatch(response.text, /"name": "peopleflow"/, path);
    }
  });

  test('API 404s stay API 404s in their own shapes; API routes still answer', async () => {
    // Without a session the people API says so first; either way its JSON, not the app.
    const people = await get(`${server.url}/api/v1/no-such-route`);
    assert.ok(people.status === 404 || people.status === 401, String(people.status));
    assert.match(JSON.parse(people.text).error.code, /^(not_found|unauthenticated)$/);

    const me = await get(`${server.url}/api/v1/me`);
    assert.equal(me.status, 401);
    assert.equal(JSON.parse(me.text).error.code, 'unauthenticated');

    for (const path of [
      '/open-apis/corehr/v2/nothing',
      '/admin/v1/nothing',
      '/api/v2/x',
      '/callback/x',
      '/api',
    ]) {
      const response = await get(`${server.url}${path}`);
      assert.equal(response.status, 404, path);
      assert.notEqual(response.text, INDEX, path);
      assert.equal(typeof JSON.parse(response.text).code, 'number', path);
    }
    assert.equal((await get(`${server.url}/healthz`)).status, 200);
    const doc = JSON.parse((await get(`${server.url}/openapi.json`)).text);
    assert.ok(doc.paths['/open-apis/corehr/v2/process_start'], 'openapi.json still served');
    assert.equal(
      Object.keys(doc.paths).some((p: string) => p.startsWith('/assets')),
      false,
    );
  });

  test('only GET and HEAD fall back to the app', async () => {
    const response = await get(`${server.url}/approval-center/todo`, { method: 'POST', body: '{}' });
    assert.equal(response.status, 404);
    assert.notEqual(response.text, INDEX);
  });
});

describe('without a built web app', () => {
  test('app URLs say how to build it (404, plain text); the APIs are unaffected', async () => {
    const database = await freshDatabase('sqlite');
    const server = await start(database, join(database.dir, 'no-such-build'));
    try {
      for (const path of ['/', '/approval-center/todo']) {
        const response = await get(`${server.url}${path}`);
        assert.equal(response.status, 404, path);
        assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
        assert.match(response.text, /web app not built: run "npm run build"/);
      }
      const me = await get(`${server.url}/api/v1/me`);
      assert.equal(me.status, 401);
      assert.equal((await get(`${server.url}/healthz`)).status, 200);
    } finally {
      await server.close();
      await database.drop();
    }
  });
});
