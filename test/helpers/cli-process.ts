import { after } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** `peopleflow` run from source as a child process, the way a user runs the binary. */
const CLI = join(import.meta.dirname, '../../src/cli.ts');

export interface Run {
  child: ChildProcess;
  /** What it wrote to stdout so far. */
  stdout: () => string;
  /** stdout and stderr, interleaved as they arrived. */
  output: () => string;
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();
// A failed assertion must not leave a server running: it would keep the test process alive.
after(() => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts the CLI; the caller's PEOPLEFLOW_ADMIN_TOKEN is not passed on unless `env` sets it. */
export function runCli(args: string[], env: Record<string, string> = {}): Run {
  const { PEOPLEFLOW_ADMIN_TOKEN: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...inherited, PEOPLEFLOW_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  running.add(child);
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    });
  });
  return { child, stdout: () => stdout, output: () => output, exited };
}

/** Waits until the output matches, failing early if the process exits first. */
export async function waitFor(run: Run, pattern: RegExp, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(run.output())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; output:\n${run.output()}`);
    if (run.child.exitCode !== null)
      throw new Error(`process exited (${run.child.exitCode}) before ${pattern}:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}
