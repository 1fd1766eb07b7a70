import assert from 'node:assert/strict';
import type { Page, Route } from 'playwright-core';
import { browserSuite, chooseOption, eventually, see } from './harness.js';

/** Types a date into a date picker's text box and accepts it. */
async function typeDate(page: Page, label: string, date: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}

browserSuite('new request: the live path preview', (it) => {
  it('"values are not complete yet" speaks only of the values as they are now, never of an older answer', async (env) => {
    const employee = await env.open('employee');
    // The answer for days "1" says that value is not complete; the answer for the finished value
    // ("15") is held back, as a slow server would: until it comes, the older answer is all there is.
    let release: () => void = () => undefined;
    const finalHeld = new Promise<void>((resolve) => (release = resolve));
    await employee.route('**/api/v1/flows/*/preview', async (route: Route) => {
      const days = (route.request().postDataJSON() as { form_values: { days?: string } }).form_values.days;
      if (days === '1') {
        const answer = await route.fetch();
        const body = (await answer.json()) as Record<string, unknown>;
        const violations = [{ field: 'form_values.days', description: 'must be a decimal number' }];
        return route.fulfill({ response: answer, json: { ...body, violations } });
      }
      if (days === '15') await finalHeld;
      return route.continue();
    });
    await employee.goto(`/approval-center/new/${env.flows.leave}`);
    await employee.getByLabel('Leave type', { exact: true }).click();
    await chooseOption(employee, 'Annual');
    await typeDate(employee, 'Start date', '2026-12-14');
    await typeDate(employee, 'End date', '2026-12-18');
    const days = employee.getByLabel('Days', { exact: true });
    await days.click();
    await days.press('1');
    const incomplete = employee.getByText('1 value is not complete yet', { exact: false });
    await see(incomplete, 'the hint for the half-typed value');

    await days.press('5');
    await see(employee.getByLabel('Updating the approval path'), 'the preview saying it is updating');
    // Debounce passed, the request out, its answer held: the older answer's hint must not stand.
    await employee.waitForTimeout(1_000);
    assert.equal(await incomplete.count(), 0, 'no "not complete" hint from the answer for "1"');
    release();
    await see(employee.getByText('Li Wei'), 'the department leader once the answer for 15 days arrives');
    await eventually(
      async () => (await employee.getByLabel('Updating the approval path').count()) === 0,
      'updated',
    );
    assert.equal(await incomplete.count(), 0);
  });
});
