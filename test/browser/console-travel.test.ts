import assert from 'node:assert/strict';
import type { Page, Response } from 'playwright-core';
import { screenshot, type Locale } from '../helpers/browser.js';
import {
  browserSuite,
  chooseInSelect,
  chooseOption,
  dialog,
  dialogOpened,
  eventually,
  gone,
  nameOf,
  pickPerson,
  see,
  type DemoPerson,
} from './harness.js';

/**
 * The console's capstone (issue 12 item 10): the head of People builds a travel application in the
 * designers (from the template, its rules written in the form designer), previews the path of a
 * 12,000 trip by Zhang San on the canvas, publishes; Zhang San starts the trip in the approval center
 * and the path shown there and the path the process takes are the canvas's (same nodes, same people).
 */

interface PreviewAnswer {
  steps: { node_id: string; kind: string; assignees: { user_id: string }[] }[];
}

/** The lit path as [node_id, user_ids] pairs, start and end left out. */
const pathOf = (answer: PreviewAnswer): [string, string[]][] =>
  answer.steps
    .filter((s) => s.kind === 'approval' || s.kind === 'cc' || s.kind === 'form_fill')
    .map((s) => [s.node_id, s.assignees.map((a) => a.user_id)]);

const EXPECTED_PATH: [string, string[]][] = [
  ['manager', ['manager']],
  ['dept_leader', ['dept_leader']],
  ['notify_hrbp', ['hrbp']],
];

/** The latest answer lights exactly the expected path. */
const isExpectedPath = (answer: PreviewAnswer | undefined): Promise<boolean> =>
  Promise.resolve(answer !== undefined && JSON.stringify(pathOf(answer)) === JSON.stringify(EXPECTED_PATH));

async function saved(page: Page, text = 'All changes saved'): Promise<void> {
  await see(page.getByRole('status').filter({ hasText: text }), 'the draft saved', 15_000);
}

/** Remembers the latest successful answer of the preview endpoint matching `pattern`. */
function watchPreview(page: Page, pattern: RegExp): { latest: () => PreviewAnswer | undefined } {
  let latest: PreviewAnswer | undefined;
  page.on('response', (response: Response) => {
    if (response.request().method() !== 'POST' || !pattern.test(new URL(response.url()).pathname)) return;
    if (response.status() !== 200) return;
    void response
      .json()
      .then((body: PreviewAnswer) => {
        latest = body;
      })
      .catch(() => undefined);
  });
  return { latest: () => latest };
}

/** Turns on the canvas path preview for Zhang San and a 12,000 trip; waits for the lit path. */
async function previewOnCanvas(page: Page, flowId: string, locale: Locale): Promise<PreviewAnswer> {
  const answers = watchPreview(page, new RegExp(`^/api/v1/admin/flows/${flowId}/preview$`));
  await page.goto(`/console/flows/${flowId}/flow`);
  await see(page.getByRole('heading', { name: locale === 'en' ? 'Flow' : '流程' }), 'the flow designer');
  await page.getByRole('switch', { name: locale === 'en' ? /Show the path/ : /在流程上显示路径/ }).click();
  await pickPerson(
    page,
    page.getByRole('combobox', { name: locale === 'en' ? 'Initiator' : '发起人' }),
    nameOf('employee', locale),
  );
  await page.getByRole('spinbutton', { name: locale === 'en' ? 'Estimated cost' : '预计费用' }).fill('12000');
  const lit = page.locator('.pf-flow-card.is-lit');
  await eventually(async () => (await lit.count()) === 3, 'three lit nodes on the canvas', 15_000);
  for (const [nodeId, people] of EXPECTED_PATH) {
    const card = page.locator('.pf-flow-card.is-lit').filter({ has: page.locator(`#flow-node-${nodeId}`) });
    await see(card, `the node ${nodeId} lit`);
    await see(
      card.locator('.pf-flow-preview-people').getByText(nameOf(people[0] as DemoPerson, locale)),
      `${people[0]} on the node ${nodeId}`,
    );
  }
  await eventually(() => isExpectedPath(answers.latest()), 'the canvas preview answer for 12,000', 15_000);
  // Back to the top: a full-page screenshot of a scrolled page draws the sticky header mid-page.
  await page.evaluate(() => {
    (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0);
  });
  return answers.latest() as PreviewAnswer;
}

const t = (zh_cn: string, en_us: string) => ({ zh_cn, en_us });

/** A travel application document (setup for the tests that are not about building it). */
const travelDocument = (condition: string) => ({
  name: t('出差申请', 'Travel application'),
  biz_type: 'travel_application',
  process_admins: ['process_admin'],
  form: [
    { api_name: 'destination', label: t('目的地', 'Destination'), type: 'text', required: true },
    { api_name: 'start_date', label: t('开始日期', 'Start date'), type: 'date', required: true },
    { api_name: 'end_date', label: t('结束日期', 'End date'), type: 'date', required: true },
    { api_name: 'days', label: t('天数', 'Days'), type: 'number', required: true },
    { api_name: 'estimated_cost', label: t('预计费用', 'Estimated cost'), type: 'number', required: true },
  ],
  nodes: [
    { type: 'start', id: 'start', next: 'manager' },
    {
      type: 'approval',
      id: 'manager',
      name: t('直属上级审批', 'Manager approval'),
      approvers: [{ type: 'manager', level: 1 }],
      next: 'high_cost',
    },
    {
      type: 'exclusive',
      id: 'high_cost',
      name: t('费用超过 10000？', 'Cost above 10,000?'),
      branches: [{ condition, next: 'dept_leader' }],
      default_next: 'notify_hrbp',
    },
    {
      type: 'approval',
      id: 'dept_leader',
      name: t('部门负责人审批', 'Department leader approval'),
      approvers: [{ type: 'department_leader', level: 1 }],
      next: 'notify_hrbp',
    },
    {
      type: 'cc',
      id: 'notify_hrbp',
      name: t('抄送 HRBP', 'CC the HRBP'),
      recipients: [{ type: 'role', role_key: 'hrbp' }],
      next: 'end',
    },
    { type: 'end', id: 'end' },
  ],
});

const TRIP = {
  destination: 'Shanghai',
  start_date: '2026-12-14',
  end_date: '2026-12-16',
  days: '3',
  estimated_cost: '12000',
};

async function publishInEditor(page: Page, version: number): Promise<void> {
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  const box = dialog(page);
  await see(box.getByText(`Publish version ${version}?`), 'the publish dialog');
  await dialogOpened(page);
  await box.getByRole('button', { name: 'Publish', exact: true }).click();
  await gone(box, 'the publish dialog');
  await see(page.getByText(`v${version}`, { exact: true }), `version ${version} in the header`);
}

/** Types a date into a date picker's text box and accepts it. */
async function typeDate(page: Page, label: string, date: string): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}

browserSuite('console: a travel application built in the designers', (it) => {
  it('built from the template in the designers, previewed on the canvas, published, started: the same path', async (env) => {
    const page = await env.open('hr_head', { width: 1440 });

    // A new flow from the travel application template.
    await page.goto('/console/flows');
    await page.getByRole('button', { name: 'New flow' }).click();
    const create = dialog(page);
    await see(create.getByText('Travel application · travel_application'), 'the travel template preselected');
    await create.getByRole('button', { name: 'Create', exact: true }).click();
    await page.waitForURL(/\/console\/flows\/\d+\/settings$/);
    const flowId = /\/console\/flows\/(\d+)\//.exec(page.url())?.[1] ?? '';
    assert.ok(flowId);
    const api = await env.people('hr_head');
    const draft = async () =>
      (await api.get(`/api/v1/admin/flows/${flowId}`)).body as {
        draft: {
          document: {
            form: { api_name: string; type: string }[];
            rules?: {
              validations?: { expression: string; fields?: string[] }[];
              calculations?: { field: string; expression: string }[];
            };
          };
        };
      };

    // The form designer: the template's fields are there; the rules are written here.
    await page.goto(`/console/flows/${flowId}/form`);
    const canvas = page.getByRole('list', { name: 'Form fields' });
    for (const field of ['destination', 'start_date', 'end_date', 'days', 'estimated_cost', 'traveller'])
      await see(canvas.getByText(field, { exact: true }), `the field ${field} on the form`);
    await page.getByRole('tab', { name: 'Rules' }).click();
    // Typing a rule into an empty box checks what was typed, never the empty box it started from.
    const refusedChecks: string[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/admin/expressions/check') && response.status() !== 200)
        refusedChecks.push(`${response.status()} ${response.request().postData() ?? ''}`);
    });
    await page.getByRole('button', { name: 'Add a validation' }).click();
    await page.getByLabel('Expression of validation 1').fill('form.end_date >= form.start_date');
    await page.getByLabel('Chinese message of validation 1').fill('结束日期不能早于开始日期');
    await page
      .getByLabel('English message of validation 1')
      .fill('The end date cannot be before the start date');
    await page.getByLabel('Fields that show the message of validation 1').click();
    await chooseOption(page, 'End date');
    await page.keyboard.press('Escape');
    await see(page.getByText('Checks: gives bool').first(), 'the validation checks');
    await page.getByRole('button', { name: 'Add a calculation' }).click();
    // The list re-renders while the validation above is checked: chooseInSelect takes a missed click again.
    await chooseInSelect(page, page.getByLabel('Field calculated by rule 1'), 'Days');
    await page.getByLabel('Formula of calculation 1').fill('days_between(form.start_date, form.end_date)');
    await see(page.getByText('Checks: gives int'), 'the calculation checks');
    assert.deepEqual(refusedChecks, [], 'every live check of a rule was answered');
    await saved(page);
    await eventually(async () => {
      const rules = (await draft()).draft.document.rules;
      return (
        rules?.validations?.[0]?.expression === 'form.end_date >= form.start_date' &&
        rules.validations[0].fields?.[0] === 'end_date' &&
        rules.calculations?.[0]?.field === 'days' &&
        rules.calculations[0].expression === 'days_between(form.start_date, form.end_date)'
      );
    }, 'the rules saved in the draft');
    const fields = (await draft()).draft.document.form;
    assert.deepEqual(Object.fromEntries(fields.map((f) => [f.api_name, f.type])), {
      destination: 'text',
      start_date: 'date',
      end_date: 'date',
      days: 'number',
      estimated_cost: 'number',
      traveller: 'user',
      reason: 'text',
    });

    // The flow designer: the path preview of a 12,000 trip by Zhang San lights manager → leader → HRBP.
    const canvasAnswer = await previewOnCanvas(page, flowId, 'en');
    assert.deepEqual(pathOf(canvasAnswer), EXPECTED_PATH);
    await gone(page.locator('.ant-message-notice'), 'messages');
    await screenshot(page, 'console-flow-editor', 'en');
    const zh = await env.open('hr_head', { locale: 'zh-CN', width: 1440 });
    await previewOnCanvas(zh, flowId, 'zh-CN');
    await screenshot(zh, 'console-flow-editor', 'zh-CN');

    // Publish version 1.
    await see(page.getByText('No problems: this draft can be published.'), 'no problems');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const box = dialog(page);
    await see(box.getByText('Publish version 1?'), 'the publish dialog');
    await dialogOpened(page);
    await box.getByRole('button', { name: 'Publish', exact: true }).click();
    await gone(box, 'the publish dialog');
    await see(page.getByText('v1', { exact: true }), 'version 1 in the header');

    // Zhang San starts the trip in the approval center; its preview is the canvas's.
    const employee = await env.open('employee');
    const requestAnswers = watchPreview(employee, new RegExp(`^/api/v1/flows/${flowId}/preview$`));
    await employee.goto('/approval-center/new');
    await employee
      .getByRole('link', { name: /^Travel application/ })
      .first()
      .click();
    await employee.waitForURL(new RegExp(`/approval-center/new/${flowId}`));
    await employee.getByLabel('Destination', { exact: true }).fill('Shanghai');
    await typeDate(employee, 'Start date', '2026-12-14');
    await typeDate(employee, 'End date', '2026-12-16');
    await pickPerson(employee, employee.getByLabel('Traveller', { exact: true }), 'Zhang San');
    await employee.getByLabel('Estimated cost', { exact: true }).fill('12000');
    const path = employee.locator('.pf-preview');
    await see(path.getByText('Wang Fang'), 'the manager in the request preview');
    await see(path.getByText('Li Wei'), 'the department leader in the request preview', 15_000);
    await see(path.getByText('He Jia'), 'the HRBP in the request preview');
    await eventually(
      () => isExpectedPath(requestAnswers.latest()),
      'the request preview answer equal to the canvas preview',
      15_000,
    );
    await employee.getByRole('button', { name: 'Submit', exact: true }).click();
    await employee.waitForURL(/\/approval-center\/processes\/[^/]+$/);
    const processId = /\/approval-center\/processes\/([^/?#]+)/.exec(employee.url())?.[1] ?? '';
    assert.ok(processId);

    // The process takes the same path: manager, then the department leader, then CC the HRBP.
    const started = await env.process(processId);
    assert.equal(started.status, 'in_progress');
    assert.equal(
      String(started.form_values.days),
      '3',
      'days calculated by the rule written in the form designer',
    );
    assert.deepEqual(
      started.tasks.filter((t) => t.status === 'in_progress').map((t) => [t.node_id, t.user_id]),
      [['manager', 'manager']],
    );
    await env.approve(processId, 'manager');
    await eventually(
      async () =>
        (await env.process(processId)).tasks.some(
          (t) => t.node_id === 'dept_leader' && t.user_id === 'dept_leader' && t.status === 'in_progress',
        ),
      "the department leader's task",
    );
    await env.approve(processId, 'dept_leader');
    await eventually(async () => (await env.process(processId)).status === 'completed', 'completed');
    const done = await env.process(processId);
    const taken: [string, string[]][] = [
      // The start node's task is the initiator's submit, not a step of the path.
      ...done.tasks
        .filter((t) => t.node_id !== 'start')
        .map((t): [string, string[]] => [t.node_id ?? '', [t.user_id]]),
      ...done.cc_list.map((c): [string, string[]] => [c.node_id ?? '', [c.user_id]]),
    ];
    assert.deepEqual(taken, EXPECTED_PATH, 'the path the process took is the canvas preview');
  });

  it('a number compared with a string: the live check and the problems panel flag it, publish is refused, the problem focuses its node', async (env) => {
    const api = await env.people('hr_head');
    const imported = await api.post('/api/v1/admin/flows/import', {
      document: travelDocument('form.estimated_cost > "100"'),
    });
    assert.equal(imported.status, 201, JSON.stringify(imported.body));
    const flowId = (imported.body as { flow: { flow_id: string } }).flow.flow_id;
    assert.ok(
      (imported.body as { problems: unknown[] }).problems.length > 0,
      'the import reports the problem',
    );

    const page = await env.open('hr_head', { width: 1440 });
    await page.goto(`/console/flows/${flowId}/settings`);
    const panel = page.locator('.pf-flow-problems');
    await see(panel.getByRole('heading', { name: '1 problem' }), 'the problem in the problems panel', 15_000);

    // Publishing is refused: in the dialog, and by the server.
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    const box = dialog(page);
    await see(box.getByText('1 problem must be fixed first: see the problems list.'), 'publish blocked');
    assert.ok(await box.getByRole('button', { name: 'Publish', exact: true }).isDisabled(), 'no publish');
    await dialogOpened(page);
    await box.getByRole('button', { name: 'Cancel' }).click();
    await gone(box, 'the publish dialog');
    const detail = (await api.get(`/api/v1/admin/flows/${flowId}`)).body as { draft: { revision: number } };
    const refused = await api.post(`/api/v1/admin/flows/${flowId}/publish`, {
      revision: detail.draft.revision,
    });
    assert.ok(refused.status >= 400, `the server refuses to publish (${refused.status})`);

    // The problem opens the flow tab with its node selected and focused.
    await panel.locator('.pf-flow-problems-list').getByRole('button').first().click();
    await page.waitForURL(/\/flow$/);
    const block = page.locator('#flow-node-high_cost');
    await eventually(async () => (await block.getAttribute('aria-current')) === 'true', 'the node selected');
    await eventually(
      () =>
        block.evaluate(
          (element) =>
            element ===
            (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
        ),
      'the node focused',
    );

    // The condition editor's live check refuses it too; fixed, the draft publishes.
    await page.getByRole('button', { name: 'Edit the condition of branch 1' }).first().click();
    const editor = dialog(page);
    await see(editor.getByText('Builder', { exact: true }), 'the condition editor');
    const raw = editor.getByRole('textbox', { name: 'Condition in CEL' });
    if ((await raw.count()) === 0) await editor.getByText('CEL', { exact: true }).click();
    await raw.fill('form.estimated_cost > "100"');
    await see(editor.getByText(/The server refuses this condition/), 'the live check flags it', 15_000);
    assert.ok(await editor.getByRole('button', { name: 'Use this condition' }).isDisabled());
    await raw.fill('form.estimated_cost > 100');
    await see(editor.getByText('The condition checks.'), 'the fixed condition checks', 15_000);
    await editor.getByRole('button', { name: 'Use this condition' }).click();
    await see(page.getByText('No problems: this draft can be published.'), 'no problems', 15_000);
    await publishInEditor(page, 1);
  });

  it('version 2 published while a version-1 process runs: the running one finishes on version 1', async (env) => {
    const flowId = await env.publishFlow(travelDocument('form.estimated_cost > 10000'));
    const running = await env.start(flowId, 'employee', TRIP);
    const processOf = async (id: string) =>
      (await env.admin('GET', `/tenants/demo/processes/${id}`)).body.data as { definition_version: number };
    assert.equal((await processOf(running)).definition_version, 1);

    // Version 2 drops the department leader, in the flow designer.
    const page = await env.open('hr_head', { width: 1440 });
    await page.goto(`/console/flows/${flowId}/flow`);
    await page.getByRole('button', { name: 'Delete Department leader approval' }).click();
    await gone(page.locator('#flow-node-dept_leader'), 'the department leader node');
    await saved(page);
    await publishInEditor(page, 2);

    // The running process still takes version 1's path: the department leader approves it.
    await env.approve(running, 'manager');
    await eventually(
      async () =>
        (await env.process(running)).tasks.some(
          (task) => task.node_id === 'dept_leader' && task.status === 'in_progress',
        ),
      "version 1's department leader task",
    );
    await env.approve(running, 'dept_leader');
    await eventually(async () => (await env.process(running)).status === 'completed', 'completed');
    assert.equal((await processOf(running)).definition_version, 1, 'finished on version 1');

    // A new one runs on version 2: after the manager, no department leader.
    const next = await env.start(flowId, 'employee', TRIP);
    assert.equal((await processOf(next)).definition_version, 2);
    await env.approve(next, 'manager');
    await eventually(async () => (await env.process(next)).status === 'completed', 'v2 completed');
    assert.ok(!(await env.process(next)).tasks.some((task) => task.node_id === 'dept_leader'));
  });
});
