// Run by test/integration/object-shapes.test.ts under `node --allow-natives-syntax`: starts a server
// (SQLite), takes one request, then reports on stdout, as JSON, whether V8 still caches a new property
// added to an empty object — i.e. whether the root object shape's transition table (1,536 entries) has
// room — and, as a check that the probe can tell, the same after filling that table on purpose.
import { startTestServer } from './server.js';

// V8's %HaveSameMap exists only with --allow-natives-syntax, which the parser must see: built at run time.
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- the natives syntax cannot be in the parsed source
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

let probes = 0;
function newKeysShareShapes(): boolean {
  const key = `shape_probe_${probes++}`;
  const a: Record<string, number> = {};
  a[key] = 1;
  const b: Record<string, number> = {};
  b[key] = 1;
  return haveSameMap(a, b);
}

const t = await startTestServer('sqlite');
const health = await t.call('GET', '/healthz');
const afterStart = newKeysShareShapes();
await t.close();

// Keys kept alive, so no garbage collection can empty the table again before the second probe.
const kept: object[] = [];
for (let i = 0; i < 2_000; i++) {
  const o: Record<string, number> = {};
  o[`filler_${i}`] = i;
  kept.push(o);
}
const afterFilling = newKeysShareShapes();
process.stdout.write(
  `${JSON.stringify({ health: health.status, afterStart, afterFilling, kept: kept.length })}\n`,
);
