import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { screenshot } from '../helpers/browser.js';
import { assertAccessible, browserSuite, chooseOption, eventually, see } from './harness.js';

/**
 * Node timers in the flow designer (issue 13): the head of People gives the leave flow's manager
 * approval a reminder and an automatic decision in working time; a reminder that would come after the
 * automatic decision is the server's problem, shown on the reminder's own input.
 */

interface Timers {
  remind?: { after_minutes: number };
  auto?: { after_minutes: number; action: string };
}

/** The node's timers in the draft as the server holds it (the designer autosaves). */
async function timersOf(page: Page, flowId: string, nodeId: string): Promise<Timers | undefined> {
  const response = await page.request.get(`/api/v1/admin/flows/${flowId}`);
  const body = (await response.json()) as {
    draft: { document: { nodes: { id: string; timers?: Timers }[] } } | null;
  };
  return body.draft?.document.nodes.find((n) => n.id === nodeId)?.timers;
}

/**
 * Picks a unit in the n-th duration's unit list and waits for the duration's help to say `shown`;
 * once more if a click landed while the list was still opening.
 */
async function chooseUnit(page: Page, drawer: Locator, which: 'first' | 'last', unit: string, shown: string) {
  for (let attempt = 0; attempt < 3; attempt++) {
    await drawer.getByRole('combobox', { name: 'Unit of “After”' })[which]().click();
    await chooseOption(page, unit);
    try {
      await see(drawer.getByText(shown), `the duration in ${unit}`, 3000);
      return;
    } catch {
      await page.keyboard.press('Escape');
    }
  }
  assert.fail(`could not choose ${unit}`);
}

browserSuite('console node timers', (it) => {
  it('sets a reminder and an automatic decision, and shows a timer problem on its input', async (env) => {
    const flowId = env.flows.leave as string;
    const page = await env.open('hr_head');
    await page.goto(`${new URL(page.url()).origin}/console/flows/${flowId}/flow`);
    await see(page.getByRole('heading', { name: /^(Flow|流程)$/ }), 'the flow designer');
    await page.getByRole('button', { name: 'Open Manager approval' }).click();
    const drawer = page.getByRole('dialog');
    await see(drawer.getByRole('heading', { name: 'Timers' }), 'the timers section');

    // A reminder: one working day to start with, then 1.5 hours.
    await drawer.getByRole('checkbox', { name: 'Remind the approver' }).check();
    await eventually(
      async () => (await timersOf(page, flowId, 'manager'))?.remind?.after_minutes === 480,
      'the reminder saved as a working day of minutes',
    );
    await chooseUnit(page, drawer, 'first', 'hours', '= 1 hour of working time');
    await drawer.getByRole('spinbutton', { name: 'After' }).first().fill('1.5');
    await eventually(
      async () => (await timersOf(page, flowId, 'manager'))?.remind?.after_minutes === 90,
      'the reminder saved as 90 minutes',
    );

    // An automatic decision after one hour: before the reminder, which then could never fire.
    await drawer.getByRole('checkbox', { name: 'Decide automatically' }).check();
    await chooseUnit(page, drawer, 'last', 'hours', '= 5 hours of working time');
    await drawer.getByRole('spinbutton', { name: 'After' }).last().fill('1');
    await eventually(async () => {
      const auto = (await timersOf(page, flowId, 'manager'))?.auto;
      return auto?.after_minutes === 60 && auto.action === 'transfer_to_admins';
    }, 'the automatic decision saved');
    await see(drawer.getByText(/comes at or after the automatic action/), "the server's problem");
    const remindAfter = drawer.getByRole('spinbutton', { name: 'After' }).first();
    await eventually(
      async () => (await remindAfter.getAttribute('aria-invalid')) === 'true',
      'the reminder input marked invalid',
    );
    const described = await remindAfter.getAttribute('aria-describedby');
    assert.ok(described, 'the reminder input is described by its problem');
    await assertAccessible(page, 'the node drawer with timers');
  });

  it('sets the flow HTTP action; a target on the internal network is a server problem', async (env) => {
    const flowId = env.flows.expense as string;
    const page = await env.open('hr_head');
    await page.goto(`${new URL(page.url()).origin}/console/flows/${flowId}/settings`);
    const api = await env.people('hr_head');
    const created = await api.post('/api/v1/admin/apps', {
      name: 'Finance sync',
      scopes: ['corehr:process:readonly'],
      event: { delivery_mode: 'long_connection', encrypt_key: 'finance-sync-key' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const appId = created.body.app_id as string;
    const actionOf = async () =>
      (
        (await api.get(`/api/v1/admin/flows/${flowId}`)).body as {
          draft: { document: { http_action?: { url: string; app_id: string } } } | null;
        }
      ).draft?.document.http_action;

    await page.getByRole('switch', { name: 'Call an HTTP endpoint when a request completes' }).click();
    const url = page.getByRole('textbox', { name: 'Endpoint URL' });
    await url.fill('http://10.0.0.5/peopleflow');
    const app = page.getByRole('combobox', { name: 'Signing app' });
    await app.click();
    await page
      .locator('.ant-select-item-option')
      .filter({ hasText: `Finance sync · ${appId}` })
      .click();
    await eventually(async () => (await actionOf())?.app_id === appId, 'the HTTP action saved');
    await page.getByRole('button', { name: 'Validate' }).click();
    await see(page.getByText(/refused: 10\.0\.0\.5 is/).first(), "the SSRF guard's problem");
    await eventually(
      async () => (await url.getAttribute('aria-invalid')) === 'true',
      'the URL marked invalid',
    );
    await url.fill('https://finance.example.com/peopleflow');
    await eventually(
      async () => (await actionOf())?.url === 'https://finance.example.com/peopleflow',
      'the public URL saved',
    );
    await assertAccessible(page, 'the flow settings with an HTTP action');
    await page.mouse.wheel(0, -5000);
    await screenshot(page, 'console-http-action', 'en');
  });
});
