import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { seedTenant, startTestServer, type TestServer } from '../helpers/server.js';
import { i18n } from '../helpers/fixtures.js';
import { approveTheTask, beijingDate, jobChangeFlow } from './job-change.js';

interface JobOnWire {
  key: string;
  status: string;
  attempts: number;
  last_error: string | null;
  result: { applied?: { changes: { field: string; after: string | null }[] } } | null;
}

// The job runner never runs on its own here: what is there when the approval answers was done by the
// approval's own transaction.
forEachDialect('a business action applied in the approval that completes its process', (dialect) => {
  let t: TestServer;
  let flowId = '';
  let tenantId = '';
  let now = 0;

  before(async () => {
    t = await startTestServer(dialect, { flags: ['--emulator', '--clock-control'], runJobs: false });
    await seedTenant(t, 'ac');
    const eng = await t.admin('POST', '/tenants/ac/departments', {
      department_id: 'eng',
      name: i18n('研发部', 'Engineering'),
      parent_department_id: 'root',
    });
    assert.equal(eng.status, 201, JSON.stringify(eng.body));
    flowId = (await t.admin('POST', '/tenants/ac/flow_definitions', jobChangeFlow)).body.data
      .flow_definition_id as string;
    assert.equal((await t.admin('POST', `/tenants/ac/flow_definitions/${flowId}/publish`)).status, 200);
    const tenant = await t.server.services.tenants.get('ac');
    assert.ok(tenant.ok);
    tenantId = tenant.value.id;
    now = Number((await t.admin('GET', '/clock')).body.data.now);
  });
  after(() => t.close());

  /** Starts a job change for u1 and approves it as u0; the process completes. */
  async function approved(formValues: Record<string, unknown>): Promise<string> {
    const started = await t.admin('POST', '/tenants/ac/processes', {
      flow_definition_id: flowId,
      initiator_user_id: 'u1',
      form_values: formValues,
    });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const processId = started.body.data.process_id as string;
    await approveTheTask(t, tenantId, processId);
    return processId;
  }

  async function actionJob(processId: string): Promise<JobOnWire> {
    const jobs = await t.admin('GET', '/tenants/ac/jobs?kind=action&page_size=50');
    const job = (jobs.body.data.items as JobOnWire[]).find((j) => j.key === processId);
    assert.ok(job, JSON.stringify(jobs.body));
    return job;
  }

  const completedNotices = async (processId: string) =>
    t.server.database.db
      .selectFrom('notifications')
      .select('kind')
      .where('process_id', '=', processId)
      .where('kind', '=', 'request_completed')
      .execute();

  test('effective today: the record, the done job and the initiator’s notice commit with the approval', async () => {
    const processId = await approved({
      effective_date: beijingDate(now, 0),
      new_department: 'eng',
      new_job_title: 'Staff engineer',
    });
    const employee = (await t.admin('GET', '/tenants/ac/employees/u1')).body.data;
    assert.equal(employee.department_id, 'eng');
    assert.equal(employee.job_title, 'Staff engineer');
    const job = await actionJob(processId);
    assert.equal(job.status, 'done');
    assert.equal(job.attempts, 1);
    const changes = job.result?.applied?.changes ?? [];
    assert.deepEqual(changes.map((c) => c.field).sort(), ['department_id', 'job_title']);
    assert.equal(changes.find((c) => c.field === 'job_title')?.after, 'Staff engineer');
    assert.equal((await completedNotices(processId)).length, 1);
    // The runner finds nothing left to do, and nothing happens twice.
    await t.server.jobs.drain();
    assert.equal((await actionJob(processId)).attempts, 1);
    assert.equal((await completedNotices(processId)).length, 1);
  });

  test('effective tomorrow: the job waits for the runner, nothing changes yet', async () => {
    const before = (await t.admin('GET', '/tenants/ac/employees/u1')).body.data;
    const processId = await approved({
      effective_date: beijingDate(now, 1),
      new_job_title: 'Principal engineer',
    });
    const job = await actionJob(processId);
    assert.equal(job.status, 'pending');
    assert.equal(job.attempts, 0);
    assert.equal((await t.admin('GET', '/tenants/ac/employees/u1')).body.data.job_title, before.job_title);
    assert.equal((await completedNotices(processId)).length, 0);
  });

  test('a plan with a problem: the approval commits, the job is left to the runner, which fails it naming the field', async () => {
    const before = (await t.admin('GET', '/tenants/ac/employees/u1')).body.data;
    // Longer than a job title may be (the form's text field allows it): a problem of the plan.
    const processId = await approved({
      effective_date: beijingDate(now, 0),
      new_job_title: 'x'.repeat(300),
    });
    const view = await t.server.services.processes.get(tenantId, processId);
    assert.ok(view.ok && view.value.state.status === 'completed');
    const waiting = await actionJob(processId);
    assert.equal(waiting.status, 'pending');
    assert.equal((await t.admin('GET', '/tenants/ac/employees/u1')).body.data.job_title, before.job_title);
    await t.server.jobs.drain();
    const failed = await actionJob(processId);
    assert.equal(failed.status, 'failed');
    assert.match(failed.last_error ?? '', /^new_job_title: new_job_title must be at most/);
    assert.equal((await completedNotices(processId)).length, 0);
  });
});
