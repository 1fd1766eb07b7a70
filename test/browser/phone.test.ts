import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import {
  assertNoHorizontalScroll,
  browserSuite,
  detailUrl,
  eventually,
  FIVE_DAY_LEAVE,
  see,
  taskAction,
  type BrowserEnv,
} from './harness.js';

const PHONE = { width: 375, height: 812 };

/** In reach: inside the 375 px width once scrolled into view, and not covered by anything else. */
async function assertInReach(page: Page, control: Locator, what: string): Promise<void> {
  await see(control, what);
  await control.first().scrollIntoViewIfNeeded();
  const box = await control.first().boundingBox();
  assert.ok(box, `${what} has a box`);
  assert.ok(
    box.x >= 0 && box.x + box.width <= PHONE.width,
    `${what} lies within 375 px: ${JSON.stringify(box)}`,
  );
  // trial: Playwright checks it could click (visible, stable, receiving the pointer) without clicking.
  await control.first().click({ trial: true, timeout: 3_000 });
}

browserSuite('375 px: a phone', (it) => {
  it('the approval center, a new request and a detail fit 375 px; the manager approves on the phone', async (env: BrowserEnv) => {
    const processId = await env.start(env.flows.leave!, 'employee', FIVE_DAY_LEAVE);

    const employee = await env.open('employee', PHONE);
    await employee.goto('/approval-center/started');
    await see(employee.getByText('Leave'), 'the started leave');
    await assertNoHorizontalScroll(employee, 'approval center (Started by me)');
    await assertInReach(employee, employee.getByRole('button', { name: 'New request' }), 'New request');
    for (const name of ['To do', 'Done', 'Started by me', 'CC me'])
      await see(employee.getByRole('tab', { name: new RegExp(`^${name}`) }), `the tab ${name}`);

    await employee.goto(`/approval-center/new/${env.flows.leave}`);
    await employee.getByLabel('Days', { exact: true }).fill('5');
    await see(employee.getByText('Li Wei'), 'the preview on the phone');
    await assertNoHorizontalScroll(employee, 'new request');
    await assertInReach(employee, employee.getByRole('button', { name: 'Submit', exact: true }), 'Submit');

    const manager = await env.open('manager', PHONE);
    await manager.goto(detailUrl(processId));
    await see(manager.getByText('Zhang San'), 'the detail');
    await assertNoHorizontalScroll(manager, 'process detail');
    // What approving does (the 5 days off Zhang San's balance) comes before the form and the timeline in
    // the one column, not below them where an approver reaching for the action bar would never scroll.
    const onApproval = manager.locator('.pf-on-approval');
    await see(onApproval, 'the on-approval card on the phone');
    const form = manager.locator('.ant-card').filter({ has: manager.getByText('Form', { exact: true }) });
    const [cardBox, formBox] = [await onApproval.boundingBox(), await form.first().boundingBox()];
    assert.ok(cardBox && formBox, 'both cards have boxes');
    assert.ok(
      cardBox.y + cardBox.height <= formBox.y,
      `the on-approval card (y ${Math.round(cardBox.y)}) above the form (y ${Math.round(formBox.y)})`,
    );
    for (const action of ['Approve', 'Reject', 'Transfer'])
      await assertInReach(manager, manager.getByRole('button', { name: action, exact: true }), action);
    await taskAction(manager, 'Approve');
    await eventually(
      async () =>
        (await env.process(processId)).tasks.some((t) => t.user_id === 'manager' && t.status === 'approved'),
      'approved from the phone',
    );
    await assertNoHorizontalScroll(manager, 'process detail after approving');
  });

  it("the top bar's controls sit side by side, none over another, for a console user at 375 and 320 px", async (env: BrowserEnv) => {
    for (const width of [375, 320])
      for (const locale of ['en', 'zh-CN'] as const) {
        const page = await env.open('hr_head', { width, height: 700, locale });
        await page.goto('/console/apps');
        await see(page.locator('.pf-header'), 'the top bar');
        // The brand, the three navigation links (approval center, console, profile), the bell, New request.
        const boxes = await page.evaluate(() => {
          const { document } = globalThis as unknown as {
            document: { querySelectorAll(s: string): ArrayLike<{ getBoundingClientRect(): DOMRectLike }> };
          };
          type DOMRectLike = { x: number; width: number };
          return Array.from(
            document.querySelectorAll('.pf-brand, .pf-nav-link, .pf-bell-wrap, .pf-header > .ant-btn'),
            (e) => {
              const r = e.getBoundingClientRect();
              return { x: r.x, right: r.x + r.width };
            },
          );
        });
        assert.equal(boxes.length, 6, `six controls in the top bar (${width} px, ${locale})`);
        for (let i = 1; i < boxes.length; i++)
          assert.ok(
            boxes[i]!.x >= boxes[i - 1]!.right - 0.5,
            `control ${i + 1} of the top bar starts after control ${i} ends (${width} px, ${locale}): ${JSON.stringify(boxes)}`,
          );
        assert.ok(boxes[boxes.length - 1]!.right <= width, `the last control lies within ${width} px`);
        await assertInReach(
          page,
          page.getByRole('button', { name: /^(New request|发起申请)$/ }),
          'New request',
        );
        await page.context().close();
      }
  });
});
