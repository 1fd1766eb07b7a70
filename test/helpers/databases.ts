import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test, type TestContext } from 'node:test';
import pg from 'pg';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../src/store/database.js';

export type DialectName = 'sqlite' | 'postgres';

export interface TestDatabase {
  dialect: DialectName;
  url: string;
  /** A scratch directory for the data dir (and the SQLite file). */
  dir: string;
  drop(): Promise<void>;
}

const POSTGRES_URL = process.env.PEOPLEFLOW_TEST_POSTGRES_URL;

export function tempDir(prefix = 'peopleflow-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A fresh, empty database: a new SQLite file, or a new PostgreSQL database on the configured server. */
export async function freshDatabase(dialect: DialectName): Promise<TestDatabase> {
  const dir = tempDir();
  if (dialect === 'sqlite') {
    return {
      dialect,
      url: `sqlite:${join(dir, 'test.db')}`,
      dir,
      drop: () => {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    };
  }
  if (!POSTGRES_URL) throw new Error('PEOPLEFLOW_TEST_POSTGRES_URL is not set');
  const name = `pf_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    dialect,
    url: url.toString(),
    dir,
    drop: async () => {
      rmSync(dir, { recursive: true, force: true });
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

let warned = false;

/**
 * Runs a suite once per dialect (ARCHITECTURE rule 5). Without PEOPLEFLOW_TEST_POSTGRES_URL the
 * PostgreSQL run is reported as skipped, with a warning on stderr, never silently dropped.
 */
export function forEachDialect(name: string, suite: (dialect: DialectName) => void): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    if (dialect === 'postgres' && !POSTGRES_URL) {
      if (!warned) {
        warned = true;
        process.stderr.write(
          '\n*** PostgreSQL suites SKIPPED: set PEOPLEFLOW_TEST_POSTGRES_URL to run them ***\n\n',
        );
      }
      void test(`${name} [postgres]`, { skip: 'PEOPLEFLOW_TEST_POSTGRES_URL is not set' }, () => undefined);
      continue;
    }
    void describe(`${name} [${dialect}]`, () => {
      suite(dialect);
    });
  }
}

/**
 * A fresh database at the latest migration for the tests of the suite that calls this: made and opened
 * before them (ahead of the suite's own `before` hooks, which may fill it), closed and dropped after.
 */
export function migratedDatabase(dialect: DialectName): {
  readonly handle: DatabaseHandle;
  readonly testDb: TestDatabase;
} {
  let testDb: TestDatabase | undefined;
  let handle: DatabaseHandle | undefined;
  before(async () => {
    testDb = await freshDatabase(dialect);
    handle = openDatabase({ url: testDb.url });
    await migrateToLatest(handle.db);
  });
  after(async () => {
    await handle?.close();
    await testDb?.drop();
  });
  const opened = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the suite’s database is made in its before hook');
    return value;
  };
  return {
    get handle() {
      return opened(handle);
    },
    get testDb() {
      return opened(testDb);
    },
  };
}

export type { TestContext };
