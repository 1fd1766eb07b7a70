import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import {
  browserSuite,
  chooseInSelect,
  chooseOption,
  confirm,
  detailUrl,
  dialog,
  eventually,
  FIVE_DAY_LEAVE,
  gone,
  pickPerson,
  pressesRecorded,
  see,
  taskAction,
  type BrowserEnv,
  type DemoPerson,
} from './harness.js';

const TWO_DAY_LEAVE = { ...FIVE_DAY_LEAVE, end_date: '2026-12-15', days: '2' };

/** The open task of `person` in the process (admin view), or undefined. */
async function openTask(env: BrowserEnv, processId: string, person: DemoPerson) {
  return (await env.process(processId)).tasks.find((t) => t.user_id === person && t.status === 'in_progress');
}

async function openDetail(env: BrowserEnv, person: DemoPerson, processId: string): Promise<Page> {
  const page = await env.open(person);
  await page.goto(detailUrl(processId));
  await see(page.getByRole('heading', { name: /Leave/ }), 'the detail page of the leave');
  return page;
}

const statusOf = async (env: BrowserEnv, processId: string) => (await env.process(processId)).status;

browserSuite('task and process actions on the detail page', (it) => {
  it('reject needs an opinion; with one the process is rejected', async (env) => {
    const processId = await env.start(env.flows.leave!, 'employee', TWO_DAY_LEAVE);
    const manager = await openDetail(env, 'manager', processId);
    await manager.getByRole('button', { name: 'Reject', exact: true }).click();
    await see(dialog(manager), 'the reject dialog');
    await confirm(manager);
    // Refused without an opinion: the dialog stays, the field says why, nothing changed.
    await see(dialog(manager).getByText(/opinion/i), 'a message that the opinion is required');
    await see(dialog(manager), 'the dialog still open');
    assert.equal(await statusOf(env, processId), 'in_progress');

    await dialog(manager).getByRole('textbox').first().fill('Not this week: release');
    await confirm(manager);
    await eventually(async () => (await statusOf(env, processId)) === 'rejected', 'rejected on the server');
    await see(manager.getByText('Rejected', { exact: true }), 'the status Rejected');
    const rejected = await env.process(processId);
    assert.equal(rejected.tasks.find((t) => t.user_id === 'manager')?.opinion, 'Not this week: release');
    await gone(manager.getByRole('button', { name: 'Approve', exact: true }), 'the Approve button');
  });

  it('the initiator withdraws a request in progress', async (env) => {
    const processId = await env.start(env.flows.leave!, 'employee', TWO_DAY_LEAVE);
    const employee = await openDetail(env, 'employee', processId);
    await employee.getByRole('button', { name: 'Withdraw', exact: true }).click();
    await confirm(employee);
    await eventually(async () => (await statusOf(env, processId)) === 'withdrawn', 'withdrawn on the server');
    await see(employee.getByText('Withdrawn', { exact: true }), 'the status Withdrawn');
    await gone(employee.getByRole('button', { name: 'Withdraw', exact: true }), 'the Withdraw button');
    // The manager's to-do is gone with it.
    assert.equal(await openTask(env, processId, 'manager'), undefined);
  });

  it('the process admin revokes a completed request; others are not offered Revoke', async (env) => {
    const processId = await env.start(env.flows.leave!, 'employee', TWO_DAY_LEAVE);
    await env.approve(processId, 'manager');
    await eventually(async () => (await statusOf(env, processId)) === 'completed', 'completed');

    const employee = await openDetail(env, 'employee', processId);
    await see(employee.getByText('Completed', { exact: true }), 'the status Completed');
    assert.equal(await employee.getByRole('button', { name: 'Revoke', exact: true }).count(), 0);

    const admin = await openDetail(env, 'process_admin', processId);
    await admin.getByRole('button', { name: 'Revoke', exact: true }).click();
    await see(dialog(admin), 'the revoke dialog');
    await dialog(admin).getByRole('textbox').first().fill('Booked in error');
    await confirm(admin);
    await eventually(async () => (await statusOf(env, processId)) === 'revoked', 'revoked on the server');
    await see(admin.getByText('Revoked', { exact: true }), 'the status Revoked');
    // The initiator's open page follows.
    await see(employee.getByText('Revoked', { exact: true }), 'Revoked on the initiator page', 3_000);
  });

  it('Confirm is pressed once the dialog has opened, and the click reaches it', async (env) => {
    // The dialog zooms in: first laid out in place but transparent, then shrunk to nothing and zoomed
    // in. A click pressed on the transparent Confirm was released on the backdrop once the dialog had
    // shrunk, and the browser sent it to the backdrop: the dialog stayed open, nothing sent (a flaky
    // failure on a loaded machine). Here the page's frames are slowed (Playwright's own are not), so
    // the opening lasts long enough that a click that does not wait for it lands in it every time.
    const processId = await env.start(env.flows.leave!, 'employee', TWO_DAY_LEAVE);
    const manager = await env.open('manager');
    await manager.addInitScript(() => {
      const page = globalThis as unknown as {
        setTimeout(f: () => void, ms: number): number;
        clearTimeout(id: number): void;
        performance: { now(): number };
        requestAnimationFrame(f: (time: number) => void): number;
        cancelAnimationFrame(id: number): void;
      };
      page.requestAnimationFrame = (f) =>
        page.setTimeout(() => {
          f(page.performance.now());
        }, 150);
      page.cancelAnimationFrame = (id) => {
        page.clearTimeout(id);
      };
    });
    await manager.goto(detailUrl(processId));
    await see(manager.getByRole('heading', { name: /Leave/ }), 'the detail page of the leave');
    await taskAction(manager, 'Approve');
    const presses = await pressesRecorded(manager);
    const confirmPresses = presses.filter((p) => p.includes('"Confirm"'));
    assert.ok(
      confirmPresses.some((p) => p.startsWith('mousedown')),
      `a press on Confirm: ${presses.join('; ')}`,
    );
    assert.ok(
      confirmPresses.some((p) => p.startsWith('click')),
      `a click on Confirm: ${presses.join('; ')}`,
    );
    for (const press of presses)
      assert.doesNotMatch(press, /-(enter|appear)\b/, `pressed while the dialog was still opening: ${press}`);
    await eventually(async () => (await statusOf(env, processId)) === 'completed', 'completed');
  });

  it('the manager transfers their task to a colleague, who then has it in To do', async (env) => {
    const processId = await env.start(env.flows.leave!, 'employee', TWO_DAY_LEAVE);
    const manager = await openDetail(env, 'manager', processId);
    await manager.getByRole('button', { name: 'Transfer', exact: true }).click();
    await see(dialog(manager), 'the transfer dialog');
    await pickPerson(manager, dialog(manager).getByRole('combobox').first(), 'Zhao Min');
    await confirm(manager);
    await eventually(
      async () => (await openTask(env, processId, 'backend_dev')) !== undefined,
      'the task moved to Zhao Min',
    );
    const after = await env.process(processId);
    assert.equal(after.tasks.find((t) => t.user_id === 'manager')?.status, 'transferred');
    await gone(manager.getByRole('button', { name: 'Approve', exact: true }), "the manager's Approve button");

    const colleague = await env.open('backend_dev');
    await colleague.goto('/approval-center/todo');
    await colleague.getByRole('link', { name: /Leave/ }).first().click();
    await colleague.waitForURL(new RegExp(detailUrl(processId)));
    await see(colleague.getByText(/Wang Fang/), 'who transferred it, in the timeline');
    await taskAction(colleague, 'Approve');
    await eventually(async () => (await statusOf(env, processId)) === 'completed', 'completed');
  });

  for (const [position, choice] of [
    ['pre', /before/i],
    ['parallel', /parallel|same time|alongside|together/i],
    ['post', /after/i],
  ] as const) {
    it(`add approver (${position}): the added person decides ${position === 'pre' ? 'first' : position === 'post' ? 'after the manager' : 'beside the manager'}`, async (env) => {
      const processId = await env.start(env.flows.leave!, 'employee', TWO_DAY_LEAVE);
      const manager = await openDetail(env, 'manager', processId);
      await manager.getByRole('button', { name: 'Add approver', exact: true }).click();
      const box = dialog(manager);
      await see(box, 'the add-approver dialog');
      await box.getByRole('radio', { name: choice }).check();
      if (position === 'parallel') {
        // A parallel add-sign is a countersign; the dialog offers it (or has already chosen it).
        const countersign = box.getByRole('radio', { name: /countersign|all/i });
        if ((await countersign.count()) > 0) await countersign.first().check();
      }
      await pickPerson(manager, box.getByRole('combobox').first(), 'Zhao Min');
      await confirm(manager);
      await eventually(
        async () => (await env.process(processId)).tasks.some((t) => t.user_id === 'backend_dev'),
        'a task for Zhao Min',
      );
      const state = await env.process(processId);
      const added = state.tasks.find((t) => t.user_id === 'backend_dev');
      const mine = state.tasks.find((t) => t.user_id === 'manager');
      if (position === 'pre') {
        assert.equal(added?.status, 'in_progress', 'the added approver decides first');
        assert.equal(mine?.status, 'not_started', 'the manager waits');
        await gone(manager.getByRole('button', { name: 'Approve', exact: true }), 'Approve while waiting');
      } else if (position === 'parallel') {
        assert.equal(added?.status, 'in_progress');
        assert.equal(mine?.status, 'in_progress');
      } else {
        assert.equal(added?.status, 'not_started', 'the added approver comes after the manager');
        assert.equal(mine?.status, 'in_progress');
      }
      await see(manager.getByText(/Zhao Min/), 'the added approver in the timeline');

      if (position === 'post') await taskAction(manager, 'Approve');
      const added_ = await env.open('backend_dev');
      await added_.goto(detailUrl(processId));
      await taskAction(added_, 'Approve');
      if (position === 'pre') {
        await eventually(
          async () => (await openTask(env, processId, 'manager')) !== undefined,
          "the manager's turn after the added approver",
        );
        await see(
          manager.getByRole('button', { name: 'Approve', exact: true }),
          "the manager's Approve again",
          3_000,
        );
        await taskAction(manager, 'Approve');
      } else if (position === 'parallel') {
        await taskAction(manager, 'Approve');
      }
      await eventually(async () => (await statusOf(env, processId)) === 'completed', 'completed');
    });
  }

  it('the department leader returns the request to the manager, who decides again', async (env) => {
    const processId = await env.start(env.flows.leave!, 'employee', FIVE_DAY_LEAVE);
    await env.approve(processId, 'manager');
    await eventually(
      async () => (await openTask(env, processId, 'dept_leader')) !== undefined,
      'leader task',
    );
    const leader = await openDetail(env, 'dept_leader', processId);
    await leader.getByRole('button', { name: 'Return', exact: true }).click();
    const box = dialog(leader);
    await see(box, 'the return dialog');
    // The earlier node to return to, by its name; the choice shows in the select before Confirm.
    await chooseInSelect(leader, box.getByRole('combobox').first(), 'Manager approval');
    await box.getByRole('textbox').first().fill('Please check the dates');
    await confirm(leader);
    await gone(box, 'the return dialog');
    await eventually(
      async () =>
        (await env.process(processId)).tasks.filter(
          (t) => t.user_id === 'manager' && t.status === 'in_progress',
        ).length === 1,
      'a new task for the manager',
    );
    await gone(leader.getByRole('button', { name: 'Approve', exact: true }), "the leader's Approve button");
    const manager = await openDetail(env, 'manager', processId);
    await see(manager.getByText(/Please check the dates/), 'the reason of the return in the timeline');
    await taskAction(manager, 'Approve');
    await eventually(
      async () => (await openTask(env, processId, 'dept_leader')) !== undefined,
      'leader again',
    );
  });

  it('comment with an @mention and an attachment; the attachment downloads', async (env) => {
    const processId = await env.start(env.flows.leave!, 'employee', TWO_DAY_LEAVE);
    const manager = await openDetail(env, 'manager', processId);
    await manager.getByRole('button', { name: 'Comment', exact: true }).click();
    const form = dialog(manager);
    await see(form, 'the comment dialog');
    const box = form.getByRole('textbox', { name: 'Comment' });
    await box.click();
    await box.pressSequentially('Please confirm the handover @Zhao');
    // The @ opens the people found; taking one mentions them.
    await chooseOption(manager, 'Zhao Min');
    await box.pressSequentially(' thanks');

    const dir = mkdtempSync(join(tmpdir(), 'pf-attach-'));
    const file = join(dir, 'handover-notes.txt');
    writeFileSync(file, 'handover: Zhao Min covers the on-call week\n');
    await form.locator('input[type=file]').last().setInputFiles(file);
    await see(form.getByText('handover-notes.txt'), 'the chosen attachment');
    await confirm(manager);

    await eventually(async () => (await env.process(processId)).comments.length === 1, 'the comment stored');
    const comment = (await env.process(processId)).comments[0];
    assert.ok(comment);
    assert.equal(comment.user_id, 'manager');
    assert.match(comment.text, /Please confirm the handover/);
    assert.deepEqual(comment.mention_user_ids, ['backend_dev']);

    // The initiator sees it (live) and downloads the attachment.
    const employee = await openDetail(env, 'employee', processId);
    await see(employee.getByText(/Please confirm the handover/), 'the comment on the initiator page');
    const link = employee.getByRole('link', { name: /handover-notes\.txt/ });
    await see(link, 'the attachment link');
    const href = await link.first().getAttribute('href');
    assert.ok(href, 'the attachment has a link');
    const download = await employee.request.get(href);
    assert.equal(download.status(), 200);
    assert.equal(await download.text(), 'handover: Zhao Min covers the on-call week\n');
    // Someone who may not see the process cannot fetch the file.
    const outsider = await env.open('outsider');
    assert.equal((await outsider.request.get(href)).status(), 404);
  });
});
