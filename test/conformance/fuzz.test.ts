import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as S from '../../src/api/openapi/schemas.js';
import { startTestServer, tenantToken } from '../helpers/server.js';
import { DemoDriver, choice, date, num, sdkClient } from '../helpers/sdk.js';
import { fuzzArbitrary } from '../helpers/schema-arbitrary.js';

const RUNS = Number(process.env.PEOPLEFLOW_FUZZ_RUNS ?? 2000);

interface Endpoint {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  query?: object;
  body?: object;
}

const V2 = '/open-apis/corehr/v2';
const ENDPOINTS: Endpoint[] = [
  { method: 'GET', path: `${V2}/processes`, query: S.ListProcessesQuery },
  { method: 'GET', path: `${V2}/processes/:process_id`, query: S.UserIdTypeQuery },
  { method: 'GET', path: `${V2}/processes/:process_id/form_variable_data`, query: S.IdTypeQuery },
  { method: 'GET', path: `${V2}/processes/:process_id/flow_variable_data`, query: S.FlowVariableQuery },
  { method: 'POST', path: `${V2}/process_start`, query: S.IdTypeQuery, body: S.StartBody },
  {
    method: 'PUT',
    path: `${V2}/process_withdraw/:process_id`,
    query: S.UserIdTypeQuery,
    body: S.OperatorBody,
  },
  { method: 'PUT', path: `${V2}/process_revoke/:process_id`, query: S.UserIdTypeQuery, body: S.OperatorBody },
  {
    method: 'PUT',
    path: `${V2}/processes/:process_id/approvers/:approver_id`,
    query: S.IdTypeQuery,
    body: S.ApproveBody,
  },
  { method: 'PUT', path: `${V2}/processes/:process_id/extra`, query: S.UserIdTypeQuery, body: S.ExtraBody },
  {
    method: 'PUT',
    path: `${V2}/processes/:process_id/transfer`,
    query: S.UserIdTypeQuery,
    body: S.TransferBody,
  },
  { method: 'GET', path: `${V2}/approvers`, query: S.ApproversQuery },
];

function queryString(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return '';
  const params = new URLSearchParams();
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    for (const item of Array.isArray(v) ? v : [v])
      params.append(key, typeof item === 'string' ? item : JSON.stringify(item));
  }
  return params.toString();
}

test(`fuzzing the Open API from its request schemas: no 5xx, and a rejected request changes nothing (${RUNS} requests)`, async () => {
  const t = await startTestServer('sqlite', { flags: ['--demo', '--rate-limit', '0'] });
  try {
    const demo = t.server.demo!;
    const driver = new DemoDriver(sdkClient(t.url, demo.app), demo);
    const processIds: string[] = [];
    const taskIds: string[] = [];
    for (let i = 0; i < 4; i++) {
      const id = await driver.start('leave', 'employee', {
        leave_type: choice('annual'),
        start_date: date('2026-12-01'),
        end_date: date('2026-12-02'),
        days: num(String(i + 1)),
      });
      processIds.push(id);
      taskIds.push(await driver.openTask('manager', id));
    }
    const token = await tenantToken(t, demo.app.app_id, demo.app.app_secret);
    const db = t.server.database.db;
    const snapshot = async () => {
      const processes = await db.selectFrom('processes').select(['id', 'version']).orderBy('id').execute();
      const outbox = await db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return JSON.stringify({ processes, outbox: outbox.n });
    };
    const idArb = (real: string[]) =>
      fc.oneof(fc.constantFrom(...real), fc.stringMatching(/^[0-9]{1,19}$/), fc.string({ maxLength: 25 }));
    const requestArb = fc.oneof(
      ...ENDPOINTS.map((endpoint) =>
        fc.record({
          endpoint: fc.constant(endpoint),
          processId: idArb(processIds),
          approverId: idArb(taskIds),
          query: endpoint.query ? fuzzArbitrary(endpoint.query) : fc.constant({}),
          body: endpoint.body ? fuzzArbitrary(endpoint.body) : fc.constant(undefined),
          rawBody: fc.option(fc.constantFrom('{"broken": ', 'null', '[]', '"text"'), { freq: 10 }),
        }),
      ),
    );
    let accepted = 0;
    let before = await snapshot();
    await fc.assert(
      fc.asyncProperty(requestArb, async ({ endpoint, processId, approverId, query, body, rawBody }) => {
        const path = endpoint.path
          .replace(':process_id', encodeURIComponent(processId))
          .replace(':approver_id', encodeURIComponent(approverId));
        const qs = queryString(query);
        const payload = endpoint.body ? (rawBody ?? JSON.stringify(body ?? null)) : undefined;
        const response = await fetch(`${t.url}${path}${qs ? `?${qs}` : ''}`, {
          method: endpoint.method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(payload !== undefined ? { body: payload } : {}),
        });
        const text = await response.text();
        assert.ok(
          response.status < 500,
          `${endpoint.method} ${path}?${qs} ${payload ?? ''} → ${response.status} ${text}`,
        );
        const parsed = JSON.parse(text) as { code: number };
        const after = await snapshot();
        if (response.status === 200) {
          assert.equal(parsed.code, 0);
          accepted++;
        } else {
          assert.notEqual(parsed.code, 0);
          assert.equal(after, before, `a rejected ${endpoint.method} ${path} changed the database: ${text}`);
        }
        before = after;
      }),
      { numRuns: RUNS },
    );
    assert.ok(accepted > 0, 'some fuzzed requests were valid and accepted');
  } finally {
    await t.close();
  }
});
