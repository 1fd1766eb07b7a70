import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export type LeaseAnswer = { allowed: true } | { allowed: false; msBeforeNext: number };

interface Lease {
  /** Points taken from the shared counter and not yet used here. */
  left: number;
  /** When the shared window they belong to ends (Date.now() ms). */
  until: number;
  /** The shared counter is spent for this window: refuse until `until`. */
  spent: boolean;
  /** A lease being taken: callers for the same key wait for it instead of asking again. */
  taking?: Promise<void> | undefined;
}

/**
 * Spends a shared budget (`store`, PostgreSQL on a cluster) a few points at a time: each server takes
 * `chunk` points per round trip and hands them out from memory, so the Open API check costs a query
 * per `chunk` requests instead of one each (docs/scaling.md). It never lets more than the limit
 * through across servers; near the limit it may refuse up to `chunk - 1` requests per other server
 * early (points leased there and not used before the window ends). `chunk` 1 is exact.
 */
export class LeasedLimiter {
  private readonly leases = new Map<string, Lease>();

  constructor(
    private readonly store: RateLimiterAbstract,
    readonly points: number,
    readonly chunk: number,
    private readonly limit = 100_000,
  ) {}

  async consume(key: string): Promise<LeaseAnswer> {
    for (;;) {
      const now = Date.now();
      let lease = this.leases.get(key);
      if (lease && lease.until <= now && !lease.taking) {
        this.leases.delete(key);
        lease = undefined;
      }
      if (lease?.taking) {
        await lease.taking;
        continue;
      }
      if (lease && lease.left > 0) {
        lease.left -= 1;
        return { allowed: true };
      }
      if (lease?.spent) return { allowed: false, msBeforeNext: lease.until - now };
      const fresh: Lease = lease ?? { left: 0, until: now, spent: false };
      fresh.taking = this.take(key, fresh).finally(() => {
        fresh.taking = undefined;
      });
      if (!lease) this.remember(key, fresh);
      await fresh.taking;
    }
  }

  private async take(key: string, lease: Lease): Promise<void> {
    const now = Date.now();
    try {
      const got = await this.store.consume(key, this.chunk);
      lease.left = this.chunk;
      lease.until = now + Math.max(1, got.msBeforeNext);
      lease.spent = false;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      // The counter went past the limit: what was left below it is ours, then nothing this window. A
      // refusal not past it (the store's in-memory block of a spent key) leaves nothing either.
      const over = rejection.consumedPoints - this.points;
      lease.left = over > 0 ? Math.max(0, this.chunk - over) : 0;
      lease.until = now + Math.max(1, rejection.msBeforeNext);
      lease.spent = true;
    }
  }

  private remember(key: string, lease: Lease): void {
    if (this.leases.size >= this.limit) {
      const oldest = this.leases.keys().next().value;
      if (oldest !== undefined) this.leases.delete(oldest);
    }
    this.leases.set(key, lease);
  }
}

/** Points per lease for a limit: at most 1% of it, so near the limit little is left unused elsewhere. */
export function leaseChunk(points: number): number {
  return Math.max(1, Math.floor(points / 100));
}

/** A limiter's check as the Open API guard needs it. */
export type Check = (key: string) => Promise<LeaseAnswer>;

/** The check straight on a limiter: one store operation per request (exact; in memory it costs ~2 µs). */
export function directCheck(limiter: RateLimiterAbstract): Check {
  return async (key) => {
    try {
      await limiter.consume(key);
      return { allowed: true };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      return { allowed: false, msBeforeNext: rejection.msBeforeNext };
    }
  };
}
