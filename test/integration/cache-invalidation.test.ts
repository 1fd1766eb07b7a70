import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEMO_FLOWS } from '../../src/services/demo-flows.js';
import type { DefinitionDocument } from '../../src/services/definition-document.js';
import { forEachDialect } from '../helpers/databases.js';
import { seedTenant, startTestServer, type TestServer } from '../helpers/server.js';
import { PeopleClient } from '../helpers/people.js';
import { openDatabase } from '../../src/store/database.js';

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
  test("a person's session is kept on SQLite, where another process's write is seen at once; on PostgreSQL it is read each time", async () => {
    const { sessions } = t.server.services;
    const tenant = await sessions.tenantFor('ci');
    assert.ok(tenant.ok);
    const employee = await sessions.employeeByUserId(tenant.value, 'u1');
    assert.ok(employee);
    const signIn = async () => {
      const created = await sessions.create(tenant.value, employee, 'password');
      assert.ok(created.ok);
      const person = new PeopleClient(t.url);
      person.cookies.set('pf_session', created.value.token);
      assert.equal((await person.get('/api/v1/me')).status, 200);
      return { person, tokenHash: created.value.session.tokenHash };
    };
    const cache = t.server.services.caches.sessions;
    const signedIn = await signIn();
    const db = t.server.database.db;
    // Deleted through the server's own connection without telling it (nothing in PeopleFlow does
    // this): only a kept session still answers.
    await db.deleteFrom('people_sessions').where('token_hash', '=', signedIn.tokenHash).execute();
    const answer = (await signedIn.person.get('/api/v1/me')).status;
    if (dialect === 'sqlite') {
      assert.equal(cache.size, 1);
      assert.equal(answer, 200, 'kept: no query per request');
    } else {
      assert.equal(cache.size, 0, 'nothing kept on PostgreSQL');
      assert.equal(answer, 401);
    }

    // Another process (a second server on the file, a tool) signs the person out: refused at once.
    const other = await signIn();
    const elsewhere = openDatabase({ url: t.database.url });
    try {
      await elsewhere.db.deleteFrom('people_sessions').where('token_hash', '=', other.tokenHash).execute();
    } finally {
      await elsewhere.close();
    }
    assert.equal(
      (await other.person.get('/api/v1/me')).status,
      401,
      "another process's sign-out is seen at once",
    );

    // This server's own sign-out, and a password change that ends every other session.
    const third = await signIn();
    assert.equal((await third.person.post('/api/v1/auth/sign-out')).status, 204);
    assert.equal((await third.person.get('/api/v1/me')).status, 401);
    const fourth = await signIn();
    await t.admin('PUT', '/tenants/ci/employees/u1/password', { password: 'a long enough password' });
    assert.equal((await fourth.person.get('/api/v1/me')).status, 401, 'a reset signs the person out');
  });
});
