import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { screenshot, type Locale } from '../helpers/browser.js';
import {
  assertAccessible,
  assertNoHorizontalScroll,
  browserSuite,
  dialog,
  dialogOpened,
  eventually,
  FIVE_DAY_LEAVE,
  gone,
  see,
  type PageGlobals,
} from './harness.js';

/**
 * The console's flows (issue 12 item 2): the head of people lists the flows, creates a travel
 * application from its template, renames it in the settings (autosaved; undo and redo from the
 * keyboard), meets a second editor's save as a conflict banner and takes theirs, publishes twice and
 * compares the two versions side by side.
 */

const nameInput = (page: Page, language: 'English' | 'Chinese') =>
  page.getByRole('textbox', { name: `Name (${language})`, exact: true });

async function saved(page: Page): Promise<void> {
  await see(page.getByRole('status').filter({ hasText: 'All changes saved' }), 'the draft saved', 15_000);
}

async function publish(page: Page, version: number): Promise<void> {
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  const box = dialog(page);
  await see(box.getByText(`Publish version ${version}?`), 'the publish dialog');
  await dialogOpened(page);
  await box.getByRole('button', { name: 'Publish', exact: true }).click();
  await gone(box, 'the publish dialog');
  await see(page.getByText(`v${version}`, { exact: true }), `version ${version} in the header`);
}

/** Whether the keyboard focus is on the locator's element or inside it. */
function focusIn(target: Locator): Promise<boolean> {
  return target
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
}

async function tabTo(page: Page, control: Locator, what: string, max = 30): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await focusIn(control)) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`${what} is not reachable with Tab (${max} presses)`);
}

/** The focused control draws a focus ring (an outline, as Ant Design's and the console's CSS do). */
async function hasFocusRing(control: Locator): Promise<boolean> {
  return control.evaluate((el) => {
    const style = (
      globalThis as unknown as {
        getComputedStyle(e: unknown): { outlineStyle: string; outlineWidth: string };
      }
    ).getComputedStyle(el);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  });
}

/** The console's places at phone width: no sideways page scrolling, a screenshot of each. */
async function phoneScreens(page: Page, locale: Locale): Promise<void> {
  await page.setViewportSize({ width: 375, height: 800 });
  for (const [path, name] of [
    ['/console/flows', 'console-flows-phone'],
    ['/console/processes', 'console-monitoring-phone'],
    ['/console/directory', 'console-directory-phone'],
    ['/console/apps', 'console-apps-phone'],
  ] as const) {
    await page.goto(path);
    await see(page.getByRole('heading', { level: 1 }), `${path} on a phone`);
    await gone(page.locator('.ant-spin-spinning'), `${path} loading`);
    await assertNoHorizontalScroll(page, `${path} (${locale})`);
    await screenshot(page, name, locale);
  }
}

browserSuite('console flows', (it) => {
  it('list, template, rename with autosave, undo/redo, conflict, publish, versions diff', async (env) => {
    const page = await env.open('hr_head');
    await page.goto('/console/flows');
    await see(page.getByRole('heading', { name: 'Flows', level: 1 }), 'the flow list');
    await see(page.getByRole('link', { name: 'Leave', exact: true }), 'the demo leave flow');
    await assertAccessible(page, 'the flow list');

    // The keyboard alone: Tab from the heading reaches "New flow", which shows its focus ring; Enter
    // opens the dialog with the focus inside; Tab stays there (or, once, in the browser's own controls,
    // as with a native modal dialog); Escape closes it and gives the focus back.
    await page.getByRole('heading', { name: 'Flows', level: 1 }).click();
    const newFlow = page.getByRole('button', { name: 'New flow' });
    await tabTo(page, newFlow, '"New flow"');
    assert.ok(await hasFocusRing(newFlow), '"New flow" shows a focus ring');
    await page.keyboard.press('Enter');
    await see(dialog(page), 'the new flow dialog');
    await eventually(() => focusIn(dialog(page)), 'the focus in the dialog');
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      const onPage = await page.evaluate(() => {
        const { document } = globalThis as unknown as PageGlobals;
        const active = document.activeElement;
        return (
          active !== null && active !== document.querySelector('body') && !active.closest('[role="dialog"]')
        );
      });
      assert.ok(!onPage, `Tab ${i + 1} leaves the focus in the dialog`);
    }
    await page.keyboard.press('Escape');
    await gone(dialog(page), 'the dialog closed by Escape');
    await eventually(() => focusIn(newFlow), 'the focus back on "New flow"');

    // New flow from the travel application template (biz type 69, which the demo lacks).
    await newFlow.click();
    const create = dialog(page);
    await see(create.getByText('Travel application · travel_application'), 'the travel template preselected');
    await create.getByRole('button', { name: 'Create', exact: true }).click();
    await page.waitForURL(/\/console\/flows\/\d+\/settings$/);
    const flowId = /\/console\/flows\/(\d+)\//.exec(page.url())?.[1] ?? '';
    assert.ok(flowId);
    await see(page.getByRole('heading', { name: 'Travel application', level: 1 }), 'the new flow');
    const api = await env.people('hr_head');
    const draftOf = async () => (await api.get(`/api/v1/admin/flows/${flowId}`)).body;

    // Rename: autosaved a moment after typing, with the revision it was made from.
    await nameInput(page, 'English').fill('Business trip');
    await saved(page);
    await eventually(
      async () => (await draftOf()).draft.document.name.en_us === 'Business trip',
      'the rename saved',
    );
    await see(page.getByRole('heading', { name: 'Business trip', level: 1 }), 'the new name in the header');
    await assertAccessible(page, 'the flow settings');

    // Undo and redo from the keyboard (outside text fields).
    await page.getByRole('heading', { name: 'Business trip', level: 1 }).click();
    await page.keyboard.press('Control+z');
    await see(page.getByRole('heading', { name: 'Travel application', level: 1 }), 'the rename undone');
    await page.keyboard.press('Control+Shift+z');
    await see(page.getByRole('heading', { name: 'Business trip', level: 1 }), 'the rename redone');
    await saved(page);
    await eventually(
      async () => (await draftOf()).draft.document.name.en_us === 'Business trip',
      'redo saved',
    );

    // A second editor (another browser) saves first: this one's next save is refused, nothing lost.
    const other = await env.open('hr_head');
    await other.goto(`/console/flows/${flowId}/settings`);
    await nameInput(other, 'Chinese').fill('商务出差');
    await saved(other);
    await nameInput(page, 'English').fill('Business trip (mine)');
    await see(
      page.getByRole('alert').filter({ hasText: 'Someone else saved this draft' }),
      'the conflict banner',
      15_000,
    );
    await see(page.getByText(/Zheng Hong saved this draft/), 'who saved');
    await see(page.getByRole('status').filter({ hasText: 'Not saved: conflict' }), 'the save state');
    assert.equal(
      await nameInput(page, 'English').inputValue(),
      'Business trip (mine)',
      'the local edit is kept',
    );
    assert.equal((await draftOf()).draft.document.name.en_us, 'Business trip', 'the other save stands');
    await see(page.getByRole('button', { name: 'Download my version (JSON)' }), 'download my version');
    await page.getByRole('button', { name: 'Reload theirs' }).click();
    await gone(page.getByText('Someone else saved this draft'), 'the conflict banner');
    assert.equal(await nameInput(page, 'Chinese').inputValue(), '商务出差', 'their draft loaded');

    // Publish version 1 (the problems panel is empty), then a change and version 2.
    await see(page.getByText('No problems: this draft can be published.'), 'no problems');
    await publish(page, 1);
    await nameInput(page, 'English').fill('Business travel');
    await saved(page);
    await publish(page, 2);

    // Versions: both listed; v1 → v2 side by side shows the renamed name.
    await page.getByRole('tab', { name: 'Versions' }).click();
    await page.waitForURL(/\/versions$/);
    await see(page.getByRole('cell', { name: 'v2', exact: true }), 'version 2 listed');
    await see(page.getByRole('cell', { name: 'v1', exact: true }), 'version 1 listed');
    await see(page.getByText('From v1 to v2: 0 added, 0 removed, 1 changed.'), 'the diff summary');
    const general = page.locator('table.pf-flow-diff-table').filter({ hasText: 'Name and settings' });
    await see(general.getByText('Business travel'), 'the new name on the right');
    await see(general.getByText('Business trip'), 'the old name on the left');
    await assertAccessible(page, 'the versions tab');
    await gone(page.locator('.ant-message-notice'), 'the published message');
    await screenshot(page, 'console-flow-versions', 'en');

    // The list shows the published flow, version 2 and enabled.
    await page.goto('/console/flows');
    await see(page.getByRole('link', { name: 'Business travel' }), 'the flow in the list');
    await gone(page.locator('.ant-spin-spinning'), 'the list loading');
    await screenshot(page, 'console-flows', 'en');

    // The console at phone width, with a waiting process in the monitoring list.
    await env.start(env.flows.leave as string, 'employee', FIVE_DAY_LEAVE);
    await phoneScreens(page, 'en');
  });

  it('Chinese screens, phone width', async (env) => {
    const locale: Locale = 'zh-CN';
    const page = await env.open('hr_head', { locale });
    await page.goto('/console/flows');
    await see(page.getByRole('heading', { name: '流程', level: 1 }), 'the flow list in Chinese');
    await see(page.getByRole('link', { name: '休假申请', exact: true }), 'the leave flow');
    await gone(page.locator('.ant-spin-spinning'), 'the list loading');
    await screenshot(page, 'console-flows', locale);

    // The leave flow: a draft change, published as version 2, then its versions compared.
    await page.getByRole('link', { name: '休假申请', exact: true }).click();
    await page.waitForURL(/\/console\/flows\/\d+\/flow$/);
    await page.getByRole('tab', { name: '基础设置' }).click();
    await page.getByRole('textbox', { name: '名称（中文）', exact: true }).fill('休假申请（新）');
    await see(page.getByRole('status').filter({ hasText: '已保存全部更改' }), 'saved', 15_000);
    await page.getByRole('button', { name: '发布', exact: true }).click();
    await dialog(page).getByRole('button', { name: '发布', exact: true }).click();
    await gone(dialog(page), 'the publish dialog');
    await page.getByRole('tab', { name: '版本' }).click();
    await see(page.getByText('从 v1 到 v2：新增 0，删除 0，修改 1。'), 'the diff summary in Chinese');
    await gone(page.locator('.ant-message-notice'), 'the published message');
    await screenshot(page, 'console-flow-versions', locale);

    await phoneScreens(page, locale);

    // Phone width: the list is usable without sideways scrolling.
    const phone = await env.open('process_admin', { locale: 'en', width: 375, height: 800 });
    await phone.goto('/console/flows');
    await see(phone.getByRole('link', { name: 'Leave', exact: true }), 'a flow on the phone');
    await assertNoHorizontalScroll(phone, 'the flow list');
    // A process admin may not create flows.
    assert.equal(await phone.getByRole('button', { name: 'New flow' }).count(), 0);
  });
});
