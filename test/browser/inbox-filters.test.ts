import assert from 'node:assert/strict';
import { screenshot } from '../helpers/browser.js';
import { browserSuite, eventually, FIVE_DAY_LEAVE, gone, see } from './harness.js';
import { slowDown, typeDay } from './filters.js';

browserSuite('approval center: filters and live refreshes', (it) => {
  it('the start-date range is a localized picker whose days land in the URL, and a deep link fills it', async (env) => {
    await env.start(env.flows.leave!, 'employee', FIVE_DAY_LEAVE);

    // In Chinese the picker says so itself, not the browser's mm/dd/yyyy.
    const zh = await env.open('employee', { locale: 'zh-CN' });
    await zh.goto('/approval-center/started');
    const zhStart = zh.getByLabel('发起时间: 开始日期', { exact: true });
    const zhEnd = zh.getByLabel('发起时间: 结束日期', { exact: true });
    await see(zhStart, 'the start of the range in Chinese');
    assert.equal(await zhStart.getAttribute('placeholder'), '开始日期');
    assert.equal(await zhEnd.getAttribute('placeholder'), '结束日期');
    assert.notEqual(await zhStart.getAttribute('type'), 'date', 'not the browser’s own date input');
    assert.equal(await zh.locator('.pf-filters input[type="date"]').count(), 0);
    assert.doesNotMatch(await zh.locator('.pf-filters').innerText(), /mm\/dd\/yyyy/i);
    // Its calendar too: Chinese month and weekday names.
    await zhStart.click();
    await see(zh.locator('.ant-picker-dropdown').getByText('一', { exact: true }), 'the calendar in Chinese');
    await screenshot(zh, 'approval-center-date-filter', 'zh-CN');
    await zhStart.press('Escape');
    // Clear buttons are named in Chinese too: Ant Design names a search box's after its icon
    // ("close-circle") and a select's "Clear" in every language.
    const zhSearch = zh.getByLabel('搜索', { exact: true });
    await zhSearch.fill('年假');
    await see(
      zh.locator('.pf-filters').getByRole('button', { name: '清除', exact: true }),
      'the search box’s clear',
    );
    assert.equal(await zh.getByRole('button', { name: /close-circle|^Clear$/ }).count(), 0);
    await zhSearch.fill('');

    const page = await env.open('employee');
    await page.goto('/approval-center/started');
    await see(page.locator('.pf-rows li').first(), 'the started leave');
    // A range in the past: nothing started then.
    await typeDay(page, 'Started between: From', '2020-01-01');
    await typeDay(page, 'Started between: To', '2020-01-31');
    await eventually(
      () => Promise.resolve(page.url().includes('from=2020-01-01') && page.url().includes('to=2020-01-31')),
      'both days in the URL as YYYY-MM-DD',
    );
    await see(page.getByText('No request matches these filters.'), 'the empty, filtered list');

    // A deep link with days fills the picker, and its list shows what started then.
    const today = new Date().toISOString().slice(0, 10);
    await page.goto(`/approval-center/started?from=2026-01-01&to=${today}`);
    await see(page.locator('.pf-rows li').first(), 'the leave started in the linked range');
    assert.equal(await page.getByLabel('Started between: From', { exact: true }).inputValue(), '2026-01-01');
    assert.equal(await page.getByLabel('Started between: To', { exact: true }).inputValue(), today);

    // Clearing the range takes both days out of the URL.
    await page.getByLabel('Started between: From', { exact: true }).hover();
    await page.locator('.pf-filters .ant-picker-clear').click();
    await eventually(
      () => Promise.resolve(!page.url().includes('from=') && !page.url().includes('to=')),
      'the range gone from the URL',
    );
  });

  it('a live update refreshes the to-do list without marking it busy; a quiet hint says it is updating', async (env) => {
    await env.start(env.flows.leave!, 'employee', FIVE_DAY_LEAVE);
    const manager = await env.open('manager');
    await manager.goto('/approval-center/todo');
    const list = manager.getByRole('list', { name: 'Requests' });
    await see(list, 'the to-do list');
    const rows = list.locator(':scope > li');
    await see(rows.first(), 'a to-do');
    const before = await rows.count();

    // The next fetch of the list answers slowly: long enough to look at the page while it runs.
    await slowDown(manager, '**/api/v1/inbox/todo**', 2_500);
    await env.start(env.flows.leave!, 'employee', { ...FIVE_DAY_LEAVE, days: '2' });
    await see(manager.getByRole('status').filter({ hasText: 'Updating…' }), 'the updating hint');
    assert.notEqual(await list.getAttribute('aria-busy'), 'true', 'the rows shown stay usable');
    await eventually(async () => (await rows.count()) === before + 1, 'the new to-do listed', 15_000);
    await gone(manager.getByText('Updating…'), 'the hint once the list is fresh');
  });
});
