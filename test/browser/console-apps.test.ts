import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { screenshot, type Locale } from '../helpers/browser.js';
import { until, webhookReceiver, type WebhookReceiver } from '../helpers/receivers.js';
import {
  assertNoHorizontalScroll,
  browserSuite,
  dialogOpened,
  eventually,
  FIVE_DAY_LEAVE,
  gone,
  see,
  type BrowserEnv,
} from './harness.js';
import { slowDown, typeDay } from './filters.js';

/** Webhooks may reach the receiver on loopback; retries come fast (100, 200, 300 ms, then parked). */
const FLAGS = [
  '--webhook-allow-hosts',
  '127.0.0.1',
  '--dispatch-interval-ms',
  '20',
  '--webhook-retry-schedule',
  '100ms,200ms,300ms',
];

interface ParkedDelivery {
  delivery_id: string;
  process_id: string;
}

async function parkedOf(env: BrowserEnv, appId: string): Promise<ParkedDelivery[]> {
  const head = await env.people('hr_head');
  return (await head.get(`/api/v1/admin/deliveries?status=parked&app_id=${appId}`)).body
    .items as ParkedDelivery[];
}

/** Full-page screenshots from the top: the sticky header is drawn where the page was scrolled to. */
async function shoot(page: Page, name: string, locale: Locale): Promise<void> {
  await page.evaluate('window.scrollTo(0, 0)');
  await screenshot(page, name, locale);
}

async function goto(page: Page, env: BrowserEnv, path: string): Promise<void> {
  await page.goto(`${env.url}${path}`);
}

browserSuite(
  'console: apps and event deliveries',
  (it) => {
    it('hr_head creates an app, sees the secret once, verifies a webhook URL and re-sends a parked delivery', async (env) => {
      const receiver: WebhookReceiver = await webhookReceiver({});
      try {
        const page = await env.open('hr_head');
        await goto(page, env, '/console/apps');
        await see(page.getByRole('heading', { name: 'Apps' }), 'the apps page');

        // Create: the secret is shown once, with its warning.
        await page.getByRole('button', { name: 'Create app' }).click();
        const dialog = page.getByRole('dialog');
        // A click while the dialog still zooms in can land on the backdrop (seen once on a loaded host).
        await dialogOpened(page);
        await dialog.getByLabel('Name').fill('Payroll sync');
        await dialog.getByRole('button', { name: 'Create app' }).click();
        await see(page.getByRole('heading', { name: 'Payroll sync' }), 'the new app page');
        const secret = page.getByTestId('app-secret');
        await see(secret, 'the new secret');
        assert.match((await secret.textContent()) ?? '', /\S{16,}/);
        await see(page.getByText('it will not be shown again'), 'the warning that it is shown once');
        const appId = /\/console\/apps\/([^/?#]+)/.exec(page.url())?.[1];
        assert.ok(appId, `an app id in ${page.url()}`);

        // Event settings: a real receiver, the challenge passed, what it answered shown.
        await page.getByLabel('Request URL').fill(receiver.url);
        await page.getByRole('checkbox', { name: /Process status changed/ }).check();
        await page.getByRole('button', { name: 'Save event settings' }).click();
        await see(page.getByText('URL verified'), 'the verification result');
        await see(page.getByText('The receiver answered HTTP 200'), "the receiver's answer");
        await shoot(page, 'console-apps', 'en');

        // Leaving and coming back: the secret is not shown again; the saved URL is marked verified.
        await page.reload();
        await see(page.getByText('It is shown only once'), 'the hidden secret');
        await see(page.getByText('passed the url_verification challenge when it was saved'), 'the saved URL');
        await gone(page.getByTestId('app-secret'), 'the secret');

        // A delivery that fails through the whole retry schedule is parked…
        receiver.failNext(4);
        const processId = await env.start(env.flows.leave!, 'employee', FIVE_DAY_LEAVE);
        await eventually(async () => (await parkedOf(env, appId)).length === 1, 'a parked delivery', 15_000);
        const [parked] = await parkedOf(env, appId);
        assert.ok(parked);
        assert.equal(parked.process_id, processId);

        // …listed on its own tab, its event shown on demand, and re-sent.
        await goto(page, env, '/console/deliveries');
        await page.getByRole('tab', { name: 'Parked' }).click();
        await see(page.getByText('Fix the receiver, then re-send them'), 'the parked tab');
        const row = page.locator('tr', { hasText: processId }).first();
        await see(row, 'the parked delivery');
        await row.getByRole('button', { name: /expand/i }).click();
        await see(page.getByLabel('Event body'), 'the event JSON');
        assert.match((await page.getByLabel('Event body').textContent()) ?? '', new RegExp(processId));
        await shoot(page, 'console-deliveries', 'en');
        await page.getByRole('button', { name: `Resend delivery ${parked.delivery_id}` }).click();
        await see(page.getByText('Re-sent: it will be delivered again'), 'the re-send confirmation');
        await until(
          () => receiver.events.some((e) => e.process_id === processId),
          10_000,
          'the event arrives',
        );
        await gone(page.locator('tr', { hasText: processId }), 'the row on the parked tab', 15_000);
        await page.getByRole('tab', { name: 'All' }).click();
        await see(
          page.locator('tr', { hasText: processId }).filter({ hasText: 'Delivered' }),
          'the delivery, delivered',
        );

        // The log polls: a slow refresh leaves the rows as they are and says so above them.
        await slowDown(page, '**/api/v1/admin/deliveries?**', 2_500);
        await see(page.getByRole('status').filter({ hasText: 'Updating…' }), 'the updating hint', 15_000);
        assert.equal(await page.locator('.pf-apps .ant-spin-spinning').count(), 0, 'the rows are not greyed');
        assert.equal(await page.locator('.pf-apps [aria-busy="true"]').count(), 0, 'the table is not busy');
        await page.unroute('**/api/v1/admin/deliveries?**');

        // Days typed into the range land in the URL as YYYY-MM-DD; a range in the past finds nothing.
        await typeDay(page, 'From', '2020-01-01');
        await typeDay(page, 'To (inclusive)', '2020-01-31');
        await eventually(
          () =>
            Promise.resolve(page.url().includes('from=2020-01-01') && page.url().includes('to=2020-01-31')),
          'the range in the URL',
        );
        await see(page.getByText('No deliveries match'), 'nothing created in the range');

        // The same screens in Chinese.
        const zh = await env.open('hr_head', { locale: 'zh-CN' as Locale });
        await goto(zh, env, `/console/apps/${appId}`);
        await see(zh.getByText('推送指标'), 'the app page in Chinese');
        await see(zh.getByText('已送达').first(), 'the metrics in Chinese');
        await shoot(zh, 'console-apps', 'zh-CN');
        await goto(zh, env, '/console/deliveries');
        await see(zh.getByText('事件推送记录'), 'the delivery log in Chinese');
        await see(zh.locator('tr', { hasText: processId }).first(), 'the delivery in Chinese');
        // The date filter speaks Chinese (the native input said mm/dd/yyyy).
        assert.equal(
          await zh.getByLabel('开始日期', { exact: true }).getAttribute('placeholder'),
          '开始日期',
        );
        assert.equal(await zh.locator('.pf-deliveries-filters input[type="date"]').count(), 0);
        // Every process id shows whole inside its cell (the status beside it once covered its end).
        const clipped = await zh.locator('td code.pf-deliveries-nowrap').evaluateAll((codes) =>
          codes
            .filter((code) => {
              const cell = code.closest('td');
              return !cell || code.getBoundingClientRect().right > cell.getBoundingClientRect().right;
            })
            .map((code) => code.textContent),
        );
        assert.deepEqual(clipped, [], 'process ids wider than their cells');
        await shoot(zh, 'console-deliveries', 'zh-CN');

        // At phone width both pages fit: the wide table scrolls inside itself.
        const phone = await env.open('hr_head', { width: 375, height: 800 });
        await goto(phone, env, `/console/apps/${appId}`);
        await see(phone.getByRole('heading', { name: 'Payroll sync' }), 'the app page on a phone');
        await assertNoHorizontalScroll(phone, 'the app page');
        await goto(phone, env, '/console/deliveries');
        await see(phone.locator('tr', { hasText: processId }).first(), 'the delivery log on a phone');
        await assertNoHorizontalScroll(phone, 'the delivery log');
      } finally {
        await receiver.close();
      }
    });
  },
  { flags: FLAGS },
);
