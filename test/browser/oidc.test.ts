import assert from 'node:assert/strict';
import { IdentityProvider } from '../helpers/identity-provider.js';
import { browserSuite, see, type BrowserEnv } from './harness.js';

/** Single sign-on in the browser: the sign-in page's button, a real oidc-provider, and back. */
browserSuite('single sign-on (OpenID Connect) in the browser', (it) => {
  it('the SSO button signs a person in at the identity provider and returns to the page asked for; an unknown person is told so', async (env: BrowserEnv) => {
    const idp = await IdentityProvider.start([`${env.url}/api/v1/auth/oidc/callback`]);
    try {
      idp.accounts.set('zhang', {
        email: 'Employee@Demo.PeopleFlow.local',
        email_verified: true,
        name: 'Zhang',
      });
      idp.accounts.set('stranger', { email: 'stranger@elsewhere.example', email_verified: true });
      const configured = await env.admin('PUT', '/tenants/demo/sso', {
        issuer_url: idp.issuer,
        client_id: idp.clientId,
        client_secret: idp.clientSecret,
        label: 'Demo ID',
      });
      assert.equal(configured.status, 200, JSON.stringify(configured.body));

      const page = await env.openAnonymous();
      await page.goto('/approval-center/started?sort=oldest');
      await page.waitForURL(/\/sign-in/);
      idp.nextAccount = 'zhang';
      const sso = page
        .getByRole('button', { name: /Demo ID/ })
        .or(page.getByRole('link', { name: /Demo ID/ }));
      await see(sso, 'the single sign-on button named by the tenant setting');
      await sso.first().click();
      // Through the provider (its login and consent are automatic here) and back to the page asked for.
      await page.waitForURL((url) => url.pathname === '/approval-center/started', { timeout: 15_000 });
      assert.equal(new URL(page.url()).searchParams.get('sort'), 'oldest');
      await see(page.getByText('Zhang San'), 'signed in as Zhang San');
      const me = await page.evaluate(async () => {
        const response = await fetch('/api/v1/me');
        return (await response.json()) as { person: { user_id: string }; auth_method: string };
      });
      assert.equal(me.person.user_id, 'employee');
      assert.equal(me.auth_method, 'oidc');

      // Someone the provider knows but the tenant does not: back on sign-in, with a message.
      const stranger = await env.openAnonymous();
      await stranger.goto('/sign-in');
      idp.nextAccount = 'stranger';
      const button = stranger
        .getByRole('button', { name: /Demo ID/ })
        .or(stranger.getByRole('link', { name: /Demo ID/ }));
      await button.first().click();
      await stranger.waitForURL(/\/sign-in\?.*error=unknown_person/, { timeout: 15_000 });
      await see(stranger.getByRole('alert'), 'an alert explaining the refusal');
      assert.match(
        await stranger.getByRole('alert').first().innerText(),
        /(does not|doesn't) match|no (employee|person|account)|not (found|known)|unknown/i,
      );
      assert.equal(
        await stranger.evaluate(async () => (await fetch('/api/v1/me')).status),
        401,
        'nobody is signed in',
      );
    } finally {
      await idp.close();
    }
  });
});
