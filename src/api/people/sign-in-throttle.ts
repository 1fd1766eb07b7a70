import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import { memoryLimiters, type LimiterFactory } from '../auth/limiters.js';
import { sendPeopleError } from './reply.js';

/** Failed password checks per account are counted over this window. */
export const ACCOUNT_WINDOW_SECONDS = 15 * 60;
const ADDRESS_WINDOW_SECONDS = 60;

/**
 * Throttles password guessing two ways, like the token endpoints' FailureThrottle: per source address
 * (`limit` failures a minute: one client trying many accounts) and per account (`limit` failures in
 * 15 minutes: many clients trying one account). Once either budget is spent, checks are refused with
 * 429 — right passwords too, or the refusal would tell a guess was right. A successful sign-in
 * clears the account's count. On PostgreSQL the counts are shared by every server of a cluster
 * (docs/scaling.md); on SQLite they live in the server's memory.
 */
export class SignInThrottle {
  private readonly byAddress: RateLimiterAbstract | undefined;
  private readonly byAccount: RateLimiterAbstract | undefined;

  constructor(
    readonly limit: number,
    limiters: LimiterFactory = memoryLimiters,
  ) {
    if (limit > 0) {
      this.byAddress = limiters({
        name: 'sign_in_address',
        points: limit,
        durationSeconds: ADDRESS_WINDOW_SECONDS,
      });
      this.byAccount = limiters({
        name: 'sign_in_account',
        points: limit,
        durationSeconds: ACCOUNT_WINDOW_SECONDS,
      });
    }
  }

  private static async wait(limiter: RateLimiterAbstract | undefined, key: string, limit: number) {
    if (!limiter) return undefined;
    const state = await limiter.get(key);
    if (!state || state.consumedPoints < limit) return undefined;
    return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
  }

  /** Answers 429 `too_many_requests` (with Retry-After) and returns true when the budget is spent. */
  async refuse(request: FastifyRequest, reply: FastifyReply, account?: string): Promise<boolean> {
    const waits = [
      await SignInThrottle.wait(this.byAddress, request.ip, this.limit),
      account === undefined ? undefined : await SignInThrottle.wait(this.byAccount, account, this.limit),
    ].filter((w): w is number => w !== undefined);
    if (waits.length === 0) return false;
    const wait = Math.max(...waits);
    sendPeopleError(
      reply,
      429,
      {
        code: 'too_many_requests',
        message: `too many failed sign-in attempts; retry in ${wait} s`,
      },
      { 'Retry-After': String(wait) },
    );
    return true;
  }

  async failed(request: FastifyRequest, account?: string): Promise<void> {
    await this.byAddress?.penalty(request.ip);
    if (account !== undefined) await this.byAccount?.penalty(account);
  }

  async succeeded(account: string): Promise<void> {
    await this.byAccount?.delete(account);
  }
}
