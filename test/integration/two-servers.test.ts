import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import type { HttpAppOptions } from '../../src/api/http-app.js';
import { principalOf } from '../../src/api/auth/open-api-guard.js';
import { CACHE_LISTENER_NAME, PostgresCacheBus } from '../../src/events/cache-bus.js';
import { DEMO_FLOWS } from '../../src/services/demo-flows.js';
import type { DefinitionDocument } from '../../src/services/definition-document.js';
import { freshDatabase, type TestDatabase } from '../helpers/databases.js';
import { seedTenant, startTestServer, tenantToken, type TestServer } from '../helpers/server.js';

/**
 * Two real servers on one PostgreSQL database (docs/scaling.md): the Open API rate limit is one
 * budget, and a change on one server reaches the other's caches within a second, also after the
 * cache bus lost its LISTEN connection.
 */

const POSTGRES_URL = process.env.PEOPLEFLOW_TEST_POSTGRES_URL;
const LIMIT = 6;

const extend: HttpAppOptions['extend'] = (app, guard) => {
  app.get('/open-apis/test/whoami', { preHandler: guard('corehr:process:readonly') }, (request) => {
    const { tenant, app: caller } = principalOf(request);
    return { code: 0, msg: 'success', data: { tenant_key: tenant.tenantKey, app_id: caller.appId } };
  });
  app.put('/open-apis/test/approve', { preHandler: guard('corehr:process.approver') }, () => ({
    code: 0,
    msg: 'success',
    data: {},
  }));
};

/** Polls until `check` holds, for at most `ms`; returns how long it took. */
async function within(ms: number, what: string, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > ms) assert.fail(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const withAdmins = (doc: DefinitionDocument): DefinitionDocument =>
  JSON.parse(JSON.stringify(doc).replaceAll('"process_admin"', '"u0"')) as DefinitionDocument;

if (!POSTGRES_URL) {
  process.stderr.write('\n*** two-servers suite SKIPPED: set PEOPLEFLOW_TEST_POSTGRES_URL to run it ***\n\n');
  void test(
    'two servers on one PostgreSQL database',
    { skip: 'PEOPLEFLOW_TEST_POSTGRES_URL is not set' },
    () => {
      // PostgreSQL only: SQLite is one server.
    },
  );
} else {
  void describe('two servers on one PostgreSQL database', () => {
    let database: TestDatabase;
    let a: TestServer;
    let b: TestServer;
    const flags = ['--rate-limit', String(LIMIT), '--rate-limit-window', '60'];
    before(async () => {
      database = await freshDatabase('postgres');
      a = await startTestServer('postgres', { database, extend, flags });
      b = await startTestServer('postgres', { database, extend, flags });
    });
    after(async () => {
      // before() may have failed part way.
      const started = [b as TestServer | undefined, a as TestServer | undefined];
      for (const server of started) await server?.close();
      await (database as TestDatabase | undefined)?.drop();
    });

    test('the Open API rate limit is one budget: calls split across both servers use it up', async () => {
      const app = await seedTenant(a, 'rl');
      const token = await tenantToken(a, app.appId, app.appSecret);
      for (let i = 0; i < LIMIT; i++) {
        const server = i % 2 === 0 ? a : b;
        const r = await server.call('GET', '/open-apis/test/whoami', { token });
        assert.equal(r.status, 200, `call ${i + 1} of ${LIMIT}`);
      }
      for (const server of [a, b]) {
        const refused = await server.call('GET', '/open-apis/test/whoami', { token });
        assert.equal(refused.status, 429);
        assert.equal(refused.body.code, 99991400);
        assert.equal(refused.headers.get('x-ogw-ratelimit-limit'), String(LIMIT));
      }
      assert.equal(
        (await b.call('PUT', '/open-apis/test/approve', { token })).status,
        200,
        'another API has its own budget',
      );
    });

    test('a scope taken away, or the app deleted, on server A is refused on server B within a second', async () => {
      const app = await seedTenant(a, 'apps');
      const token = await tenantToken(a, app.appId, app.appSecret);
      // B resolves the token once and keeps it (no TTL while its cache bus listens).
      assert.equal((await b.call('PUT', '/open-apis/test/approve', { token })).status, 200);
      assert.equal((await b.call('PUT', '/open-apis/test/approve', { token })).status, 200);

      await a.admin('PATCH', `/tenants/apps/apps/${app.appId}`, { scopes: ['corehr:process:readonly'] });
      await within(1000, 'scope withdrawn on B', async () => {
        const r = await b.call('PUT', '/open-apis/test/approve', { token });
        return r.status === 403 && r.body.code === 99991672;
      });

      assert.equal((await b.call('GET', '/open-apis/test/whoami', { token })).status, 200);
      assert.equal((await a.admin('DELETE', `/tenants/apps/apps/${app.appId}`)).status, 200);
      await within(1000, 'deleted app refused on B', async () => {
        const r = await b.call('GET', '/open-apis/test/whoami', { token });
        return r.status === 401 && r.body.code === 99991663;
      });
    });

    test('a directory change on server A decides approvers on server B within a second', async () => {
      await seedTenant(a, 'dir', undefined, 4);
      const id = (
        await a.admin('POST', '/tenants/dir/flow_definitions/import', withAdmins(DEMO_FLOWS.leave!))
      ).body.data.flow_definition_id as string;
      const preview = async (server: TestServer) => {
        const r = await server.admin('POST', `/tenants/dir/flow_definitions/${id}/preview`, {
          initiator_user_id: 'u2',
          form_values: { leave_type: 'sick', start_date: '2026-12-01', end_date: '2026-12-02', days: '2' },
        });
        assert.equal(r.status, 200, JSON.stringify(r.body));
        const manager = (r.body.data.steps as { node_id: string; assignees: string[] }[]).find(
          (s) => s.node_id === 'manager',
        );
        return manager?.assignees.join(',');
      };
      assert.equal(await preview(b), 'u0');
      const reads = b.server.services.caches.snapshots.versionReads;
      assert.equal(await preview(b), 'u0');
      assert.equal(
        b.server.services.caches.snapshots.versionReads,
        reads,
        'B trusts its snapshot: no version query per request',
      );

      const changed = await a.admin('PATCH', '/tenants/dir/employees/u2', { manager_user_id: 'u1' });
      assert.equal(changed.status, 200, JSON.stringify(changed.body));
      assert.equal(await preview(a), 'u1', 'the writing server sees its own write at once');
      await within(1000, 'new manager on B', async () => (await preview(b)) === 'u1');
    });

    test('when B loses its LISTEN connection it stops trusting its caches, misses nothing, and recovers', async () => {
      const app = await seedTenant(a, 'kill');
      const token = await tenantToken(a, app.appId, app.appSecret);
      assert.equal((await b.call('PUT', '/open-apis/test/approve', { token })).status, 200);
      const bus = b.server.cacheBus;
      assert.ok(bus instanceof PostgresCacheBus);
      const trust = b.server.services.caches.trust;
      assert.equal(trust.trusted, true);
      const epoch = trust.epoch;

      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      try {
        // Both servers' listeners carry the same name: B's is the one whose pid B's bus reports.
        const { rows } = await admin.query<{ pid: number }>(
          'select pid from pg_stat_activity where datname = current_database() and application_name = $1',
          [CACHE_LISTENER_NAME],
        );
        assert.equal(rows.length, 2, 'one listener per server');
        const bPid = bus.listenerPid;
        assert.ok(bPid !== undefined && rows.some((r) => r.pid === bPid));
        await admin.query('select pg_terminate_backend($1)', [bPid]);
        // A change made while B may not be listening must still reach B.
        await a.admin('PATCH', `/tenants/kill/apps/${app.appId}`, { scopes: ['corehr:process:readonly'] });
        await within(1000, 'scope withdrawn on B during the outage', async () => {
          const r = await b.call('PUT', '/open-apis/test/approve', { token });
          return r.status === 403;
        });
        await within(5000, 'B listening again', () => Promise.resolve(bus.listening && trust.trusted));
        assert.ok(trust.epoch >= epoch + 2, 'trust was dropped, then regained');
        const { rows: after } = await admin.query<{ pid: number }>(
          'select pid from pg_stat_activity where datname = current_database() and application_name = $1',
          [CACHE_LISTENER_NAME],
        );
        assert.equal(after.length, 2, 'B listens again');
        // And the caches work as before: trusted, and told of changes.
        await a.admin('PATCH', `/tenants/kill/apps/${app.appId}`, {
          scopes: ['corehr:process:readonly', 'corehr:process', 'corehr:process.approver'],
        });
        await within(1000, 'scope back on B', async () => {
          const r = await b.call('PUT', '/open-apis/test/approve', { token });
          return r.status === 200;
        });
      } finally {
        await admin.end();
      }
    });
  });
}
