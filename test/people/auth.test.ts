import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { ManualClock } from '../../src/platform/clock.js';
import { forEachDialect } from '../helpers/databases.js';
import { seedTenant, startTestServer, type TestServer } from '../helpers/server.js';
import { PeopleClient, type PeopleResponse } from '../helpers/people.js';

const GOOD = 'correct horse battery';

async function admin(t: TestServer, method: string, path: string, body?: unknown) {
  const response = await t.admin(method, path, body);
  if (response.status >= 300)
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
  return response;
}

const signIn = (client: PeopleClient, login: string, password: string, tenant?: string) =>
  client.post('/api/v1/auth/password', { login, password, ...(tenant ? { tenant } : {}) });

const sessionCookie = (client: PeopleClient) => client.cookies.get('pf_session');

/** The same request from another loopback address (127.0.0.x): what the per-address throttle keys on. */
function postFrom(
  localAddress: string,
  client: PeopleClient,
  path: string,
  body: unknown,
): Promise<PeopleResponse> {
  const url = new URL(path, client.baseUrl);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        headers: {
          'content-type': 'application/json',
          'x-csrf-token': client.csrfToken ?? '',
          cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
          resolve({ status: res.statusCode ?? 0, headers, body: text ? JSON.parse(text) : text });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

forEachDialect('people API sign-in', (dialect) => {
  test('password sign-in: by user_id or email, the same answer for a wrong password and an unknown person, disabled employees, CSRF', async () => {
    const t = await startTestServer(dialect);
    try {
      await seedTenant(t, 'acme');
      const anonymous = new PeopleClient(t.url);
      let options = await anonymous.get('/api/v1/auth/options');
      assert.equal(options.status, 200);
      assert.equal(options.body.password, false, 'nobody has a password yet: no password form');
      assert.equal(options.body.oidc, undefined);

      await admin(t, 'PUT', '/tenants/acme/employees/u1/password', { password: GOOD });
      options = await anonymous.get('/api/v1/auth/options');
      assert.equal(options.body.password, true);

      const person = new PeopleClient(t.url);
      const byUserId = await signIn(person, 'u1', GOOD);
      assert.equal(byUserId.status, 200, JSON.stringify(byUserId.body));
      assert.equal(byUserId.body.person.user_id, 'u1');
      assert.equal(byUserId.body.auth_method, 'password');
      assert.equal(byUserId.body.has_password, true);
      const cookie = byUserId.headers.getSetCookie().find((c) => c.startsWith('pf_session='));
      assert.match(cookie ?? '', /HttpOnly/i);
      assert.match(cookie ?? '', /SameSite=Lax/i);
      assert.equal((await person.get('/api/v1/me')).body.person.user_id, 'u1');

      const byEmail = await signIn(new PeopleClient(t.url), 'U1@Acme.Example', GOOD);
      assert.equal(byEmail.status, 200, 'email, in any case');
      assert.equal(byEmail.body.person.user_id, 'u1');

      // Wrong password, unknown person, person without a password: one answer, word for word.
      const wrong = await signIn(new PeopleClient(t.url), 'u1', 'not the password');
      const unknown = await signIn(new PeopleClient(t.url), 'nobody', 'not the password');
      const noPassword = await signIn(new PeopleClient(t.url), 'u2', 'not the password');
      for (const answer of [wrong, unknown, noPassword]) {
        assert.equal(answer.status, 401);
        assert.deepEqual(answer.body, wrong.body);
        assert.equal(
          answer.headers.getSetCookie().some((c) => c.startsWith('pf_session=')),
          false,
        );
      }
      assert.equal(wrong.body.error.code, 'invalid_credentials');

      // A disabled employee is told so only with the right password.
      await admin(t, 'PUT', '/tenants/acme/employees/u2/password', { password: GOOD });
      const other = new PeopleClient(t.url);
      assert.equal((await signIn(other, 'u2', GOOD)).status, 200);
      await admin(t, 'PATCH', '/tenants/acme/employees/u2', { employment_status: 'terminated' });
      assert.equal((await other.get('/api/v1/me')).status, 401, 'the session of a person who left ends');
      const disabled = await signIn(new PeopleClient(t.url), 'u2', GOOD);
      assert.equal(disabled.status, 403);
      assert.equal(disabled.body.error.code, 'account_disabled');
      const disabledWrong = await signIn(new PeopleClient(t.url), 'u2', 'not the password');
      assert.deepEqual(disabledWrong.body, wrong.body);

      // Login CSRF: the sign-in itself needs the token.
      const noCsrf = await new PeopleClient(t.url).request('POST', '/api/v1/auth/password', {
        body: { login: 'u1', password: GOOD },
      });
      assert.equal(noCsrf.status, 403);
      assert.equal(noCsrf.body.error.code, 'csrf_invalid');
      const forgedCsrf = await new PeopleClient(t.url).request('POST', '/api/v1/auth/password', {
        body: { login: 'u1', password: GOOD },
        headers: { 'x-csrf-token': 'forged' },
      });
      assert.equal(forgedCsrf.status, 403);
      assert.equal(forgedCsrf.body.error.code, 'csrf_invalid');

      // Forged and absent sessions.
      const forged = new PeopleClient(t.url);
      forged.cookies.set('pf_session', 'forged-token');
      const me = await forged.get('/api/v1/me');
      assert.equal(me.status, 401);
      assert.equal(me.body.error.code, 'unauthenticated');

      // Bad input names the field.
      const missing = await new PeopleClient(t.url).post('/api/v1/auth/password', { login: 'u1' });
      assert.equal(missing.status, 400);
      assert.deepEqual(
        missing.body.error.violations.map((v: { field: string }) => v.field),
        ['password'],
      );
      const nul = await new PeopleClient(t.url).post('/api/v1/auth/password', {
        login: 'u1',
        password: 'a\u0000b',
      });
      assert.equal(nul.status, 400);
      assert.equal(nul.body.error.code, 'invalid_field');
      assert.deepEqual(
        nul.body.error.violations.map((v: { field: string }) => v.field),
        ['password'],
      );

      // Several tenants: the request names one.
      await seedTenant(t, 'globex');
      const ambiguous = await signIn(new PeopleClient(t.url), 'u1', GOOD);
      assert.equal(ambiguous.status, 404);
      assert.equal((await signIn(new PeopleClient(t.url), 'u1', GOOD, 'acme')).status, 200);
      const otherTenant = await signIn(new PeopleClient(t.url), 'u1', GOOD, 'globex');
      assert.deepEqual(otherTenant.body, wrong.body, "a password is the tenant's own");

      // Deleting a tenant deletes its people's password hashes and invite links.
      await admin(t, 'PUT', '/tenants/globex/employees/u1/password', { password: GOOD });
      await admin(t, 'POST', '/tenants/globex/employees/u2/invites', {});
      const db = t.server.database.db;
      const globex = (await db
        .selectFrom('tenants')
        .select('id')
        .where('tenant_key', '=', 'globex')
        .executeTakeFirst())!;
      const rows = async () =>
        (
          await db
            .selectFrom('people_credentials')
            .select('employee_id')
            .where('tenant_id', '=', globex.id)
            .execute()
        ).length +
        (
          await db
            .selectFrom('people_invites')
            .select('employee_id')
            .where('tenant_id', '=', globex.id)
            .execute()
        ).length;
      assert.equal(await rows(), 2);
      await admin(t, 'DELETE', '/tenants/globex');
      assert.equal(await rows(), 0);
      assert.equal(
        (await signIn(new PeopleClient(t.url), 'u1', GOOD, 'acme')).status,
        200,
        'acme keeps its own',
      );
    } finally {
      await t.close();
    }
  });

  test('sign-in rotates the session; sign-out revokes it on every server; a password change ends the other sessions', async () => {
    const a = await startTestServer(dialect);
    const b = await startTestServer(dialect, { database: a.database });
    try {
      await seedTenant(a, 'acme');
      await admin(a, 'PUT', '/tenants/acme/employees/u1/password', { password: GOOD });
      await admin(a, 'PUT', '/tenants/acme/employees/u0/password', { password: GOOD });

      // Rotation: a sign-in never keeps a session from before, its own or someone else's.
      const browser = new PeopleClient(a.url);
      assert.equal((await signIn(browser, 'u0', GOOD)).status, 200);
      const first = sessionCookie(browser)!;
      assert.equal((await signIn(browser, 'u1', GOOD)).status, 200);
      const second = sessionCookie(browser)!;
      assert.notEqual(second, first);
      const old = new PeopleClient(a.url);
      old.cookies.set('pf_session', first);
      assert.equal((await old.get('/api/v1/me')).status, 401, 'the session from before sign-in is gone');
      assert.equal((await browser.get('/api/v1/me')).body.person.user_id, 'u1');

      // The session works on the other server, and sign-out on that one ends it on this one.
      const onB = new PeopleClient(b.url);
      for (const [k, v] of browser.cookies) onB.cookies.set(k, v);
      onB.csrfToken = browser.csrfToken;
      assert.equal((await onB.get('/api/v1/me')).status, 200);
      assert.equal((await onB.post('/api/v1/auth/sign-out')).status, 204);
      assert.equal((await browser.get('/api/v1/me')).status, 401, 'signed out on server b: gone on server a');

      // Two sessions of u1, one per server; a password change on a ends the one on b.
      const laptop = new PeopleClient(a.url);
      const phone = new PeopleClient(b.url);
      assert.equal((await signIn(laptop, 'u1', GOOD)).status, 200);
      assert.equal((await signIn(phone, 'u1', GOOD)).status, 200);
      const wrongCurrent = await laptop.post('/api/v1/me/password', {
        current_password: 'not the password',
        new_password: 'a brand new secret',
      });
      assert.equal(wrongCurrent.status, 400);
      assert.deepEqual(
        wrongCurrent.body.error.violations.map((v: { field: string }) => v.field),
        ['current_password'],
      );
      assert.equal((await phone.get('/api/v1/me')).status, 200, 'a refused change ends nothing');
      const tooShort = await laptop.post('/api/v1/me/password', {
        current_password: GOOD,
        new_password: 'short',
      });
      assert.equal(tooShort.status, 400);
      assert.equal(tooShort.body.error.violations[0].field, 'new_password');
      const noCsrf = await laptop.request('POST', '/api/v1/me/password', {
        body: { current_password: GOOD, new_password: 'a brand new secret' },
      });
      assert.equal(noCsrf.status, 403);
      assert.equal((await signIn(new PeopleClient(a.url), 'u1', GOOD)).status, 200, 'nothing changed');

      const changed = await laptop.post('/api/v1/me/password', {
        current_password: GOOD,
        new_password: 'a brand new secret',
      });
      assert.equal(changed.status, 204, JSON.stringify(changed.body));
      assert.equal((await laptop.get('/api/v1/me')).status, 200, 'the session that changed it stays');
      assert.equal(
        (await phone.get('/api/v1/me')).status,
        401,
        'the other session ended, on the other server',
      );
      assert.equal((await signIn(new PeopleClient(b.url), 'u1', GOOD)).status, 401);
      assert.equal((await signIn(new PeopleClient(b.url), 'u1', 'a brand new secret')).status, 200);

      // An admin reset signs the person out everywhere.
      await admin(a, 'PUT', '/tenants/acme/employees/u1/password', { password: 'reset by the admin' });
      assert.equal((await laptop.get('/api/v1/me')).status, 401);
      const cleared = await admin(a, 'DELETE', '/tenants/acme/employees/u1/password');
      assert.deepEqual(cleared.body.data, { user_id: 'u1', has_password: false });
      assert.equal((await signIn(new PeopleClient(a.url), 'u1', 'reset by the admin')).status, 401);
    } finally {
      await b.close();
      await a.close();
    }
  });

  test('invites: one-time, expiring, only the newest works; sessions expire when idle and absolutely', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const t = await startTestServer(dialect, {
      clock,
      flags: ['--session-idle-minutes', '30', '--session-max-hours', '2'],
    });
    try {
      await seedTenant(t, 'acme');
      const refused = await t.admin('POST', '/tenants/acme/employees/nobody/invites', {});
      assert.equal(refused.status, 404);
      const stale = await admin(t, 'POST', '/tenants/acme/employees/u0/invites', {});
      const created = await admin(t, 'POST', '/tenants/acme/employees/u0/invites', { expires_in_hours: 48 });
      assert.equal(created.status, 201);
      const url = new URL(created.body.data.url as string);
      assert.equal(url.origin, t.url);
      const match = /^\/invite\/([A-Za-z0-9_-]{20,})$/.exec(url.pathname);
      assert.ok(match, url.pathname);
      const token = match[1]!;
      assert.equal(created.body.data.expires_at, String(clock.now() + 48 * 3600 * 1000));
      const staleToken = new URL(stale.body.data.url as string).pathname.split('/').pop()!;

      const person = new PeopleClient(t.url);
      const staleInfo = await person.get(`/api/v1/auth/invites/${staleToken}`);
      assert.equal(staleInfo.status, 400, 'a newer invite replaced it');
      assert.equal(staleInfo.body.error.code, 'invite_invalid');
      const info = await person.get(`/api/v1/auth/invites/${token}`);
      assert.equal(info.status, 200, JSON.stringify(info.body));
      assert.equal(info.body.person.user_id, 'u0');
      assert.equal(info.body.tenant.tenant_key, 'acme');
      assert.equal(info.body.expires_at, new Date(clock.now() + 48 * 3600 * 1000).toISOString());
      assert.equal((await person.get('/api/v1/auth/invites/forged-token')).body.error.code, 'invite_invalid');

      const short = await person.post(`/api/v1/auth/invites/${token}/accept`, { password: 'short' });
      assert.equal(short.status, 400);
      assert.deepEqual(
        short.body.error.violations.map((v: { field: string }) => v.field),
        ['password'],
      );
      const long = await person.post(`/api/v1/auth/invites/${token}/accept`, { password: 'x'.repeat(201) });
      assert.equal(long.status, 400);
      assert.equal(long.body.error.violations[0].field, 'password');
      const noCsrf = await person.request('POST', `/api/v1/auth/invites/${token}/accept`, {
        body: { password: GOOD },
      });
      assert.equal(noCsrf.status, 403);

      const accepted = await person.post(`/api/v1/auth/invites/${token}/accept`, { password: GOOD });
      assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
      assert.equal(accepted.body.person.user_id, 'u0');
      assert.equal(accepted.body.auth_method, 'invite');
      assert.equal(accepted.body.has_password, true);
      const again = await new PeopleClient(t.url).post(`/api/v1/auth/invites/${token}/accept`, {
        password: 'another password',
      });
      assert.equal(again.status, 400);
      assert.equal(again.body.error.code, 'invite_invalid');
      assert.equal((await person.get(`/api/v1/auth/invites/${token}`)).body.error.code, 'invite_invalid');
      assert.equal((await signIn(new PeopleClient(t.url), 'u0', GOOD)).status, 200);
      assert.equal((await signIn(new PeopleClient(t.url), 'u0', 'another password')).status, 401);

      // Expired: two days later the link is refused, and nothing is set.
      const later = await admin(t, 'POST', '/tenants/acme/employees/u1/invites', { expires_in_hours: 1 });
      const laterToken = new URL(later.body.data.url as string).pathname.split('/').pop()!;
      clock.advance(61 * 60 * 1000);
      const expired = await new PeopleClient(t.url).post(`/api/v1/auth/invites/${laterToken}/accept`, {
        password: GOOD,
      });
      assert.equal(expired.status, 400);
      assert.equal(expired.body.error.code, 'invite_invalid');
      assert.equal((await signIn(new PeopleClient(t.url), 'u1', GOOD)).status, 401);

      // Sessions: 30 idle minutes end one; so do 2 hours however busy.
      const idle = new PeopleClient(t.url);
      assert.equal((await signIn(idle, 'u0', GOOD)).status, 200);
      clock.advance(29 * 60 * 1000);
      assert.equal((await idle.get('/api/v1/me')).status, 200);
      clock.advance(31 * 60 * 1000);
      const expiredSession = await idle.get('/api/v1/me');
      assert.equal(expiredSession.status, 401);
      assert.equal(expiredSession.body.error.code, 'unauthenticated');
      const busy = new PeopleClient(t.url);
      assert.equal((await signIn(busy, 'u0', GOOD)).status, 200);
      for (let minutes = 0; minutes < 100; minutes += 20) {
        clock.advance(20 * 60 * 1000);
        assert.equal((await busy.get('/api/v1/me')).status, 200, `after ${minutes + 20} minutes`);
      }
      clock.advance(25 * 60 * 1000);
      assert.equal((await busy.get('/api/v1/me')).status, 401, 'the absolute limit holds');
    } finally {
      await t.close();
    }
  });

  test('deleting an employee deletes their password, invite links, sessions and preferences with them', async () => {
    const t = await startTestServer(dialect);
    try {
      await seedTenant(t, 'acme');
      await admin(t, 'PUT', '/tenants/acme/employees/u2/password', { password: GOOD });
      await admin(t, 'POST', '/tenants/acme/employees/u2/invites', {});
      const person = new PeopleClient(t.url);
      assert.equal((await signIn(person, 'u2', GOOD)).status, 200);
      assert.equal((await person.patch('/api/v1/me', { language: 'en' })).status, 200);
      // Someone else's rows stay.
      await admin(t, 'PUT', '/tenants/acme/employees/u1/password', { password: GOOD });
      const other = new PeopleClient(t.url);
      assert.equal((await signIn(other, 'u1', GOOD)).status, 200);

      const db = t.server.database.db;
      const idOf = async (userId: string) =>
        (
          await db
            .selectFrom('employees')
            .select('id')
            .where('user_id', '=', userId)
            .executeTakeFirstOrThrow()
        ).id;
      const [u2, u1] = [await idOf('u2'), await idOf('u1')];
      const rowsOf = async (employeeId: string) => {
        const counts: Record<string, number> = {};
        for (const table of [
          'people_credentials',
          'people_invites',
          'people_sessions',
          'employee_preferences',
        ] as const)
          counts[table] = (
            await db.selectFrom(table).select('employee_id').where('employee_id', '=', employeeId).execute()
          ).length;
        return counts;
      };
      const one = { people_credentials: 1, people_invites: 1, people_sessions: 1, employee_preferences: 1 };
      assert.deepEqual(await rowsOf(u2), one);

      await admin(t, 'DELETE', '/tenants/acme/employees/u2');
      assert.deepEqual(await rowsOf(u2), {
        people_credentials: 0,
        people_invites: 0,
        people_sessions: 0,
        employee_preferences: 0,
      });
      assert.deepEqual(await rowsOf(u1), { ...one, people_invites: 0, employee_preferences: 0 });
      assert.equal((await person.get('/api/v1/me')).status, 401, 'the deleted person is signed out');
      assert.equal((await other.get('/api/v1/me')).status, 200, 'others stay signed in');

      // A new employee with the same user_id starts without a password.
      await admin(t, 'POST', '/tenants/acme/employees', {
        user_id: 'u2',
        name: { zh_cn: '新员工', en_us: 'New person' },
        email: 'new-u2@acme.example',
        department_id: 'root',
      });
      assert.equal((await signIn(new PeopleClient(t.url), 'u2', GOOD)).status, 401);
    } finally {
      await t.close();
    }
  });

  test('throttling: per source address and per account, right passwords refused too, with Retry-After', async () => {
    const t = await startTestServer(dialect, { flags: ['--auth-failure-limit', '3', '--host', '0.0.0.0'] });
    try {
      await seedTenant(t, 'acme');
      await admin(t, 'PUT', '/tenants/acme/employees/u1/password', { password: GOOD });
      await admin(t, 'PUT', '/tenants/acme/employees/u0/password', { password: GOOD });
      const client = new PeopleClient(t.url);
      await client.ensureCsrf();
      const from = (address: string, login: string, password: string) =>
        postFrom(address, client, '/api/v1/auth/password', { login, password });

      for (let i = 0; i < 3; i++) assert.equal((await from('127.0.0.1', 'u1', `guess ${i}`)).status, 401);
      const refused = await from('127.0.0.1', 'u1', GOOD);
      assert.equal(refused.status, 429);
      assert.equal(refused.body.error.code, 'too_many_requests');
      const retryAfter = Number(refused.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 15 * 60, `Retry-After ${retryAfter}`);
      // The address is spent: another account from it is refused too.
      assert.equal((await from('127.0.0.1', 'u0', GOOD)).status, 429);
      // The account is spent: the right password from another address is refused.
      assert.equal((await from('127.0.0.2', 'u1', GOOD)).status, 429, 'per account');
      assert.equal((await from('127.0.0.2', 'U1@acme.example', GOOD)).status, 429, 'by email as well');
      // Another account from another address is untouched.
      assert.equal((await from('127.0.0.2', 'u0', GOOD)).status, 200);
      // Unknown logins are counted too (per address).
      for (let i = 0; i < 3; i++) assert.equal((await from('127.0.0.3', `ghost${i}`, 'x')).status, 401);
      assert.equal((await from('127.0.0.3', 'u0', GOOD)).status, 429);
    } finally {
      await t.close();
    }
  });
});
