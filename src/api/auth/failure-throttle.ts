import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { memoryLimiters, type LimiterFactory } from './limiters.js';
import { sendFailure } from '../reply.js';

/** What was being proved: each has its own budget, so one misconfigured client blocks only its kind. */
export type CredentialKind = 'admin_token' | 'app_secret' | 'tenant_token';

export const AUTH_FAILURE_WINDOW_SECONDS = 60;

/**
 * Throttles guessing: after `limit` failed credential checks of one kind from one source address
 * within a minute, further checks of that kind from that address are refused with 429 until the
 * minute is over — correct credentials too, or the refusal itself would tell a guess was right.
 * Successful checks are not counted, so a busy client with good credentials is never held up.
 * On PostgreSQL the counts are shared by every server (docs/scaling.md).
 */
export class FailureThrottle {
  private readonly failures: RateLimiterAbstract | undefined;

  constructor(
    readonly limit: number,
    /** Also used for the sign-in throttle, which counts the same way. */
    readonly limiters: LimiterFactory = memoryLimiters,
  ) {
    this.failures =
      limit > 0
        ? limiters({ name: 'auth_failures', points: limit, durationSeconds: AUTH_FAILURE_WINDOW_SECONDS })
        : undefined;
  }

  /** Seconds until the address may try again, or undefined when it may now. */
  async retryAfter(kind: CredentialKind, address: string): Promise<number | undefined> {
    if (!this.failures) return undefined;
    const state = await this.failures.get(`${kind}|${address}`);
    if (!state || state.consumedPoints < this.limit) return undefined;
    return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  }

  async failed(kind: CredentialKind, address: string): Promise<void> {
    await this.failures?.penalty(`${kind}|${address}`);
  }

  /**
   * Answers 429 and returns true when the caller's address has used up its failures of this kind;
   * the route then does not check the credentials at all.
   */
  async refuse(kind: CredentialKind, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const wait = await this.retryAfter(kind, request.ip);
    if (wait === undefined) return false;
    sendFailure(reply, {
      kind: 'rate_limited',
      message: `too many failed authentication attempts from this address; retry in ${wait} s`,
      headers: { 'retry-after': String(wait) },
    });
    return true;
  }
}
