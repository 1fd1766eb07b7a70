import assert from 'node:assert/strict';
import { screenshot, type Locale } from '../helpers/browser.js';
import { browserSuite, see } from './harness.js';

const name = (zh: string, en: string) => ({ zh_cn: zh, en_us: en });

/** A travel application draft: dates, calculated days, a rule end ≥ start, a reason for long trips. */
const travel = {
  name: name('出差申请（表单设计）', 'Travel application (form designer)'),
  biz_type: 'travel_application',
  process_admins: ['process_admin'],
  form: [
    { api_name: 'destination', label: name('目的地', 'Destination'), type: 'text', required: true },
    { api_name: 'start_date', label: name('开始日期', 'Start date'), type: 'date', required: true },
    { api_name: 'end_date', label: name('结束日期', 'End date'), type: 'date', required: true },
    { api_name: 'days', label: name('天数', 'Days'), type: 'number', required: true, precision: 0 },
    { api_name: 'reason', label: name('理由', 'Reason'), type: 'text', required: true },
  ],
  rules: {
    validations: [
      {
        id: 'end_after_start',
        expression: 'form.end_date >= form.start_date',
        message: name('结束日期不能早于开始日期', 'The end date cannot be before the start date'),
        fields: ['end_date'],
      },
    ],
    visibility: [{ field: 'reason', when: 'form.days > 3' }],
    calculations: [{ field: 'days', expression: 'days_between(form.start_date, form.end_date)' }],
  },
  nodes: [
    { type: 'start', id: 'start', next: 'manager' },
    {
      type: 'approval',
      id: 'manager',
      name: name('直属上级', 'Manager'),
      approvers: [{ type: 'manager', level: 1 }],
      next: 'end',
    },
    { type: 'end', id: 'end' },
  ],
};

const LOCALES: Locale[] = ['en', 'zh-CN'];

browserSuite('console: form designer', (it) => {
  it('an admin adds, names and checks fields and rules; the preview follows at phone width', async (env) => {
    const created = await env.admin('POST', '/tenants/demo/flow_definitions', travel);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const flowId = created.body.data.flow_definition_id as string;

    const page = await env.open('hr_head', { locale: 'en', width: 1440 });
    await page.goto(`/console/flows/${flowId}/form`);
    const palette = page.getByRole('list', { name: 'Field types' });
    await see(palette, 'the palette of field types (FlowEditorPage renders FormDesigner on its form tab)');
    const canvas = page.getByRole('list', { name: 'Form fields' });
    await see(canvas.getByText('Destination'), 'the draft’s fields on the canvas');

    // Add a number field with the palette's + button; it is selected, its API name checked as one types.
    await page.getByRole('button', { name: 'Add a Number field' }).click();
    await see(canvas.getByText('number_1'), 'the new field on the canvas');
    const apiName = page.getByLabel('API name');
    await apiName.fill('days');
    await see(page.getByText('Another field already has this API name.'), 'a duplicate api name flagged');
    await apiName.fill('Cost');
    await see(page.getByText(/Must start with a lower-case letter/), 'a malformed api name flagged');
    await apiName.fill('estimated_cost');
    await see(canvas.getByText('estimated_cost'), 'a good api name applied');

    // Move it up with the keyboard-free buttons.
    await page.getByRole('button', { name: 'Move Number up' }).click();

    // Rules: the live check answers the type, or the problem under the expression.
    await page.getByRole('tab', { name: 'Rules' }).click();
    const expression = page.getByLabel('Expression of validation 1');
    await see(page.getByText('Checks: gives bool').first(), 'the saved validation checks');
    await expression.fill('form.end_date >= 3');
    await see(page.getByText(/no such overload/), 'a badly typed validation explained');
    await expression.fill('form.end_date >= form.start_date');
    await see(page.getByText('Checks: gives bool').first(), 'fixed');
    const formula = page.getByLabel('Formula of calculation 1');
    await formula.fill('form.destination');
    await see(
      page.getByText(/is of type string, but days is a number field/),
      'a calculation of the wrong type',
    );
    await formula.fill('days_between(form.start_date, form.end_date)');
    await see(page.getByText('Checks: gives int'), 'the calculation checks');
    // Shown once saved: the problem list is the saved draft's.
    await see(page.getByRole('status').filter({ hasText: 'All changes saved' }), 'the draft saved', 15_000);
    await see(page.getByText('0 problems'), 'the fixed calculation leaves no problem');

    for (const locale of LOCALES) {
      const shown = locale === 'en' ? page : await env.open('hr_head', { locale, width: 1440 });
      if (locale !== 'en') {
        await shown.goto(`/console/flows/${flowId}/form`);
        await see(shown.getByRole('list', { name: '字段类型' }), 'the palette in Chinese');
        await shown.getByRole('tab', { name: '规则' }).click();
        await see(shown.getByText('检查通过：结果类型 bool').first(), 'the live check in Chinese');
      }
      await screenshot(shown, 'console-form', locale);
    }

    // The preview at phone width: calculated and conditional fields say so.
    await page.getByRole('tab', { name: 'Preview' }).click();
    await page.getByText('Phone (375 px)').click();
    const preview = page.locator('.pf-form-preview');
    await see(preview.getByText('calculated on submit'), 'the calculated field marked');
    await see(preview.getByText('shown when form.days > 3'), 'the conditional field marked');
    assert.equal(await preview.getAttribute('data-width'), 'phone');
    const box = await preview.boundingBox();
    assert.ok(box && box.width <= 376, `the phone preview is 375 px wide (${box?.width})`);
  });
});
