import assert from 'node:assert/strict';
import { screenshot } from '../helpers/browser.js';
import { assertAccessible, browserSuite, eventually, see } from './harness.js';

/**
 * What an approval will do, and who hears of it (issue 13): the HRBP deciding Zhang San's information
 * change sees the exact record change (the phone number, before → after) and a bell with the new task;
 * Zhang San urges once; the tenant admin's working calendar page. Screenshots in both languages.
 */
browserSuite('HR actions in the approval center', (it) => {
  it('the approver sees the record change and the bell; the initiator urges once', async (env) => {
    const processId = await env.start(env.flows.info_change!, 'employee', {
      field: 'phone',
      new_value: '+86 138 0000 1234',
    });
    for (const locale of ['en', 'zh-CN'] as const) {
      const page = await env.open('hrbp', { locale });
      const origin = new URL(page.url()).origin;
      // The bell counts the new task.
      const bell = page.getByRole('button', { name: locale === 'en' ? /unread/ : /未读/ });
      await see(bell, 'the bell with an unread count');
      await bell.click();
      await see(page.getByRole('dialog'), 'the notification list');
      // The request's first task comes from its initiator: named once, not as "Zhang San: … from Zhang San".
      await see(
        page
          .getByRole('dialog')
          .getByText(
            locale === 'en'
              ? /^Information change from Zhang San is waiting for your approval$/
              : /^张三的信息变更待你审批$/,
          )
          .first(),
        'the new task, its initiator named once',
      );
      // Its time as the rest of the app writes times ("Dec 6, 2026 13:10"), not the browser's default.
      assert.match(
        (await page.getByRole('dialog').locator('.pf-notification-time').first().textContent()) ?? '',
        locale === 'en'
          ? /^[A-Z][a-z]{2} \d{1,2}, \d{4} \d{2}:\d{2}$/
          : /^\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$/,
      );
      await screenshot(page, 'notifications', locale);
      await page.keyboard.press('Escape');

      await page.goto(`${origin}/approval-center/processes/${processId}`);
      const card = page.locator('.pf-on-approval');
      await see(card, 'the on-approval card');
      await see(card.getByText('+86 138 0000 1234'), 'the new phone number');
      await screenshot(page, 'process-on-approval', locale);
      if (locale === 'en') await assertAccessible(page, 'the process page with the on-approval card');
      await page.context().close();
    }

    const initiator = await env.open('employee');
    await initiator.goto(`${new URL(initiator.url()).origin}/approval-center/processes/${processId}`);
    await initiator.getByRole('button', { name: 'Urge' }).click();
    await see(initiator.getByText(/Reminder sent/), 'the urge confirmation');
    await initiator.getByRole('button', { name: 'Urge' }).click();
    await see(initiator.getByText(/less than an hour ago/).first(), "the server's refusal of a second urge");
    const audit = (await env.process(processId)) as unknown as { audit?: { action: string }[] };
    if (audit.audit) assert.equal(audit.audit.filter((a) => a.action === 'urge').length, 1);
    await initiator.context().close();
  });

  it('the tenant admin sets the working calendar', async (env) => {
    for (const locale of ['en', 'zh-CN'] as const) {
      const page = await env.open('hr_head', { locale });
      await page.goto(`${new URL(page.url()).origin}/console/calendar`);
      await see(
        page.getByRole('heading', { name: locale === 'en' ? 'Working calendar' : /工作日历/ }),
        'the calendar page',
      );
      await eventually(async () => (await page.getByRole('checkbox').count()) >= 7, 'the weekday checkboxes');
      await screenshot(page, 'console-calendar', locale);
      // A holiday's dates and its name share one line on a desktop (the name once wrapped below at any width).
      const dates = await page
        .getByRole('group', { name: locale === 'en' ? 'Holiday 1' : '节假日 1', exact: true })
        .boundingBox();
      const name = await page
        .getByLabel(locale === 'en' ? 'Name of holiday 1' : '节假日 1 名称', { exact: true })
        .boundingBox();
      assert.ok(dates && name, 'the first holiday shown');
      assert.ok(
        Math.abs(dates.y + dates.height / 2 - (name.y + name.height / 2)) < 4 &&
          name.x > dates.x + dates.width,
        `the first holiday's name beside its dates (${locale}): dates ${JSON.stringify(dates)}, name ${JSON.stringify(name)}`,
      );
      if (locale === 'en') await assertAccessible(page, 'the working calendar page');
      await page.context().close();
    }
  });
});
