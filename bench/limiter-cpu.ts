// CPU per rate-limit check (µs of this process's CPU, user + system) for the in-memory limiter and
// rate-limiter-flexible's PostgreSQL store on the server's pool (docs/scaling.md). Needs a scratch
// PostgreSQL database: node --import tsx bench/limiter-cpu.ts postgres://postgres@127.0.0.1:5432/postgres
import pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres } from 'rate-limiter-flexible';
import { LeasedLimiter, leaseChunk } from '../src/api/auth/leased-limiter.js';

const url = process.argv[2] ?? process.env.PEOPLEFLOW_TEST_POSTGRES_URL;
if (!url) throw new Error('give a PostgreSQL URL');
const N = 20_000;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
const name = `pf_bench_${process.pid}`;
await admin.query(`CREATE DATABASE ${name}`);
const dbUrl = new URL(url);
dbUrl.pathname = `/${name}`;
const pool = new pg.Pool({ connectionString: dbUrl.toString(), max: 10 });
pool.on('error', () => undefined);
await pool.query(
  'CREATE TABLE rate_limits (key text PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)',
);

async function measure(
  label: string,
  limiter: { consume(key: string): Promise<unknown> },
  concurrency: number,
) {
  const keys = Array.from({ length: 50 }, (_, i) => `app${i}|GET /open-apis/corehr/v2/processes/:process_id`);
  // Warm up (prepared statements, JIT).
  for (let i = 0; i < 500; i++) await limiter.consume(keys[i % keys.length] ?? 'k').catch(() => undefined);
  const cpu = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < N) {
        const i = next++;
        await limiter.consume(keys[i % keys.length] ?? 'k').catch(() => undefined);
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  const wall = performance.now() - started;
  console.log(
    `${label.padEnd(44)} ${((used.user + used.system) / N).toFixed(1).padStart(6)} µs CPU/check, ${((wall * 1000) / N).toFixed(1).padStart(6)} µs wall/check`,
  );
}

const points = 1_000_000_000;
await measure('memory, 1 at a time', new RateLimiterMemory({ points, duration: 60 }), 1);
const store = (extra: { points?: number; inMemoryBlockOnConsumed?: number } = {}) =>
  new RateLimiterPostgres({
    storeClient: pool,
    storeType: 'pool',
    tableName: 'rate_limits',
    tableCreated: true,
    clearExpiredByTimeout: false,
    keyPrefix: 'openapi',
    points,
    duration: 60,
    inMemoryBlockOnConsumed: points,
    insuranceLimiter: new RateLimiterMemory({ points, duration: 60 }),
    ...extra,
  });
await measure('postgres store, 1 at a time', store(), 1);
await measure('postgres store, 16 concurrent', store(), 16);
// What the Open API guard runs on PostgreSQL: points leased 1% of the limit at a time.
const leased = (points: number) => {
  const l = new LeasedLimiter(store({ points, inMemoryBlockOnConsumed: points }), points, leaseChunk(points));
  return { consume: (key: string) => l.consume(key) };
};
await measure('leased, limit 1000 (chunk 10), 16 concurrent', leased(1000), 16);
await measure('leased, limit 100000 (chunk 1000), 16 concurrent', leased(100_000), 16);
// Over the limit: refused from memory without a query.
const blocked = new RateLimiterPostgres({
  storeClient: pool,
  storeType: 'pool',
  tableName: 'rate_limits',
  tableCreated: true,
  clearExpiredByTimeout: false,
  keyPrefix: 'blocked',
  points: 1,
  duration: 60,
  inMemoryBlockOnConsumed: 1,
  insuranceLimiter: new RateLimiterMemory({ points: 1, duration: 60 }),
});
await measure('postgres store, key over its limit (in memory)', blocked, 1);
await pool.end();
await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
await admin.end();
