/**
 * The docs run as written: every shell and SDK example in README.md and docs/**.md is executed against a
 * real server, in the order of the file.
 *
 * Conventions (also in README.md, "Examples in the docs"):
 * - Each Markdown file gets a fresh server started as `npm start` does (`serve --demo`, admin token
 *   generated), in a fresh working directory holding `data/demo.json`. The examples are written against
 *   http://127.0.0.1:8080; the test rewrites that address to the real one.
 * - ```sh / ```bash / ```shell blocks run with `bash -euo pipefail` in that directory, one after another;
 *   shell variables set by a block are visible in the file's later blocks (not across files). A block
 *   fails when it exits non-zero or prints a JSON envelope whose `code` is not 0.
 * - ```js / ```ts blocks are concatenated, in order, into one ES module (imports hoisted and
 *   deduplicated) that runs with node (tsx) in the same directory after the file's shell blocks, with
 *   `@larksuiteoapi/node-sdk` resolvable. It must exit 0, and every response the SDK receives must have
 *   `code` 0.
 * - A comment right before the fence changes that: `<!-- example: not-run — <reason> -->` shows a block
 *   without running it (it starts a server, needs a machine of its own, is output or a fragment), and
 *   `<!-- example: expect-error <code> -->` runs a shell block that demonstrates an error: it must print
 *   an envelope with that code and no other non-zero one. Skipped blocks are listed as skipped tests.
 * - Other fences (```json, ```text, no language) are not executed.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import {
  envelopeCodes,
  extractBlocks,
  readDoc,
  retarget,
  run,
  sdkModule,
  ShellSession,
  type Block,
  type RunResult,
} from './examples.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BLOCK_TIMEOUT_MS = 60_000;
const MODULE_TIMEOUT_MS = 120_000;

function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'), { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name))
    .sort();
  return ['README.md', ...docs];
}

/** The environment a reader's shell has: nothing of the server's configuration, no test-runner state. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('PEOPLEFLOW_') || key.startsWith('NODE_') || key === 'DATABASE_URL') continue;
    env[key] = value;
  }
  return env;
}

function where(block: Block): string {
  return `${block.file} block ${block.index} (line ${block.line}, \`\`\`${block.lang})`;
}

function report(block: Block, problem: string, code: string, result?: RunResult): string {
  const parts = [`${where(block)}: ${problem}`, '--- the block (as run) ---', code];
  if (result) {
    parts.push('--- stdout ---', result.stdout.trimEnd() || '(empty)');
    parts.push('--- stderr ---', result.stderr.trimEnd() || '(empty)');
  }
  return parts.join('\n');
}

function exitProblem(result: RunResult): string | undefined {
  if (result.timedOut) return 'did not finish in time (killed)';
  if (result.exitCode !== 0) return `exited with ${result.exitCode ?? result.signal ?? 'nothing'}`;
  return undefined;
}

interface Workspace {
  cwd: string;
  server: RunningServer;
}

async function startWorkspace(): Promise<Workspace> {
  const cwd = mkdtempSync(join(tmpdir(), 'peopleflow-docs-'));
  symlinkSync(join(ROOT, 'node_modules'), join(cwd, 'node_modules'));
  // As `npm start`: demo data, a generated admin token (written into data/demo.json), defaults otherwise.
  const config = parseConfig(
    ['--demo', '--port', '0', '--data-dir', join(cwd, 'data'), '--log-level', 'silent'],
    {},
  );
  const server = await startServer(config);
  return { cwd, server };
}

async function runShellBlock(t: TestContext, session: ShellSession, block: Block, url: string) {
  const code = retarget(block.code, url);
  const result = await session.run(block, code, BLOCK_TIMEOUT_MS);
  const failed = exitProblem(result);
  if (failed) assert.fail(report(block, failed, code, result));
  const nonZero = envelopeCodes(result.stdout).filter((c) => c !== 0);
  if (block.marker?.kind === 'expect-error') {
    const expected = Number(block.marker.detail);
    if (!nonZero.includes(expected)) {
      assert.fail(report(block, `expected an error envelope with code ${expected}`, code, result));
    }
    const others = nonZero.filter((c) => c !== expected);
    if (others.length > 0) {
      assert.fail(report(block, `error envelope(s) with code ${others.join(', ')}`, code, result));
    }
  } else if (nonZero.length > 0) {
    assert.fail(report(block, `printed an error envelope (code ${nonZero.join(', ')})`, code, result));
  }
  t.diagnostic(`ran: ${code.split('\n')[0] ?? ''}`);
}

async function runSdkBlocks(cwd: string, blocks: Block[], url: string) {
  const module = sdkModule(blocks, (code) => retarget(code, url));
  const file = join(cwd, '.examples', 'sdk-examples.mts');
  writeFileSync(file, module.source);
  const result = await run(process.execPath, ['--import', 'tsx', file], {
    cwd,
    env: cleanEnv(),
    timeoutMs: MODULE_TIMEOUT_MS,
  });
  const failed = exitProblem(result);
  if (!failed) return;
  // Point at the Markdown line the failure came from, when the stack trace names one.
  const at = new RegExp(`${relative(cwd, file).replace(/[.]/g, '\\.')}:(\\d+)`).exec(
    result.stdout + result.stderr,
  );
  const origin = at ? module.lineMap.get(Number(at[1])) : undefined;
  const first = blocks[0];
  assert.ok(first);
  const problem = origin
    ? `${failed}; the failing line is ${origin.block.file} line ${origin.line} (block ${origin.block.index})`
    : failed;
  const numbered = module.source
    .split('\n')
    .map((l, i) => `${String(i + 1).padStart(4)}  ${l}`)
    .join('\n');
  assert.fail(
    report(
      { ...first, index: first.index },
      `the SDK blocks (${blocks.map((b) => `${b.index} at line ${b.line}`).join(', ')}), run as one module, ${problem}`,
      numbered,
      result,
    ),
  );
}

for (const file of docFiles()) {
  const blocks = extractBlocks(file, readDoc(ROOT, file));
  test(`${file}: every example runs as written`, async (t) => {
    const bad = blocks.filter((b) => b.badMarker !== undefined);
    assert.deepEqual(
      bad.map((b) => `${where(b)}: unknown marker ${b.badMarker ?? ''}`),
      [],
      'markers are `<!-- example: not-run — <reason> -->` or `<!-- example: expect-error <code> -->`',
    );
    const misplaced = blocks.filter((b) => b.marker?.kind === 'expect-error' && b.kind !== 'shell');
    assert.deepEqual(
      misplaced.map(where),
      [],
      'expect-error applies to shell blocks only (an SDK example that fails throws)',
    );
    const runnable = blocks.filter((b) => b.kind !== 'other');
    for (const b of runnable.filter((b) => b.marker?.kind === 'not-run')) {
      t.diagnostic(`not run: ${where(b)} — ${b.marker?.detail ?? ''}`);
    }
    const toRun = runnable.filter((b) => b.marker?.kind !== 'not-run');
    if (toRun.length === 0) return;

    const { cwd, server } = await startWorkspace();
    try {
      const session = new ShellSession(cwd, cleanEnv());
      let broken: Block | undefined;
      for (const block of runnable.filter((b) => b.kind === 'shell')) {
        const name = `block ${block.index} (line ${block.line}, ${block.lang})`;
        if (block.marker?.kind === 'not-run') {
          await t.test(name, { skip: `not run: ${block.marker.detail}` }, () => {});
          continue;
        }
        if (broken) {
          await t.test(name, { skip: `after the failure of block ${broken.index}` }, () => {});
          continue;
        }
        const current = block;
        await t.test(name, async (t) => {
          try {
            await runShellBlock(t, session, current, server.url);
          } catch (error) {
            broken = current;
            throw error;
          }
        });
      }
      const sdk = runnable.filter((b) => b.kind === 'sdk');
      for (const block of sdk.filter((b) => b.marker?.kind === 'not-run')) {
        await t.test(`block ${block.index} (line ${block.line}, ${block.lang})`, {
          skip: `not run: ${block.marker?.detail ?? ''}`,
        }, () => {});
      }
      const sdkToRun = sdk.filter((b) => b.marker?.kind !== 'not-run');
      if (sdkToRun.length > 0) {
        await t.test(`SDK blocks ${sdkToRun.map((b) => b.index).join(', ')} as one module`, () =>
          runSdkBlocks(cwd, sdkToRun, server.url),
        );
      }
    } finally {
      await server.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  });
}
