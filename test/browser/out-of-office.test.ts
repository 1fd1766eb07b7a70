import assert from 'node:assert/strict';
import { browserSuite, FIVE_DAY_LEAVE, pickPerson, see } from './harness.js';

const DAY = 24 * 60 * 60 * 1000;
/** A day `days` from now as the browser's date picker takes it (the browser's own zone). */
const dayFromNow = (days: number) => {
  const at = new Date(Date.now() + days * DAY);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
};

browserSuite('profile: out of office', (it) => {
  it('a delegate for days ahead: the hand-over waits for the first day, the return is the default; cancelled, nothing moved', async (env) => {
    const processId = await env.start(env.flows.leave!, 'employee', FIVE_DAY_LEAVE);
    const page = await env.open('manager');
    await page.goto('/profile');
    const card = page.locator('.pf-profile-card', { hasText: 'Out of office' });
    await see(card, 'the Out of office card');
    await pickPerson(page, card.getByRole('combobox', { name: 'Delegate' }), 'He Jia');
    // Typed as a person would; Enter would submit the form from the last one, so Tab leaves it.
    const from = card.getByLabel('Days away', { exact: true });
    await from.click();
    await from.fill(dayFromNow(3));
    await from.press('Enter');
    const to = card.getByPlaceholder('Last day');
    await to.fill(dayFromNow(5));
    await to.press('Tab');
    const handOver = card.getByRole('checkbox', { name: /Also hand over the tasks I have open/ });
    await handOver.check();
    const giveBack = card.getByRole('checkbox', { name: /Give me back the tasks/ });
    assert.equal(await giveBack.isChecked(), true, 'giving the tasks back is the default');
    await card.getByRole('button', { name: 'Set delegate' }).click();
    await see(
      page.getByText('Delegate set; your open tasks will be handed over when the first day starts.'),
      'the hand-over promised for the start',
    );
    const item = card.locator('.ant-list-item', { hasText: 'He Jia' });
    await see(item.getByText('Scheduled'), 'the delegation, scheduled');
    await see(item.getByText('Hands over my open tasks'), 'the hand-over choice');
    await see(item.getByText('Tasks come back at the end'), 'the return choice');
    const before = await env.process(processId);
    assert.equal(
      before.tasks.find((t) => t.status === 'in_progress')?.user_id,
      'manager',
      'nothing moved yet',
    );

    await item.getByRole('button', { name: 'Cancel' }).click();
    await see(item.getByText('Cancelled'), 'the delegation, cancelled');
    const jobs = await env.admin('GET', '/tenants/demo/jobs?kind=delegation_start');
    assert.equal(jobs.body.data.items[0]?.status, 'cancelled', JSON.stringify(jobs.body));
  });
});
