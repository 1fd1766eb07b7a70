import type pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface LimiterSpec {
  /** Names the counter; keys of different limiters never meet. */
  name: string;
  points: number;
  durationSeconds: number;
}

/** Makes the server's rate limiters: in memory on one server, shared through PostgreSQL on several. */
export interface LimiterFactory {
  (spec: LimiterSpec): RateLimiterAbstract;
  /** Counted in a store every server shares (each check is a round trip). */
  shared: boolean;
}

/** SQLite (one server), tools and tests: counts in this process. */
export const memoryLimiters: LimiterFactory = Object.assign(
  ({ points, durationSeconds }: LimiterSpec) => new RateLimiterMemory({ points, duration: durationSeconds }),
  { shared: false },
);

/**
 * PostgreSQL: counts in the `rate_limits` table (migration 0023), so every server of a cluster spends
 * from one budget (docs/scaling.md). Each check is one upsert on the server's pool. A key that has
 * used up its points is refused from memory until its window ends, without asking the database
 * (`inMemoryBlockOnConsumed`): a client hammering past its limit costs the database nothing. The Open
 * API's limit, checked on every request, takes its points a few at a time (leased-limiter.ts). When the
 * database fails, the check falls back to a counter in memory (`insuranceLimiter`), so a hiccup
 * neither fails requests nor lifts the limits — each server then counts alone until it is back.
 */
export function postgresLimiters(pool: pg.Pool): LimiterFactory {
  const make = ({ name, points, durationSeconds }: LimiterSpec) =>
    new RateLimiterPostgres({
      storeClient: pool,
      storeType: 'pool',
      tableName: 'rate_limits',
      // Made by our migration: the library must not try to create it (nor wait for that).
      tableCreated: true,
      keyPrefix: name,
      points,
      duration: durationSeconds,
      inMemoryBlockOnConsumed: points,
      insuranceLimiter: new RateLimiterMemory({ points, duration: durationSeconds, keyPrefix: name }),
    });
  return Object.assign(make, { shared: true });
}
