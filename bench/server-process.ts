import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DemoManifest } from '../src/services/demo.service.js';

/** A PeopleFlow server in its own process (built dist/), as in production: the load generator does not share its CPU time slice. */
export interface ServerProcess {
  child: ChildProcess;
  url: string;
  demo: DemoManifest;
  dataDir: string;
  rssMb(): number;
  /**
   * Stops the server and removes its data directory (an A/B run would leave two of ~300 MB each time),
   * unless `keepData` (the directory is used again) or PEOPLEFLOW_BENCH_KEEP_DATA is set.
   */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}

export async function startServerProcess(
  extraArgs: string[] = [],
  env: Record<string, string> = {},
  existingDataDir?: string,
  nodeArgs: string[] = [],
  /** The checkout whose built server runs (another one for an A/B comparison); this one by default. */
  root = '.',
): Promise<ServerProcess> {
  const dataDir = existingDataDir ?? mkdtempSync(join(tmpdir(), 'peopleflow-bench-'));
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [
      ...nodeArgs,
      join(root, 'dist/cli.js'),
      'serve',
      '--demo',
      '--data-dir',
      dataDir,
      '--port',
      String(port),
      '--rate-limit',
      '0',
      '--log-level',
      'warn',
      ...extraArgs,
    ],
    {
      env: { ...process.env, PEOPLEFLOW_ADMIN_TOKEN: 'bench-admin-token-0123456789', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    if (Date.now() > deadline) throw new Error('server did not start');
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const demo = JSON.parse(readFileSync(join(dataDir, 'demo.json'), 'utf8')) as DemoManifest;
  return {
    child,
    url,
    demo,
    dataDir,
    rssMb: () => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
      } catch {
        return 0;
      }
    },
    stop: (options = {}) =>
      new Promise((resolve) => {
        child.once('exit', () => {
          if (!options.keepData && !process.env.PEOPLEFLOW_BENCH_KEEP_DATA)
            rmSync(dataDir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

export async function tenantToken(server: ServerProcess): Promise<string> {
  const r = await fetch(`${server.url}/open-apis/auth/v3/tenant_access_token/internal`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(server.demo.app),
  });
  return ((await r.json()) as { tenant_access_token: string }).tenant_access_token;
}
