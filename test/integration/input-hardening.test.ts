import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { forEachDialect } from '../helpers/databases.js';
import { ADMIN_TOKEN, startTestServer, tenantToken, type TestServer } from '../helpers/server.js';
import { choice, date, DemoDriver, failure, num, sdkClient, text } from '../helpers/sdk.js';

const V2 = '/open-apis/corehr/v2';
const LEAVE = [
  { variable_api_name: 'leave_type', variable_value: { enum_value: 'annual' } },
  { variable_api_name: 'start_date', variable_value: { date_value: '2026-12-01' } },
  { variable_api_name: 'end_date', variable_value: { date_value: '2026-12-02' } },
  { variable_api_name: 'days', variable_value: { number_value: '2' } },
];

/** Rows of every table that requests write, to show a refused request changed nothing. */
async function fingerprint(t: TestServer): Promise<string> {
  const db = t.server.database.db;
  const count = async (
    table: 'tenants' | 'employees' | 'apps' | 'processes' | 'outbox' | 'flow_definitions',
  ) =>
    (
      await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n;
  const processes = await db.selectFrom('processes').select(['id', 'version']).orderBy('id').execute();
  return JSON.stringify({
    tenants: await count('tenants'),
    employees: await count('employees'),
    apps: await count('apps'),
    definitions: await count('flow_definitions'),
    outbox: await count('outbox'),
    processes,
  });
}

/** A raw HTTP/1.1 exchange: what fetch refuses to send (a NUL in a header) still reaches the server. */
function rawRequest(url: string, head: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => {
      socket.write(head);
    });
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('end', () => {
      resolve(answer);
    });
    socket.on('error', reject);
  });
}

forEachDialect(
  'input no database can hold, duplicate fields, unknown admin parameters, people in form values',
  (dialect) => {
    let t: TestServer;
    let d: DemoDriver;
    let token: string;
    let leave: string;
    let processId: string;
    let taskId: string;
    before(async () => {
      t = await startTestServer(dialect, { flags: ['--demo', '--rate-limit', '0'] });
      const demo = t.server.demo!;
      d = new DemoDriver(sdkClient(t.url, demo.app), demo);
      token = await tenantToken(t, demo.app.app_id, demo.app.app_secret);
      leave = demo.flow_definitions.leave!;
      processId = await d.start('leave', 'employee', {
        leave_type: choice('annual'),
        start_date: date('2026-12-01'),
        end_date: date('2026-12-02'),
        days: num('2'),
      });
      taskId = await d.openTask('manager', processId);
    });
    after(() => t.close());

    test('NUL characters, unpaired surrogates and out-of-range numbers: 400/99992402 naming the field, nothing changes', async () => {
      const open = { token: () => token };
      const admin = { token: () => ADMIN_TOKEN };
      const cases: {
        method: string;
        path: string;
        body?: unknown;
        auth: { token: () => string };
        field: string;
      }[] = [
        // path parameters, on routes whose schema allows any text there
        { method: 'GET', path: '/admin/v1/tenants/demo/apps/a%00b', auth: admin, field: 'app_id' },
        { method: 'GET', path: '/admin/v1/tenants/demo/employee_ids/a%00b', auth: admin, field: 'id' },
        {
          method: 'PATCH',
          path: '/admin/v1/tenants/demo/apps/cli%00x',
          body: { name: 'n' },
          auth: admin,
          field: 'app_id',
        },
        // query parameters
        {
          method: 'GET',
          path: '/admin/v1/tenants/demo/employee_ids/employee?app_id=a%00b',
          auth: admin,
          field: 'app_id',
        },
        {
          method: 'GET',
          path: `${V2}/approvers?page_size=10&user_id_type=user_id&user_id=a%00b`,
          auth: open,
          field: 'user_id',
        },
        // bodies, top level and nested
        { method: 'POST', path: '/admin/v1/tenants', body: { name: 'a\u0000b' }, auth: admin, field: 'name' },
        {
          method: 'POST',
          path: '/admin/v1/tenants',
          body: { name: 'lone \ud800 surrogate' },
          auth: admin,
          field: 'name',
        },
        {
          method: 'POST',
          path: '/admin/v1/tenants',
          body: { name: 'lone \udc00 low' },
          auth: admin,
          field: 'name',
        },
        {
          method: 'POST',
          path: '/admin/v1/tenants/demo/employees',
          body: { name: { zh_cn: 'x\u0000' }, email: 'x@demo.example' },
          auth: admin,
          field: 'name.zh_cn',
        },
        {
          method: 'POST',
          path: '/admin/v1/tenants/demo/apps',
          body: { name: 'x', event: { verification_token: 'v\u0000' } },
          auth: admin,
          field: 'event.verification_token',
        },
        {
          method: 'POST',
          path: '/admin/v1/tenants/demo/processes',
          body: {
            flow_definition_id: leave,
            initiator_user_id: 'employee',
            form_values: {
              leave_type: 'annual',
              start_date: '2026-12-01',
              end_date: '2026-12-02',
              days: '1',
              'k\u0000': 'x',
            },
          },
          auth: admin,
          field: 'form_values.k\\u0000',
        },
        {
          method: 'POST',
          path: `${V2}/process_start?user_id_type=user_id`,
          body: {
            flow_definition_id: leave,
            initiator_id: 'employee',
            flow_data: [
              ...LEAVE,
              { variable_api_name: 'reason', variable_value: { text_value: 'x\u0000y' } },
            ],
          },
          auth: open,
          field: 'flow_data[4].variable_value.text_value',
        },
        {
          method: 'POST',
          path: `${V2}/process_start?user_id_type=user_id`,
          body: { flow_definition_id: leave, initiator_id: 'employee\ud83d', flow_data: LEAVE },
          auth: open,
          field: 'initiator_id',
        },
        {
          method: 'POST',
          path: '/open-apis/auth/v3/tenant_access_token/internal',
          body: { app_id: 'cli\u0000', app_secret: 's' },
          auth: open,
          field: 'app_id',
        },
        // integers beyond what a column (or a double) holds
        {
          method: 'GET',
          path: `/admin/v1/tenants/demo/flow_definitions/${leave}/versions/99999999999`,
          auth: admin,
          field: 'version',
        },
        {
          method: 'GET',
          path: `/admin/v1/tenants/demo/flow_definitions/${leave}/versions/2147483648`,
          auth: admin,
          field: 'version',
        },
        {
          method: 'GET',
          path: `/admin/v1/tenants/demo/flow_definitions/${leave}/versions/1e308`,
          auth: admin,
          field: 'version',
        },
        { method: 'GET', path: '/admin/v1/tenants?page_size=99999999999', auth: admin, field: 'page_size' },
        {
          method: 'PUT',
          path: `${V2}/processes/{p}/approvers/{t}?user_id_type=user_id`,
          body: { status: 'NUMBER_1E400', user_id: 'manager' },
          auth: open,
          field: 'status',
        },
        {
          method: 'PUT',
          path: `${V2}/processes/{p}/approvers/{t}?user_id_type=user_id`,
          body: {
            status: 3,
            user_id: 'manager',
            field_values_v2: [
              {
                variable_api_name: 'days',
                variable_value: { number_value: '1', file_value: { length: 2 ** 53 } },
              },
            ],
          },
          auth: open,
          field: 'field_values_v2[0].variable_value.file_value.length',
        },
      ];
      const before = await fingerprint(t);
      for (const c of cases) {
        const path = c.path.replace('{p}', processId).replace('{t}', taskId);
        // 1e400 is JSON for a number no double holds (it parses to Infinity), so it is spliced into the text.
        const raw =
          c.body === undefined ? undefined : JSON.stringify(c.body).replace('"NUMBER_1E400"', '1e400');
        const r = await t.call(c.method, path, {
          token: c.auth.token(),
          ...(raw !== undefined ? { rawBody: raw, headers: { 'content-type': 'application/json' } } : {}),
        });
        const label = `${c.method} ${path} ${raw ?? ''}`;
        assert.equal(r.status, 400, `${label} → ${r.status} ${JSON.stringify(r.body)}`);
        assert.equal(r.body.code, 99992402, label);
        assert.equal(r.body.error.field_violations[0].field, c.field, `${label}: ${JSON.stringify(r.body)}`);
      }
      assert.equal(await fingerprint(t), before, 'a refused request changed nothing');
    });

    test('a NUL in a header (Authorization) is refused by the HTTP parser with a 400', async () => {
      const answer = await rawRequest(
        t.url,
        `GET ${V2}/approvers?page_size=1&user_id=x HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t-\u0000x\r\nConnection: close\r\n\r\n`,
      );
      assert.match(answer, /^HTTP\/1\.1 400 /);
    });

    test('a field given twice in flow_data or field_values_v2 is a 400 naming the second', async () => {
      const twice = await failure(
        d.client.corehr.v2.processStart.create({
          params: { user_id_type: 'user_id' },
          data: {
            flow_definition_id: leave,
            initiator_id: 'employee',
            flow_data: [...LEAVE, { variable_api_name: 'days', variable_value: { number_value: '9' } }],
          },
        }),
      );
      assert.equal(twice.status, 400);
      assert.deepEqual(twice.fields, ['flow_data[4].variable_api_name']);
      assert.match(twice.msg + JSON.stringify(twice), /flow_data/);
      const before = await fingerprint(t);
      const approveTwice = await failure(
        d.client.corehr.v2.processApprover.update({
          path: { process_id: processId, approver_id: taskId },
          params: { user_id_type: 'user_id' },
          data: {
            status: 3,
            user_id: 'manager',
            field_values_v2: [
              { variable_api_name: 'days', variable_value: { number_value: '2' } },
              { variable_api_name: 'days', variable_value: { number_value: '3' } },
            ],
          },
        }),
      );
      assert.equal(approveTwice.status, 400);
      assert.deepEqual(approveTwice.fields, ['field_values_v2[1].variable_api_name']);
      assert.equal(await fingerprint(t), before);
    });

    test('admin API: an unknown query parameter is a 400 naming it; the Open API ignores one, as the vendor does', async () => {
      for (const path of [
        '/tenants?page_sise=10',
        '/tenants/demo/employees?departmnet_id=backend',
        '/tenants/demo/employees/employee?verbose=1',
        `/tenants/demo/flow_definitions/${leave}/versions/1?x=`,
      ]) {
        const r = await t.admin('GET', path);
        const name = new URL(path, 'http://x').searchParams.keys().next().value;
        assert.equal(r.status, 400, `${path}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.code, 99992402);
        assert.deepEqual(
          r.body.error.field_violations.map((v: { field: string }) => v.field),
          [name],
          path,
        );
        assert.match(r.body.error.field_violations[0].description, /not a known query parameter/);
      }
      assert.equal(
        (await t.admin('GET', '/tenants/demo/employees?department_id=backend&page_size=5')).status,
        200,
      );
      const open = await t.call(
        'GET',
        `${V2}/approvers?page_size=10&user_id_type=user_id&user_id=manager&unknown_param=1`,
        {
          token,
        },
      );
      assert.equal(open.status, 200);
    });

    test("a user field takes the person's people_corehr_id or their id in the request's user_id_type", async () => {
      const demo = t.server.demo!;
      const start = (
        userIdType: 'user_id' | 'open_id' | 'people_corehr_id',
        handover: Record<string, string>,
      ) =>
        d.client.corehr.v2.processStart.create({
          params: { user_id_type: userIdType },
          data: {
            flow_definition_id: demo.flow_definitions.offboarding!,
            initiator_id: demo.users.employee![userIdType],
            flow_data: [
              { variable_api_name: 'last_day', variable_value: { date_value: '2026-12-31' } },
              { variable_api_name: 'reason', variable_value: text('moving') },
              { variable_api_name: 'handover_to', variable_value: handover },
            ],
          },
        });
      for (const [type, id] of [
        ['user_id', 'backend_dev'],
        ['open_id', demo.users.backend_dev!.open_id],
        ['user_id', demo.users.backend_dev!.people_corehr_id],
        ['people_corehr_id', demo.users.backend_dev!.people_corehr_id],
      ] as const) {
        const started = await start(type, { employment_value: id });
        assert.equal(started.code, 0, `${type} ${id}`);
        assert.deepEqual((await d.form(started.data!.process_id!)).handover_to, {
          user_value: 'backend_dev',
        });
      }
      const nobody = await failure(start('user_id', { employment_value: 'nobody' }));
      assert.equal(nobody.status, 400);
      assert.deepEqual(nobody.fields, ['flow_data.handover_to']);
      const described = async (call: Promise<unknown>) => {
        try {
          await call;
        } catch (error) {
          return JSON.stringify((error as { response: { data: unknown } }).response.data);
        }
        return '';
      };
      const nobodyText = await described(start('user_id', { employment_value: 'nobody' }));
      assert.match(nobodyText, /employment_value/);
      assert.match(nobodyText, /people_corehr_id/);
      assert.match(nobodyText, /user_id_type \(user_id\)/);
      const wrongKey = await described(start('user_id', { user_value: 'backend_dev' }));
      assert.match(wrongKey, /flow_data.handover_to/);
      assert.match(
        wrongKey,
        /takes employment_value: the person's people_corehr_id, or their id in the request's user_id_type \(user_id\); not user_value/,
      );
    });
  },
);
