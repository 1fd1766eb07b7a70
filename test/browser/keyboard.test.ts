import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import {
  browserSuite,
  dropdownOption,
  detailUrl,
  eventually,
  FIVE_DAY_LEAVE,
  processIdOf,
  gone,
  see,
  type BrowserEnv,
  type PageGlobals,
} from './harness.js';

/**
 * Keyboard only: after `goto`, every step is Tab / Shift+Tab / Enter / Space / arrows / typing
 * (no clicks). `tabTo` presses Tab until the control has focus, so the test does not depend on how
 * many controls come before it, only on the control being reachable by Tab.
 */
async function tabTo(page: Page, control: Locator, what: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    // A short timeout: the control may not be in the page yet (evaluate would wait for it).
    const focused = await control
      .first()
      .evaluate(
        (el) => {
          const active = (globalThis as unknown as PageGlobals).document.activeElement;
          return el === active || el.contains(active);
        },
        undefined,
        { timeout: 500 },
      )
      .catch(() => false);
    if (focused) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`${what} is not reachable with Tab (${max} presses)`);
}

async function typeDate(page: Page, label: string, date: string): Promise<void> {
  await tabTo(page, page.getByLabel(label, { exact: true }), label);
  await page.keyboard.type(date);
  await page.keyboard.press('Enter');
}

/** The text of the selected to-do: the focused row (j/k move the focus), else a row marked selected. */
async function selectedRowText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const { document } = globalThis as unknown as PageGlobals;
    const focused = document.activeElement;
    // The whole row (the focused link may hold only the flow's name).
    if (focused && focused !== document.querySelector('body'))
      return (focused.closest('li, tr, [role="row"]') ?? focused).innerText;
    return document.querySelector('[aria-current="true"], li [aria-selected="true"]')?.innerText ?? '';
  });
}

browserSuite('keyboard only', (it) => {
  it('an employee requests a leave with the keyboard alone', async (env: BrowserEnv) => {
    const employee = await env.open('employee');
    await employee.goto('/approval-center');
    await tabTo(employee, employee.getByRole('button', { name: 'New request' }), 'New request');
    await employee.keyboard.press('Enter');
    await employee.waitForURL(/\/approval-center\/new$/);
    await tabTo(employee, employee.getByRole('link', { name: /^Leave/ }), 'the Leave flow');
    await employee.keyboard.press('Enter');
    await employee.waitForURL(new RegExp(`/approval-center/new/${env.flows.leave}`));

    // Leave type: open the select with the keyboard, move to "Annual", take it.
    await tabTo(employee, employee.getByLabel('Leave type', { exact: true }), 'Leave type');
    await employee.keyboard.press('ArrowDown');
    await see(dropdownOption(employee, 'Annual'), 'the leave type options');
    await employee.keyboard.press('Enter');
    await see(employee.getByText('Annual', { exact: true }), 'Annual chosen');
    // The next Tab stop is the select's own "Clear" button: it must show that it has the focus (Ant
    // Design draws it only under the mouse), or Enter would wipe the choice with nothing on screen.
    await employee.keyboard.press('Tab');
    const focusedClear = () =>
      employee.evaluate(() => {
        const active = (globalThis as unknown as PageGlobals).document.activeElement as unknown as {
          getAttribute(name: string): string | null;
          getBoundingClientRect(): { width: number; height: number };
        } | null;
        if (!active) return null;
        const style = (
          globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }
        ).getComputedStyle(active);
        const box = active.getBoundingClientRect();
        return {
          label: active.getAttribute('aria-label'),
          opacity: Number(style.opacity),
          outline: style.outlineStyle,
          size: box.width * box.height,
        };
      });
    assert.equal(
      (await focusedClear())?.label,
      'Clear',
      "Tab after a choice reaches the select's Clear button",
    );
    // Its opacity is animated: wait for it to settle (it never starts while the button is hidden).
    await eventually(
      async () => {
        const clear = await focusedClear();
        return !!clear && clear.opacity > 0.99 && clear.size > 0 && clear.outline !== 'none';
      },
      'the focused Clear button drawn, with a focus ring',
      2_000,
    );
    await typeDate(employee, 'Start date', '2026-12-14');
    // Enter took the date and did not submit the form: nothing flagged yet, the focus still on the date.
    await see(
      employee.getByText('2026-12-14').or(employee.locator('input[value="2026-12-14"]')),
      'the date taken',
    );
    assert.equal(await employee.getByText('This field is required.').count(), 0, 'no field flagged by Enter');
    const stillOnDate = await employee
      .getByLabel('Start date', { exact: true })
      .evaluate((el) => el === (globalThis as unknown as PageGlobals).document.activeElement);
    assert.ok(stillOnDate, 'the focus stays on the date typed');
    await typeDate(employee, 'End date', '2026-12-18');
    await tabTo(employee, employee.getByLabel('Days', { exact: true }), 'Days');
    await employee.keyboard.type('5');
    await tabTo(employee, employee.getByLabel('Reason', { exact: true }), 'Reason');
    await employee.keyboard.type('Keyboard trip');
    await see(employee.getByText('Li Wei'), 'the preview with the department leader');
    await tabTo(employee, employee.getByRole('button', { name: 'Submit', exact: true }), 'Submit');
    await employee.keyboard.press('Enter');
    await employee.waitForURL(/\/approval-center\/processes\/[^/]+$/);
    const started = await env.process(processIdOf(employee));
    assert.equal(started.status, 'in_progress');
    assert.deepEqual(started.form_values, {
      leave_type: 'annual',
      start_date: '2026-12-14',
      end_date: '2026-12-18',
      days: '5',
      reason: 'Keyboard trip',
    });
  });

  it('a manager works the to-do list with j/k, a, r and the ? overlay; a leader approves with Tab and Space', async (env: BrowserEnv) => {
    const first = await env.start(env.flows.leave!, 'employee', FIVE_DAY_LEAVE);
    const second = await env.start(env.flows.leave!, 'backend_dev', {
      ...FIVE_DAY_LEAVE,
      reason: 'Wedding',
    });

    const manager = await env.open('manager');
    await manager.goto('/approval-center/todo');
    await see(manager.getByText('Zhao Min'), 'the two to-dos');
    await see(manager.getByText('Zhang San'), 'the two to-dos');

    await manager.keyboard.press('?');
    const help = manager.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await see(help, 'the "Keyboard shortcuts" overlay');
    for (const key of ['j', 'k', 'a', 'r'])
      await see(help.getByText(key, { exact: true }), `the key ${key} explained`);
    await manager.keyboard.press('Escape');
    await help.waitFor({ state: 'hidden' });

    // j moves down, k up: the selection follows.
    await manager.keyboard.press('j');
    const atFirst = await selectedRowText(manager);
    await manager.keyboard.press('j');
    const atSecond = await selectedRowText(manager);
    assert.notEqual(atFirst, atSecond, 'j moved the selection');
    await manager.keyboard.press('k');
    assert.equal(await selectedRowText(manager), atFirst, 'k moved it back');

    // a approves the selected to-do through its dialog, confirmed with Enter.
    const firstIsZhang = /Zhang San/.test(atFirst);
    const approvedId = firstIsZhang ? first : second;
    const rejectedId = firstIsZhang ? second : first;
    await manager.keyboard.press('a');
    const confirmDialog = manager.getByRole('dialog');
    await see(confirmDialog, 'the approve dialog');
    await tabTo(manager, confirmDialog.getByRole('button', { name: 'Confirm', exact: true }), 'Confirm');
    await manager.keyboard.press('Enter');
    await eventually(
      async () =>
        (await env.process(approvedId)).tasks.some((t) => t.user_id === 'manager' && t.status === 'approved'),
      'the selected to-do approved by "a"',
    );

    // The approve dialog is gone (not merely closing) before the next key opens another one.
    await gone(manager.getByRole('dialog'), 'the approve dialog');
    // r rejects the (now) selected one: the opinion is typed in the dialog, confirmed from the keyboard.
    await see(manager.getByText(firstIsZhang ? 'Zhao Min' : 'Zhang San'), 'the remaining to-do');
    // The approved row left the list; j selects the one that remains. The selection is by position:
    // a j (or r) pressed while the refetched list is still replacing the old one acts on a row that
    // is no longer there, so the keys wait until the approved row is gone.
    await gone(manager.locator(`a[href$="${detailUrl(approvedId)}"]`), 'the approved to-do in the list');
    const remaining = firstIsZhang ? 'Zhao Min' : 'Zhang San';
    for (let i = 0; i < 3 && !(await selectedRowText(manager)).includes(remaining); i++)
      await manager.keyboard.press('j');
    assert.match(await selectedRowText(manager), new RegExp(remaining), 'j selects the remaining to-do');
    await manager.keyboard.press('r');
    const rejectDialog = manager.getByRole('dialog');
    await see(rejectDialog, 'the reject dialog');
    await tabTo(manager, rejectDialog.getByRole('textbox').first(), 'the opinion');
    await manager.keyboard.type('Too close to the release');
    await tabTo(manager, rejectDialog.getByRole('button', { name: 'Confirm', exact: true }), 'Confirm');
    await manager.keyboard.press('Enter');
    await eventually(async () => (await env.process(rejectedId)).status === 'rejected', 'rejected by "r"');

    // The department leader approves on the detail page with Tab and Space.
    const leader = await env.open('dept_leader');
    await leader.goto(detailUrl(approvedId));
    await tabTo(leader, leader.getByRole('button', { name: 'Approve', exact: true }), 'Approve');
    await leader.keyboard.press('Space');
    const box = leader.getByRole('dialog');
    await see(box, 'the approve dialog');
    await tabTo(leader, box.getByRole('button', { name: 'Confirm', exact: true }), 'Confirm');
    await leader.keyboard.press('Space');
    await eventually(async () => (await env.process(approvedId)).status === 'completed', 'completed');
    await see(leader.getByText('Completed', { exact: true }), 'Completed');
  });
});
