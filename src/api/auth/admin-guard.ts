import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../services/index.js';
import { sendFailure } from '../reply.js';
import type { FailureThrottle } from './failure-throttle.js';

/** The `/admin/v1` hook: the admin token, with failed attempts throttled per source address. */
export function createAdminGuard(services: Services, throttle: FailureThrottle) {
  return async function adminGuard(request: FastifyRequest, reply: FastifyReply) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!match?.[1]) {
      return sendFailure(reply, {
        kind: 'missing_token',
        message: 'Missing admin token: send Authorization: Bearer <admin token>',
      });
    }
    if (await throttle.refuse('admin_token', request, reply)) return reply;
    if (!(await services.auth.verifyAdminToken(match[1]))) {
      await throttle.failed('admin_token', request.ip);
      return sendFailure(reply, { kind: 'invalid_token', message: 'Invalid admin token' });
    }
  };
}
