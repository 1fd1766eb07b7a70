import assert from 'node:assert/strict';
import { browserSuite, confirm, detailUrl, dialog, eventually, see, type BrowserEnv } from './harness.js';

const t = (zh_cn: string, en_us: string) => ({ zh_cn, en_us });

/** No demo flow has an or-sign node with two people: this one does (either approver decides). */
const OR_SIGN_FLOW = {
  name: t('设备申领', 'Equipment request'),
  biz_type: 'custom:equipment',
  process_admins: ['process_admin'],
  form: [{ api_name: 'item', label: t('物品', 'Item'), type: 'text', required: true }],
  nodes: [
    { type: 'start', id: 'start', name: t('发起', 'Start'), next: 'either' },
    {
      type: 'approval',
      id: 'either',
      name: t('上级或部门负责人（或签）', 'Manager or department leader (or-sign)'),
      approvers: [{ type: 'users', user_ids: ['manager', 'dept_leader'] }],
      mode: 'or',
      next: 'end',
    },
    { type: 'end', id: 'end', name: t('结束', 'End') },
  ],
};

browserSuite('two approvers of an or-sign node at once', (it) => {
  it('both press Confirm together: one wins, the other is told clearly and nothing is decided twice', async (env: BrowserEnv) => {
    const flowId = await env.publishFlow(OR_SIGN_FLOW);
    const processId = await env.start(flowId, 'employee', { item: 'Laptop' });
    const before = await env.process(processId);
    assert.deepEqual(
      before.tasks
        .filter((x) => x.status === 'in_progress')
        .map((x) => x.user_id)
        .sort(),
      ['dept_leader', 'manager'],
    );

    const manager = await env.open('manager');
    const leader = await env.open('dept_leader');
    for (const page of [manager, leader]) {
      await page.goto(detailUrl(processId));
      await see(page.getByRole('button', { name: 'Approve', exact: true }), 'the Approve button');
    }
    // Both press Approve at the same moment; where Approve opens a dialog, both confirm together.
    await Promise.all(
      [manager, leader].map((page) => page.getByRole('button', { name: 'Approve', exact: true }).click()),
    );
    // Approve opens a dialog; both wait for theirs, then confirm together.
    await Promise.all([manager, leader].map((page) => dialog(page).waitFor({ state: 'visible' })));
    // The first decision reaches the other page live and closes its dialog (with the same message),
    // so a Confirm may find no dialog left to press: both outcomes are the product working.
    const confirmIfStillOpen = (page: typeof manager) =>
      confirm(page).catch((error: unknown) => {
        if (!(error instanceof Error) || !/closed|detached|Timeout/i.test(error.message)) throw error;
      });
    await Promise.all([confirmIfStillOpen(manager), confirmIfStillOpen(leader)]);

    await eventually(async () => (await env.process(processId)).status === 'completed', 'completed');
    const after = await env.process(processId);
    const approved = after.tasks.filter((x) => x.status === 'approved');
    assert.equal(approved.length, 1, `exactly one approval: ${JSON.stringify(after.tasks)}`);
    const winner = approved[0]!.user_id === 'manager' ? manager : leader;
    const loser = winner === manager ? leader : manager;

    // The loser learns that someone else decided first (the 409 task_status_conflict, translated).
    await see(
      loser.getByText(/already|someone else|another|no longer/i),
      'a clear message that the task was already decided',
    );
    // And then sees the decided process, with no Approve left to press.
    await see(loser.getByText('Completed', { exact: true }), 'the completed status on the loser page');
    assert.equal(await loser.getByRole('button', { name: 'Approve', exact: true }).count(), 0);
    await see(winner.getByText('Completed', { exact: true }), 'the completed status on the winner page');
  });
});
