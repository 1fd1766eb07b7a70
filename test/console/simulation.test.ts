import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forEachDialect } from '../helpers/databases.js';
import { startTestServer } from '../helpers/server.js';
import { addLeaderlessDepartment, demoFlowId, signedInDemo } from '../helpers/fixtures.js';
import { DEMO_FLOWS } from '../../src/services/demo-flows.js';

interface RowNode {
  node_id: string;
  assignees: { user_id: string }[];
  fallback?: string;
  causes: string[];
  self_approval: boolean;
}
interface Row {
  initiator: { user_id: string };
  problem: boolean;
  nodes: RowNode[];
}

forEachDialect('console organisation simulation', (dialect) => {
  test('fallbacks, self-approvals, scope, paging, bad input and CSV', async () => {
    const server = await startTestServer(dialect, { flags: ['--demo'] });
    try {
      await addLeaderlessDepartment(server);
      const leave = await demoFlowId(server, 'leave_application');
      const head = await signedInDemo(server, 'hr_head');
      const url = `/api/v1/admin/flows/${leave}/simulation`;

      // 5 days: past the manager, the department leader approves — Operations has none.
      const whole = await head.post(url, { form_values: { days: '5' }, page_size: 200 });
      assert.equal(whole.status, 200, JSON.stringify(whole.body));
      assert.equal(whole.body.summary.source, 'version');
      assert.equal(whole.body.rows_total, whole.body.summary.employees);
      const rows = whole.body.rows as Row[];
      const worker = rows.find((r) => r.initiator.user_id === 'ops_worker');
      assert.ok(worker);
      const leader = worker.nodes.find((n) => n.node_id === 'dept_leader');
      assert.equal(leader?.fallback, 'to_admins');
      assert.deepEqual(leader.causes, ['no_department_leader']);
      assert.deepEqual(
        leader.assignees.map((a) => a.user_id),
        ['process_admin'],
      );
      assert.equal(worker.problem, true);
      const employee = rows.find((r) => r.initiator.user_id === 'employee');
      assert.equal(employee?.problem, false);
      assert.deepEqual(
        employee.nodes.find((n) => n.node_id === 'dept_leader')?.assignees.map((a) => a.user_id),
        ['dept_leader'],
      );
      const ops = whole.body.departments.find(
        (d: { department: { department_id: string } | null }) => d.department?.department_id === 'ops',
      );
      assert.deepEqual(ops.fallbacks_by_node, { dept_leader: 2 });
      assert.equal(ops.employees, 2);
      const leaderNode = whole.body.summary.nodes.find(
        (n: { node_id: string }) => n.node_id === 'dept_leader',
      );
      assert.ok(leaderNode.causes.no_department_leader >= 1);
      assert.equal(whole.body.longest.length, 10);

      // A department's subtree; only the rows with problems; a page at a time.
      const eng = await head.post(url, { department_id: 'engineering', form_values: { days: '5' } });
      const engDepartments = (
        eng.body.rows as { initiator: { department?: { department_id: string } } }[]
      ).map((r) => r.initiator.department?.department_id);
      assert.deepEqual([...new Set(engDepartments)].sort(), ['backend', 'engineering', 'frontend']);
      assert.ok(eng.body.summary.employees < whole.body.summary.employees);
      assert.ok(!(eng.body.rows as Row[]).some((r) => r.initiator.user_id === 'ops_worker'));
      const problems = await head.post(url, {
        form_values: { days: '5' },
        only_problems: true,
        page_size: 2,
      });
      assert.equal(problems.body.rows.length, 2);
      assert.ok((problems.body.rows as Row[]).every((r) => r.problem));
      const seen = new Set((problems.body.rows as Row[]).map((r) => r.initiator.user_id));
      let token: string | undefined = problems.body.page_token;
      while (token) {
        const next = await head.post(url, {
          form_values: { days: '5' },
          only_problems: true,
          page_size: 2,
          page_token: token,
        });
        assert.equal(next.status, 200);
        for (const r of next.body.rows as Row[]) {
          assert.ok(!seen.has(r.initiator.user_id), 'pages do not overlap');
          seen.add(r.initiator.user_id);
        }
        token = next.body.page_token;
      }
      assert.equal(seen.size, problems.body.rows_total);
      assert.ok(seen.has('ops_worker'));
      // A token is bound to its query.
      const foreign = await head.post(url, {
        form_values: { days: '1' },
        page_token: problems.body.page_token,
      });
      assert.equal(foreign.status, 400);

      // Self-approval: a draft naming the initiator among the approvers.
      const doc = structuredClone(DEMO_FLOWS.leave);
      assert.ok(doc);
      const first = doc.nodes.find((n) => n.id === 'manager');
      assert.ok(first && first.type === 'approval');
      first.approvers = [{ type: 'users', user_ids: ['employee', 'hrbp'] }];
      const self = await head.post(url, {
        document: doc,
        form_values: { days: '1' },
        only_problems: true,
        page_size: 200,
      });
      assert.equal(self.status, 200, JSON.stringify(self.body));
      assert.equal(self.body.summary.source, 'document');
      assert.equal(self.body.summary.with_self_approval, 2);
      const selfRow = (self.body.rows as Row[]).find((r) => r.initiator.user_id === 'employee');
      assert.equal(selfRow?.nodes.find((n) => n.node_id === 'manager')?.self_approval, true);

      // Bad input, each named by its field; nothing is stored anyway.
      const unknownDept = await head.post(url, { department_id: 'nowhere' });
      assert.equal(unknownDept.status, 400);
      assert.deepEqual(unknownDept.body.error.violations, [
        { field: 'department_id', description: 'unknown department' },
      ]);
      const wrongType = await head.post(url, { form_values: { days: 'many', leave_type: 'holiday' } });
      assert.equal(wrongType.status, 400);
      const fields = (wrongType.body.error.violations as { field: string }[]).map((v) => v.field).sort();
      assert.deepEqual(fields, ['form_values.days', 'form_values.leave_type']);
      const huge = await head.post(url, { page_size: 100000 });
      assert.equal(huge.status, 400);
      assert.equal(huge.body.error.violations[0].field, 'page_size');
      const unknownField = await head.post(url, { form_values: { nope: 'x' } });
      assert.equal(unknownField.body.error.violations[0].field, 'form_values.nope');
      const looping = structuredClone(DEMO_FLOWS.leave);
      assert.ok(looping);
      const cc = looping.nodes.find((n) => n.id === 'notify_hrbp');
      assert.ok(cc && cc.type === 'cc');
      cc.next = 'manager';
      const cycle = await head.post(url, { document: looping });
      assert.equal(cycle.status, 400);
      assert.match(JSON.stringify(cycle.body.error.violations), /cycle/);

      // CSV: the whole result, with a BOM, Chinese headers on request, formula-looking cells defused.
      // Read as bytes: a text decoder would swallow the BOM this checks.
      const csv = await fetch(`${server.url}${url}?format=csv&lang=zh-CN`, {
        method: 'POST',
        headers: {
          cookie: [...head.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          'x-csrf-token': await head.ensureCsrf(),
          'content-type': 'application/json',
        },
        body: JSON.stringify({ form_values: { days: '5' } }),
      });
      assert.equal(csv.status, 200);
      assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
      const bytes = Buffer.from(await csv.arrayBuffer());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const text = bytes.subarray(3).toString('utf8');
      assert.ok(text.startsWith('工号,姓名,部门'), text.slice(0, 40));
      const lines = text.trim().split(/\r?\n/);
      assert.equal(lines.length, Number(whole.body.summary.employees) + 1);
      const workerLine = lines.find((l) => l.startsWith('ops_worker,'));
      assert.match(workerLine ?? '', /部门无负责人/);
      assert.ok(lines.some((l) => l.startsWith("ops_formula,'=1+2,")));
      const byAccept = await head.request('POST', url, {
        body: { only_problems: true, form_values: { days: '5' } },
        headers: { 'x-csrf-token': await head.ensureCsrf(), accept: 'text/csv' },
      });
      assert.ok(String(byAccept.body).startsWith('user_id,name,department'));
      assert.ok(String(byAccept.body).includes('[fallback: process admins (no department leader)]'));
    } finally {
      await server.close();
    }
  });

  test('who may simulate: flow admins of the flow; others 404; people without a console role 403', async () => {
    const server = await startTestServer(dialect, { flags: ['--demo'] });
    try {
      const leave = await demoFlowId(server, 'leave_application');
      // A flow only the HR head administers.
      const doc = { ...structuredClone(DEMO_FLOWS.leave), process_admins: ['hr_head'] };
      const created = await server.admin('POST', '/tenants/demo/flow_definitions', doc);
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const hrOnly = created.body.data.flow_definition_id as string;

      const processAdmin = await signedInDemo(server, 'process_admin');
      assert.equal((await processAdmin.post(`/api/v1/admin/flows/${leave}/simulation`, {})).status, 200);
      const other = await processAdmin.post(`/api/v1/admin/flows/${hrOnly}/simulation`, {});
      assert.equal(other.status, 404);
      assert.equal((await processAdmin.post(`/api/v1/admin/flows/${hrOnly}/impact`, {})).status, 404);
      const head = await signedInDemo(server, 'hr_head');
      const draft = await head.post(`/api/v1/admin/flows/${hrOnly}/simulation`, {});
      assert.equal(draft.status, 200);
      assert.equal(draft.body.summary.source, 'draft');
      assert.equal((await head.post('/api/v1/admin/flows/9999999999999999999/simulation', {})).status, 404);
      const employee = await signedInDemo(server, 'employee');
      assert.equal((await employee.post(`/api/v1/admin/flows/${leave}/simulation`, {})).status, 403);
      assert.equal((await employee.post(`/api/v1/admin/flows/${leave}/impact`, {})).status, 403);
    } finally {
      await server.close();
    }
  });

  test('publish impact lists the processes whose path the draft would change, and only those', async () => {
    const server = await startTestServer(dialect, { flags: ['--demo'] });
    try {
      const leave = await demoFlowId(server, 'leave_application');
      const employee = await signedInDemo(server, 'employee');
      const start = async (days: string) => {
        const started = await employee.post('/api/v1/processes', {
          flow_id: leave,
          form_values: {
            leave_type: 'annual',
            start_date: '2026-12-01',
            end_date: '2026-12-05',
            days,
          },
        });
        assert.equal(started.status, 201, JSON.stringify(started.body));
        return started.body.process_id as string;
      };
      const twoDays = await start('2');
      const fourDays = await start('4');
      const tenDays = await start('10');

      // The draft moves the threshold from 3 to 5 days: only the 4-day leave changes path.
      const doc = structuredClone(DEMO_FLOWS.leave);
      assert.ok(doc);
      const gateway = doc.nodes.find((n) => n.type === 'exclusive');
      assert.ok(gateway?.type === 'exclusive' && gateway.branches[0]);
      gateway.branches[0].condition = 'form.days > 5';
      const admin = await signedInDemo(server, 'process_admin');
      const noDraft = await admin.post(`/api/v1/admin/flows/${leave}/impact`, {});
      assert.equal(noDraft.status, 400);
      assert.equal(noDraft.body.error.violations[0].field, 'document');

      const impact = await admin.post(`/api/v1/admin/flows/${leave}/impact`, { document: doc, last: 50 });
      assert.equal(impact.status, 200, JSON.stringify(impact.body));
      assert.ok(impact.body.compared >= 3);
      const ids = (impact.body.changed as { process_id: string }[]).map((c) => c.process_id);
      assert.ok(ids.includes(fourDays));
      assert.ok(!ids.includes(twoDays));
      assert.ok(!ids.includes(tenDays));
      const changed = impact.body.changed.find((c: { process_id: string }) => c.process_id === fourDays);
      assert.equal(changed.initiator.user_id, 'employee');
      assert.equal(changed.version, 1);
      assert.deepEqual(
        changed.before.map((s: { node_id: string }) => s.node_id),
        ['manager', 'dept_leader', 'notify_hrbp'],
      );
      assert.deepEqual(
        changed.after.map((s: { node_id: string }) => s.node_id),
        ['manager', 'notify_hrbp'],
      );
      assert.equal(changed.before[1].assignees[0].user_id, 'dept_leader');

      // `last` bounds what is replayed: the most recent process only (the 10-day one, unchanged).
      const lastOne = await admin.post(`/api/v1/admin/flows/${leave}/impact`, { document: doc, last: 1 });
      assert.equal(lastOne.body.compared, 1);
      assert.deepEqual(lastOne.body.changed, []);
      const tooMany = await admin.post(`/api/v1/admin/flows/${leave}/impact`, { document: doc, last: 1001 });
      assert.equal(tooMany.status, 400);
      assert.equal(tooMany.body.error.violations[0].field, 'last');
    } finally {
      await server.close();
    }
  });
});
