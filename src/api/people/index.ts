import type { FastifyError, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import type { Services } from '../../services/index.js';
import type { PersonSession } from '../../services/session.service.js';
import { BODY_NOT_JSON, type HttpApp } from '../http-app.js';
import { isStorageUnavailable } from '../../store/errors.js';
import { UnstorableInputError, violationsFromAjv } from '../validation.js';
import { sendPeopleError, sendPeopleProblem } from './reply.js';
import { clearSessionCookies, SESSION_COOKIE } from '../auth/session-cookies.js';
import { registerSessionRoutes } from './session.routes.js';
import { registerAuthRoutes } from './auth.routes.js';
import { registerProcessRoutes } from './process.routes.js';
import { registerDirectoryRoutes } from './directory.routes.js';
import { registerFlowRoutes } from './flow.routes.js';
import { registerInboxRoutes } from './inbox.routes.js';
import { registerFileRoutes } from './files.routes.js';
import { registerEventRoutes } from './events.routes.js';
import { registerConsoleRoutes } from './console/index.js';
import { registerLeaveRoutes } from './leave.routes.js';
import { registerDelegationRoutes } from './delegation.routes.js';
import { registerProfileRoutes } from './profile.routes.js';
import { registerNotificationRoutes } from './notification.routes.js';

export interface PeopleApiOptions {
  /** `--demo`: the sign-in page lists the demo people, signed in with one click. */
  demo: boolean;
  /** `--file-size-limit-mb` in bytes: larger uploads get 413 (default 20 MiB). */
  fileSizeLimitBytes?: number;
}

/** Routes that answer without a session (sign-in and what the sign-in page needs). */
declare module 'fastify' {
  interface FastifyContextConfig {
    /** No session needed. */
    public?: boolean;
  }
  interface FastifyRequest {
    /** The signed-in person (set on every non-public people-API route). */
    person: PersonSession | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The signed-in person; only called on routes that are not public, where the hook set it. */
export function personOf(request: FastifyRequest): PersonSession {
  if (!request.person) throw new Error('people-API route without a session');
  return request.person;
}

/**
 * `/api/v1`: the people API the web app uses. It acts as the signed-in person (session cookie), every
 * operation checked against that person by the same engine as the Open API; state-changing requests
 * need the CSRF token. Errors come as `{ error: { code, message, violations? } }`.
 */
export function registerPeopleApi(app: HttpApp, services: Services, options: PeopleApiOptions): void {
  void app.register(
    async (instance) => {
      const people = instance as unknown as HttpApp;
      await people.register(cookie);
      await people.register(csrf, {
        cookieKey: 'pf_csrf',
        cookieOpts: { path: '/', sameSite: 'lax', httpOnly: true },
        getToken: (request) => {
          const header = request.headers['x-csrf-token'];
          return typeof header === 'string' ? header : undefined;
        },
      });
      people.decorateRequest('person', null);

      people.setErrorHandler((error: FastifyError, request, reply) => {
        if (error.validation) {
          return sendPeopleError(reply, 400, {
            code: 'invalid_field',
            message: error.message,
            violations: violationsFromAjv(error.validation, error.validationContext),
          });
        }
        if (error instanceof UnstorableInputError)
          return sendPeopleError(reply, 400, {
            code: 'invalid_field',
            message: error.message,
            violations: error.violations,
          });
        if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET')
          return sendPeopleProblem(reply, 'csrf_invalid', 'missing or wrong X-CSRF-Token header');
        if (error.code === BODY_NOT_JSON)
          return sendPeopleError(reply, 400, {
            code: 'invalid_field',
            message: error.message,
            violations: [{ field: 'body', description: error.message }],
          });
        if (error.statusCode === 413)
          return sendPeopleProblem(reply, 'payload_too_large', 'the request body is too large');
        if (error.statusCode === 415)
          return sendPeopleProblem(reply, 'unsupported_media_type', error.message);
        if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)
          return sendPeopleError(reply, error.statusCode, { code: 'invalid_field', message: error.message });
        if (isStorageUnavailable(error)) {
          return sendPeopleError(
            reply,
            503,
            { code: 'storage_unavailable', message: 'the database is unavailable or busy; retry later' },
            { 'Retry-After': '1' },
          );
        }
        request.log.error({ err: error }, 'unhandled error');
        return sendPeopleError(reply, 500, { code: 'internal', message: 'internal error' });
      });
      people.setNotFoundHandler((request, reply) =>
        sendPeopleError(reply, 404, {
          code: 'not_found',
          message: `no route ${request.method} ${request.url.split('?')[0] ?? ''}`,
        }),
      );

      people.addHook('onRequest', async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE];
        if (token !== undefined) {
          request.person = (await services.sessions.resolve(token)) ?? null;
          // Ended, expired or forged: the browser drops it (and the web app's marker of it).
          if (!request.person) clearSessionCookies(reply);
        }
        if (!request.person && request.routeOptions.config.public !== true)
          return sendPeopleProblem(reply, 'unauthenticated', 'sign in first (no live session)');
      });
      people.addHook('onRequest', (request, reply, done) => {
        if (SAFE_METHODS.has(request.method)) {
          done();
          return;
        }
        people.csrfProtection(request, reply, done);
      });

      registerSessionRoutes(people, services, options);
      registerAuthRoutes(people, services);
      registerProcessRoutes(people, services);
      registerDirectoryRoutes(people, services);
      registerFlowRoutes(people, services);
      registerInboxRoutes(people, services);
      registerFileRoutes(people, services, options);
      registerEventRoutes(people, services);
      registerConsoleRoutes(people, services);
      registerLeaveRoutes(people, services);
      registerDelegationRoutes(people, services);
      registerProfileRoutes(people, services);
      registerNotificationRoutes(people, services);
    },
    { prefix: '/api/v1' },
  );
}
