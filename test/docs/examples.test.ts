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
 *   deduplicated) that runs with node (tsx when a block is TypeScript) in the same directory after the
 *   file's shell blocks, with `@larksuiteoapi/node-sdk` resolvable. It must exit 0, and every response
 *   the SDK receives must have `code` 0.
 * - A comment right before the fence changes that: `<!-- example: not-run — <reason> -->` shows a block
 *   without running it (it starts a server, needs a machine of its own, is output or a fragment);
 *   `<!-- example: expect-error <code> -->` runs a shell block that demonstrates an error: it must print
 *   an envelope with that code and no other non-zero one; `<!-- example: background "<text>" -->` runs an
 *   SDK block that keeps running (an event receiver) as its own module, started at its place in the file
 *   while the later blocks run: it passes once it printed <text>, and is stopped at the end (it gets
 *   PORT=0, so a receiver written `.listen(process.env.PORT ?? 3000)` takes a free port). Skipped blocks
 *   are listed as skipped tests.
 * - Other fences (```json, ```text, no language) are not executed.
 * - DOCS_EXAMPLES_ONLY=README.md,docs/open-api.md limits a run to those files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/server.js';
import {
  cleanEnv,
  extractBlocks,
  finishReceiver,
  readDoc,
  runSdkBlocks,
  runShellBlock,
  ShellSession,
  startReceiver,
  where,
  type Block,
  type Running,
} from './examples.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'), { recursive: true })
    .map(String)
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name))
    .sort();
  const all = ['README.md', ...docs];
  // DOCS_EXAMPLES_ONLY=docs/open-api.md (comma-separated) runs the examples of those files only.
  const only = process.env.DOCS_EXAMPLES_ONLY?.split(',').map((f) => f.trim());
  return only ? all.filter((f) => only.includes(f)) : all;
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

function blockName(block: Block): string {
  return `block ${block.index} (line ${block.line}, ${block.lang})`;
}

for (const file of docFiles()) {
  const blocks = extractBlocks(file, readDoc(ROOT, file));
  test(`${file}: every example runs as written`, async (t) => {
    const bad = blocks.filter((b) => b.badMarker !== undefined);
    assert.deepEqual(
      bad.map((b) => `${where(b)}: unknown marker ${b.badMarker ?? ''}`),
      [],
      'markers: `<!-- example: not-run — <reason> -->`, `<!-- example: expect-error <code> -->`, `<!-- example: background "<text>" -->`',
    );
    const misplaced = blocks.filter(
      (b) =>
        (b.marker?.kind === 'expect-error' && b.kind !== 'shell') ||
        (b.marker?.kind === 'background' && b.kind !== 'sdk'),
    );
    assert.deepEqual(
      misplaced.map(where),
      [],
      'expect-error applies to shell blocks (an SDK example that fails throws), background to SDK blocks',
    );
    const runnable = blocks.filter((b) => b.kind !== 'other');
    for (const b of runnable.filter((b) => b.marker?.kind === 'not-run')) {
      t.diagnostic(`not run: ${where(b)} — ${b.marker?.detail ?? ''}`);
    }
    if (runnable.every((b) => b.marker?.kind === 'not-run')) return;

    const { cwd, server } = await startWorkspace();
    const receivers: Running[] = [];
    try {
      const session = new ShellSession(cwd, cleanEnv());
      const sdk: Block[] = [];
      let broken: Block | undefined;
      // Document order: shell blocks run, receivers start; the other SDK blocks run together afterwards.
      for (const block of runnable) {
        if (block.marker?.kind === 'not-run') {
          await t.test(blockName(block), { skip: `not run: ${block.marker.detail}` }, () => {});
        } else if (block.marker?.kind === 'background') {
          receivers.push(startReceiver(cwd, block, server.url));
        } else if (block.kind === 'sdk') {
          sdk.push(block);
        } else if (broken) {
          await t.test(blockName(block), { skip: `after the failure of block ${broken.index}` }, () => {});
        } else {
          const current = block;
          await t.test(blockName(block), async () => {
            try {
              await runShellBlock(session, current, server.url);
            } catch (error) {
              broken = current;
              throw error;
            }
          });
        }
      }
      if (sdk.length > 0) {
        await t.test(`SDK blocks ${sdk.map((b) => b.index).join(', ')} as one module`, () =>
          runSdkBlocks(cwd, sdk, server.url),
        );
      }
      for (const receiver of receivers) {
        await t.test(`${blockName(receiver.block)}, in the background`, () => finishReceiver(receiver));
      }
    } finally {
      await Promise.all(receivers.map((r) => r.process.stop()));
      await server.close();
      rmSync(cwd, { recursive: true, force: true });
    }
  });
}
