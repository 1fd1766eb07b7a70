// Extracts the fenced examples of a Markdown file and runs them: shell blocks one after another in a
// bash session whose variables carry over, SDK blocks together as one ES module. The conventions are
// described at the top of examples.test.ts and in README.md ("Examples in the docs").
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export type BlockKind = 'shell' | 'sdk' | 'other';

export interface Marker {
  /**
   * `not-run`: the block is shown, not executed; `expect-error`: the block demonstrates an error;
   * `background`: an SDK program that keeps running (a receiver), started at its place in the file.
   */
  kind: 'not-run' | 'expect-error' | 'background';
  /** not-run: why; expect-error: the expected `code`; background: the text it must print. */
  detail: string;
}

export interface Block {
  file: string;
  /** 1-based position among the file's fenced blocks. */
  index: number;
  /** 1-based line of the opening fence. */
  line: number;
  lang: string;
  kind: BlockKind;
  code: string;
  marker?: Marker;
  /** A marker comment that could not be understood (reported as a failure, never ignored). */
  badMarker?: string;
}

const BLOCK_TIMEOUT_MS = 60_000;
const MODULE_TIMEOUT_MS = 120_000;
/** How long a background receiver may take to print what it must (its client connects, events arrive). */
const RECEIVER_TIMEOUT_MS = 60_000;

const SHELL_LANGS = new Set(['sh', 'bash', 'shell']);
const SDK_LANGS = new Set(['js', 'javascript', 'mjs', 'ts', 'typescript']);
const MARKER = /^\s*<!--\s*example:\s*(.*?)\s*-->\s*$/;

function parseMarker(text: string): Marker | undefined {
  const notRun = /^not-run\s*(?:—|–|--|-|:)\s*(\S.*)$/.exec(text);
  if (notRun?.[1]) return { kind: 'not-run', detail: notRun[1] };
  const expectError = /^expect-error\s+(\d+)$/.exec(text);
  if (expectError?.[1]) return { kind: 'expect-error', detail: expectError[1] };
  const background = /^background\s+"(.+)"$/.exec(text);
  if (background?.[1]) return { kind: 'background', detail: background[1] };
  return undefined;
}

/** Every fenced block of a Markdown text, with the `<!-- example: … -->` marker right before it. */
export function extractBlocks(file: string, text: string): Block[] {
  const lines = text.split('\n');
  const blocks: Block[] = [];
  let pendingMarker: { text: string; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const markerMatch = MARKER.exec(line);
    if (markerMatch) {
      pendingMarker = { text: markerMatch[1] ?? '', line: i + 1 };
      continue;
    }
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(line);
    if (!open) {
      // A marker applies to the next fence only across blank lines.
      if (line.trim() !== '') pendingMarker = undefined;
      continue;
    }
    const indent = open[1]?.length ?? 0;
    const fence = open[2] ?? '```';
    const lang = (open[3] ?? '').toLowerCase();
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const l = lines[j] ?? '';
      if (l.trim().startsWith(fence[0]!.repeat(fence.length)) && l.trim().replace(/[`~]/g, '') === '') break;
      body.push(l.slice(Math.min(indent, l.length - l.trimStart().length)));
    }
    const kind: BlockKind = SHELL_LANGS.has(lang) ? 'shell' : SDK_LANGS.has(lang) ? 'sdk' : 'other';
    const block: Block = { file, index: blocks.length + 1, line: i + 1, lang, kind, code: body.join('\n') };
    if (pendingMarker) {
      const marker = parseMarker(pendingMarker.text);
      if (marker) block.marker = marker;
      else block.badMarker = `line ${pendingMarker.line}: <!-- example: ${pendingMarker.text} -->`;
    }
    blocks.push(block);
    pendingMarker = undefined;
    i = j;
  }
  return blocks;
}

/** The examples are written against the address `npm start` listens on; the test's server is elsewhere. */
export function retarget(code: string, baseUrl: string): string {
  const { host } = new URL(baseUrl);
  return code.replace(/(?:127\.0\.0\.1|localhost):8080/g, host);
}

/** Top-level JSON values in a command's output (curl prints them back to back, often without newlines). */
export function jsonValues(output: string): unknown[] {
  const values: unknown[] = [];
  let i = 0;
  while (i < output.length) {
    const c = output[i];
    if (c !== '{' && c !== '[') {
      i++;
      continue;
    }
    const end = matchingEnd(output, i);
    if (end === -1) {
      i++; // an unbalanced brace in plain text; a JSON value may still follow
      continue;
    }
    try {
      values.push(JSON.parse(output.slice(i, end + 1)));
      i = end + 1;
    } catch {
      i++;
    }
  }
  return values;
}

function matchingEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** The `code` of every envelope in the output (objects with a numeric top-level `code`). */
export function envelopeCodes(output: string): number[] {
  const codes: number[] = [];
  for (const value of jsonValues(output)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const code = (value as { code?: unknown }).code;
      if (typeof code === 'number') codes.push(code);
    }
  }
  return codes;
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs a command without blocking the event loop (the server under test lives in this process). */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ exitCode, signal, stdout, stderr, timedOut });
    });
  });
}

// Runs one block inside the session: the variables of earlier blocks are restored first, and the ones
// this block leaves behind (its own and the restored ones) are saved for the next. Bash's own variables
// and read-only ones are not carried.
const SESSION_WRAPPER = `__pf_before=$'\\n'"$(compgen -v)"$'\\n'
if [[ -f "$__pf_dir/state.sh" ]]; then source "$__pf_dir/state.sh"; fi
source "$__pf_block"
{
  for __pf_v in $(compgen -v); do
    [[ $__pf_v == __pf_* || $__pf_before == *$'\\n'"$__pf_v"$'\\n'* || \${!__pf_v@a} == *r* ]] && continue
    declare -p "$__pf_v"
  done
} > "$__pf_dir/state.next.sh"
mv "$__pf_dir/state.next.sh" "$__pf_dir/state.sh"
`;

export interface Background {
  output(): string;
  /** Whether it ended already (a receiver should not), with its result. */
  ended(): RunResult | undefined;
  stop(): Promise<RunResult>;
}

/** Starts a long-running command; its output accumulates until `stop`. */
export function startBackground(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Background {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let result: RunResult | undefined;
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const closed = new Promise<RunResult>((resolve) => {
    child.on('close', (exitCode, signal) => {
      result = { exitCode, signal, stdout, stderr, timedOut: false };
      resolve(result);
    });
    child.on('error', (error) => {
      result = { exitCode: null, signal: null, stdout, stderr: `${stderr}${error.message}`, timedOut: false };
      resolve(result);
    });
  });
  return {
    output: () => stdout + stderr,
    ended: () => result,
    stop: () => {
      if (!result) child.kill('SIGKILL');
      return closed;
    },
  };
}

/** A bash session over several blocks, in one working directory. */
export class ShellSession {
  private readonly dir: string;

  constructor(
    private readonly cwd: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    this.dir = join(cwd, '.examples');
    mkdirSync(this.dir, { recursive: true });
    writeFileSync(join(this.dir, 'session.sh'), SESSION_WRAPPER);
  }

  /** The block's file name appears in bash's own error messages (`block-3.sh: line 2: …`). */
  async run(block: Block, code: string, timeoutMs: number): Promise<RunResult> {
    const file = join(this.dir, `block-${block.index}.sh`);
    writeFileSync(file, `${code}\n`);
    return run('bash', ['-euo', 'pipefail', join(this.dir, 'session.sh')], {
      cwd: this.cwd,
      env: { ...this.env, __pf_dir: this.dir, __pf_block: file },
      timeoutMs,
    });
  }
}

const IMPORT_LINE =
  /^\s*import\s[^;]*?from\s*['"][^'"]+['"](\s*with\s*\{[^}]*\})?\s*;?\s*$|^\s*import\s*['"][^'"]+['"]\s*;?\s*$/;

export interface SdkModule {
  source: string;
  /** Generated line (1-based) → the block and the Markdown line it came from. */
  lineMap: Map<number, { block: Block; line: number }>;
}

// Every response the SDK receives passes this interceptor (added after the SDK's own, so it sees the
// body): a `code` other than 0, or an HTTP error, fails the module even if the example catches it.
const SDK_PRELUDE = `import * as __pfSdk from '@larksuiteoapi/node-sdk';
const __pfRefused = [];
const __pfCheck = (body, status) => {
  if (body && typeof body === 'object' && typeof body.code === 'number' && body.code !== 0) __pfRefused.push(JSON.stringify(body));
  else if (status !== undefined) __pfRefused.push(\`HTTP \${status}: \${JSON.stringify(body)}\`);
};
__pfSdk.defaultHttpInstance.interceptors.response.use(
  (answer) => {
    __pfCheck(answer && typeof answer === 'object' && 'headers' in answer && 'data' in answer ? answer.data : answer);
    return answer;
  },
  (error) => {
    __pfCheck(error?.response?.data, error?.response?.status ?? 'no answer');
    throw error;
  },
);
process.on('exit', () => {
  if (__pfRefused.length > 0) {
    console.error('SDK responses with a code other than 0:\\n' + __pfRefused.join('\\n'));
    process.exitCode = 1;
  }
});`;

/** One ES module from a file's SDK blocks, in order; imports hoisted to the top and deduplicated. */
export function sdkModule(blocks: Block[], retargetCode: (code: string) => string): SdkModule {
  const imports: string[] = [];
  const body: string[] = [];
  const lineMap = new Map<number, { block: Block; line: number }>();
  const prelude = SDK_PRELUDE.split('\n');
  for (const block of blocks) {
    const lines = retargetCode(block.code).split('\n');
    lines.forEach((l) => {
      if (IMPORT_LINE.test(l) && !imports.includes(l.trim())) imports.push(l.trim());
    });
  }
  const headerLength = imports.length + prelude.length;
  for (const block of blocks) {
    body.push(`// ${block.file} block ${block.index} (line ${block.line})`);
    retargetCode(block.code)
      .split('\n')
      .forEach((l, k) => {
        lineMap.set(headerLength + body.length + 1, { block, line: block.line + 1 + k });
        body.push(IMPORT_LINE.test(l) ? '' : l);
      });
  }
  return { source: [...imports, ...prelude, ...body].join('\n') + '\n', lineMap };
}

/** The environment a reader's shell has: nothing of the server's configuration, no test-runner state. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('PEOPLEFLOW_') || key.startsWith('NODE_') || key === 'DATABASE_URL') continue;
    env[key] = value;
  }
  return env;
}

export function where(block: Block): string {
  return `${block.file} block ${block.index} (line ${block.line}, \`\`\`${block.lang})`;
}

/** Long outputs keep their end, where the error usually is. */
function clip(text: string, max = 6000): string {
  const trimmed = text.trimEnd();
  return trimmed.length > max
    ? `… (${trimmed.length - max} characters before)\n${trimmed.slice(-max)}`
    : trimmed;
}

function report(block: Block, problem: string, code: string, result?: RunResult): string {
  const parts = [`${where(block)}: ${problem}`, '--- the block (as run) ---', code];
  if (result) {
    parts.push('--- stdout ---', clip(result.stdout) || '(empty)');
    parts.push('--- stderr ---', clip(result.stderr) || '(empty)');
  }
  return parts.join('\n');
}

function exitProblem(result: RunResult): string | undefined {
  if (result.timedOut) return 'did not finish in time (killed)';
  if (result.exitCode !== 0) return `exited with ${result.exitCode ?? result.signal ?? 'nothing'}`;
  return undefined;
}

/** Runs a shell block in the session; fails (AssertionError) with a report naming the file, block and line. */
export async function runShellBlock(session: ShellSession, block: Block, url: string): Promise<void> {
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
}

/** Where a failing SDK module failed, in Markdown terms, when its stack trace names a line. */
function sdkFailure(
  blocks: Block[],
  module: SdkModule,
  file: string,
  result: RunResult,
  problem: string,
): string {
  const at = new RegExp(`${basename(file).replace(/[.]/g, '\\.')}:(\\d+)`).exec(
    result.stdout + result.stderr,
  );
  const origin = at ? module.lineMap.get(Number(at[1])) : undefined;
  const first = blocks[0];
  assert.ok(first);
  const located = origin
    ? `${problem}; the failing line is ${origin.block.file} line ${origin.line} (block ${origin.block.index})`
    : problem;
  const numbered = module.source
    .split('\n')
    .map((l, i) => `${String(i + 1).padStart(4)}  ${l}`)
    .join('\n');
  const which = blocks.map((b) => `${b.index} at line ${b.line}`).join(', ');
  return report(
    first,
    `the SDK block(s) ${which}, run as one module (${basename(file)}), ${located}`,
    numbered,
    result,
  );
}

/** Writes the module into the working directory, as a reader's script would be: `./data/demo.json` resolves. */
// JavaScript runs with plain node, as a reader would run it (tsx would accept TypeScript in a ```js
// block); TypeScript blocks run with tsx.
function writeModule(cwd: string, name: string, blocks: Block[], url: string) {
  const module = sdkModule(blocks, (code) => retarget(code, url));
  const typescript = blocks.some((b) => b.lang === 'ts' || b.lang === 'typescript');
  const file = join(cwd, `${name}.${typescript ? 'mts' : 'mjs'}`);
  writeFileSync(file, module.source);
  return { module, file };
}

function nodeArgs(file: string): string[] {
  return file.endsWith('.mts') ? ['--import', 'tsx', file] : [file];
}

/** Runs SDK blocks as one module in `cwd`; fails with a report pointing at the Markdown line. */
export async function runSdkBlocks(cwd: string, blocks: Block[], url: string): Promise<void> {
  const { module, file } = writeModule(cwd, 'sdk-examples', blocks, url);
  const result = await run(process.execPath, nodeArgs(file), {
    cwd,
    env: cleanEnv(),
    timeoutMs: MODULE_TIMEOUT_MS,
  });
  const failed = exitProblem(result);
  if (failed) assert.fail(sdkFailure(blocks, module, file, result, failed));
}

export interface Running {
  block: Block;
  module: SdkModule;
  file: string;
  process: Background;
}

/** Starts a `background` SDK block as its own module in `cwd`. */
export function startReceiver(cwd: string, block: Block, url: string): Running {
  const { module, file } = writeModule(cwd, `background-${block.index}`, [block], url);
  // PORT=0: a receiver that listens (`.listen(process.env.PORT ?? 3000)`) takes a free port here.
  const background = startBackground(process.execPath, nodeArgs(file), {
    cwd,
    env: { ...cleanEnv(), PORT: '0' },
  });
  return { block, module, file, process: background };
}

/** A background program passes once it printed its text; it must still be running then. */
export async function finishReceiver(running: Running): Promise<void> {
  const expected = running.block.marker?.detail ?? '';
  const deadline = Date.now() + RECEIVER_TIMEOUT_MS;
  while (!running.process.output().includes(expected) && !running.process.ended() && Date.now() < deadline) {
    await delay(50);
  }
  const endedEarly = running.process.ended();
  const result = await running.process.stop();
  const printed = result.stdout.includes(expected) || result.stderr.includes(expected);
  if (!printed || endedEarly) {
    const problem = endedEarly
      ? `ended (${endedEarly.exitCode ?? endedEarly.signal ?? '?'}) while it should keep running`
      : `never printed ${JSON.stringify(expected)}`;
    assert.fail(sdkFailure([running.block], running.module, running.file, result, problem));
  }
}

export function readDoc(root: string, file: string): string {
  return readFileSync(join(root, file), 'utf8');
}
