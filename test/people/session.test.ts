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
      assert.equal((await person.post('/api/v1/auth/sign-out')).status, 204);
      const replay = new PeopleClient(server.url);
      for (const [k, v] of stolen) replay.cookies.set(k, v);
      assert.equal((await replay.get('/api/v1/me')).status, 401);
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
