// Runs every *.test.ts under src/ and test/ with Node's own test runner (Node 20 has no glob for --test).
// The browser suite (test/browser/) runs after the rest, one file at a time: each file drives a real
// server and Chromium, and two of them side by side on a small machine starve each other (and the
// other tests) into timeouts.
import { readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
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
const isBrowser = (file) => join(file).split(sep).join('/').includes('test/browser/');
const groups = [
  { files: files.filter((f) => !isBrowser(f)), concurrency: 2 },
  { files: files.filter(isBrowser), concurrency: 1 },
];
let status = 0;
for (const group of groups) {
  if (group.files.length === 0) continue;
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${group.concurrency}`, ...passThrough, ...group.files],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) status = result.status ?? 1;
}
process.exit(status);
