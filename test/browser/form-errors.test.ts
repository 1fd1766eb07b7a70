import assert from 'node:assert/strict';
import { browserSuite, see, type BrowserEnv } from './harness.js';

browserSuite('form errors on a new request', (it) => {
  it('missing required values are named on their fields; nothing is started', async (env: BrowserEnv) => {
    const employee = await env.open('employee');
    await employee.goto(`/approval-center/new/${env.flows.leave}`);
    await employee.getByLabel('Reason', { exact: true }).fill('Family trip');
    await employee.getByRole('button', { name: 'Submit', exact: true }).click();
    for (const label of ['Leave type', 'Start date', 'End date', 'Days']) {
      const field = employee.getByLabel(label, { exact: true });
      assert.equal(await field.getAttribute('aria-invalid'), 'true', `${label} is marked invalid`);
    }
    await see(employee.getByText(/required/i), 'a message that the field is required');
    assert.match(employee.url(), new RegExp(`/approval-center/new/${env.flows.leave}$`));
    assert.equal(await employee.getByLabel('Reason', { exact: true }).inputValue(), 'Family trip');
    const started = await env.admin('GET', '/tenants/demo/processes?page_size=10');
    assert.equal(started.body.data.items.length, 0, 'nothing was started');
  });

  it('a value only the server refuses comes back on its field, and the typed form is kept', async (env: BrowserEnv) => {
    const employee = await env.open('employee');
    await employee.goto(`/approval-center/new/${env.flows.leave}`);
    await employee.getByLabel('Leave type', { exact: true }).click();
    await employee.getByRole('option', { name: 'Sick', exact: true }).first().click();
    for (const [label, date] of [
      ['Start date', '2026-12-14'],
      ['End date', '2026-12-15'],
    ] as const) {
      const input = employee.getByLabel(label, { exact: true });
      await input.click();
      await input.fill(date);
      await input.press('Enter');
    }
    await employee.getByLabel('Days', { exact: true }).fill('2');
    // The engine refuses texts over 10 000 characters (src/engine/form.ts): the server's own rule.
    const tooLong = 'x'.repeat(10_001);
    await employee.getByLabel('Reason', { exact: true }).fill(tooLong);
    await employee.getByRole('button', { name: 'Submit', exact: true }).click();

    const reason = employee.getByLabel('Reason', { exact: true });
    await see(employee.getByText(/10000|10 000|10,000/), "the server's violation shown");
    assert.equal(await reason.getAttribute('aria-invalid'), 'true', 'the Reason field is marked invalid');
    // The message is tied to the field (aria-describedby), not just somewhere on the page.
    const describedBy = (await reason.getAttribute('aria-describedby')) ?? '';
    const described = await Promise.all(
      describedBy
        .split(/\s+/)
        .filter(Boolean)
        .map((id) =>
          employee
            .locator(`[id="${id}"]`)
            .innerText()
            .catch(() => ''),
        ),
    );
    assert.match(described.join(' '), /10000|10 000|10,000/, 'the violation describes the Reason field');
    // Still on the form, everything typed still there.
    assert.match(employee.url(), new RegExp(`/approval-center/new/${env.flows.leave}$`));
    assert.equal(await employee.getByLabel('Days', { exact: true }).inputValue(), '2');
    assert.equal(await employee.getByLabel('Start date', { exact: true }).inputValue(), '2026-12-14');
    assert.equal((await reason.inputValue()).length, tooLong.length);
    await see(employee.getByText('Sick', { exact: true }), 'the chosen leave type kept');
    const started = await env.admin('GET', '/tenants/demo/processes?page_size=10');
    assert.equal(started.body.data.items.length, 0, 'nothing was started');
  });
});
