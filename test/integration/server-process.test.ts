import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../helpers/databases.js';
import { freePort, runCli, waitFor } from '../helpers/cli-process.js';

test('serve --demo: demo data and manifest, graceful SIGTERM, and the same manifest on a second start', async () => {
  const dataDir = tempDir();
  const port = await freePort();
  const args = ['serve', '--demo', '--data-dir', dataDir, '--port', String(port)];
  const first = runCli(args);
  await waitFor(first, /PeopleFlow is listening/);
  assert.match(first.output(), /generated an admin token/);
  const manifest = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8'));
  assert.equal(manifest.base_url, `http://127.0.0.1:${port}`);
  assert.equal(manifest.tenant_key, 'demo');
  assert.match(manifest.admin_token, /^pfa_/);
  assert.match(manifest.app.app_id, /^cli_/);
  for (const key of ['employee', 'manager', 'dept_leader', 'hrbp', 'it_admin', 'process_admin', 'outsider']) {
    const user = manifest.users[key];
    assert.ok(user, `user ${key}`);
    assert.match(user.open_id, /^ou_[0-9a-f]{32}$/);
    assert.match(user.union_id, /^on_[0-9a-f]{32}$/);
    assert.match(user.people_corehr_id, /^\d{19}$/);
  }
  assert.ok(Object.keys(manifest.users).length >= 20);
  assert.deepEqual(Object.keys(manifest.flow_definitions).sort(), [
    'expense',
    'info_change',
    'job_change',
    'leave',
    'offboarding',
  ]);
  for (const id of Object.values(manifest.flow_definitions)) assert.match(id as string, /^\d{19}$/);

  // The relationships the engine will rely on hold in the directory.
  const admin = (path: string) =>
    fetch(`${manifest.base_url}/admin/v1/tenants/demo${path}`, {
      headers: { authorization: `Bearer ${manifest.admin_token}` },
    }).then((r) => r.json() as Promise<{ data: Record<string, unknown> }>);
  const employee = (await admin('/employees/employee')).data;
  assert.equal(employee.manager_user_id, 'manager');
  const department = (await admin(`/departments/${String(employee.department_id)}`)).data;
  assert.equal(department.leader_user_id, 'dept_leader');
  assert.notEqual(department.leader_user_id, employee.manager_user_id);
  const hrbp = (await admin('/roles/hrbp')).data as {
    members: { user_id: string; department_ids: string[] }[];
  };
  assert.ok(hrbp.members.some((m) => m.user_id === 'hrbp' && m.department_ids.includes('engineering')));
  const engineering = (await admin('/departments/backend')).data;
  assert.equal(engineering.parent_department_id, 'engineering');
  const outsider = (await admin('/employees/outsider')).data;
  assert.notEqual(outsider.department_id, employee.department_id);

  // The manifest's credentials work.
  const token = await fetch(`${manifest.base_url}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(manifest.app),
  }).then((r) => r.json() as Promise<{ code: number }>);
  assert.equal(token.code, 0);

  first.child.kill('SIGTERM');
  assert.equal(await first.exited, 0);
  assert.match(first.output(), /shutdown complete/);

  const second = runCli(args);
  await waitFor(second, /PeopleFlow is listening/);
  assert.doesNotMatch(second.output(), /generated an admin token/);
  assert.deepEqual(
    JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')),
    manifest,
    'demo is idempotent',
  );
  second.child.kill('SIGTERM');
  assert.equal(await second.exited, 0);
});

test('start-up errors are clear and exit non-zero', async () => {
  const dataDir = tempDir();
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const address = blocker.address();
  const busyPort = typeof address === 'object' && address ? address.port : 0;
  try {
    const inUse = runCli(['serve', '--data-dir', dataDir, '--port', String(busyPort)]);
    assert.equal(await inUse.exited, 1);
    assert.match(inUse.output(), new RegExp(`port ${busyPort} on 127.0.0.1 is already in use`));
  } finally {
    blocker.close();
  }

  const file = join(tempDir(), 'a-file');
  writeFileSync(file, '');
  const unwritable = runCli(['serve', '--data-dir', join(file, 'data'), '--port', '0']);
  assert.equal(await unwritable.exited, 1);
  assert.match(unwritable.output(), /data directory .* cannot be written/);

  const scheme = runCli([
    'serve',
    '--data-dir',
    dataDir,
    '--port',
    '0',
    '--database-url',
    'mysql://root@127.0.0.1/x',
  ]);
  assert.equal(await scheme.exited, 1);
  assert.match(scheme.output(), /unsupported database URL scheme/);

  const unreachable = runCli([
    'serve',
    '--data-dir',
    dataDir,
    '--port',
    '0',
    '--busy-timeout-ms',
    '1000',
    '--database-url',
    'postgres://nobody:secret@127.0.0.1:1/none',
  ]);
  assert.equal(await unreachable.exited, 1);
  assert.match(
    unreachable.output(),
    /cannot open the database postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none/,
  );
  assert.doesNotMatch(unreachable.output(), /secret/, 'the password is not printed');

  const badFlag = runCli(['serve', '--port', 'eighty']);
  assert.equal(await badFlag.exited, 1);
  assert.match(badFlag.output(), /--port/);
});

test('peopleflow migrate creates the schema and exits 0', async () => {
  const dataDir = tempDir();
  const run = runCli(['migrate', '--data-dir', dataDir]);
  assert.equal(await run.exited, 0, run.output());
  assert.ok(existsSync(join(dataDir, 'peopleflow.db')));
  assert.match(run.output(), /migrations applied to the sqlite database/);
});
