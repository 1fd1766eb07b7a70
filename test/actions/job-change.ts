import assert from 'node:assert/strict';
import { i18n } from '../helpers/fixtures.js';
import type { TestServer } from '../helpers/server.js';

const HOUR = 3_600_000;

/** A job change flow of the `seedTenant` tenants: u0 approves; the new department is optional. */
export const jobChangeFlow = {
  name: i18n('员工异动', 'Job change'),
  biz_type: 'job_change',
  process_admins: ['u2'],
  form: [
    { api_name: 'effective_date', label: i18n('生效日期', 'Effective date'), type: 'date', required: true },
    { api_name: 'new_department', label: i18n('新部门', 'New department'), type: 'department' },
    { api_name: 'new_job_title', label: i18n('新职位', 'New job title'), type: 'text', required: true },
  ],
  nodes: [
    { type: 'start', id: 'start', next: 'boss' },
    {
      type: 'approval',
      id: 'boss',
      name: i18n('审批', 'Approval'),
      approvers: [{ type: 'users', user_ids: ['u0'] }],
      next: 'end',
    },
    { type: 'end', id: 'end' },
  ],
};

/** The calendar date in Beijing (the default calendar's zone) `days` after `now`. */
export const beijingDate = (now: number, days: number) =>
  new Date(now + 8 * HOUR + days * 24 * HOUR).toISOString().slice(0, 10);

/** Approves a process's one open task as its assignee; the process completes. */
export async function approveTheTask(t: TestServer, tenantId: string, processId: string): Promise<void> {
  const view = await t.server.services.processes.get(tenantId, processId);
  assert.ok(view.ok);
  const task = view.value.state.tasks.find((x) => x.status === 'in_progress');
  assert.ok(task);
  const decided = await t.server.services.processes.execute(tenantId, processId, {
    kind: 'approve',
    taskId: task.id,
    operatorId: task.assigneeId,
    system: false,
  });
  assert.ok(decided.ok, JSON.stringify(decided));
  assert.equal(decided.value.status, 'completed');
}
