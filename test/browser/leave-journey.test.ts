import assert from 'node:assert/strict';
import {
  browserSuite,
  chooseOption,
  detailUrl,
  eventually,
  processIdOf,
  see,
  taskAction,
  type BrowserEnv,
  type PageGlobals,
} from './harness.js';
import type { Page } from 'playwright-core';

/** Picks an option of a select (Ant Design: a combobox whose options show once it is open). */
async function choose(page: Page, label: string, option: string): Promise<void> {
  await page.getByLabel(label, { exact: true }).click();
  await chooseOption(page, option);
}

/** Types a date into a date picker's text box and accepts it. */
async function typeDate(page: Page, label: string, date: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}

/** The employee fills the leave form; `days` last, so the preview has everything else. */
async function fillLeave(page: Page, days: string): Promise<void> {
  await choose(page, 'Leave type', 'Annual');
  await typeDate(page, 'Start date', '2026-12-14');
  await typeDate(page, 'End date', '2026-12-18');
  await page.getByLabel('Reason', { exact: true }).fill('Family trip');
  await page.getByLabel('Days', { exact: true }).fill(days);
}

browserSuite('a 5-day leave from start to CC', (it) => {
  it('employee starts a 5-day leave (live preview), manager approves (employee sees it live), department leader approves, HRBP finds it under CC me', async (env: BrowserEnv) => {
    const employee = await env.open('employee');
    await employee.goto('/approval-center');
    await employee.waitForURL(/\/approval-center\/todo/);
    await employee.getByRole('button', { name: 'New request' }).click();
    await employee.waitForURL(/\/approval-center\/new$/);
    await employee
      .getByRole('link', { name: /^Leave/ })
      .first()
      .click();
    await employee.waitForURL(new RegExp(`/approval-center/new/${env.flows.leave}`));

    // Two days: the manager alone (the department leader only sees leaves over 3 days).
    await fillLeave(employee, '2');
    // The demo's annual leave balance, under the leave type: 10 days and 5 carried over.
    await see(
      employee.locator('.pf-leave-balance').getByText('Annual: 15 days available (balance 15, pending 0)'),
      'the balance hint on the form',
    );
    await see(employee.getByText('Wang Fang'), 'the manager in the preview');
    await assert.rejects(
      employee.getByText('Li Wei').first().waitFor({ state: 'visible', timeout: 1_500 }),
      'no department leader in the preview of a 2-day leave',
    );
    // Five days: the preview adds the department leader as the values change, before any submit.
    await employee.getByLabel('Days', { exact: true }).fill('5');
    await see(employee.getByText('Li Wei'), 'the department leader in the preview of a 5-day leave');
    await see(employee.getByText('Wang Fang'), 'the manager still in the preview');

    await employee.getByRole('button', { name: 'Submit', exact: true }).click();
    await employee.waitForURL(/\/approval-center\/processes\/[^/]+$/);
    const processId = processIdOf(employee);
    const started = await env.process(processId);
    assert.equal(started.status, 'in_progress');
    assert.deepEqual(
      started.tasks.filter((t) => t.status === 'in_progress').map((t) => t.user_id),
      ['manager'],
    );
    await see(employee.getByText('In progress'), 'the status In progress');
    // A mark on the window: it survives only if the page is never reloaded.
    await employee.evaluate(() => {
      (globalThis as unknown as PageGlobals).__noReload = true;
    });
    const approvedBefore = await employee.getByText('Approved', { exact: true }).count();

    // The manager, in their own context, finds it in To do and approves.
    const manager = await env.open('manager');
    await manager.goto('/approval-center/todo');
    // The row's summary writes the dates as English does, not as stored (2026-12-14).
    await see(
      manager.locator('.pf-row-summary').first().getByText('Dec 14, 2026', { exact: true }),
      'the start date in the to-do row, in English',
    );
    await manager.getByRole('link', { name: /Leave/ }).first().click();
    await manager.waitForURL(new RegExp(detailUrl(processId)));
    await see(
      manager.locator('.ant-card', { hasText: 'Summary' }).getByText('Dec 18, 2026', { exact: true }),
      'the end date in the summary card, as in the form below',
    );
    // What approving will do: the 5 days debited from Zhang San's annual leave, 15 → 10.
    const card = manager.locator('.pf-on-approval');
    await see(
      card.getByText('Leave balance: Annual', { exact: true }),
      'the leave balance, by its type’s name (not its key), on the on-approval card',
    );
    await see(card.getByRole('cell', { name: '15', exact: true }), 'the balance before');
    await see(card.getByRole('cell', { name: '10', exact: true }), 'the balance after the debit');
    await taskAction(manager, 'Approve', 'Have a good trip');
    await eventually(
      async () =>
        (await env.process(processId)).tasks.some((t) => t.user_id === 'manager' && t.status === 'approved'),
      'the manager approved on the server',
    );
    const approvedAt = Date.now();

    // The employee's open detail page updates by itself, within 2 s (plus this machine's slack).
    await eventually(
      async () => (await employee.getByText('Approved', { exact: true }).count()) > approvedBefore,
      "the manager's approval on the employee's open page without a reload",
      3_000,
    );
    assert.ok(Date.now() - approvedAt < 3_000);
    await see(employee.getByText('Have a good trip'), "the manager's opinion in the timeline");
    assert.equal(
      await employee.evaluate(() => (globalThis as unknown as PageGlobals).__noReload),
      true,
      'the page was not reloaded',
    );

    // The department leader approves.
    const leader = await env.open('dept_leader');
    await leader.goto(detailUrl(processId));
    await taskAction(leader, 'Approve');
    await eventually(async () => (await env.process(processId)).status === 'completed', 'completed');

    await see(employee.getByText('Completed', { exact: true }), 'Completed on the employee page', 3_000);
    const done = await env.process(processId);
    assert.deepEqual(
      done.cc_list.map((c) => c.user_id),
      ['hrbp'],
    );

    // The HRBP finds it under CC me.
    const hrbp = await env.open('hrbp');
    await hrbp.goto('/approval-center');
    await hrbp.getByRole('tab', { name: /^CC me/ }).click();
    await hrbp.waitForURL(/\/approval-center\/cc/);
    await see(hrbp.getByText('Zhang San'), 'the leave of Zhang San under CC me');
    await hrbp.getByRole('link', { name: /Leave/ }).first().click();
    await hrbp.waitForURL(new RegExp(detailUrl(processId)));
    await see(hrbp.getByText('Completed', { exact: true }), 'the completed leave, opened from CC me');
  });
});
