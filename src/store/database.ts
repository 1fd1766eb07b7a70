import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations/index.js';
import { CacheHooks } from './cache-changes.js';
import type { StatementProfile } from './statement-profile.js';
import { PeopleflowSqliteDialect } from './sqlite-compiler.js';
import { registerDirectSqlite, type StatementSource } from './direct-sqlite.js';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseOptions {
  /** `postgres://…`/`postgresql://…`, or `sqlite:<path>` / a bare file path. */
  url: string;
  /** SQLite `synchronous` pragma; FULL survives power loss, NORMAL trades that for throughput. */
  sqliteSynchronous?: 'OFF' | 'NORMAL' | 'FULL' | 'EXTRA';
  /** How long a write waits for a SQLite lock, or a PostgreSQL connection, before giving up (ms). */
  busyTimeoutMs?: number;
  poolSize?: number;
  /** SQLite: count statements and the time inside SQLite (a diagnostic, statement-profile.ts). */
  statementProfile?: StatementProfile;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Where the server plugs its caches in, for repositories to announce changes (store/cache-changes.ts). */
  hooks: CacheHooks;
  /** PostgreSQL: the pool behind `db`, for rate-limiter-flexible's store. */
  pool?: pg.Pool;
  /**
   * SQLite: whether another connection — another server process on the same file, a tool — has
   * committed since the last call (`PRAGMA data_version`, a check of shared memory, no I/O). This
   * server's own commits do not count. Undefined on PostgreSQL, where the cache bus hears changes.
   */
  writtenElsewhere?: () => boolean;
  /** Cheap round trip for readiness checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class DatabaseUrlError extends Error {}

export function parseDatabaseUrl(url: string): { dialect: DialectName; location: string } {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    try {
      new URL(url);
    } catch {
      throw new DatabaseUrlError(`the database URL is not a valid URL: ${redactUrl(url)}`);
    }
    return { dialect: 'postgres', location: url };
  }
  if (url.startsWith('sqlite:'))
    return { dialect: 'sqlite', location: url.slice('sqlite:'.length).replace(/^\/\//, '') };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new DatabaseUrlError(
      `unsupported database URL scheme in ${redactUrl(url)}: use postgres://… or sqlite:<file path>`,
    );
  }
  return { dialect: 'sqlite', location: url };
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

// bigint columns hold Unix ms and counts, well inside Number's exact range; pg returns them as text.
const INT8_OID = 20;
function int8AsNumber(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (oid === INT8_OID) return (value: string) => Number(value);
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- pg's overloads take its own enum of oids
  return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
}

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  const { dialect, location } = parseDatabaseUrl(options.url);
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const hooks = new CacheHooks();
  const pool = dialect === 'postgres' ? postgresPool(location, busyTimeoutMs, options) : undefined;
  const sqlite = pool ? undefined : sqliteDialect(location, busyTimeoutMs, options);
  const db = new Kysely<Database>({
    dialect: sqlite ? sqlite.dialect : new PostgresDialect({ pool: pool as pg.Pool }),
    plugins: [hooks],
  });
  if (sqlite) registerDirectSqlite(db, sqlite.statements);
  return {
    db,
    dialect,
    hooks,
    ...(pool ? { pool } : {}),
    ...(sqlite ? { writtenElsewhere: sqlite.writtenElsewhere } : {}),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

function sqliteDialect(
  file: string,
  busyTimeoutMs: number,
  options: DatabaseOptions,
): { dialect: SqliteDialect; statements: StatementSource; writtenElsewhere: () => boolean } {
  const native = new SqliteDatabase(file, { timeout: busyTimeoutMs });
  native.pragma('journal_mode = WAL');
  native.pragma(`synchronous = ${options.sqliteSynchronous ?? 'FULL'}`);
  native.pragma('foreign_keys = ON');
  // Every command runs in a savepoint of its group-commit transaction; SQLite keeps the pages a savepoint
  // changes in a sub-journal that spills to a temporary file past 64 KiB — which a start's rows and
  // indexes exceed. In memory it costs no file open, write and unlink per command (a tenth of the
  // server's CPU under load, measured with perf). Durability is the WAL's; the sub-journal only serves
  // a rollback inside an open transaction.
  native.pragma('temp_store = MEMORY');
  const dataVersion = native.prepare('pragma data_version').pluck();
  let seen = dataVersion.get();
  const statements = withStatementCache(native, 1000, options.statementProfile);
  return {
    dialect: new PeopleflowSqliteDialect({ database: statements }),
    statements,
    writtenElsewhere: () => {
      if (!native.open) return false;
      const now = dataVersion.get();
      if (now === seen) return false;
      seen = now;
      return true;
    },
  };
}

/**
 * Kysely prepares every query anew; with better-sqlite3 a prepared statement can be reused, and
 * compiling SQL was a tenth of the server's CPU time under load (BENCHMARKS.md). Statements are kept
 * by their SQL text, the least recently used dropped past `limit`.
 */
function withStatementCache(native: SqliteDatabase.Database, limit: number, profile?: StatementProfile) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => {
      native.close();
    },
    prepare: (text: string) => {
      let statement = cache.get(text);
      if (statement) {
        cache.delete(text);
      } else {
        statement = native.prepare(text);
        if (cache.size >= limit) {
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) cache.delete(oldest);
        }
      }
      cache.set(text, statement);
      return profile ? profile.wrap(text, statement) : statement;
    },
  };
}

function postgresPool(url: string, busyTimeoutMs: number, options: DatabaseOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: busyTimeoutMs,
    // A query stuck behind a lock must fail, not hang the request.
    options: `-c lock_timeout=${busyTimeoutMs} -c statement_timeout=${busyTimeoutMs * 6}`,
    types: { getTypeParser: int8AsNumber as typeof pg.types.getTypeParser },
  });
  // A client that loses its connection must not crash the process: idle ones report on the pool,
  // checked-out ones on themselves (their query fails with the error as well).
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return pool;
}

/** Applies every pending migration; safe to run from several processes at once (Kysely locks). */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
