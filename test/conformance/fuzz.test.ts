import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { sql } from 'kysely';
import { forEachDialect } from '../helpers/databases.js';
import { ADMIN_TOKEN, startTestServer, tenantToken, type TestServer } from '../helpers/server.js';
import { DemoDriver, choice, date, num, sdkClient } from '../helpers/sdk.js';
import {
  HOSTILE_CHARACTERS,
  INTEGER_EXTREMES,
  fuzzArbitrary,
  hostileString,
  type Schema,
} from '../helpers/schema-arbitrary.js';

/** Requests per dialect: every route of the Open API and the admin API, as /openapi.json describes them. */
const RUNS = Number(process.env.PEOPLEFLOW_FUZZ_RUNS ?? 1500);

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: Schema;
}
interface Route {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: Schema;
}

/**
 * Routes left out: deleting the demo tenant or its app would turn every later request into a 401 and
 * leave the rest of the run testing nothing.
 */
const SKIPPED = new Set([
  'DELETE /admin/v1/tenants/{tenant_key}',
  'DELETE /admin/v1/tenants/{tenant_key}/apps/{app_id}',
]);

/**
 * Tables written outside the request being judged: tokens are issued by the token routes, event
 * deliveries are fanned out in the background from earlier accepted requests, and open_ids are
 * minted for a person the first time an app asks about them (a lookup, not a change of state). On
 * PostgreSQL the rate limits' counters live in `rate_limits`: a refused credential is counted there by
 * design (the failed-credential throttle), which is bookkeeping, not a change of state.
 */
const UNFINGERPRINTED = new Set(['access_tokens', 'event_deliveries', 'app_open_ids', 'rate_limits']);

async function routesOf(t: TestServer): Promise<Route[]> {
  const document = (await t.call('GET', '/openapi.json')).body as {
    paths: Record<
      string,
      Record<
        string,
        { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }
      >
    >;
  };
  const routes: Route[] = [];
  for (const [path, operations] of Object.entries(document.paths))
    for (const [method, operation] of Object.entries(operations)) {
      const route = {
        method: method.toUpperCase(),
        path,
        parameters: operation.parameters ?? [],
        body: operation.requestBody?.content?.['application/json']?.schema,
      };
      if (!SKIPPED.has(`${route.method} ${path}`)) routes.push(route);
    }
  return routes;
}

/** encodeURIComponent, except that an unpaired surrogate is sent as the (invalid) UTF-8 bytes it would be. */
function encodeLoose(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    out +=
      code >= 0xd800 && code <= 0xdfff
        ? [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
            .map((b) => `%${b.toString(16).toUpperCase()}`)
            .join('')
        : encodeURIComponent(ch);
  }
  return out;
}

function queryString(value: unknown): string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return '';
  const parts: string[] = [];
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    for (const item of Array.isArray(v) ? v : [v])
      parts.push(
        `${encodeLoose(key)}=${encodeLoose(typeof item === 'string' ? item : JSON.stringify(item))}`,
      );
  }
  return parts.join('&');
}

/** Webhook URLs the server would try to reach: only ones the guard refuses without a DNS lookup. */
function tameUrls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(tameUrls);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k === 'request_url' && typeof v === 'string' && !HOSTILE_CHARACTERS.some((c) => v.includes(c))
        ? `http://127.0.0.1:9/${encodeURIComponent(v.slice(0, 10))}`
        : tameUrls(v),
    ]),
  );
}

/** Where a leaf of a JSON value sits, as a list of keys and indexes. */
function leafPaths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leafPaths(v, [...at, i]));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...at, k]));
  return [at];
}

function replaceAt(value: unknown, at: readonly (string | number)[], leaf: unknown): unknown {
  const [head, ...rest] = at;
  if (head === undefined) return leaf;
  if (Array.isArray(value)) return value.map((v, i) => (i === head ? replaceAt(v, rest, leaf) : v));
  const record = value as Record<string, unknown>;
  return { ...record, [head]: replaceAt(record[head], rest, leaf) };
}

/**
 * A request known to be valid, sent as it is or with one leaf made hostile (a string given a NUL or an
 * unpaired surrogate, a number at an integer extreme): the hostile character then sits deep inside a
 * request that would otherwise be accepted and reach SQL.
 */
function exampleArbitrary(example: { query?: object; body?: unknown }) {
  const query = example.query ?? {};
  const queryLeaves = leafPaths(query).filter((p) => p.length > 0);
  const bodyLeaves = example.body === undefined ? [] : leafPaths(example.body);
  const spoil = (value: unknown, leaves: (string | number)[][], n: number, bad: string, extreme: number) => {
    const at = leaves[n % leaves.length];
    if (at === undefined) return value;
    let leaf: unknown = value;
    for (const key of at) leaf = (leaf as Record<string | number, unknown>)[key];
    return replaceAt(value, at, typeof leaf === 'number' ? extreme : `${String(leaf)}${bad}`);
  };
  return fc
    .tuple(
      fc.constantFrom('none', 'query', 'body'),
      fc.nat(),
      fc.constantFrom(...HOSTILE_CHARACTERS),
      fc.constantFrom(...INTEGER_EXTREMES),
    )
    .map(([where, n, bad, extreme]) => ({
      query: where === 'query' ? spoil(query, queryLeaves, n, bad, extreme) : query,
      body: where === 'body' ? spoil(example.body, bodyLeaves, n, bad, extreme) : example.body,
    }));
}

forEachDialect('fuzzing every route from its request schemas', (dialect) => {
  test(`no 5xx, and a rejected request changes nothing (${RUNS} requests, hostile text and numbers included)`, async () => {
    // The job runner stays idle: it settles timer and notification jobs in the background, which the
    // fingerprint below would read as a refused request's change.
    const t = await startTestServer(dialect, { flags: ['--demo', '--rate-limit', '0'], runJobs: false });
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
      // Open API calls go through an app of their own: the admin routes being fuzzed may take the demo
      // app's scopes away or rotate its secret, and would then turn the rest of the run into 403s.
      const fuzzApp = await t.admin('POST', `/tenants/${demo.tenant_key}/apps`, {
        name: 'fuzz',
        scopes: ['corehr:process:readonly', 'corehr:process', 'corehr:process.approver'],
      });
      assert.equal(fuzzApp.status, 201);
      const token = await tenantToken(t, fuzzApp.body.data.app_id, fuzzApp.body.data.app_secret);
      const users = Object.values(demo.users);
      const hints: Record<string, readonly string[]> = {
        tenant_key: [demo.tenant_key],
        process_id: processIds,
        approver_id: taskIds,
        approver_ids: taskIds,
        flow_definition_id: Object.values(demo.flow_definitions),
        user_id: users.map((u) => u.user_id),
        initiator_id: users.map((u) => u.user_id),
        initiator_user_id: users.map((u) => u.user_id),
        to_user_id: users.map((u) => u.user_id),
        operator: users.map((u) => u.user_id),
        extra_user_ids: users.map((u) => u.user_id),
        employment_value: users.map((u) => u.people_corehr_id),
        id: users.flatMap((u) => [u.user_id, u.open_id]),
        department_id: Object.keys(demo.departments),
        parent_department_id: Object.keys(demo.departments),
        role_key: ['hrbp', 'it_admin'],
        app_id: [demo.app.app_id],
        version: ['1', '2'],
        variable_api_name: [
          'leave_type',
          'start_date',
          'end_date',
          'days',
          'reason',
          'handover_to',
          'last_day',
        ],
        enum_value: ['annual', 'sick'],
        date_value: ['2026-12-01', '2026-12-02'],
        number_value: ['1', '2.5'],
      };
      const options = { hints, hostile: true };
      const leave = demo.flow_definitions.leave!;
      const byUserId = { user_id_type: 'user_id' };
      const V2 = '/open-apis/corehr/v2';
      // Valid requests per route, so writes are accepted now and then and hostile leaves reach deep code.
      const examples: Record<string, { query?: object; body?: unknown }[]> = {
        [`POST ${V2}/process_start`]: [
          {
            query: byUserId,
            body: {
              flow_definition_id: leave,
              initiator_id: 'employee',
              flow_data: [
                { variable_api_name: 'leave_type', variable_value: { enum_value: 'annual' } },
                { variable_api_name: 'start_date', variable_value: { date_value: '2026-12-01' } },
                { variable_api_name: 'end_date', variable_value: { date_value: '2026-12-02' } },
                { variable_api_name: 'days', variable_value: { number_value: '2' } },
                { variable_api_name: 'reason', variable_value: { text_value: 'rest' } },
              ],
            },
          },
        ],
        [`PUT ${V2}/processes/{process_id}/approvers/{approver_id}`]: [
          { query: byUserId, body: { status: 3, user_id: 'manager', reason: 'ok' } },
          { query: byUserId, body: { status: 2, user_id: 'manager', reason: 'no' } },
        ],
        [`PUT ${V2}/process_withdraw/{process_id}`]: [
          { query: byUserId, body: { user_id: 'employee', reason: 'r' } },
        ],
        [`PUT ${V2}/processes/{process_id}/extra`]: taskIds.map((task) => ({
          query: byUserId,
          body: {
            operator: 'manager',
            approver_id: task,
            extra_type: 2,
            extra_user_ids: ['hrbp'],
            remark: 'r',
          },
        })),
        [`PUT ${V2}/processes/{process_id}/transfer`]: taskIds.map((task) => ({
          query: byUserId,
          body: { operator: 'manager', to_user_id: 'dept_leader', approver_ids: [task], remark: 'r' },
        })),
        [`GET ${V2}/approvers`]: [
          { query: { ...byUserId, page_size: 10, user_id: 'manager', approver_status: 1 } },
        ],
        [`GET ${V2}/processes`]: [
          {
            query: {
              page_size: 10,
              modify_time_from: String(Date.now() - 24 * 3600 * 1000),
              modify_time_to: String(Date.now() + 3600 * 1000),
              statuses: [1],
            },
          },
        ],
        ['POST /admin/v1/tenants/{tenant_key}/processes']: [
          {
            body: {
              flow_definition_id: leave,
              initiator_user_id: 'employee',
              form_values: {
                leave_type: 'annual',
                start_date: '2026-12-01',
                end_date: '2026-12-02',
                days: '1',
              },
            },
          },
        ],
        ['POST /admin/v1/tenants/{tenant_key}/employees']: [
          {
            body: {
              name: { zh_cn: '新人', en_us: 'New' },
              email: 'new@demo.example',
              department_id: 'backend',
            },
          },
        ],
        ['PATCH /admin/v1/tenants/{tenant_key}/employees/{user_id}']: [{ body: { name: { zh_cn: '改名' } } }],
        ['POST /admin/v1/tenants/{tenant_key}/departments']: [
          { body: { name: { zh_cn: '新部', en_us: 'New' } } },
        ],
        ['GET /admin/v1/tenants/{tenant_key}/employees']: [
          { query: { department_id: 'backend', page_size: 5 } },
        ],
        ['GET /admin/v1/tenants/{tenant_key}/processes']: [
          { query: { statuses: ['in_progress'], initiator_user_id: 'employee', page_size: 5 } },
        ],
        ['POST /admin/v1/tenants/{tenant_key}/flow_definitions/{flow_definition_id}/preview']: [
          { body: { initiator_user_id: 'employee', form_values: { days: '5' } } },
        ],
      };

      // Every table's row count and latest update: a refused request must leave all of them as they were.
      const tables = (await t.server.database.db.introspection.getTables()).filter(
        (table) => !table.name.startsWith('kysely_') && !UNFINGERPRINTED.has(table.name),
      );
      const fingerprintQuery = sql.join(
        tables.map((table) => {
          const updated = table.columns.some((c) => c.name === 'updated_at')
            ? sql`max(updated_at)`
            : sql`null`;
          return sql`select ${sql.lit(table.name)} as t, count(*) as n, ${updated} as u from ${sql.table(table.name)}`;
        }),
        sql` union all `,
      );
      const snapshot = async () => {
        const { rows } = await fingerprintQuery.execute(t.server.database.db);
        const processes = await t.server.database.db
          .selectFrom('processes')
          .select(['id', 'version'])
          .orderBy('id')
          .execute();
        return JSON.stringify({ rows, processes }, (_k, v: unknown) =>
          typeof v === 'bigint' ? String(v) : v,
        );
      };

      const routes = await routesOf(t);
      assert.ok(
        routes.some((r) => r.path.startsWith('/admin/v1/')) &&
          routes.some((r) => r.path.startsWith('/open-apis/')),
      );
      const requestArb = fc.oneof(
        ...routes.map((route) => {
          const pathParams = route.parameters.filter((p) => p.in === 'path');
          const queryParams = route.parameters.filter((p) => p.in === 'query');
          const querySchema: Schema = {
            type: 'object',
            properties: Object.fromEntries(queryParams.map((p) => [p.name, p.schema])),
            required: queryParams.filter((p) => p.required).map((p) => p.name),
          };
          const generated = fc.record({
            query: queryParams.length > 0 ? fuzzArbitrary(querySchema, options) : fc.constant({}),
            body: route.body ? fuzzArbitrary(route.body, options).map(tameUrls) : fc.constant(undefined),
          });
          const known = examples[`${route.method} ${route.path}`] ?? [];
          return fc.record({
            route: fc.constant(route),
            request:
              known.length > 0 ? fc.oneof(generated, fc.oneof(...known.map(exampleArbitrary))) : generated,
            path: fc.record(
              Object.fromEntries(
                pathParams.map((p) => [
                  p.name,
                  fc.oneof(
                    { weight: 6, arbitrary: fc.constantFrom(...(hints[p.name] ?? ['x'])) },
                    { weight: 2, arbitrary: fc.string({ maxLength: 25 }) },
                    {
                      weight: 1,
                      arbitrary: fc.constantFrom('99999999999', '2147483648', '1e308', '-1', '0'),
                    },
                    { weight: 1, arbitrary: hostileString(fc.constantFrom(...(hints[p.name] ?? ['x']))) },
                  ),
                ]),
              ),
            ),
            // One body in ten is not what the schema asks for at all (fc.option's freq is the odds of *no* value).
            rawBody: fc.oneof(
              { weight: 9, arbitrary: fc.constant(null) },
              {
                weight: 1,
                arbitrary: fc.constantFrom('{"broken": ', 'null', '[]', '"text"', '{"n": 1e400}'),
              },
            ),
          });
        }),
      );

      let accepted = 0;
      let before = await snapshot();
      await fc.assert(
        fc.asyncProperty(requestArb, async ({ route, path: params, request: { query, body }, rawBody }) => {
          let path = route.path;
          for (const [name, value] of Object.entries(params))
            path = path.replace(`{${name}}`, encodeLoose(value));
          const qs = queryString(query);
          const payload = route.body ? (rawBody ?? JSON.stringify(body ?? null)) : undefined;
          const bearer = route.path.startsWith('/admin/') ? ADMIN_TOKEN : token;
          const response = await fetch(`${t.url}${path}${qs ? `?${qs}` : ''}`, {
            method: route.method,
            redirect: 'manual',
            headers: {
              authorization: `Bearer ${bearer}`,
              ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
            },
            ...(payload !== undefined ? { body: payload } : {}),
          });
          const text = await response.text();
          const label = `${route.method} ${path}${qs ? `?${qs}` : ''} ${payload ?? ''}`;
          assert.ok(response.status < 500, `${label} → ${response.status} ${text}`);
          const after = await snapshot();
          if (response.status < 300) accepted++;
          else {
            // Refusals in each API's own shape; the single sign-on callback refuses by redirecting
            // to the sign-in page with the reason (a browser is on the other end).
            if (response.status >= 400 && route.path.startsWith('/api/v1/')) {
              const parsed = JSON.parse(text) as { error?: { code?: unknown } };
              assert.equal(typeof parsed.error?.code, 'string', label);
            } else if (response.status >= 400) {
              const parsed = JSON.parse(text) as { code: number };
              assert.notEqual(parsed.code, 0, label);
            } else assert.match(response.headers.get('location') ?? '', /error=/, label);
            assert.equal(after, before, `a rejected ${label} changed the database: ${text}`);
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
});
