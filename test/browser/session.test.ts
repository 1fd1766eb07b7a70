import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { browserSuite, see, type BrowserEnv } from './harness.js';

const HOUR = 60 * 60 * 1000;

browserSuite('sessions and CSRF in the browser', (it) => {
  it('a write without the CSRF token is refused and changes nothing; a cross-site sign-out form does nothing', async (env: BrowserEnv) => {
    const employee = await env.open('employee');
    await employee.goto('/profile');
    const forged = await employee.evaluate(async () => {
      const response = await fetch('/api/v1/me', {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ language: 'zh-CN' }),
      });
      return { status: response.status, body: (await response.json()) as { error?: { code?: string } } };
    });
    assert.equal(forged.status, 403);
    assert.equal(forged.body.error?.code, 'csrf_invalid');

    // Another site (another origin on this machine) auto-posts a form to the server.
    const evil = createServer((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end(`<!doctype html><html lang="en"><title>evil</title><body>
        <form id="f" method="post" action="${env.url}/api/v1/auth/sign-out"></form>
        <script>document.getElementById('f').submit()</script></body></html>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, 'localhost', resolve));
    try {
      const port = (evil.address() as AddressInfo).port;
      const visit = await employee.context().newPage();
      await visit.goto(`http://localhost:${port}/`);
      await visit.waitForLoadState('networkidle').catch(() => undefined);
      await visit.close();
    } finally {
      evil.close();
    }
    const me = await employee.evaluate(async () => {
      const response = await fetch('/api/v1/me');
      return { status: response.status, body: (await response.json()) as { language: unknown } };
    });
    assert.equal(me.status, 200, 'still signed in: the cross-site sign-out did nothing');
    assert.equal(me.body.language, null, 'the language setting is unchanged');
    await employee.reload();
    await see(employee.getByRole('button', { name: 'Sign out' }), 'the profile page, still signed in');
  });

  it('an expired session sends the person back to sign-in with a message', async (env: BrowserEnv) => {
    const employee = await env.open('employee');
    await employee.goto('/approval-center/todo');
    await see(employee.getByRole('tab', { name: /^To do/ }), 'the approval center');
    // Idle for longer than the idle expiry (12 h): the server no longer knows the session.
    env.clock.offsetMs += 13 * HOUR;
    try {
      // The person's next click asks the server, which no longer knows the session. A background refresh
      // (live updates) may ask first and send the page to sign-in before the click lands: the same end.
      await employee
        .getByRole('tab', { name: /^Started by me/ })
        .click({ timeout: 5_000 })
        .catch(() => undefined);
      await employee.waitForURL(/\/sign-in/);
      await see(employee.getByText(/session/i), 'a message about the session');
      await see(employee.getByText(/expired|sign in again/i), 'that it expired');
      // Signing in again works and nothing else is needed.
      await employee.getByRole('button', { name: /Zhang San/ }).click();
      await employee.waitForURL((url) => !url.pathname.endsWith('/sign-in'));
      await see(employee.getByRole('tab', { name: /^To do/ }), 'the approval center again');
    } finally {
      env.clock.offsetMs = 0;
    }
  });

  it('a first visit asks nothing it would be refused; a session cookie without its marker still signs in; a dead one is dropped', async (env: BrowserEnv) => {
    const page = await env.openAnonymous();
    const refused: string[] = [];
    const consoleErrors: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) refused.push(`${response.status()} ${new URL(response.url()).pathname}`);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.goto('/approval-center/todo');
    await page.waitForURL(/\/sign-in/);
    await see(page.getByRole('button', { name: /Zhang San/ }), 'the sign-in page');
    await page.waitForLoadState('networkidle');
    assert.deepEqual(refused, [], 'no request of a first visit is refused (no 401 from /me)');
    assert.deepEqual(consoleErrors, [], 'and the console stays clean');

    await page.getByRole('button', { name: /Zhang San/ }).click();
    await see(page.getByRole('tab', { name: /^To do/ }), 'signed in: the approval center');
    const names = async () => (await page.context().cookies()).map((c) => c.name).sort();
    assert.ok((await names()).includes('pf_signed_in'), 'the marker came with the session');

    // A session from before the marker existed: the page marks it again, and the person stays signed in.
    await page.context().clearCookies({ name: 'pf_signed_in' });
    await page.reload();
    await see(page.getByRole('tab', { name: /^To do/ }), 'still signed in after a reload without the marker');
    assert.ok((await names()).includes('pf_signed_in'), 'the marker is back');

    // A session the server no longer knows (a forged or ended token): sign-in, and both cookies dropped.
    const session = (await page.context().cookies()).find((c) => c.name === 'pf_session');
    assert.ok(session, 'the session cookie');
    await page.context().addCookies([{ ...session, value: 'no-such-session' }]);
    await page.reload();
    await page.waitForURL(/\/sign-in/);
    const left = await names();
    assert.ok(
      !left.includes('pf_session') && !left.includes('pf_signed_in'),
      `both dropped (${left.join(', ')})`,
    );
    refused.length = 0;
    await page.reload();
    await see(page.getByRole('button', { name: /Zhang San/ }), 'the sign-in page again');
    await page.waitForLoadState('networkidle');
    assert.deepEqual(refused, [], 'and the next visit is a first visit again: nothing refused');
  });
});
