import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { screenshot, settleAnimations, type Locale } from '../helpers/browser.js';
import {
  assertAccessible,
  assertNoHorizontalScroll,
  browserSuite,
  chooseInSelect,
  dialog,
  eventually,
  FIVE_DAY_LEAVE,
  pickPerson,
  see,
} from './harness.js';

/**
 * The flow designer (docs/console/flow-designer.md): the head of People opens the leave flow's Flow tab,
 * adds an approval node at a "+", adds a condition block whose condition is made in the builder, and turns
 * on the path preview, which lights the nodes on the path with their people.
 */

async function openFlowTab(page: Page, flowId: string): Promise<void> {
  await page.goto(`${new URL(page.url()).origin}/console/flows/${flowId}/flow`);
  await see(page.getByRole('heading', { name: /^(Flow|流程)$/ }), 'the flow designer');
}

/** The draft as the server holds it (the designer autosaves). */
async function draftNodes(
  page: Page,
  flowId: string,
): Promise<{ id: string; type: string; branches?: { condition: string }[] }[]> {
  const response = await page.request.get(`/api/v1/admin/flows/${flowId}`);
  const body = (await response.json()) as { draft: { document: { nodes: [] } } | null };
  return body.draft?.document.nodes ?? [];
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

async function boxOf(locator: Locator, what: string): Promise<Box> {
  const box = await locator.boundingBox();
  assert.ok(box, `${what} is on the page`);
  return box;
}

const overlaps = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The part of `box` its scrolling canvas shows (a card scrolled out of the canvas is clipped, not painted). */
function shownIn(box: Box, canvas: Box): Box | null {
  const x = Math.max(box.x, canvas.x);
  const y = Math.max(box.y, canvas.y);
  const right = Math.min(box.x + box.width, canvas.x + canvas.width);
  const bottom = Math.min(box.y + box.height, canvas.y + canvas.height);
  return right > x && bottom > y ? { x, y, width: right - x, height: bottom - y } : null;
}

/** Scrolls the locator into view (inside the canvas too) and checks it is wholly inside the canvas box. */
async function scrolledIntoCanvas(page: Page, target: Locator, what: string): Promise<Box> {
  await target.scrollIntoViewIfNeeded();
  const canvas = await boxOf(page.locator('.pf-flow-canvas'), 'the canvas');
  const box = await boxOf(target, what);
  assert.ok(
    box.x >= canvas.x - 1 && box.x + box.width <= canvas.x + canvas.width + 1,
    `${what} scrolls wholly into the canvas (${Math.round(box.x)}–${Math.round(box.x + box.width)} in ${Math.round(canvas.x)}–${Math.round(canvas.x + canvas.width)})`,
  );
  return box;
}

browserSuite('console flow designer', (it) => {
  it('adds an approval and a condition block, and previews the path', async (env) => {
    const flowId = env.flows.leave as string;
    const page = await env.open('hr_head');
    await openFlowTab(page, flowId);

    // An approval node after the manager's: the "+" below the manager card.
    const pluses = page.getByRole('button', { name: 'Add a node here' });
    await pluses.nth(1).click();
    await page.getByRole('menuitem', { name: 'Approval' }).click();
    await see(page.getByRole('button', { name: 'Open Approval' }), 'the new approval card');
    await eventually(
      async () => (await draftNodes(page, flowId)).some((n) => n.id === 'approval_1'),
      'saved',
    );

    // A condition block at the end of the main line, its condition made in the builder.
    await pluses.last().click();
    await page.getByRole('menuitem', { name: 'Condition branches' }).click();
    await page.getByRole('button', { name: 'Edit the condition of branch 1' }).last().click();
    const editor = dialog(page);
    await editor.waitFor({ state: 'visible' });
    // The dialog zooms in: a select opened meanwhile places its list by where the select was, so a
    // click meant for one option could take its neighbour ("at least" for "greater than"), and the
    // CEL then never reads "form.days > 10.0". The choices are made once it stands still, and each
    // is checked in its select (taken again once if it did not stick).
    await settleAnimations(page);
    await chooseInSelect(page, editor.getByRole('combobox', { name: 'Field' }), 'Days');
    await chooseInSelect(page, editor.getByRole('combobox', { name: 'Operator' }), 'greater than');
    const value = editor.getByRole('spinbutton', { name: 'Value' });
    await value.fill('10');
    await eventually(async () => (await value.inputValue()) === '10', 'the value 10 in the builder');
    await see(editor.getByText('form.days > 10.0'), 'the CEL the builder wrote');
    await see(editor.getByText('The condition checks.'), 'the live check');
    await editor.getByRole('button', { name: 'Use this condition' }).click();
    await eventually(
      async () =>
        (await draftNodes(page, flowId)).some(
          (n) => n.type === 'exclusive' && n.branches?.[0]?.condition === 'form.days > 10.0',
        ),
      'the condition saved',
    );
    await see(page.getByText('Default branch').first(), 'the default branch label');

    // The path preview: a 5-day leave by Zhang San lights the manager with Wang Fang.
    await page.getByRole('switch', { name: /Show the path/ }).click();
    await pickPerson(page, page.getByRole('combobox', { name: 'Initiator' }), 'Zhang San');
    await page.getByRole('spinbutton', { name: 'Days' }).fill(FIVE_DAY_LEAVE.days);
    await see(page.locator('.pf-flow-card.is-lit').first(), 'a lit node');
    await see(
      page.locator('.pf-flow-preview-people').getByText('Wang Fang').first(),
      "the manager's name on the path",
    );
    assert.ok((await page.locator('.pf-flow-card.is-dim').count()) > 0, 'the nodes off the path are dimmed');

    await assertAccessible(page, 'flow designer with the path preview');

    // At phone width the branches scroll inside the canvas, not the page.
    const phone = await env.open('hr_head', { width: 375, height: 800 });
    await openFlowTab(phone, flowId);
    await see(phone.getByText('Default branch').first(), 'the branches on a phone');
    await assertNoHorizontalScroll(phone, 'flow designer on a phone');

    for (const locale of ['en', 'zh-CN'] as Locale[]) {
      const shot = locale === 'en' ? page : await env.open('hr_head', { locale });
      if (locale !== 'en') await openFlowTab(shot, flowId);
      // From the top: a full-page shot of a scrolled page paints the sticky header mid-page.
      await shot.evaluate(() => {
        (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0);
      });
      await screenshot(shot, 'console-flow-designer', locale);
    }
  });

  it('the tree keeps its room beside the path preview and scrolls in its own box, on a desktop and a phone', async (env) => {
    const flowId = env.flows.expense as string;
    const page = await env.open('hr_head', { width: 1440, height: 900 });
    await openFlowTab(page, flowId);
    // Two more branches in the first condition block: four columns, wider than the tree's box.
    const columns = page.locator('.pf-flow-columns').first().locator(':scope > .pf-flow-column');
    const before = await columns.count();
    const addBranch = page.getByRole('button', { name: 'Add branch' }).first();
    await addBranch.click();
    await addBranch.click();
    await eventually(async () => (await columns.count()) === before + 2, 'two more branch columns');

    const canvas = await boxOf(page.locator('.pf-flow-canvas'), 'the canvas');
    const preview = await boxOf(page.locator('.pf-flow-preview'), 'the path preview');
    assert.ok(!overlaps(canvas, preview), 'the tree and the path preview do not overlap');
    // Room for the tree at 1440 px: two branch columns side by side (the old nesting left it ~280 px).
    const column = await boxOf(columns.nth(before), 'a new (empty) branch column');
    assert.ok(
      canvas.width >= 2 * column.width,
      `the tree's box (${Math.round(canvas.width)} px) holds two branch columns (${Math.round(column.width)} px each)`,
    );
    for (const card of await page.locator('.pf-flow-card').all()) {
      const shown = shownIn(await boxOf(card, 'a node card'), canvas);
      assert.ok(!shown || !overlaps(shown, preview), 'no node card is painted under the path preview');
    }
    // The last branch column scrolls into the tree's box, clear of the preview, its "+" in reach.
    const last = await scrolledIntoCanvas(page, columns.last(), 'the last branch column');
    assert.ok(
      !overlaps(last, await boxOf(page.locator('.pf-flow-preview'), 'the preview')),
      'clear of the preview',
    );
    await columns.last().getByRole('button', { name: 'Add a node here' }).first().click({ trial: true });

    // A phone: the page never scrolls sideways; the tree scrolls inside its box.
    for (const locale of ['en', 'zh-CN'] as Locale[]) {
      const phone = await env.open('hr_head', { locale, width: 375, height: 800 });
      await openFlowTab(phone, flowId);
      const phoneColumns = phone.locator('.pf-flow-columns').first().locator(':scope > .pf-flow-column');
      await see(phoneColumns.last(), 'the last branch column on a phone');
      await assertNoHorizontalScroll(phone, `the flow editor on a phone (${locale})`);
      await screenshot(phone, 'console-flow-editor-phone', locale);
      await scrolledIntoCanvas(phone, phoneColumns.last(), 'the last branch column on a phone');
      await assertNoHorizontalScroll(phone, `the flow editor on a phone, scrolled (${locale})`);
    }
  });
});
