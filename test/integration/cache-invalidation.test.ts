import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_FLOWS } from '../../src/services/demo-flows.js';
import type { DefinitionDocument } from '../../src/services/definition-document.js';
import { forEachDialect } from '../helpers/databases.js';
import { seedTenant, startTestServer, type TestServer } from '../helpers/server.js';

/**
 * One server's caches (docs/scaling.md): the directory snapshot is not checked against the database
 * on every request while the cache bus is trusted, yet a directory write is seen by the next one.
 * Two servers on one PostgreSQL database: test/integration/two-servers.test.ts.
 */

const withAdmins = (doc: DefinitionDocument): DefinitionDocument =>
  JSON.parse(JSON.stringify(doc).replaceAll('"process_admin"', '"u0"')) as DefinitionDocument;

forEachDialect('cache invalidation on one server', (dialect) => {
  let t: TestServer;
  let flowId: string;
  before(async () => {
    t = await startTestServer(dialect);
    await seedTenant(t, 'ci', undefined, 4);
    flowId = (await t.admin('POST', '/tenants/ci/flow_definitions/import', withAdmins(DEMO_FLOWS.leave!)))
      .body.data.flow_definition_id as string;
  });
  after(() => t.close());

  const managerStep = async () => {
    const r = await t.admin('POST', `/tenants/ci/flow_definitions/${flowId}/preview`, {
      initiator_user_id: 'u2',
      form_values: { leave_type: 'sick', start_date: '2026-12-01', end_date: '2026-12-02', days: '2' },
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return (r.body.data.steps as { node_id: string; assignees: string[] }[])
      .find((s) => s.node_id === 'manager')
      ?.assignees.join(',');
  };

  test('the directory snapshot is used without a version query per request, and reloaded after a write', async () => {
    const snapshots = t.server.services.caches.snapshots;
    assert.equal(t.server.services.caches.trust.trusted, true, 'the cache bus is up');
    assert.equal(await managerStep(), 'u0');
    const reads = snapshots.versionReads;
    for (let i = 0; i < 5; i++) assert.equal(await managerStep(), 'u0');
    assert.equal(snapshots.versionReads, reads, 'no version query while trusted');

    const changed = await t.admin('PATCH', '/tenants/ci/employees/u2', { manager_user_id: 'u1' });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(await managerStep(), 'u1', 'the write is seen by the very next request');
    const after = snapshots.versionReads;
    assert.ok(after > reads, 'checked once after the write');
    assert.equal(await managerStep(), 'u1');
    assert.equal(snapshots.versionReads, after, 'and trusted again');
  });

  test('without trust (the bus down) every request checks the version, as before there was a bus', async () => {
    const { caches } = t.server.services;
    caches.reset(false);
    try {
      const reads = caches.snapshots.versionReads;
      assert.equal(await managerStep(), 'u1');
      assert.equal(await managerStep(), 'u1');
      assert.equal(caches.snapshots.versionReads, reads + 2);
    } finally {
      caches.reset(true);
    }
  });
});
