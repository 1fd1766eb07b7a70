import type { FastifyReply, FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import type { Principal } from '../../services/auth.service.js';
import type { Scope } from '../../services/app.service.js';
import type { Services } from '../../services/index.js';
import { sendFailure } from '../reply.js';
import type { FailureThrottle } from './failure-throttle.js';
import { memoryLimiters, type LimiterFactory } from './limiters.js';
import { directCheck, leaseChunk, LeasedLimiter, type Check } from './leased-limiter.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the Open API guard: the tenant and app behind the tenant_access_token. */
    principal?: Principal;
  }
}

export interface RateLimitOptions {
  /** Requests per app per API per window; 0 turns limiting off. */
  requests: number;
  windowSeconds: number;
}

/** The caller resolved by the guard; a route behind it can rely on it being there. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route is not behind the Open API guard');
  return request.principal;
}

/**
 * Builds the pre-handler every Open API route uses: token → (tenant, app), then the scope, then the
 * per-app, per-API rate limit (docs/errors.md, docs/open-api.md). Order matters: an unauthenticated caller learns nothing
 * about limits, and a caller without the scope does not use up its quota.
 */
export function createOpenApiGuard(
  services: Services,
  rateLimit: RateLimitOptions,
  throttle: FailureThrottle,
  limiters: LimiterFactory = memoryLimiters,
) {
  // Shared by every server on PostgreSQL (docs/scaling.md), taken from the database a few points at a
  // time there: this runs on every request.
  const store =
    rateLimit.requests > 0
      ? limiters({ name: 'openapi', points: rateLimit.requests, durationSeconds: rateLimit.windowSeconds })
      : undefined;
  let check: Check | undefined;
  if (store) {
    const leased = new LeasedLimiter(store, rateLimit.requests, leaseChunk(rateLimit.requests));
    check = limiters.shared ? (key) => leased.consume(key) : directCheck(store);
  }

  return function requireScope(scope: Scope): preValidationAsyncHookHandler {
    return async function guard(request: FastifyRequest, reply: FastifyReply) {
      const header = request.headers.authorization;
      const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
      if (!match?.[1]) {
        return sendFailure(reply, {
          kind: 'missing_token',
          message: 'Missing access token for authorization. Please make a request with token attached.',
        });
      }
      if (await throttle.refuse('tenant_token', request, reply)) return reply;
      const principal = await services.auth.authenticate(match[1]);
      if (!principal.ok) {
        await throttle.failed('tenant_token', request.ip);
        return sendFailure(reply, principal.error);
      }
      if (!principal.value.app.scopes.includes(scope)) {
        return sendFailure(reply, {
          kind: 'scope_missing',
          message: `Access denied. One of the following scopes is required: [${scope}]. The app has not been granted it.`,
        });
      }
      request.principal = principal.value;
      if (!check) return;
      const key = `${principal.value.app.appId}|${request.method} ${request.routeOptions.url ?? request.url}`;
      const answer = await check(key);
      if (!answer.allowed) {
        return sendFailure(reply, {
          kind: 'rate_limited',
          message: 'request trigger frequency limit',
          headers: {
            'X-Ogw-Ratelimit-Limit': String(rateLimit.requests),
            'X-Ogw-Ratelimit-Reset': String(Math.max(1, Math.ceil(answer.msBeforeNext / 1000))),
          },
        });
      }
    };
  };
}

export type OpenApiGuard = ReturnType<typeof createOpenApiGuard>;
