import type SqliteDatabase from 'better-sqlite3';

export interface StatementTotals {
  /** The statement's SQL, as prepared (parameters are `?`). */
  sql: string;
  /** Times it ran. */
  count: number;
  /** Time inside SQLite, summed (ms; a commit's includes its fsync). */
  ms: number;
}

/**
 * A diagnostic for SQLite (`PEOPLEFLOW_SQL_PROFILE`, docs/operations.md): counts every statement the
 * server runs and the time spent inside SQLite for it, by SQL text. Unlike CPU time, the number of
 * statements per request does not move when the machine is busy, so a change's effect on the work a
 * command does can be read off one run (`npm run bench:profile -- --sql`).
 */
export class StatementProfile {
  private totals = new Map<string, { count: number; ns: bigint }>();

  /** `statement`, counted: what Kysely's SQLite driver uses of it (`reader` and the four ways to run). */
  wrap(text: string, statement: SqliteDatabase.Statement): SqliteDatabase.Statement {
    const count = <A extends unknown[], R>(run: (...args: A) => R) => {
      return (...args: A): R => {
        const start = process.hrtime.bigint();
        try {
          return run(...args);
        } finally {
          const entry = this.totals.get(text) ?? { count: 0, ns: 0n };
          entry.count++;
          entry.ns += process.hrtime.bigint() - start;
          this.totals.set(text, entry);
        }
      };
    };
    return {
      reader: statement.reader,
      all: count(statement.all.bind(statement)),
      get: count(statement.get.bind(statement)),
      run: count(statement.run.bind(statement)),
      iterate: count(statement.iterate.bind(statement)),
    } as unknown as SqliteDatabase.Statement;
  }

  /** The totals since the last reset, most time first; `reset` starts counting anew. */
  take(reset: boolean): StatementTotals[] {
    const rows = [...this.totals].map(([sql, t]) => ({ sql, count: t.count, ms: Number(t.ns) / 1e6 }));
    if (reset) this.totals = new Map();
    return rows.sort((a, b) => b.ms - a.ms);
  }
}
