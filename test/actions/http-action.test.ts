import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import * as lark from '@larksuiteoapi/node-sdk';
import { forEachDialect } from '../helpers/databases.js';
import { i18n } from '../helpers/fixtures.js';
import { DemoPeople } from '../helpers/people.js';
import { sdkClient } from '../helpers/sdk.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The HTTP action (docs/actions.md "HTTP action"): a custom business type's flow posts the process and
 * its form to an integration, encrypted and signed with an app's encrypt key like its event pushes;
 * retried on 5xx, failed at once on 4xx (visible, retryable), again on revoke; a system step (node
 * type 7) in the people API's timeline and the Open API's system lists.
 */

const ENCRYPT_KEY = 'asset-sync-key';
const HOUR = 3_600_000;

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  // The decrypted action body; tests read arbitrary fields of it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

/** An integration's endpoint: records each POST, answers with the status queued for it (else 200). */
async function integration(): Promise<{
  url: string;
  received: Received[];
  answer: (status: number, times: number) => void;
  close: () => Promise<void>;
}> {
  const received: Received[] = [];
  const queued: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const { encrypt } = JSON.parse(raw) as { encrypt: string };
      received.push({
        headers: req.headers,
        raw,
        body: JSON.parse(new lark.AESCipher(ENCRYPT_KEY).decrypt(encrypt)),
      });
      res.statusCode = queued.shift() ?? 200;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: res.statusCode < 300, ticket: `T-${received.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/peopleflow/actions`,
    received,
    answer: (status, times) => {
      for (let i = 0; i < times; i++) queued.push(status);
    },
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}

const assetFlow = (httpAction: Record<string, unknown> | undefined) => ({
  name: i18n('资产归还', 'Asset return'),
  biz_type: 'custom:asset_return',
  process_admins: ['process_admin'],
  form: [
    { api_name: 'asset_tag', label: i18n('资产编号', 'Asset tag'), type: 'text', required: true },
    { api_name: 'holder', label: i18n('持有人', 'Holder'), type: 'user', required: true },
  ],
  nodes: [
    { type: 'start', id: 'start', next: 'check' },
    {
      type: 'approval',
      id: 'check',
      name: i18n('IT 确认', 'IT check'),
      approvers: [{ type: 'users', user_ids: ['manager'] }],
      next: 'end',
    },
    { type: 'end', id: 'end' },
  ],
  ...(httpAction ? { http_action: httpAction } : {}),
});

interface StepJson {
  kind: string;
  node_type?: number;
  job_id: string;
  step: string;
  status: string;
  attempts: number;
  error?: string;
}

forEachDialect('HTTP action: a signed POST per completed or revoked process', (dialect) => {
  let t: TestServer;
  let receiver: Awaited<ReturnType<typeof integration>>;
  let appId: string;
  let keylessAppId: string;
  const people = new DemoPeople(() => t.url);
  const as = (userId: string) => people.as(userId);

  before(async () => {
    receiver = await integration();
    t = await startTestServer(dialect, {
      flags: ['--demo', '--clock-control', '--webhook-allow-hosts', '127.0.0.1', '--job-interval-ms', '50'],
    });
    const app = await t.admin('POST', '/tenants/demo/apps', {
      name: 'asset sync',
      scopes: ['corehr:process:readonly'],
      event: { encrypt_key: ENCRYPT_KEY },
    });
    assert.equal(app.status, 201, JSON.stringify(app.body));
    appId = app.body.data.app_id as string;
    const keyless = await t.admin('POST', '/tenants/demo/apps', { name: 'no key', scopes: [] });
    assert.equal(keyless.status, 201, JSON.stringify(keyless.body));
    keylessAppId = keyless.body.data.app_id as string;
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  /** Creates and publishes the flow; the publish answer. */
  async function publish(httpAction: Record<string, unknown> | undefined) {
    const created = await t.admin('POST', '/tenants/demo/flow_definitions', assetFlow(httpAction));
    if (created.status !== 201) return { ...created, id: '' };
    const id = created.body.data.flow_definition_id as string;
    const published = await t.admin('POST', `/tenants/demo/flow_definitions/${id}/publish`);
    return { ...published, id };
  }

  /** Started by the employee, approved by the manager in the people API: the process id. */
  async function completeOne(flowId: string, tag: string): Promise<string> {
    const started = await t.admin('POST', '/tenants/demo/processes', {
      flow_definition_id: flowId,
      initiator_user_id: 'employee',
      form_values: { asset_tag: tag, holder: 'backend_dev' },
    });
    assert.equal(started.status, 201, JSON.stringify(started.body));
    const processId = started.body.data.process_id as string;
    const manager = await as('manager');
    const view = await manager.get(`/api/v1/processes/${processId}`);
    const task = (view.body.my_tasks as { task_id: string }[])[0];
    assert.ok(task, JSON.stringify(view.body));
    const approved = await manager.post(`/api/v1/processes/${processId}/tasks/${task.task_id}/approve`, {});
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.status, 'completed');
    return processId;
  }

  const stepsOf = async (userId: string, processId: string): Promise<StepJson[]> => {
    const r = await (await as(userId)).get(`/api/v1/processes/${processId}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return (r.body.timeline as StepJson[]).filter((e) => e.kind === 'system_step');
  };

  test('bad settings are refused at publish, naming the field', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ url: 'ftp://sync.example.com/x', app_id: appId }, 'http_action.url', /http or https/],
      [{ url: 'http://10.1.2.3/x', app_id: appId }, 'http_action.url', /private|non-public|refused/],
      // The cloud metadata address, the classic SSRF target (127.0.0.1 is allowed in this test).
      [{ url: 'http://169.254.169.254/latest/meta-data', app_id: appId }, 'http_action.url', /refused/],
      [{ url: 'https://user:pw@sync.example.com/x', app_id: appId }, 'http_action.url', /credentials/],
      [{ url: '', app_id: appId }, 'http_action.url', /required/],
      [{ url: receiver.url, app_id: 'cli_nobody' }, 'http_action.app_id', /no app/],
      [{ url: receiver.url, app_id: keylessAppId }, 'http_action.app_id', /encrypt key/],
    ];
    const before = await t.admin('GET', '/tenants/demo/flow_definitions?page_size=100');
    for (const [setting, field, says] of cases) {
      const r = await publish(setting);
      assert.equal(r.status, 400, `${JSON.stringify(setting)}: ${JSON.stringify(r.body)}`);
      const violations = r.body.error?.field_violations ?? r.body.error?.details?.problems ?? r.body.error;
      const text = JSON.stringify(violations);
      assert.ok(text.includes(field), `${field} named: ${text}`);
      assert.match(text, says);
    }
    // Each refused flow stays a draft: nothing was published, no process can start on it.
    const after = await t.admin('GET', '/tenants/demo/flow_definitions?page_size=100');
    const published = (list: typeof before) =>
      (list.body.data.items as { latest_version: number }[]).filter((f) => f.latest_version > 0).length;
    assert.equal(published(after), published(before));
  });

  test('completion posts the process and form, encrypted and signed; the timeline shows the step', async () => {
    const flow = await publish({ url: receiver.url, app_id: appId });
    assert.equal(flow.status, 200, JSON.stringify(flow.body));
    const seen = receiver.received.length;
    const processId = await completeOne(flow.id, 'LAPTOP-42');
    await t.server.jobs.drain();
    assert.equal(receiver.received.length, seen + 1, 'one POST');
    const post = receiver.received[seen]!;

    // Signed as event pushes are: sha256(timestamp + nonce + encrypt key + body).
    const timestamp = String(post.headers['x-lark-request-timestamp']);
    const nonce = String(post.headers['x-lark-request-nonce']);
    const expected = createHash('sha256')
      .update(timestamp + nonce + ENCRYPT_KEY + post.raw)
      .digest('hex');
    assert.equal(post.headers['x-lark-signature'], expected);

    const body = post.body;
    assert.equal(body.schema, 'peopleflow.http_action.v1');
    assert.equal(body.event, 'process.completed');
    assert.equal(body.tenant_key, 'demo');
    assert.equal(body.app_id, appId);
    assert.equal(post.headers['idempotency-key'], body.action_id);
    assert.equal(body.process.process_id, processId);
    assert.equal(body.process.biz_type, 'custom:asset_return');
    assert.equal(body.process.status, 9);
    const form = Object.fromEntries(
      (body.form as { api_name: string; value: unknown }[]).map((f) => [f.api_name, f.value]),
    );
    assert.equal(form.asset_tag, 'LAPTOP-42');
    const holder = body.people[form.holder as string];
    assert.equal(holder.user_id, 'backend_dev', JSON.stringify(body.people));
    assert.equal(body.people[body.process.initiator_id].user_id, 'employee');

    // The people API's timeline: a system step, done, after the approval.
    const steps = await stepsOf('employee', processId);
    assert.equal(steps.length, 1, JSON.stringify(steps));
    assert.equal(steps[0]!.node_type, 7);
    assert.equal(steps[0]!.step, 'http_action');
    assert.equal(steps[0]!.status, 'done');
    assert.equal(steps[0]!.job_id, body.action_id);

    // The Open API (official SDK): the same step in system_done_list, type 7, status 3.
    const client = sdkClient(t.url, t.server.demo!.app);
    const detail = await client.corehr.v2.process.get({ path: { process_id: processId } });
    const line = detail.data?.system_done_list?.find((l) => l.approver_id === body.action_id);
    assert.ok(line, JSON.stringify(detail.data?.system_done_list));
    assert.equal(line.type, 7);
    assert.equal(line.status, 3);
    assert.equal(line.node_definition_id, 'system_http_action');
    assert.deepEqual(line.node_name, { zh_cn: 'HTTP 动作', en_us: 'HTTP action' });
    assert.deepEqual(detail.data?.system_todos, []);

    // The result is recorded with the job.
    const jobs = await (await as('process_admin')).get(`/api/v1/admin/processes/${processId}/jobs`);
    assert.equal(jobs.status, 200, JSON.stringify(jobs.body));
    const job = (jobs.body.items as { kind: string; status: string; result: unknown }[]).find(
      (j) => j.kind === 'http_action',
    );
    assert.equal(job?.status, 'done');
    assert.match(JSON.stringify(job.result), /T-\d+/);
  });

  test('a 5xx is retried with backoff until it answers 2xx; the same action_id every time', async () => {
    const flow = await publish({ url: receiver.url, app_id: appId });
    assert.equal(flow.status, 200, JSON.stringify(flow.body));
    receiver.answer(503, 2);
    const seen = receiver.received.length;
    const processId = await completeOne(flow.id, 'PHONE-7');
    await t.server.jobs.drain();
    assert.equal(receiver.received.length, seen + 1);
    let [step] = await stepsOf('employee', processId);
    assert.equal(step?.status, 'pending', 'waiting to be retried');
    assert.equal(step.error, undefined, 'the error is for the process admins only');
    const [adminStep] = await stepsOf('process_admin', processId);
    assert.match(adminStep?.error ?? '', /answered 503/);
    for (let i = 0; i < 2; i++) {
      const moved = await t.admin('POST', '/clock', { advance_ms: HOUR });
      assert.equal(moved.status, 200);
    }
    await t.server.jobs.drain();
    assert.equal(receiver.received.length, seen + 3, 'two retries');
    const ids = new Set(receiver.received.slice(seen).map((r) => r.body.action_id as string));
    assert.equal(ids.size, 1, 'one action id across retries');
    [step] = await stepsOf('employee', processId);
    assert.equal(step?.status, 'done');
    assert.equal(step.attempts, 3);
  });

  test('a 4xx fails at once, visible to the process admins, and a retry sends it again', async () => {
    const flow = await publish({ url: receiver.url, app_id: appId, on_revoke: true });
    assert.equal(flow.status, 200, JSON.stringify(flow.body));
    receiver.answer(422, 1);
    const seen = receiver.received.length;
    const processId = await completeOne(flow.id, 'BADGE-1');
    await t.server.jobs.drain();
    assert.equal(receiver.received.length, seen + 1);
    const [failed] = await stepsOf('process_admin', processId);
    assert.equal(failed?.status, 'failed');
    assert.match(failed.error ?? '', /answered 422/);
    const admin = await as('process_admin');
    const list = await admin.get('/api/v1/admin/jobs?status=failed&kind=http_action');
    assert.equal(list.status, 200, JSON.stringify(list.body));
    assert.ok(
      (list.body.items as { process_id: string }[]).some((j) => j.process_id === processId),
      JSON.stringify(list.body),
    );
    const retried = await admin.post(`/api/v1/admin/processes/${processId}/jobs/${failed.job_id}/retry`);
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    await t.server.jobs.drain();
    assert.equal(receiver.received.length, seen + 2);
    const [done] = await stepsOf('process_admin', processId);
    assert.equal(done?.status, 'done');

    // Revoking the completed process: a second POST, event process.revoked, a second system step.
    const revoked = await admin.post(`/api/v1/processes/${processId}/revoke`, { reason: 'wrong asset' });
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    await t.server.jobs.drain();
    assert.equal(receiver.received.length, seen + 3);
    const last = receiver.received[seen + 2]!.body;
    assert.equal(last.event, 'process.revoked');
    assert.equal(last.process.status, 8);
    assert.notEqual(last.action_id, done.job_id);
    const steps = await stepsOf('employee', processId);
    assert.deepEqual(
      steps.map((s) => s.status),
      ['done', 'done'],
    );
  });

  test('a flow without an HTTP action posts nothing and shows no system step', async () => {
    const flow = await publish(undefined);
    assert.equal(flow.status, 200, JSON.stringify(flow.body));
    const seen = receiver.received.length;
    const processId = await completeOne(flow.id, 'DESK-3');
    await t.server.jobs.drain();
    assert.equal(receiver.received.length, seen);
    assert.deepEqual(await stepsOf('employee', processId), []);
  });
});
