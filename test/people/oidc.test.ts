import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { seedTenant, startTestServer, type TestServer } from '../helpers/server.js';
import { PeopleClient } from '../helpers/people.js';
import { IdentityProvider } from '../helpers/identity-provider.js';

forEachDialect('people API single sign-on (OpenID Connect)', (dialect) => {
  let t: TestServer;
  let idp: IdentityProvider;
  before(async () => {
    t = await startTestServer(dialect);
    await seedTenant(t, 'acme');
    idp = await IdentityProvider.start([`${t.url}/api/v1/auth/oidc/callback`]);
    idp.accounts.set('alice', { email: 'U1@Acme.Example', email_verified: true, name: 'Alice' });
    idp.accounts.set('unverified', { email: 'u2@acme.example', email_verified: false });
    idp.accounts.set('stranger', { email: 'stranger@elsewhere.example', email_verified: true });
    idp.accounts.set('leaver', { email: 'u2@acme.example', email_verified: true });
    idp.accounts.set('no-email', {});
  });
  after(async () => {
    await idp.close();
    await t.close();
  });

  test('admin API: settings are checked, the client secret never comes back', async () => {
    const none = await t.admin('GET', '/tenants/acme/sso');
    assert.equal(none.status, 404);
    const noSecret = await t.admin('PUT', '/tenants/acme/sso', {
      issuer_url: idp.issuer,
      client_id: idp.clientId,
    });
    assert.equal(noSecret.status, 400);
    assert.deepEqual(
      noSecret.body.error.field_violations.map((v: { field: string }) => v.field),
      ['client_secret'],
    );
    for (const issuer of [
      'http://id.example.com',
      'ftp://127.0.0.1',
      'not a url',
      'https://id.example.com/?x=1',
    ]) {
      const refused = await t.admin('PUT', '/tenants/acme/sso', {
        issuer_url: issuer,
        client_id: idp.clientId,
        client_secret: idp.clientSecret,
      });
      assert.equal(refused.status, 400, issuer);
      assert.equal(refused.body.error.field_violations[0].field, 'issuer_url', issuer);
    }
    assert.equal(
      (await t.admin('GET', '/tenants/acme/sso')).status,
      404,
      'nothing stored by refused requests',
    );

    const set = await t.admin('PUT', '/tenants/acme/sso', {
      issuer_url: idp.issuer,
      client_id: idp.clientId,
      client_secret: idp.clientSecret,
      label: 'Acme ID',
    });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.data.label, 'Acme ID');
    assert.equal(set.body.data.redirect_uri, `${t.url}/api/v1/auth/oidc/callback`);
    const got = await t.admin('GET', '/tenants/acme/sso');
    assert.deepEqual(got.body.data, set.body.data);
    assert.ok(!JSON.stringify(got.body).includes(idp.clientSecret), 'the secret is not returned');
    assert.equal(got.body.data.client_secret, undefined);
    // An update without the secret keeps it.
    const relabel = await t.admin('PUT', '/tenants/acme/sso', {
      issuer_url: idp.issuer,
      client_id: idp.clientId,
      label: 'Acme single sign-on',
    });
    assert.equal(relabel.status, 200);
    const options = await new PeopleClient(t.url).get('/api/v1/auth/options');
    assert.deepEqual(options.body.oidc, { label: 'Acme single sign-on' });
  });

  test('sign-in maps the verified email to the employee and returns to the page asked for', async () => {
    const browser = new PeopleClient(t.url);
    idp.nextAccount = 'alice';
    const { start, callbackUrl, answer } = await idp.signIn(
      browser,
      '/api/v1/auth/oidc/start?return_to=%2Fapproval-center%2Ftodo%3Fsort%3Doldest',
    );
    assert.equal(start.status, 302);
    const authorize = new URL(start.headers.get('location')!);
    assert.equal(authorize.origin, idp.issuer);
    assert.equal(authorize.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(authorize.searchParams.get('state'));
    assert.ok(authorize.searchParams.get('nonce'));
    assert.equal(authorize.searchParams.get('client_id'), idp.clientId);
    const flowCookie = start.headers.getSetCookie().find((c) => c.startsWith('pf_oidc='));
    assert.match(flowCookie ?? '', /HttpOnly/i);
    assert.match(flowCookie ?? '', /Max-Age=600/i);
    assert.match(flowCookie ?? '', /Path=\/api\/v1\/auth\/oidc/i);
    assert.ok(!(flowCookie ?? '').includes(authorize.searchParams.get('state')!), 'the state is sealed');

    assert.equal(callbackUrl?.pathname, '/api/v1/auth/oidc/callback');
    assert.equal(answer?.status, 302, JSON.stringify(answer?.body));
    assert.equal(answer.headers.get('location'), '/approval-center/todo?sort=oldest');
    const me = await browser.get('/api/v1/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.person.user_id, 'u1');
    assert.equal(me.body.auth_method, 'oidc');
    assert.equal(me.body.has_password, false);
    assert.equal(browser.cookies.has('pf_oidc'), false, 'the flow cookie is cleared');

    // The callback URL cannot be replayed: the flow is over (and the code used).
    const replay = await browser.get(`${callbackUrl.pathname}${callbackUrl.search}`);
    assert.equal(replay.status, 302);
    assert.equal(replay.headers.get('location'), '/sign-in?error=oidc_failed');

    // A second sign-in rotates the session.
    const before = browser.cookies.get('pf_session');
    const again = await idp.signIn(browser, '/api/v1/auth/oidc/start?tenant=acme');
    assert.equal(again.answer?.headers.get('location'), '/');
    assert.notEqual(browser.cookies.get('pf_session'), before);
    const stale = new PeopleClient(t.url);
    stale.cookies.set('pf_session', before!);
    assert.equal((await stale.get('/api/v1/me')).status, 401);
  });

  test('unverified, unknown or missing email, or a person who left: back to the sign-in page with the reason', async () => {
    await t.admin('PATCH', '/tenants/acme/employees/u2', { employment_status: 'terminated' });
    const cases: [string, string, string][] = [
      ['unverified', '/api/v1/auth/oidc/start', '/sign-in?error=unknown_person'],
      ['stranger', '/api/v1/auth/oidc/start?tenant=acme', '/t/acme/sign-in?error=unknown_person'],
      ['no-email', '/api/v1/auth/oidc/start', '/sign-in?error=unknown_person'],
      ['leaver', '/api/v1/auth/oidc/start?tenant=acme', '/t/acme/sign-in?error=account_disabled'],
    ];
    for (const [account, start, expected] of cases) {
      idp.nextAccount = account;
      const browser = new PeopleClient(t.url);
      const { answer } = await idp.signIn(browser, start);
      assert.equal(answer?.status, 302, account);
      assert.equal(answer.headers.get('location'), expected, account);
      assert.equal(browser.cookies.has('pf_session'), false, account);
      assert.equal((await browser.get('/api/v1/me')).status, 401, account);
    }
  });

  test('forged or mismatched callbacks and unsafe return_to are refused', async () => {
    for (const returnTo of [
      '//evil.example/x',
      'https://evil.example/',
      '/\\evil.example',
      'relative',
      '/a\nb',
    ]) {
      const response = await new PeopleClient(t.url).get(
        `/api/v1/auth/oidc/start?return_to=${encodeURIComponent(returnTo)}`,
      );
      assert.equal(response.status, 400, returnTo);
      assert.equal(response.body.error.code, 'invalid_field');
      assert.equal(response.body.error.violations[0].field, 'return_to');
    }

    // No flow cookie: a callback from nowhere.
    const nowhere = await new PeopleClient(t.url).get('/api/v1/auth/oidc/callback?code=x&state=y');
    assert.equal(nowhere.status, 302);
    assert.equal(nowhere.headers.get('location'), '/sign-in?error=oidc_failed');

    // A forged flow cookie.
    const forged = new PeopleClient(t.url);
    forged.cookies.set('pf_oidc', 'v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const forgedAnswer = await forged.get('/api/v1/auth/oidc/callback?code=x&state=y');
    assert.equal(forgedAnswer.headers.get('location'), '/sign-in?error=oidc_failed');

    // The right browser, but a state that is not the one it started with (a login-CSRF attempt).
    idp.nextAccount = 'alice';
    const victim = new PeopleClient(t.url);
    const start = await victim.get('/api/v1/auth/oidc/start?tenant=acme');
    assert.equal(start.status, 302);
    const attacker = new PeopleClient(t.url);
    const { callbackUrl } = await idp.signIn(attacker, '/api/v1/auth/oidc/start?tenant=acme');
    const swapped = await victim.get(`${callbackUrl!.pathname}${callbackUrl!.search}`);
    assert.equal(swapped.status, 302);
    assert.equal(swapped.headers.get('location'), '/t/acme/sign-in?error=oidc_failed');
    assert.equal((await victim.get('/api/v1/me')).status, 401);

    // The provider refusing (the person cancelled).
    const cancelled = new PeopleClient(t.url);
    const cancelledStart = await cancelled.get('/api/v1/auth/oidc/start');
    const state = new URL(cancelledStart.headers.get('location')!).searchParams.get('state')!;
    const denied = await cancelled.get(
      `/api/v1/auth/oidc/callback?error=access_denied&state=${state}&iss=${encodeURIComponent(idp.issuer)}`,
    );
    assert.equal(denied.headers.get('location'), '/sign-in?error=oidc_failed');
  });

  test('a tenant without single sign-on, or an unreachable provider: back to the sign-in page', async () => {
    await seedTenant(t, 'globex');
    const notConfigured = await new PeopleClient(t.url).get('/api/v1/auth/oidc/start?tenant=globex');
    assert.equal(notConfigured.status, 302);
    assert.equal(notConfigured.headers.get('location'), '/t/globex/sign-in?error=oidc_failed');
    const unknownTenant = await new PeopleClient(t.url).get('/api/v1/auth/oidc/start?tenant=nope');
    assert.equal(unknownTenant.headers.get('location'), '/t/nope/sign-in?error=oidc_failed');

    const down = await t.admin('PUT', '/tenants/globex/sso', {
      issuer_url: 'http://127.0.0.1:9',
      client_id: 'x',
      client_secret: 'y',
    });
    assert.equal(down.status, 200);
    const unreachable = await new PeopleClient(t.url).get('/api/v1/auth/oidc/start?tenant=globex');
    assert.equal(unreachable.status, 302);
    assert.equal(unreachable.headers.get('location'), '/t/globex/sign-in?error=oidc_failed');

    assert.equal((await t.admin('DELETE', '/tenants/globex/sso')).status, 200);
    assert.equal((await t.admin('DELETE', '/tenants/globex/sso')).status, 404);
    const options = await new PeopleClient(t.url).get('/api/v1/auth/options?tenant=globex');
    assert.equal(options.body.oidc, undefined);
  });
});
