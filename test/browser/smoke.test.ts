import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import {
  chromiumMissing,
  launchChromium,
  openAs,
  seriousA11yViolations,
  signInWithDemoPage,
} from '../helpers/browser.js';
import type { TestDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { demoDatabase } from './demo-data.js';
import { ensureWebBuild } from './web-build.js';

/**
 * The smallest proof that the built web app is served and works: a demo person signs in with one
 * click and lands on the To do tab of the approval center. The full suite lives beside this file.
 */
// Each test says SKIP when there is no Chromium, so the run's summary counts them as skipped.
describe('web app smoke test (real Chromium)', () => {
  let server: TestServer;
  let browser: Browser;
  let database: TestDatabase | undefined;
  before(async () => {
    if (chromiumMissing) return;
    // The same build (fresh, under the lock) and demo data as the rest of the suite.
    await ensureWebBuild();
    database = await demoDatabase();
    server = await startTestServer('sqlite', { flags: ['--demo'], ...(database ? { database } : {}) });
    browser = await launchChromium();
  });
  after(async () => {
    if (chromiumMissing) return;
    await browser.close();
    await server.close();
    await database?.drop();
  });

  test(
    'a demo person signs in with one click and sees the To do tab',
    { skip: chromiumMissing },
    async () => {
      const { context, page } = await openAs(browser, server.url, { locale: 'en' });
      try {
        await page.goto('/approval-center/todo');
        await page.waitForURL(/\/sign-in\?return_to=%2Fapproval-center%2Ftodo/);
        await signInWithDemoPage(page, 'Wang Fang');
        await page.waitForURL(/\/approval-center\/todo$/);
        const todo = page.getByRole('tab', { name: /^To do/ });
        await todo.waitFor();
        assert.equal(await todo.getAttribute('aria-selected'), 'true');
        for (const name of [/^Done/, /^Started by me/, /^CC me/])
          assert.equal(await page.getByRole('tab', { name }).count(), 1, String(name));
        await page.getByRole('button', { name: 'New request' }).waitFor();
        assert.deepEqual(await seriousA11yViolations(page), []);
      } finally {
        await context.close();
      }
    },
  );

  test(
    'at 375 px in Chinese the tabs and the New request button are there',
    { skip: chromiumMissing },
    async () => {
      const { context, page } = await openAs(browser, server.url, {
        locale: 'zh-CN',
        width: 375,
        height: 760,
      });
      try {
        await page.goto('/sign-in');
        await page.getByRole('button', { name: /王芳/ }).click();
        await page.waitForURL(/\/approval-center\/todo$/);
        await page.getByRole('tab', { name: /^待办/ }).waitFor();
        await page.getByRole('button', { name: '发起申请' }).waitFor();
        // Runs in the page (the test's own tsconfig has no DOM types).
        const overflow = await page.evaluate(() => {
          const page = globalThis as unknown as {
            document: { documentElement: { scrollWidth: number } };
            innerWidth: number;
          };
          return page.document.documentElement.scrollWidth > page.innerWidth;
        });
        assert.equal(overflow, false, 'no sideways scrolling at 375 px');
      } finally {
        await context.close();
      }
    },
  );
});
