import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Compiling the routes' schemas fills V8's table of shape transitions from the empty object with the
// schema compiler's throw-away objects; until a full collection clears them, objects built key by key
// (rows, records) each get a hidden class of their own and optimised code keeps being recompiled. The
// server runs one collection before it listens.
test('objects built key by key share one hidden class once the server has started', () => {
  const probe = fileURLToPath(new URL('fixtures/shapes-probe.ts', import.meta.url));
  const output = execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', probe], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
    timeout: 60_000,
  });
  const result = JSON.parse(output.slice(output.lastIndexOf('{'))) as {
    before: boolean;
    afterStart: boolean;
  };
  assert.equal(result.before, true, 'a fresh process shares the hidden class');
  assert.equal(result.afterStart, true, 'after the server started (its schemas compiled)');
});
