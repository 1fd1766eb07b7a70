import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer } from '../helpers/server.js';
import { signedInDemo } from '../helpers/fixtures.js';

interface Step {
  node_id: string;
  assignees: { user_id: string }[];
  skipped: string[];
  fallback?: string;
}

const LEAVE_5_DAYS = { leave_type: 'annual', start_date: '2026-03-02', end_date: '2026-03-06', days: '5' };

forEachDialect('console canvas preview', (dialect) => {
  test('the designer previews the saved or the unsaved document for any initiator; bad input is a clear 400', async () => {
    const server = await startTestServer(dialect, { flags: ['--demo'] });
    try {
      const signIn = (userId: string) => signedInDemo(server, userId);
      const head = await signIn('hr_head');
      const flows = await server.admin('GET', '/tenants/demo/flow_definitions');
      const leave = flows.body.data.items.find(
        (f: { published: { biz_type: string } | null }) => f.published?.biz_type === 'leave_application',
      );
      const leaveId = leave.flow_definition_id as string;
      const preview = (body: unknown, client = head, id = leaveId) =>
        client.post(`/api/v1/admin/flows/${id}/preview`, body);

      // The latest version (no draft), for the employee as initiator.
      const saved = await preview({ initiator_user_id: 'employee', form_values: LEAVE_5_DAYS });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      const steps = saved.body.steps as Step[];
      assert.deepEqual(
        steps.map((s) => s.node_id),
        ['start', 'manager', 'long_leave', 'dept_leader', 'notify_hrbp', 'end'],
      );
      assert.deepEqual(
        steps[1]?.assignees.map((a) => a.user_id),
        ['manager'],
      );

      // Another initiator: the department leader's own manager is the CTO; they never lead themselves.
      const byLeader = await preview({ initiator_user_id: 'dept_leader', form_values: LEAVE_5_DAYS });
      assert.equal(byLeader.status, 200);
      const leaderSteps = byLeader.body.steps as Step[];
      assert.deepEqual(
        leaderSteps[1]?.assignees.map((a) => a.user_id),
        ['cto'],
      );
      // Nobody leads the leader's department but themselves: the process admins take over.
      assert.equal(leaderSteps[3]?.fallback, 'to_admins');

      // The designer's unsaved document: a CC to the initiator inserted after the manager.
      const document = structuredClone(leave.published);
      const manager = document.nodes.find((n: { id: string }) => n.id === 'manager');
      manager.next = 'cc_1';
      document.nodes.push({
        type: 'cc',
        id: 'cc_1',
        name: { zh_cn: '抄送', en_us: 'CC' },
        recipients: [{ type: 'initiator' }],
        next: 'long_leave',
      });
      const unsaved = await preview({
        document,
        initiator_user_id: 'employee',
        form_values: { ...LEAVE_5_DAYS, days: '2' },
      });
      assert.equal(unsaved.status, 200, JSON.stringify(unsaved.body));
      assert.deepEqual(
        (unsaved.body.steps as Step[]).map((s) => s.node_id),
        ['start', 'manager', 'cc_1', 'long_leave', 'notify_hrbp', 'end'],
      );
      assert.deepEqual(
        (unsaved.body.steps as Step[])[2]?.assignees.map((a) => a.user_id),
        ['employee'],
      );
      // Nothing was saved: the flow has no draft.
      const after = await server.admin('GET', `/tenants/demo/flow_definitions/${leaveId}`);
      assert.equal(after.body.data.draft, null);

      // Half-typed values are hints (as in the approval center), not errors.
      const partial = await preview({ initiator_user_id: 'employee', form_values: { days: '5 d' } });
      assert.equal(partial.status, 200);
      assert.equal(partial.body.violations[0].field, 'form_values.days');

      // An unknown initiator, and another tenant's person: the same clear 400 on initiator_user_id.
      await server.admin('POST', '/tenants', { tenant_key: 'other', name: 'Other' });
      await server.admin('POST', '/tenants/other/departments', {
        department_id: 'root',
        name: { zh_cn: '总部', en_us: 'HQ' },
      });
      const stranger = await server.admin('POST', '/tenants/other/employees', {
        user_id: 'stranger',
        name: { zh_cn: '外人', en_us: 'Stranger' },
        email: 'stranger@other.example',
        department_id: 'root',
      });
      assert.equal(stranger.status, 201, JSON.stringify(stranger.body));
      for (const initiator of ['nobody', 'stranger']) {
        const refused = await preview({ initiator_user_id: initiator, form_values: {} });
        assert.equal(refused.status, 400);
        assert.equal(refused.body.error.code, 'invalid_field');
        assert.deepEqual(refused.body.error.violations, [
          { field: 'initiator_user_id', description: 'unknown user' },
        ]);
      }

      // A document with problems: each is named where it is, under `document.`.
      const broken = structuredClone(document);
      broken.nodes.find((n: { id: string }) => n.id === 'long_leave').branches[0].condition =
        'form.days > "3"';
      broken.nodes.find((n: { id: string }) => n.id === 'cc_1').recipients = [
        { type: 'users', user_ids: ['ghost'] },
      ];
      const problems = await preview({ document: broken, initiator_user_id: 'employee', form_values: {} });
      assert.equal(problems.status, 400);
      assert.equal(problems.body.error.code, 'invalid_field');
      assert.match(problems.body.error.message, /fix them to preview/);
      const fields = problems.body.error.violations.map((v: { field: string }) => v.field);
      assert.ok(
        fields.some((f: string) => /^document\.nodes\[\d+\]\.recipients\[0\]\.user_ids\[0\]$/.test(f)),
        fields,
      );
      assert.ok(fields.includes('document.nodes[long_leave].branches[0].condition'), fields);
      // A malformed document or body is refused by its schema, naming the field.
      const malformed = await preview({
        document: { ...document, nodes: 'x' },
        initiator_user_id: 'employee',
        form_values: {},
      });
      assert.equal(malformed.status, 400);
      assert.match(JSON.stringify(malformed.body.error.violations), /document/);
      const extra = await preview({ initiator_user_id: 'employee', form_values: {}, surprise: 1 });
      assert.equal(extra.status, 400);
      const nul = await preview({ initiator_user_id: 'emp\u0000loyee', form_values: {} });
      assert.equal(nul.status, 400);

      // Who may preview: the flow's admins; others see no such flow; an employee has no console.
      const processAdmin = await signIn('process_admin');
      assert.equal(
        (await preview({ initiator_user_id: 'employee', form_values: {} }, processAdmin)).status,
        200,
      );
      const employee = await signIn('employee');
      assert.equal((await preview({ initiator_user_id: 'employee', form_values: {} }, employee)).status, 403);
      const missing = await preview({ initiator_user_id: 'employee', form_values: {} }, head, '999999');
      assert.equal(missing.status, 404);
    } finally {
      await server.close();
    }
  });
});
