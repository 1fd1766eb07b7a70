import assert from 'node:assert/strict';
import { screenshot, type Locale } from '../helpers/browser.js';
import {
  assertAccessible,
  assertNoHorizontalScroll,
  browserSuite,
  confirm,
  dialog,
  eventually,
  FIVE_DAY_LEAVE,
  gone,
  pickPerson,
  see,
  type BrowserEnv,
} from './harness.js';
import { slowDown, typeDay } from './filters.js';

const DAY = 24 * 60 * 60 * 1000;

/** A flow the demo process admin does not administer (the HRBP does). */
async function otherFlow(env: BrowserEnv): Promise<string> {
  return env.publishFlow({
    name: { zh_cn: '设备申领', en_us: 'Equipment request' },
    biz_type: 'custom:equipment',
    process_admins: ['hrbp'],
    form: [{ api_name: 'item', label: { zh_cn: '物品', en_us: 'Item' }, type: 'text', required: true }],
    nodes: [
      { type: 'start', id: 'start', name: { zh_cn: '发起', en_us: 'Start' }, next: 'boss' },
      {
        type: 'approval',
        id: 'boss',
        name: { zh_cn: '上级审批', en_us: 'Manager approval' },
        approvers: [{ type: 'manager', level: 1 }],
        next: 'end',
      },
      { type: 'end', id: 'end', name: { zh_cn: '结束', en_us: 'End' } },
    ],
  });
}

browserSuite('console: process monitoring', (it) => {
  it('a tenant admin finds a waiting process, reassigns its task, and the new assignee sees it', async (env) => {
    const waiting = await env.start(env.flows.leave!, 'employee', FIVE_DAY_LEAVE);
    // Three days pass with nobody acting.
    env.clock.offsetMs += 3 * DAY;
    await env.start(await otherFlow(env), 'employee', { item: 'Laptop' });
    const fresh = await env.start(env.flows.leave!, 'employee', { ...FIVE_DAY_LEAVE, days: '2' });

    const head = await env.open('hr_head');
    await head.goto('/console/processes');
    await see(head.getByRole('heading', { name: 'Processes' }), 'the process search');
    await see(head.getByRole('link', { name: 'Equipment request' }), 'every flow for a tenant admin');
    await head.getByRole('spinbutton', { name: 'Waiting more than this many days' }).fill('2');
    await head.getByRole('spinbutton', { name: 'Waiting more than this many days' }).press('Tab');
    await eventually(() => Promise.resolve(head.url().includes('waiting=2')), 'the filter in the URL');
    await see(head.locator('tbody').getByRole('link', { name: 'Leave' }), 'the waiting leave');
    await gone(head.getByRole('link', { name: 'Equipment request' }), 'the processes waiting less');
    const rows = head.locator('tbody tr.ant-table-row');
    await eventually(async () => (await rows.count()) === 1, 'one process waiting more than 2 days');
    assert.ok((await head.getByText(fresh).count()) === 0, 'the fresh leave is not listed');
    await see(head.getByRole('link', { name: /Export CSV/ }), 'the CSV export link');
    const csvHref = await head.getByRole('link', { name: /Export CSV/ }).getAttribute('href');
    assert.match(csvHref ?? '', /processes\.csv\?waiting_days=2&lang=en/);
    await assertAccessible(head, 'process search');

    // Open the leave, reassign the manager's task to Li Wei.
    await head.locator('tbody').getByRole('link', { name: 'Leave' }).first().click();
    await see(head.getByRole('heading', { name: /Leave/ }), 'the process admin page');
    assert.ok(
      head.url().endsWith(`/console/processes/${waiting}`) || head.url().includes('/console/processes/'),
    );
    await head.goto(`/console/processes/${waiting}`);
    await see(head.getByRole('heading', { name: 'Audit trail' }), 'the audit trail');
    await head.getByRole('button', { name: /^Reassign/ }).click();
    await see(dialog(head), 'the reassign dialog');
    await pickPerson(head, dialog(head).getByRole('combobox', { name: 'Give the task to' }), 'Li Wei');
    await dialog(head).getByRole('textbox', { name: 'Remark' }).fill('Wang Fang is away');
    await confirm(head);
    await gone(dialog(head), 'the dialog');
    await eventually(
      async () =>
        (await env.process(waiting)).tasks.some(
          (t) => t.user_id === 'dept_leader' && t.status === 'in_progress',
        ),
      'the task reassigned on the server',
    );
    await see(head.getByRole('cell', { name: 'Wang Fang is away' }), 'the remark in the audit trail');
    await see(head.getByText('Admin', { exact: true }), 'the line marked as an admin action');
    await assertAccessible(head, 'process admin page');

    const leader = await env.open('dept_leader');
    await leader.goto('/approval-center/todo');
    await see(leader.getByText('Zhang San').first(), 'the reassigned leave in Li Wei’s to-dos');

    // Screenshots in both languages.
    for (const locale of ['en', 'zh-CN'] as Locale[]) {
      const page = await env.open('hr_head', { locale });
      // The browser's clock follows the server's, so "waiting" reads as the server counts it.
      await page.clock.setFixedTime(Date.now() + env.clock.offsetMs);
      await page.goto('/console/processes?sort=waiting');
      await see(page.locator('tbody tr.ant-table-row').first(), `the search (${locale})`);
      // The date filter speaks the page's language (the native input said mm/dd/yyyy whatever it was).
      const start = page.getByLabel(locale === 'en' ? 'Started between: from' : '发起时间: 起', {
        exact: true,
      });
      assert.equal(await start.getAttribute('placeholder'), locale === 'en' ? 'Start date' : '开始日期');
      assert.equal(await page.locator('.pf-monitor-filters input[type="date"]').count(), 0);
      await screenshot(page, 'console-processes', locale);
      await page.goto(`/console/processes/${waiting}`);
      await see(page.getByRole('heading', { level: 2 }).first(), `the process (${locale})`);
      await screenshot(page, 'console-process', locale);
    }
  });

  it('a process admin sees only their flows; the others answer "not found"', async (env) => {
    const equipment = await env.start(await otherFlow(env), 'employee', { item: 'Monitor' });
    await env.start(env.flows.leave!, 'employee', FIVE_DAY_LEAVE);
    const admin = await env.open('process_admin');
    await admin.goto('/console/processes');
    await see(admin.getByRole('link', { name: 'Leave' }), 'the leave of their flow');
    await gone(admin.getByRole('link', { name: 'Equipment request' }), 'another flow’s process');
    await admin.goto(`/console/processes/${equipment}`);
    await see(admin.getByRole('heading', { name: 'Process not found' }), 'not found');

    // Days typed into the range land in the URL as YYYY-MM-DD; a range in the past finds nothing.
    await admin.goto('/console/processes');
    await see(admin.getByRole('link', { name: 'Leave' }), 'the search');
    await typeDay(admin, 'Started between: from', '2020-01-01');
    await typeDay(admin, 'Started between: to', '2020-01-31');
    await eventually(
      () => Promise.resolve(admin.url().includes('from=2020-01-01') && admin.url().includes('to=2020-01-31')),
      'the range in the URL',
    );
    await see(admin.getByText('No process matches these filters.'), 'nothing started in the range');

    // A refetch in the background (the window regains focus once the rows are stale) keeps the table
    // readable: no veil, not busy; a quiet hint beside the title says it is updating.
    await admin.goto('/console/processes');
    await see(admin.getByRole('link', { name: 'Leave' }), 'the leave again');
    await slowDown(admin, '**/api/v1/admin/processes?**', 2_500);
    await admin.clock.setFixedTime(Date.now() + 60_000);
    await admin.evaluate("window.dispatchEvent(new Event('visibilitychange'))");
    await see(admin.getByRole('status').filter({ hasText: 'Updating…' }), 'the updating hint');
    assert.equal(await admin.locator('.pf-monitor .ant-spin-spinning').count(), 0, 'the rows are not greyed');
    assert.equal(await admin.locator('.pf-monitor [aria-busy="true"]').count(), 0, 'the table is not busy');
    await gone(admin.getByText('Updating…'), 'the hint once the rows are fresh');
    await admin.unroute('**/api/v1/admin/processes?**');

    // Phone width: the search and the table fit (the table scrolls inside itself).
    const phone = await env.open('process_admin', { width: 375, height: 800 });
    await phone.goto('/console/processes');
    await see(phone.getByRole('link', { name: 'Leave' }), 'the search on a phone');
    await assertNoHorizontalScroll(phone, 'process search on a phone');

    // Withdraw on the initiator's behalf, with a reason, confirmed in a dialog.
    const leave = await env.start(env.flows.leave!, 'employee', { ...FIVE_DAY_LEAVE, days: '1' });
    await admin.goto(`/console/processes/${leave}`);
    await admin.getByRole('button', { name: 'Withdraw on behalf of the initiator' }).click();
    await see(dialog(admin), 'the withdraw dialog');
    await confirm(admin);
    await see(dialog(admin).getByText(/Say why/), 'the reason is required');
    await dialog(admin).getByRole('textbox', { name: 'Reason' }).fill('Asked by phone');
    await confirm(admin);
    await eventually(
      async () => (await env.process(leave)).status === 'withdrawn',
      'withdrawn on the server',
    );
    await see(admin.getByText('withdrew the request on behalf of Zhang San').first(), 'the audit line');
  });

  it('a reassign the server refuses keeps the dialog open with its words; nothing is thrown in the page', async (env) => {
    // One day: the manager's approval completes it.
    const leave = await env.start(env.flows.leave!, 'employee', { ...FIVE_DAY_LEAVE, days: '1' });
    const admin = await env.open('process_admin');
    const thrown: string[] = [];
    admin.on('pageerror', (error) => thrown.push(error.message));
    await admin.goto(`/console/processes/${leave}`);
    await admin.getByRole('button', { name: /^Reassign/ }).click();
    await see(dialog(admin), 'the reassign dialog');

    // Confirm with nobody chosen: the field says what is missing, and no error escapes into the page.
    await confirm(admin);
    await see(dialog(admin).getByText('Required', { exact: true }), 'the missing person');
    assert.deepEqual(thrown, [], 'no uncaught error after a failed validation');

    // The manager approves meanwhile: the task is no longer open when the reassign arrives.
    await pickPerson(admin, dialog(admin).getByRole('combobox', { name: 'Give the task to' }), 'Li Wei');
    await env.approve(leave, 'manager');
    await confirm(admin);
    const refusal = dialog(admin).getByRole('alert');
    await see(refusal, 'the refusal in the dialog');
    const said = await refusal.innerText();
    assert.match(said, /someone acted first/, 'the catalogue’s sentence');
    assert.match(said, /the process is completed/, 'the server’s own words');
    await see(dialog(admin), 'the dialog, still open');
    assert.deepEqual(thrown, [], 'no uncaught error after a refused reassign');
  });
});
