import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer } from '../helpers/server.js';
import { PeopleClient } from '../helpers/people.js';

forEachDialect('people API sessions', (dialect) => {
  test('demo sign-in, me, CSRF on changes, sign-out revokes the session', async () => {
    const server = await startTestServer(dialect, { flags: ['--demo'] });
    try {
      const anonymous = new PeopleClient(server.url);
      assert.equal((await anonymous.get('/api/v1/me')).status, 401);
      const options = await anonymous.get('/api/v1/auth/options');
      assert.equal(options.status, 200);
      assert.equal(options.body.tenant.tenant_key, 'demo');
      assert.ok(options.body.demo_people.some((p: { user_id: string }) => p.user_id === 'employee'));

      const person = new PeopleClient(server.url);
      const signedIn = await person.signInDemo('employee');
      assert.equal(signedIn.body.person.user_id, 'employee');
      const cookie = signedIn.headers.getSetCookie().find((c) => c.startsWith('pf_session='));
      assert.match(cookie ?? '', /HttpOnly/i);
      assert.match(cookie ?? '', /SameSite=Lax/i);
      // Beside it, a marker the web app can read (so a first visit never asks /me only to hear 401).
      const marker = signedIn.headers.getSetCookie().find((c) => c.startsWith('pf_signed_in='));
      assert.match(marker ?? '', /^pf_signed_in=1;/);
      assert.doesNotMatch(marker ?? '', /HttpOnly/i);
      assert.match(marker ?? '', /SameSite=Lax/i);
      const maxAge = (c: string | undefined) => /Max-Age=(\d+)/i.exec(c ?? '')?.[1];
      assert.ok(maxAge(cookie), 'the session cookie lasts as long as the session');
      assert.equal(maxAge(marker), maxAge(cookie), 'and the marker as long');
      const me = await person.get('/api/v1/me');
      assert.equal(me.status, 200);
      assert.equal(me.body.tenant.tenant_key, 'demo');

      // No CSRF header: refused, nothing changed.
      const noCsrf = await person.request('PATCH', '/api/v1/me', { body: { language: 'en' } });
      assert.equal(noCsrf.status, 403);
      assert.equal(noCsrf.body.error.code, 'csrf_invalid');
      assert.equal((await person.get('/api/v1/me')).body.language, null);
      const wrong = await person.request('PATCH', '/api/v1/me', {
        body: { language: 'en' },
        headers: { 'x-csrf-token': 'forged' },
      });
      assert.equal(wrong.status, 403);
      const changed = await person.patch('/api/v1/me', { language: 'en' });
      assert.equal(changed.status, 200);
      assert.equal(changed.body.language, 'en');

      const stolen = new Map(person.cookies);
      const signedOut = await person.post('/api/v1/auth/sign-out');
      assert.equal(signedOut.status, 204);
      const cleared = (headers: Headers) =>
        ['pf_session', 'pf_signed_in'].filter((name) =>
          headers
            .getSetCookie()
            .some((c) => c.startsWith(`${name}=;`) && /Expires=Thu, 01 Jan 1970/i.test(c)),
        );
      assert.deepEqual(cleared(signedOut.headers), ['pf_session', 'pf_signed_in'], 'both cookies cleared');
      assert.equal(person.cookies.has('pf_signed_in'), false);
      const replay = new PeopleClient(server.url);
      for (const [k, v] of stolen) replay.cookies.set(k, v);
      const refused = await replay.get('/api/v1/me');
      assert.equal(refused.status, 401);
      // A session the server no longer knows: the browser is told to drop both cookies.
      assert.deepEqual(cleared(refused.headers), ['pf_session', 'pf_signed_in']);
      assert.equal(replay.cookies.has('pf_session'), false);
      assert.equal(replay.cookies.has('pf_signed_in'), false);
      // Without any session cookie nothing is cleared (a first visit writes no cookie).
      assert.deepEqual((await anonymous.get('/api/v1/me')).headers.getSetCookie(), []);
    } finally {
      await server.close();
    }
  });

  test('demo sign-in is refused without --demo', async () => {
    const server = await startTestServer(dialect);
    try {
      const person = new PeopleClient(server.url);
      const response = await person.post('/api/v1/auth/demo', { tenant: 'demo', user_id: 'employee' });
      assert.equal(response.status, 403);
      assert.equal(response.body.error.code, 'forbidden');
    } finally {
      await server.close();
    }
  });
});
