import assert from 'node:assert/strict';
import type { Locator, Page } from 'playwright-core';
import { screenshot, seriousA11yViolations, type Locale } from '../helpers/browser.js';
import {
  assertNoHorizontalScroll,
  browserSuite,
  detailUrl,
  eventually,
  FIVE_DAY_LEAVE,
  nameOf,
  see,
  type BrowserEnv,
  type DemoPerson,
} from './harness.js';

/**
 * Every screen in en and zh-CN: shown with real data, saved to docs/screenshots/<screen>.<locale>.png,
 * checked by axe (no serious or critical violation), the data's names shown in the page's language.
 */

const LOCALES: Locale[] = ['en', 'zh-CN'];
const CJK = /[\u4e00-\u9fff]/;

interface Seeded {
  inProgress: string;
  completed: string;
}
let seeded: Promise<Seeded> | undefined;

/** Data for the screens: two leaves waiting for the manager, one completed (CC to the HRBP). */
function seed(env: BrowserEnv): Promise<Seeded> {
  seeded ??= (async () => {
    const inProgress = await env.start(env.flows.leave!, 'employee', FIVE_DAY_LEAVE);
    await env.start(env.flows.leave!, 'backend_dev', {
      ...FIVE_DAY_LEAVE,
      leave_type: 'sick',
      reason: 'Flu',
    });
    const completed = await env.start(env.flows.leave!, 'employee', {
      ...FIVE_DAY_LEAVE,
      start_date: '2026-11-02',
      end_date: '2026-11-03',
      days: '2',
    });
    await env.approve(completed, 'manager');
    await eventually(async () => (await env.process(completed)).status === 'completed', 'completed');
    return { inProgress, completed };
  })();
  return seeded;
}

/** Names of the data in the page's language: the leave flow and the initiator. */
async function assertDataLanguage(
  page: Page,
  locale: Locale,
  screen: string,
  person: DemoPerson = 'employee',
) {
  const flowName = locale === 'en' ? 'Leave' : '休假申请';
  await see(page.getByText(flowName), `${screen}: the flow name "${flowName}"`);
  await see(page.getByText(nameOf(person, locale)), `${screen}: ${nameOf(person, locale)}`);
}

/** The Language control: a native select, or a listbox button whose options pop up. */
async function chooseLanguage(control: Locator, option: RegExp): Promise<void> {
  const page = control.page();
  if ((await control.evaluate((el) => (el as unknown as { tagName: string }).tagName)) === 'SELECT') {
    const label = (await control.locator('option').allInnerTexts()).find((text) => option.test(text));
    assert.ok(label, `a language option matching ${String(option)}`);
    await control.selectOption({ label });
    return;
  }
  await control.click();
  await page.getByRole('option', { name: option }).filter({ visible: true }).first().click();
}

/** axe problems per screen, asserted empty at the end of each test (after the screenshots). */
async function axe(page: Page, screen: string, found: string[]): Promise<void> {
  for (const v of await seriousA11yViolations(page)) found.push(`${screen}: ${v}`);
}

type Box = { x: number; y: number; width: number; height: number };

/** A card's opening words stand apart from what follows them (they ran into the next label once). */
async function assertCardOpeningsApart(page: Page, locale: Locale): Promise<void> {
  const gaps = await page.locator('.ant-card-body > .pf-profile-hint:first-child').evaluateAll((hints) =>
    hints.map((hint) => {
      const next = hint.nextElementSibling;
      return {
        text: (hint.textContent ?? '').slice(0, 20),
        gap: next ? next.getBoundingClientRect().top - hint.getBoundingClientRect().bottom : Infinity,
      };
    }),
  );
  assert.ok(gaps.length >= 2, `the out-of-office and notification cards open with words (${locale})`);
  for (const { text, gap } of gaps)
    assert.ok(gap >= 12, `"${text}…" is ${gap} px from what follows it (${locale})`);
}

/** The unread count sits on the bell's corner; most of the bell stays in sight. */
async function assertBellInSight(page: Page, locale: Locale): Promise<void> {
  const count = await page.locator('.pf-bell-count').boundingBox();
  const bell = await page.locator('.pf-bell .anticon').boundingBox();
  assert.ok(count && bell, `the bell and its unread count are shown (${locale})`);
  const overlap = (a: Box, b: Box) =>
    Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) *
    Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const hidden = overlap(count, bell) / (bell.width * bell.height);
  assert.ok(hidden < 0.2, `the count covers ${Math.round(hidden * 100)} % of the bell (${locale})`);
}

browserSuite('every screen in en and zh-CN: screenshots, axe, translated names', (it) => {
  it('sign-in', async (env) => {
    const found: string[] = [];
    for (const locale of LOCALES) {
      const page = await env.openAnonymous({ locale });
      await page.goto('/approval-center');
      await page.waitForURL(/\/sign-in/);
      const person = page.getByRole('button', { name: new RegExp(nameOf('employee', locale)) });
      await see(person, `sign-in (${locale}): the demo person ${nameOf('employee', locale)}`);
      if (locale === 'en')
        await see(page.getByRole('button', { name: /^Sign in as Zhang San/ }), 'Sign in as …');
      else assert.match(await page.locator('body').innerText(), CJK);
      await screenshot(page, 'sign-in', locale);
      await axe(page, `sign-in ${locale}`, found);
    }
    assert.deepEqual(found, []);
  });

  for (const [tab, person, enName] of [
    ['todo', 'manager', 'To do'],
    ['done', 'manager', 'Done'],
    ['started', 'employee', 'Started by me'],
    ['cc', 'hrbp', 'CC me'],
  ] as const) {
    it(`approval center: ${enName}`, async (env) => {
      await seed(env);
      const found: string[] = [];
      for (const locale of LOCALES) {
        const page = await env.open(person, { locale });
        await page.goto(`/approval-center/${tab}`);
        const selected = page.getByRole('tab', { selected: true });
        await see(selected, `${tab} (${locale}): the selected tab`);
        const tabName = await selected.first().innerText();
        if (locale === 'en') assert.match(tabName, new RegExp(`^${enName}`));
        else assert.match(tabName, CJK, `the ${tab} tab is translated: "${tabName}"`);
        for (const name of ['To do', 'Done', 'Started by me', 'CC me']) {
          const tabs = page.getByRole('tab', { name: new RegExp(`^${name}`) });
          assert.equal(await tabs.count(), locale === 'en' ? 1 : 0, `tab "${name}" in ${locale}`);
        }
        await assertDataLanguage(page, locale, `${tab} ${locale}`);
        await screenshot(page, `approval-center-${tab}`, locale);
        await axe(page, `${tab} ${locale}`, found);
      }
      assert.deepEqual(found, []);
    });
  }

  it('new request: flows by business type, then the form with the live preview', async (env) => {
    const found: string[] = [];
    for (const locale of LOCALES) {
      const page = await env.open('employee', { locale });
      await page.goto('/approval-center/new');
      await see(page.getByText(locale === 'en' ? 'Leave' : '休假申请'), `the flow list (${locale})`);
      await see(
        page.getByText(locale === 'en' ? 'Expense' : '费用报销').first(),
        `the expense flow in the list (${locale})`,
      );
      await screenshot(page, 'new-request-flows', locale);
      await axe(page, `new request list ${locale}`, found);

      await page.goto(`/approval-center/new/${env.flows.leave}`);
      const days = page.getByLabel(locale === 'en' ? 'Days' : '天数', { exact: true });
      await days.fill('5');
      await see(page.getByText(nameOf('manager', locale)), `the manager in the preview (${locale})`);
      await see(
        page.getByText(nameOf('dept_leader', locale)),
        `the department leader in the preview (${locale})`,
      );
      await see(
        page.getByText(locale === 'en' ? 'Manager approval' : '直属上级审批').first(),
        `the node name in the preview (${locale})`,
      );
      await screenshot(page, 'new-request', locale);
      await axe(page, `new request form ${locale}`, found);
    }
    assert.deepEqual(found, []);
  });

  it('process detail, print view', async (env) => {
    const { inProgress } = await seed(env);
    const found: string[] = [];
    for (const locale of LOCALES) {
      const page = await env.open('manager', { locale });
      await page.goto(detailUrl(inProgress));
      await assertDataLanguage(page, locale, `detail ${locale}`);
      await see(
        page.getByText(locale === 'en' ? 'Department leader approval' : '部门负责人审批').first(),
        `what comes next (${locale})`,
      );
      if (locale === 'en') await see(page.getByRole('button', { name: 'Approve', exact: true }), 'Approve');
      // Side by side, the two columns' first cards (the summary, what approving will do) start level.
      const tops = await page
        .locator('.pf-process .ant-row > .ant-col')
        .evaluateAll((cols) =>
          cols.map((col) => Math.round(col.querySelector('.ant-card')?.getBoundingClientRect().top ?? -1)),
        );
      assert.equal(tops.length, 2, `two columns (${locale})`);
      assert.equal(tops[0], tops[1], `the columns' first cards start level (${locale})`);
      await screenshot(page, 'process-detail', locale);
      await axe(page, `detail ${locale}`, found);

      if (locale === 'en') {
        const print = page.getByRole('link', { name: 'Print' });
        await see(print, 'the Print link');
        assert.match(
          (await print.first().getAttribute('href')) ?? '',
          new RegExp(`${detailUrl(inProgress)}/print$`),
        );
      }
      await page.goto(`${detailUrl(inProgress)}/print`);
      await assertDataLanguage(page, locale, `print ${locale}`);
      await page.emulateMedia({ media: 'print' });
      await screenshot(page, 'process-print', locale);
      await axe(page, `print ${locale}`, found);
    }
    assert.deepEqual(found, []);
  });

  it('profile; switching the language there translates the app and the data names', async (env) => {
    await seed(env);
    // With a local password the profile offers changing it (a demo sign-in alone has none to change).
    const password = await env.admin('PUT', '/tenants/demo/employees/employee/password', {
      password: 'correct horse battery',
    });
    assert.equal(password.status, 200, JSON.stringify(password.body));
    const found: string[] = [];
    for (const locale of LOCALES) {
      const page = await env.open('employee', { locale });
      await page.goto('/profile');
      await see(page.getByText(nameOf('employee', locale)), `the person on the profile (${locale})`);
      // The name is in the header too: wait for the profile's own cards (its page loads lazily).
      await see(page.locator('.pf-profile-card').first(), `the profile cards (${locale})`);
      // A catalogue the page forgot to load shows its keys ("picker.person_placeholder") instead of words.
      assert.equal(
        await page.getByPlaceholder(/^[a-z_]+\.[a-z_.]+$/).count(),
        0,
        `untranslated placeholders (${locale})`,
      );
      await screenshot(page, 'profile', locale);
      await assertCardOpeningsApart(page, locale);
      await assertBellInSight(page, locale);
      if (locale === 'en') {
        await see(page.getByRole('button', { name: 'Sign out' }), 'Sign out');
        await see(page.getByRole('button', { name: 'Change password' }), 'Change password');
      }
      await axe(page, `profile ${locale}`, found);
    }

    // An English browser; the person chooses Chinese in Profile.
    const page = await env.open('employee', { locale: 'en' });
    await page.goto('/profile');
    await chooseLanguage(page.getByLabel('Language', { exact: true }), /中文|Chinese/);
    await eventually(
      async () =>
        (await page.evaluate(
          async () => ((await (await fetch('/api/v1/me')).json()) as { language: string }).language,
        )) === 'zh-CN',
      'the language saved on the server',
    );
    await page.goto('/approval-center/started');
    const tab = await page.getByRole('tab', { selected: true }).first().innerText();
    assert.match(tab, CJK, `the tabs in Chinese after the switch: "${tab}"`);
    await assertDataLanguage(page, 'zh-CN', 'started after switching to zh-CN');
    assert.equal(await page.getByRole('tab', { name: /^Started by me/ }).count(), 0);
    // And back: the setting follows the person, not the browser.
    await page.goto('/profile');
    await chooseLanguage(page.getByLabel(/^(语言|Language)$/), /English/);
    await page.goto('/approval-center/started');
    await see(page.getByRole('tab', { name: /^Started by me/ }), 'English tabs again');
    await assertDataLanguage(page, 'en', 'started after switching back');
    assert.deepEqual(found, []);
  });

  it('phone width (375 px): the detail without sideways scrolling, its actions in reach', async (env) => {
    const { inProgress } = await seed(env);
    const found: string[] = [];
    for (const locale of LOCALES) {
      const page = await env.open('manager', { locale, width: 375, height: 812 });
      await page.goto(detailUrl(inProgress));
      await assertDataLanguage(page, locale, `phone detail ${locale}`);
      // The picture first: it shows what a failing layout check below is about.
      await screenshot(page, 'process-detail-phone', locale);
      // Collected like axe's findings, so both languages get their picture.
      await assertNoHorizontalScroll(page, `detail at 375 px (${locale})`).catch((error: unknown) => {
        found.push(error instanceof Error ? error.message : String(error));
      });
      await axe(page, `phone detail ${locale}`, found);
      // The on-approval table fits without its own sideways scroll (its last heading was once cut off).
      const onApproval = page.locator('.pf-on-approval-scroll');
      await see(onApproval, `the on-approval changes (${locale})`);
      const overflow = await onApproval.evaluate((box) => box.scrollWidth - box.clientWidth);
      if (overflow > 0) found.push(`on-approval table ${overflow} px wider than its box (${locale})`);
    }
    assert.deepEqual(found, []);
  });
});
