import assert from 'node:assert/strict';
import { browserSuite, chooseOption, eventually, see, type BrowserEnv } from './harness.js';

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

  it("a value the server refuses comes back on its field in the person's words; the typed form is kept", async (env: BrowserEnv) => {
    // A department that exists while the employee fills the form and is deleted before they submit:
    // only the server can know, so the refusal is the server's violation on `form_values.target_department`.
    const made = await env.admin('POST', '/tenants/demo/departments', {
      department_id: 'temp_team',
      name: { zh_cn: '临时小组', en_us: 'Temp Team' },
      parent_department_id: 'engineering',
    });
    assert.equal(made.status < 300, true, JSON.stringify(made.body));

    const employee = await env.open('employee');
    await employee.goto(`/approval-center/new/${env.flows.job_change}`);
    const department = employee.getByLabel('Target department', { exact: true });
    await department.click();
    await department.pressSequentially('Temp');
    await chooseOption(employee, 'Temp Team');
    const effective = employee.getByLabel('Effective date', { exact: true });
    await effective.click();
    await effective.fill('2027-01-04');
    await effective.press('Enter');
    await employee.getByLabel('Reason', { exact: true }).fill('Joining the new team');

    const deleted = await env.admin('DELETE', '/tenants/demo/departments/temp_team');
    assert.equal(deleted.status < 300, true, JSON.stringify(deleted.body));
    await employee.getByRole('button', { name: 'Submit', exact: true }).click();

    // The violation sits on the field: marked invalid, its message tied to it by aria-describedby.
    await eventually(
      async () => (await department.getAttribute('aria-invalid')) === 'true',
      'the Target department field marked invalid',
    );
    const describedBy = (await department.getAttribute('aria-describedby')) ?? '';
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
    assert.match(described.join(' '), /department/i, `the message on the field: "${described.join(' ')}"`);
    // Still on the form, everything typed still there.
    assert.match(employee.url(), new RegExp(`/approval-center/new/${env.flows.job_change}$`));
    assert.equal(await effective.inputValue(), '2027-01-04');
    assert.equal(await employee.getByLabel('Reason', { exact: true }).inputValue(), 'Joining the new team');
    const started = await env.admin('GET', '/tenants/demo/processes?page_size=10');
    assert.equal(started.body.data.items.length, 0, 'nothing was started');
  });
});
