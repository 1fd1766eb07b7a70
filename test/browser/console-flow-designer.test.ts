import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { screenshot, type Locale } from '../helpers/browser.js';
import {
  assertAccessible,
  assertNoHorizontalScroll,
  browserSuite,
  chooseOption,
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
    await editor.getByRole('combobox', { name: 'Field' }).click();
    await chooseOption(page, 'Days');
    await editor.getByRole('combobox', { name: 'Operator' }).click();
    await chooseOption(page, 'greater than');
    await editor.getByRole('spinbutton', { name: 'Value' }).fill('10');
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
      await screenshot(shot, 'console-flow-designer', locale);
    }
  });
});
