import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

/**
 * The browser suite drives the BUILT web app (dist/web), as `npm start` serves it. Building takes
 * tens of seconds, so it happens once per test run: only when dist/web is absent or older than any
 * source it is built from, and under a lock directory so that test files started in parallel do not
 * build twice (the second waits for the first, then finds the build fresh).
 */
const ROOT = join(import.meta.dirname, '..', '..');
export const WEB_SOURCE = join(ROOT, 'web');
export const WEB_DIST = join(ROOT, 'dist', 'web');
const BUILT_MARK = join(WEB_DIST, 'index.html');
const LOCK = join(ROOT, 'dist', '.web-build.lock');
/** A lock older than this was left by a killed run. */
const STALE_LOCK_MS = 5 * 60 * 1000;

/** Newest modification time under `path` (node_modules and build output skipped). */
function newestMtime(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry.name)));
  }
  return newest;
}

/** Why dist/web must be (re)built, or undefined when it is fresh. */
export function webBuildStale(): string | undefined {
  const built = statSync(BUILT_MARK, { throwIfNoEntry: false });
  if (!built) return `${BUILT_MARK} is absent`;
  const sources = Math.max(
    newestMtime(WEB_SOURCE),
    newestMtime(join(ROOT, 'src', 'api', 'people', 'contract.ts')),
    newestMtime(join(ROOT, 'package-lock.json')),
  );
  return sources > built.mtimeMs ? 'web/ changed since the last build' : undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let done: Promise<void> | undefined;

/** Builds dist/web once per run when it is absent or stale; throws (failing the suite) if it cannot. */
export function ensureWebBuild(): Promise<void> {
  done ??= build();
  return done;
}

async function build(): Promise<void> {
  if (!existsSync(join(WEB_SOURCE, 'vite.config.ts')))
    throw new Error('no web app to test: web/vite.config.ts is missing (the web app is not merged yet?)');
  if (webBuildStale() === undefined) return;
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  // mkdir is atomic: whoever creates the lock builds, the others wait for it to go away.
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const lock = statSync(LOCK, { throwIfNoEntry: false });
      if (lock && Date.now() - lock.mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      await sleep(500);
    }
  }
  try {
    // Another file may have built it while this one waited.
    const why = webBuildStale();
    if (why === undefined) return;
    process.stderr.write(`browser suite: building the web app (${why})\n`);
    const started = Date.now();
    const result = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', 'web/vite.config.ts'],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    if (result.status !== 0)
      throw new Error(`vite build failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
    process.stderr.write(`browser suite: web app built in ${Math.round((Date.now() - started) / 1000)} s\n`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
