// Runs every *.test.ts under src/ and test/ with Node's own test runner (Node 20 has no glob for --test).
// The browser suite (test/browser/) runs after the rest, never beside it: each browser file drives a
// real server and Chromium, and next to the CPU-bound unit and PostgreSQL tests they starve into
// timeouts. Browser files run in PEOPLEFLOW_BROWSER_LANES lanes (default 3 on the CI machine's 2
// cores): a browser test spends much of its time waiting (debounces, autosave, animations, live
// updates), so files side by side keep the cores busy where one leaves them idle (24 files: 12 min in
// two lanes, 10 in three, 2026-12-04). 1 gives the old one-at-a-time run.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, sep } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';

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
const rest = files.filter((f) => !isBrowser(f));
// The longest browser files start first (measured wall time in three lanes, 2026-12-06: screens 129 s,
// actions 110, console-directory 97, console-flows 79, console-monitoring 77, console-flow-designer 69):
// in name order the longest ran last and the other lanes sat idle behind it.
const LONGEST_FIRST = [
  'screens',
  'actions',
  'console-directory',
  'console-flows',
  'console-monitoring',
  'console-flow-designer',
  'console-simulation',
  'console-travel',
];
const browserRank = (file) => {
  const rank = LONGEST_FIRST.indexOf(basename(file, '.test.ts'));
  return rank < 0 ? LONGEST_FIRST.length : rank;
};
const browser = files.filter(isBrowser).sort((a, b) => browserRank(a) - browserRank(b) || a.localeCompare(b));
const testArgs = (concurrency, groupFiles) => [
  '--import',
  'tsx',
  '--test',
  `--test-concurrency=${concurrency}`,
  ...passThrough,
  ...groupFiles,
];

/** Wall time since `since`, in seconds, for the block reports below (what CI's time goes to). */
const secondsSince = (since) => Math.round((performance.now() - since) / 1000);

let status = 0;
if (rest.length > 0) {
  const began = performance.now();
  const concurrency = Math.max(1, Number(process.env.PEOPLEFLOW_TEST_CONCURRENCY ?? 2) || 2);
  const result = spawnSync(process.execPath, testArgs(concurrency, rest), { stdio: 'inherit' });
  if ((result.status ?? 1) !== 0) status = 1;
  process.stdout.write(`# run-tests: ${rest.length} files in ${secondsSince(began)} s\n`);
}

/**
 * One browser file in its own runner. With more than one lane its report is held and written whole
 * when the file ends, so two files' reports never interleave.
 */
function runBrowserFile(file, env, buffered) {
  const began = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, testArgs(1, [file]), {
      env,
      stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    const out = [];
    const err = [];
    child.stdout?.on('data', (chunk) => out.push(chunk));
    child.stderr?.on('data', (chunk) => err.push(chunk));
    child.on('close', (code) => {
      if (buffered) {
        process.stdout.write(Buffer.concat(out));
        process.stderr.write(Buffer.concat(err));
      }
      process.stdout.write(`# run-tests: ${file} in ${secondsSince(began)} s\n`);
      resolve(code ?? 1);
    });
  });
}

// A real browser on a loaded 2-core machine sometimes misses a beat (a dialog opening late, a live
// update racing a key press): a failing file is run once more, alone, after the others, and a pass on
// that retry is reported as FLAKY at the end, never hidden. Two failures fail the run.
// The demo data is seeded once for the browser files, which copy it (test/browser/demo-data.ts).
if (browser.length > 0) {
  const lanes = Math.max(1, Number(process.env.PEOPLEFLOW_BROWSER_LANES ?? 3) || 1);
  const demoDir = mkdtempSync(join(tmpdir(), 'peopleflow-browser-demo-'));
  const env = { ...process.env, PEOPLEFLOW_BROWSER_DEMO_DIR: demoDir };
  const failed = [];
  const flaky = [];
  try {
    const began = performance.now();
    const queue = [...browser];
    const lane = async () => {
      for (let file = queue.shift(); file !== undefined; file = queue.shift())
        if ((await runBrowserFile(file, env, lanes > 1)) !== 0) failed.push(file);
    };
    await Promise.all(Array.from({ length: Math.min(lanes, browser.length) }, lane));
    process.stdout.write(
      `# run-tests: ${browser.length} browser files in ${lanes} lanes in ${secondsSince(began)} s\n`,
    );
    for (const file of failed.sort()) {
      process.stderr.write(`\n*** ${file} failed; running it once more, alone ***\n\n`);
      if ((await runBrowserFile(file, env, false)) === 0) flaky.push(file);
      else status = 1;
    }
  } finally {
    rmSync(demoDir, { recursive: true, force: true });
  }
  if (flaky.length > 0)
    process.stderr.write(`\n*** FLAKY (failed, then passed on retry): ${flaky.join(', ')} ***\n`);
}
process.exit(status);
