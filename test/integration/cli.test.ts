import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freshDatabase, tempDir } from '../helpers/databases.js';
import { freePort, runCli, waitFor, type Run } from '../helpers/cli-process.js';

const POSTGRES = process.env.PEOPLEFLOW_TEST_POSTGRES_URL;

const generatedToken = (run: Run) => /generated an admin token[^\n]*\n\s+(pfa_\S+)/.exec(run.output())?.[1];

async function adminStatus(port: number, token: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/admin/v1/tenants`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return response.status;
}

test('--help, serve --help, migrate --help, admin-token --help, --version and -v answer and exit 0', async () => {
  const version = (
    JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  for (const args of [
    ['--help'],
    ['help'],
    ['serve', '--help'],
    ['migrate', '-h'],
    ['serve', '--port', '1', '--help'],
  ]) {
    const run = runCli(args);
    assert.equal(await run.exited, 0, `${args.join(' ')}: ${run.output()}`);
    assert.match(run.stdout(), /Usage:/, args.join(' '));
    assert.match(run.stdout(), /--request-timeout-ms/, 'the options are listed');
  }
  const tokenHelp = runCli(['admin-token', '--help']);
  assert.equal(await tokenHelp.exited, 0);
  assert.match(tokenHelp.stdout(), /admin-token --reset/);
  for (const flag of ['--version', '-v']) {
    const run = runCli([flag]);
    assert.equal(await run.exited, 0, run.output());
    assert.equal(run.stdout(), `peopleflow ${version}\n`);
  }
});

test('a first start that fails (port in use) keeps no admin token; the next start makes and shows one', async () => {
  const dataDir = tempDir();
  const blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  const address = blocker.address();
  const busyPort = typeof address === 'object' && address ? address.port : 0;
  try {
    const failed = runCli(['serve', '--demo', '--data-dir', dataDir, '--port', String(busyPort)]);
    assert.equal(await failed.exited, 1);
    assert.match(failed.output(), /already in use/);
    assert.equal(generatedToken(failed), undefined, 'no token is shown for a start that failed');
  } finally {
    blocker.close();
  }
  const port = await freePort();
  const second = runCli(['serve', '--demo', '--data-dir', dataDir, '--port', String(port)]);
  try {
    await waitFor(second, /PeopleFlow is listening/);
    const token = generatedToken(second);
    assert.ok(token, second.output());
    assert.equal(await adminStatus(port, token), 200);
    assert.equal(
      (JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as { admin_token: string }).admin_token,
      token,
      'the demo manifest has it too',
    );
  } finally {
    second.child.kill('SIGTERM');
    await second.exited;
  }
});

for (const dialect of ['sqlite', 'postgres'] as const) {
  test(
    `admin-token --reset prints a new token on the configured database (${dialect}), running servers included`,
    { skip: dialect === 'postgres' && !POSTGRES ? 'PEOPLEFLOW_TEST_POSTGRES_URL is not set' : false },
    async () => {
      const database = await freshDatabase(dialect);
      const dataDir = tempDir();
      const common = ['--data-dir', dataDir, '--database-url', database.url];
      const port = await freePort();
      const server = runCli(['serve', ...common, '--port', String(port)]);
      try {
        await waitFor(server, /PeopleFlow is listening/);
        const first = generatedToken(server);
        assert.ok(first);
        assert.equal(await adminStatus(port, first), 200);

        const reset = runCli(['admin-token', '--reset', ...common]);
        assert.equal(await reset.exited, 0, reset.output());
        const second = reset.stdout().trim();
        assert.match(second, /^pfa_\S{20,}$/);
        assert.notEqual(second, first);

        assert.equal(await adminStatus(port, second), 200, 'the new token works at once');
        const deadline = Date.now() + 15_000;
        while ((await adminStatus(port, first)) !== 401) {
          assert.ok(Date.now() < deadline, 'the old token stops working');
          await new Promise((r) => setTimeout(r, 100));
        }
      } finally {
        server.child.kill('SIGTERM');
        await server.exited;
      }
      // After a restart the reset token is the one.
      const restarted = runCli(['serve', ...common, '--port', String(port)]);
      try {
        await waitFor(restarted, /PeopleFlow is listening/);
        assert.equal(generatedToken(restarted), undefined);
      } finally {
        restarted.child.kill('SIGTERM');
        await restarted.exited;
        await database.drop();
      }
    },
  );
}

test(
  'admin-token without --reset, or with PEOPLEFLOW_ADMIN_TOKEN set, explains and exits non-zero',
  { timeout: 30_000 },
  async () => {
    const dataDir = tempDir();
    const bare = runCli(['admin-token', '--data-dir', dataDir]);
    assert.equal(await bare.exited, 2);
    assert.match(bare.output(), /stored only as a hash.*--reset/);
    const configured = runCli(['admin-token', '--reset', '--data-dir', dataDir], {
      PEOPLEFLOW_ADMIN_TOKEN: 'configured-admin-token-0123456789',
    });
    assert.equal(await configured.exited, 1);
    assert.match(configured.output(), /PEOPLEFLOW_ADMIN_TOKEN is set/);
  },
);

test(
  'serve refuses a PEOPLEFLOW_ADMIN_TOKEN that is too short, saying why',
  { timeout: 30_000 },
  async () => {
    const run = runCli(['serve', '--data-dir', tempDir(), '--port', '0'], {
      PEOPLEFLOW_ADMIN_TOKEN: 'admin',
    });
    assert.equal(await run.exited, 1);
    assert.match(run.output(), /PEOPLEFLOW_ADMIN_TOKEN must be at least 20 characters long \(it has 5\)/);
  },
);

test('--sql-profile: SIGUSR2 writes the SQLite statements run since the last signal, with counts', async () => {
  const dataDir = tempDir();
  const file = join(dataDir, 'statements.json');
  const port = await freePort();
  const run = runCli(['serve', '--data-dir', dataDir, '--port', String(port), '--sql-profile', file]);
  try {
    await waitFor(run, /PeopleFlow is listening/);
    const signalled = async () => {
      rmSync(file, { force: true });
      run.child.kill('SIGUSR2');
      for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
      return JSON.parse(readFileSync(file, 'utf8')) as { sql: string; count: number; ms: number }[];
    };
    await signalled();
    for (let i = 0; i < 3; i++) assert.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
    const rows = await signalled();
    const ping = rows.find((r) => r.sql === 'select 1');
    assert.equal(ping?.count, 3, JSON.stringify(rows));
    assert.ok(rows.every((r) => r.ms >= 0 && r.count > 0));
    assert.equal(
      (await signalled()).find((r) => r.sql === 'select 1'),
      undefined,
      'each signal starts counting anew',
    );
  } finally {
    run.child.kill('SIGTERM');
    await run.exited;
  }
});
