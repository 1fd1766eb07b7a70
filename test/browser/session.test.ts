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
});
