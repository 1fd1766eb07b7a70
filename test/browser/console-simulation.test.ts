import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEMO_FLOWS } from '../../src/services/demo-flows.js';
import { screenshot, seriousA11yViolations, type Locale } from '../helpers/browser.js';
import {
  assertNoHorizontalScroll,
  browserSuite,
  dialogOpened,
  FIVE_DAY_LEAVE,
  gone,
  see,
  type BrowserEnv,
} from './harness.js';

/**
 * The organisation simulation in the flow editor, as the HR head (tenant admin): an employee of a
 * department nobody leads is flagged where the leave flow's department-leader step falls back to the
 * process admins; the whole result downloads as CSV; the screen in both languages, at phone width too.
 */

const TEXT = {
  en: {
    run: 'Run simulation',
    days: 'Days',
    cause: 'No department leader',
    fallback: 'Fallback: process admins',
    worker: 'Sun Yun',
    download: 'Download CSV',
    problems: 'With a problem',
  },
  'zh-CN': {
    run: '开始模拟',
    days: '天数',
    cause: '部门无负责人',
    fallback: '兜底：流程管理员',
    worker: '孙运',
    download: '下载 CSV',
    problems: '存在问题',
  },
} as const;

/** Operations: a department without a leader, one employee in it (reporting to the CEO). */
async function addLeaderlessDepartment(env: BrowserEnv): Promise<void> {
  const dept = await env.admin('POST', '/tenants/demo/departments', {
    department_id: 'ops',
    name: { zh_cn: '运营部', en_us: 'Operations' },
    parent_department_id: 'company',
  });
  assert.equal(dept.status, 201, JSON.stringify(dept.body));
  const worker = await env.admin('POST', '/tenants/demo/employees', {
    user_id: 'ops_worker',
    name: { zh_cn: '孙运', en_us: 'Sun Yun' },
    email: 'ops_worker@demo.peopleflow.local',
    department_id: 'ops',
    manager_user_id: 'ceo',
  });
  assert.equal(worker.status, 201, JSON.stringify(worker.body));
}

browserSuite('console: organisation simulation', (it) => {
  it('flags an employee without a department leader, downloads the CSV, in en and zh-CN', async (env) => {
    await addLeaderlessDepartment(env);
    await env.start(env.flows.leave!, 'employee', FIVE_DAY_LEAVE);
    const leave = env.flows.leave!;

    for (const locale of ['en', 'zh-CN'] as Locale[]) {
      const text = TEXT[locale];
      const page = await env.open('hr_head', { locale });
      await page.goto(`${env.url}/console/flows/${leave}/simulation`);
      await see(page.getByRole('button', { name: text.run }), 'the Run button');
      await page.getByLabel(text.days, { exact: true }).fill('5');
      await page.getByRole('button', { name: text.run }).click();

      // The employee of Operations: their department-leader step falls back, and says why — in words.
      const row = page.getByRole('row').filter({ hasText: text.worker });
      await see(row, `the row of ${text.worker}`);
      await see(row.getByText(text.cause), 'the cause, as text');
      await see(row.getByText(text.fallback), 'the fallback, as text');
      await see(page.getByText(text.problems).first(), 'the summary cards');

      // The whole result as CSV, with the BOM that makes Excel read the Chinese names.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: text.download }).click(),
      ]);
      const path = await download.path();
      const bytes = readFileSync(path);
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const csv = bytes.subarray(3).toString('utf8');
      assert.ok(csv.includes('ops_worker,'), 'the CSV lists the employee');
      assert.ok(
        csv.toLowerCase().includes(text.cause.toLowerCase()),
        'the CSV says why, in the page language',
      );

      await gone(page.locator('.ant-btn-loading'), 'the download button busy');
      // Off the button: antd's hover colour is not what is checked here.
      await page.mouse.move(0, 0);
      await screenshot(page, 'console-simulation', locale);
      assert.deepEqual(await seriousA11yViolations(page), []);

      await page.setViewportSize({ width: 375, height: 800 });
      await see(row.getByText(text.cause), 'the cause at phone width');
      await assertNoHorizontalScroll(page, `simulation (${locale})`);
    }
  });

  it('the publish dialog lists the recent process whose path the draft changes', async (env) => {
    const leave = env.flows.leave!;
    // A 4-day leave went to the department leader (more than 3 days); a 2-day one did not.
    await env.start(leave, 'employee', { ...FIVE_DAY_LEAVE, end_date: '2026-12-17', days: '4' });
    await env.start(leave, 'backend_dev', { ...FIVE_DAY_LEAVE, end_date: '2026-12-15', days: '2' });
    // The draft raises the threshold to 5 days.
    const draft = structuredClone(DEMO_FLOWS.leave);
    assert.ok(draft);
    const gateway = draft.nodes.find((n) => n.type === 'exclusive');
    assert.ok(gateway?.type === 'exclusive' && gateway.branches[0]);
    gateway.branches[0].condition = 'form.days > 5';
    const saved = await env.admin('PUT', `/tenants/demo/flow_definitions/${leave}/draft`, draft);
    assert.ok(saved.status < 300, JSON.stringify(saved.body));

    const page = await env.open('process_admin');
    await page.goto(`${env.url}/console/flows/${leave}/simulation`);
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await see(dialog.getByRole('button', { name: 'Check the effect' }), 'the impact check');
    await dialogOpened(page);
    await dialog.getByRole('button', { name: 'Check the effect' }).click();
    await see(
      dialog.getByText(/\d+ of \d+ processes would take another path/),
      'the count of changed processes',
    );
    // The first test's 5-day leave changes too (same server); the 2-day one never does.
    const changed = dialog.locator('.pf-impact-item');
    await see(changed.getByText('Zhang San').first(), 'the initiator of the changed process');
    await see(changed.getByText('Department leader approval').first(), 'the step the old path had');
    assert.equal(await changed.getByText('Zhao Min').count(), 0, 'the 2-day leave is not listed');
    await see(
      changed.getByText(/^started [A-Z][a-z]{2} \d{1,2}, \d{4} \d{2}:\d{2}$/).first(),
      'when it started, as the app writes times',
    );
  });
});
