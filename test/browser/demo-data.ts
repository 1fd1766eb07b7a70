import { cpSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { freshDatabase, type TestDatabase } from '../helpers/databases.js';
import { startTestServer } from '../helpers/server.js';

/**
 * The demo data every browser file starts from, seeded once per run and copied per file: seeding
 * (`--demo` on an empty database: tenant, directory, flows, calendar, leave types) takes several
 * seconds of a browser file's start, the copy a few milliseconds. The copy is a whole data dir (the
 * SQLite files, the master key its secrets are sealed with, demo.json with the app's secret), so the
 * server started on it with `--demo` takes the data as its own and re-seeds nothing.
 *
 * The run shares it through PEOPLEFLOW_BROWSER_DEMO_DIR (scripts/run-tests.mjs makes that directory
 * and removes it after the run); the browser files run as separate processes, so the first one to need
 * the data seeds it under a lock directory and the others wait for it. Without the variable (a file run
 * with `node --test` directly) there is nothing to share and the data is seeded into the file's own
 * database, as before.
 */
const SHARED = process.env.PEOPLEFLOW_BROWSER_DEMO_DIR;
/** A lock older than this was left by a killed run. */
const STALE_LOCK_MS = 2 * 60 * 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let template: Promise<string> | undefined;

/**
 * A fresh SQLite database (its own temp dir) holding the demo data, or undefined when there is no
 * shared directory (then the server seeds its own with `--demo`). Dropping it is the caller's.
 */
export async function demoDatabase(): Promise<TestDatabase | undefined> {
  if (SHARED === undefined || SHARED === '') return undefined;
  template ??= seededTemplate(SHARED);
  const from = await template;
  const database = await freshDatabase('sqlite');
  cpSync(from, database.dir, { recursive: true });
  return database;
}

async function seededTemplate(shared: string): Promise<string> {
  const ready = join(shared, 'demo-data');
  const lock = join(shared, 'demo-data.lock');
  mkdirSync(shared, { recursive: true });
  for (;;) {
    if (existsSync(ready)) return ready;
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
      await sleep(100);
    }
  }
  try {
    if (existsSync(ready)) return ready;
    // Seeded by a real start with --demo (the same code path as before), then closed: a closed SQLite
    // database has its WAL checkpointed, so a plain copy of the directory is a consistent one.
    const dir = join(shared, 'demo-data.partial');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { mode: 0o700 });
    const database: TestDatabase = {
      dialect: 'sqlite',
      url: `sqlite:${join(dir, 'test.db')}`,
      dir,
      drop: () => Promise.resolve(),
    };
    const server = await startTestServer('sqlite', { database, flags: ['--demo'] });
    await server.close();
    // Complete or absent: the others look for `ready` only.
    renameSync(dir, ready);
    return ready;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
