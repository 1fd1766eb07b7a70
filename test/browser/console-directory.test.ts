import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { screenshot, type Locale } from '../helpers/browser.js';
import {
  assertAccessible,
  assertNoHorizontalScroll,
  browserSuite,
  chooseInSelect,
  dialog,
  dialogOpened,
  eventually,
  gone,
  pickPerson,
  see,
} from './harness.js';

/**
 * The directory in the console, as the demo's tenant admin (郑红 Zheng Hong, hr_head): a department,
 * an employee with a manager, a CSV import whose dry run finds a problem, fixed, then applied.
 */

const csvFile = (text: string, name = 'employees.csv') => ({
  name,
  mimeType: 'text/csv',
  buffer: Buffer.from(`\uFEFF${text}`, 'utf8'),
});

async function pickDepartment(page: Page, scope: ReturnType<typeof dialog>, label: string, name: string) {
  await chooseInSelect(page, scope.getByRole('combobox', { name: label }), name);
}

browserSuite('console: directory', (it) => {
  it('hr_head creates a department and an employee with a manager, then imports a CSV (dry run, fix, apply)', async (env) => {
    const page = await env.open('hr_head');
    await page.goto('/console/directory');
    await see(page.getByRole('tab', { name: 'Departments', selected: true }), 'the Departments tab');
    await see(page.getByRole('tree', { name: 'Department tree' }).getByText('Engineering'), 'the tree');

    // A department under Engineering, led by Zhao Min.
    await page.getByRole('button', { name: 'New department' }).click();
    const create = dialog(page);
    await create.getByLabel('Department ID').fill('data');
    await create.getByLabel('Name (Chinese)').fill('数据组');
    await create.getByLabel('Name (English)').fill('Data');
    await pickDepartment(page, create, 'Parent department', 'Engineering');
    await pickPerson(page, create.getByRole('combobox', { name: 'Leader' }), 'Zhao Min');
    await create.getByRole('button', { name: 'Create' }).click();
    await gone(create, 'the new-department dialog');
    await see(page.getByRole('tree').getByText('Data', { exact: true }), 'the new department in the tree');
    await eventually(async () => {
      const d = await env.admin('GET', '/tenants/demo/departments/data');
      return (
        d.body.data?.parent_department_id === 'engineering' && d.body.data?.leader_user_id === 'backend_dev'
      );
    }, 'the department stored with its parent and leader');

    // Moving Engineering under its own new sub-department is not offered; renaming is.
    const editor = page.getByRole('form', { name: 'Edit department' });
    await see(editor, 'the department editor');
    await editor.getByLabel('Name (English)').fill('Data & Analytics');
    await editor.getByRole('button', { name: 'Save' }).click();
    await see(page.getByRole('tree').getByText('Data & Analytics'), 'the renamed department');

    // An employee in it, managed by Zhang San.
    await page.getByRole('tab', { name: 'Employees' }).click();
    await see(page.getByRole('table', { name: 'Employees' }).getByText('Zheng Hong'), 'the employee table');
    await page.getByRole('button', { name: 'New employee' }).click();
    const drawer = dialog(page);
    await drawer.getByLabel('User ID').fill('analyst');
    await drawer.getByLabel('Name (Chinese)').fill('分析师');
    await drawer.getByLabel('Name (English)').fill('Ada Analyst');
    await drawer.getByLabel('Email', { exact: true }).fill('ada@example.com');
    await pickDepartment(page, drawer, 'Department', 'Data & Analytics');
    await pickPerson(page, drawer.getByRole('combobox', { name: 'Manager' }), 'Zhang San');
    await drawer.getByRole('button', { name: 'Create' }).click();
    await gone(drawer, 'the employee drawer');
    await page.getByRole('searchbox', { name: 'Name, email or user ID' }).fill('ada');
    await page.getByRole('searchbox', { name: 'Name, email or user ID' }).press('Enter');
    const row = page.getByRole('row').filter({ hasText: 'Ada Analyst' });
    await see(row.getByText('Zhang San'), 'the new employee with their manager');
    await see(row.getByText('Data & Analytics'), 'the new employee in their department');

    // An invite link to copy (there is no mail).
    await row.getByRole('button', { name: 'Invite link for Ada Analyst' }).click();
    const invite = dialog(page);
    await see(invite.getByText(/\/invite\//), 'the invite link');
    // A click while the dialog still zooms in can press on Close and release on the backdrop.
    await dialogOpened(page);
    await invite.getByRole('button', { name: 'Close' }).last().click();
    await see(row.getByText(/Invite link valid until/), 'the invite state in the list');

    // CSV import: the dry run names the problem by line and column; Apply stays disabled.
    await page.getByRole('tab', { name: 'CSV import' }).click();
    await chooseKind(page, 'Employees');
    const header = 'user_id,name_zh,name_en,email,department_id,manager_user_id,employment_status\n';
    const bad =
      `${header}bi_dev,开发者,Bo Developer,bo@example.com,data,bi_lead,active\n` +
      'bi_lead,负责人,Bea Lead,bea@example.com,nowhere,analyst,active\n';
    await page.locator('input[type=file]').setInputFiles(csvFile(bad));
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    const problems = page.getByRole('table', { name: 'Problems by line' });
    await see(
      problems.getByText('Unknown department nowhere (import departments first)'),
      'the unknown department, named',
    );
    await see(problems.getByRole('cell', { name: '3', exact: true }), 'its line');
    assert.equal(await page.getByRole('button', { name: 'Apply' }).isDisabled(), true, 'Apply is disabled');

    // Fixed and checked again: then applied, all rows at once.
    await page.locator('input[type=file]').setInputFiles(csvFile(bad.replace('nowhere', 'data')));
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    await see(page.getByText('No problems: the file can be applied.'), 'a clean dry run');
    await page.getByRole('button', { name: 'Apply' }).click();
    await see(page.getByText('Imported: every row was applied.'), 'the import result');
    const imported = await env.admin('GET', '/tenants/demo/employees/bi_dev');
    assert.equal(imported.body.data.manager_user_id, 'bi_lead');
    assert.equal(imported.body.data.department_id, 'data');
  });

  // One test per language: the two together took a minute alone and passed the 180 s limit on a loaded host.
  for (const locale of ['en', 'zh-CN'] as Locale[])
    it(`screens in ${locale}: departments, employees, roles, admins, import (phone width too)`, async (env) => {
      const page = await env.open('hr_head', { locale });
      await page.goto('/console/directory/departments');
      await see(page.getByRole('tree'), `the department tree (${locale})`);
      await page
        .getByRole('tree')
        .getByText(locale === 'en' ? 'Backend' : '后端组')
        .click();
      await see(page.getByRole('form'), `the department editor (${locale})`);
      await shoot(page, 'console-directory', locale);

      await page.goto('/console/directory/employees');
      await see(
        page.getByRole('table').getByText(locale === 'en' ? 'Zhang San' : '张三'),
        `employees (${locale})`,
      );
      await assertAccessible(page, `employees ${locale}`);
      await page.goto('/console/directory/roles');
      await see(page.getByRole('table').getByText('hrbp'), `roles (${locale})`);
      await assertAccessible(page, `roles ${locale}`);
      await page.goto('/console/directory/admins');
      await see(page.getByRole('table').getByText('hr_head'), `admins (${locale})`);
      // The last admin stays: the server's refusal is shown.
      await page
        .getByRole('button', {
          name: locale === 'en' ? 'Remove Zheng Hong as a tenant admin' : '取消 郑红 的租户管理员身份',
        })
        .click();
      await page
        .getByRole('button', { name: locale === 'en' ? 'Remove' : '移除', exact: true })
        .last()
        .click();
      await see(page.getByRole('alert'), `the last-admin refusal (${locale})`);
      await assertAccessible(page, `admins ${locale}`);

      await page.goto('/console/directory/import');
      await chooseKind(page, locale === 'en' ? 'Departments' : '部门');
      await page
        .locator('input[type=file]')
        .setInputFiles(
          csvFile(
            'department_id,name_zh,name_en,parent_department_id\nqa,测试组,QA,engineering\nops,运维组,Ops,nowhere\n',
            'departments.csv',
          ),
        );
      await page
        .getByRole('button', { name: locale === 'en' ? 'Check (dry run)' : '检查（试运行）' })
        .click();
      const unknown =
        locale === 'en' ? 'Unknown department nowhere' : '未知部门 nowhere（文件和组织架构中都没有）';
      await see(page.getByRole('table').getByText(unknown), `the problem in the page's language (${locale})`);
      await shoot(page, 'console-import', locale);

      await page.setViewportSize({ width: 375, height: 800 });
      await page.goto('/console/directory/employees');
      await see(page.getByRole('table'), `employees at phone width (${locale})`);
      await assertNoHorizontalScroll(page, `employees ${locale} at 375 px`);
      await page.goto('/console/directory/departments');
      await see(page.getByRole('tree'), `the tree at phone width (${locale})`);
      await assertNoHorizontalScroll(page, `departments ${locale} at 375 px`);
    });
});

/** The import kind: a button-style radio (its input is hidden; the label is what a person clicks). */
async function chooseKind(page: Page, name: string) {
  await page.locator('label.ant-radio-button-wrapper').filter({ hasText: name }).click();
  assert.equal(await page.getByRole('radio', { name }).isChecked(), true, `${name} chosen`);
}

async function shoot(page: Page, name: string, locale: Locale) {
  await screenshot(page, name, locale);
  await assertAccessible(page, `${name} ${locale}`);
}
