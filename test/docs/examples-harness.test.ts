// The docs-examples harness must catch what it claims to: a failing command, an error envelope, an SDK
// call that got a non-zero code (even one the example catches), a receiver that never prints.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedTenant, startTestServer, type TestServer } from '../helpers/server.js';
import {
  cleanEnv,
  envelopeCodes,
  extractBlocks,
  finishReceiver,
  runSdkBlocks,
  runShellBlock,
  ShellSession,
  startReceiver,
  type Block,
} from './examples.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FENCE = '```';

describe('extracting examples', () => {
  const text = [
    'Intro', // 1
    '<!-- example: not-run — starts the server -->', // 2
    '', // 3
    `${FENCE}sh`, // 4
    'npm start', // 5
    FENCE, // 6
    '<!-- example: expect-error 99992402 -->', // 7
    `${FENCE}bash`, // 8
    'curl -s x', // 9
    FENCE, // 10
    '- a list item:', // 11
    `  ${FENCE}js`, // 12
    '  const a = 1;', // 13
    '    nested();', // 14
    `  ${FENCE}`, // 15
    '<!-- example: nor-run because -->', // 16
    `${FENCE}sh`, // 17
    'x', // 18
    FENCE, // 19
    `${FENCE}json`, // 20
    '{"code": 1}', // 21
    FENCE, // 22
    '<!-- example: not-run — far away -->', // 23
    'prose in between', // 24
    `${FENCE}shell`, // 25
    'y', // 26
    FENCE, // 27
    '<!-- example: background "is now 1" -->', // 28
    `${FENCE}ts`, // 29
    'z', // 30
    FENCE, // 31
  ].join('\n');
  const blocks = extractBlocks('doc.md', text);

  test('finds every fence with its language, line and code', () => {
    assert.deepEqual(
      blocks.map((b) => [b.index, b.line, b.lang, b.kind, b.code]),
      [
        [1, 4, 'sh', 'shell', 'npm start'],
        [2, 8, 'bash', 'shell', 'curl -s x'],
        [3, 12, 'js', 'sdk', 'const a = 1;\n  nested();'],
        [4, 17, 'sh', 'shell', 'x'],
        [5, 20, 'json', 'other', '{"code": 1}'],
        [6, 25, 'shell', 'shell', 'y'],
        [7, 29, 'ts', 'sdk', 'z'],
      ],
    );
  });

  test('a marker applies to the next fence across blank lines only; an unknown one is reported', () => {
    assert.deepEqual(blocks[0]?.marker, { kind: 'not-run', detail: 'starts the server' });
    assert.deepEqual(blocks[1]?.marker, { kind: 'expect-error', detail: '99992402' });
    assert.equal(blocks[2]?.marker, undefined);
    assert.equal(blocks[3]?.marker, undefined);
    assert.match(blocks[3]?.badMarker ?? '', /line 16: .*nor-run because/);
    assert.equal(blocks[5]?.marker, undefined);
    assert.deepEqual(blocks[6]?.marker, { kind: 'background', detail: 'is now 1' });
  });

  test('envelope codes are read from JSON values printed back to back', () => {
    const output =
      'plain { unbalanced\n{"code":0,"msg":"ok"}{"code":99992402,"msg":"a } and [ in a string"}\n[1,2]\nplain {text}\n';
    assert.deepEqual(envelopeCodes(output), [0, 99992402]);
  });
});

describe('running examples', () => {
  let server: TestServer;
  let cwd: string;
  let app: { appId: string; appSecret: string };
  const block = (index: number, code: string, lang = 'sh', marker?: Block['marker']): Block => ({
    file: 'harness.md',
    index,
    line: index * 10,
    lang,
    kind: lang === 'sh' ? 'shell' : 'sdk',
    code,
    ...(marker ? { marker } : {}),
  });

  before(async () => {
    server = await startTestServer('sqlite');
    app = await seedTenant(server, 'harness');
    cwd = mkdtempSync(join(tmpdir(), 'peopleflow-docs-harness-'));
    symlinkSync(join(ROOT, 'node_modules'), join(cwd, 'node_modules'));
  });
  after(async () => {
    await server.close();
    rmSync(cwd, { recursive: true, force: true });
  });

  test('shell variables carry over from block to block; the address is rewritten', async () => {
    const session = new ShellSession(cwd, cleanEnv());
    await runShellBlock(
      session,
      block(1, 'X=1\nARR=(a b)\nexport EXP=e\nY=$(echo "two words")\nBASE=http://127.0.0.1:8080'),
      server.url,
    );
    const result = await session.run(block(2, ''), 'echo "$X ${ARR[1]} $EXP $Y $BASE"', 10_000);
    assert.equal(result.stdout, `1 b e two words ${server.url}\n`);
    await runShellBlock(session, block(3, 'curl -sf "$BASE/healthz"'), server.url);
  });

  test('a failing command, an unset variable and a failing pipeline fail the block, with a report', async () => {
    const session = new ShellSession(cwd, cleanEnv());
    await assert.rejects(
      runShellBlock(session, block(1, 'false\necho after'), server.url),
      (error: Error) => {
        assert.match(error.message, /^harness\.md block 1 \(line 10, ```sh\): exited with 1/);
        assert.match(
          error.message,
          /--- the block \(as run\) ---\nfalse\necho after\n--- stdout ---\n\(empty\)/,
        );
        return true;
      },
    );
    await assert.rejects(runShellBlock(session, block(2, 'echo "$NOT_SET_ANYWHERE"'), server.url), /unbound/);
    await assert.rejects(runShellBlock(session, block(3, 'false | cat'), server.url), /exited with 1/);
  });

  test('an error envelope fails a block unless the block expects exactly that code', async () => {
    const session = new ShellSession(cwd, cleanEnv());
    const unauthorised = `curl -s "${server.url}/open-apis/corehr/v2/approvers?user_id=u1&page_size=1"`;
    await assert.rejects(
      runShellBlock(session, block(1, unauthorised), server.url),
      /printed an error envelope \(code 99991661\)[\s\S]*--- stdout ---\n\{"code":99991661/,
    );
    await runShellBlock(
      session,
      block(2, unauthorised, 'sh', { kind: 'expect-error', detail: '99991661' }),
      server.url,
    );
    await assert.rejects(
      runShellBlock(
        session,
        block(3, unauthorised, 'sh', { kind: 'expect-error', detail: '1161001' }),
        server.url,
      ),
      /expected an error envelope with code 1161001/,
    );
  });

  const client = () =>
    `import * as lark from '@larksuiteoapi/node-sdk';\n` +
    `const client = new lark.Client({ appId: '${app.appId}', appSecret: '${app.appSecret}', domain: '${server.url}' });`;

  test('SDK blocks run as one module; a response with a non-zero code fails it even when caught', async () => {
    await runSdkBlocks(
      cwd,
      [
        block(1, client(), 'js'),
        block(
          2,
          `const { data } = await client.corehr.v2.approver.list({ params: { user_id: 'u1', user_id_type: 'user_id', page_size: 20 } });\nconsole.log(data.approver_list.length);`,
          'js',
        ),
      ],
      server.url,
    );
    await assert.rejects(
      runSdkBlocks(
        cwd,
        [
          block(1, client(), 'js'),
          block(
            2,
            `try {\n  await client.corehr.v2.process.get({ path: { process_id: '7000000000000000001' } });\n} catch {\n  console.log('caught');\n}`,
            'js',
          ),
        ],
        server.url,
      ),
      /exited with 1[\s\S]*code other than 0:\n\{"code":1161001/,
    );
  });

  test('JavaScript runs with plain node, TypeScript with tsx', async () => {
    await assert.rejects(
      runSdkBlocks(cwd, [block(1, 'const n: number = 1;', 'js')], server.url),
      /SyntaxError/,
    );
    await runSdkBlocks(cwd, [block(1, 'const n: number = 1;\nconsole.log(n);', 'ts')], server.url);
  });

  test('an SDK module that throws names the Markdown line', async () => {
    await assert.rejects(
      runSdkBlocks(
        cwd,
        [block(1, client(), 'js'), block(2, 'const x = 1;\nthrow new Error(`boom ${x}`);', 'js')],
        server.url,
      ),
      /the failing line is harness\.md line 22 \(block 2\)[\s\S]*boom 1/,
    );
  });

  test('a background block passes once it printed its text, and fails when it ends without it', async () => {
    const waiting = startReceiver(
      cwd,
      block(
        1,
        "setTimeout(() => console.log('process 1 is now 1'), 200);\nsetInterval(() => {}, 1000);",
        'js',
        {
          kind: 'background',
          detail: 'is now 1',
        },
      ),
      server.url,
    );
    await finishReceiver(waiting);
    const quitting = startReceiver(
      cwd,
      block(2, "console.log('bye');", 'js', { kind: 'background', detail: 'is now 1' }),
      server.url,
    );
    await assert.rejects(finishReceiver(quitting), /ended \(0\) while it should keep running/);
  });
});
