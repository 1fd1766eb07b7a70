// Runs every *.test.ts under src/ and test/ with Node's own test runner (Node 20 has no glob for --test).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const roots = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith('-'));
const files = [];
for (const root of roots.length > 0 ? roots : ['src', 'test']) {
  if (root.endsWith('.ts')) {
    files.push(root);
    continue;
  }
  for (const entry of readdirSync(root, { recursive: true })) {
    const name = String(entry);
    if (name.endsWith('.test.ts') && !name.includes('node_modules')) files.push(join(root, name));
  }
}
files.sort();
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', ...passThrough, ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
