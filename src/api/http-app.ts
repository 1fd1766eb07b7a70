import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import swagger from '@fastify/swagger';
import type { ErrorObject } from 'ajv';
import { ServerResponse } from 'node:http';
import { newLogId } from '../platform/log-id.js';
import { isStorageUnavailable } from '../store/errors.js';
import type { Services } from '../services/index.js';
import { sendFailure } from './reply.js';
import {
  unstorableInputError,
  UnstorableInputError,
  validatorCompiler,
  violationsFromAjv,
} from './validation.js';
import { registerHealthRoutes } from './health.routes.js';
import { registerTokenRoutes } from './auth/token.routes.js';
import { registerAdminRoutes } from './admin/index.js';
import { registerProcessRoutes } from './openapi/process.routes.js';
import { registerPeopleApi, type PeopleApiOptions } from './people/index.js';
import { createOpenApiGuard, type RateLimitOptions } from './auth/open-api-guard.js';
import { createAdminGuard } from './auth/admin-guard.js';
import { FailureThrottle } from './auth/failure-throttle.js';
import { memoryLimiters, type LimiterFactory } from './auth/limiters.js';
import { registerWebApp, type WebAppOptions } from './web-app.js';

function answerBadUrl(error: FastifyError, url: string, reply: FastifyReply): void {
  const violations = [{ field: 'path', description: error.message }];
  if (url.startsWith('/api/v1/'))
    void reply.status(400).send({ error: { code: 'invalid_field', message: error.message, violations } });
  else void sendFailure(reply, { kind: 'invalid_field', message: error.message, violations });
}

/** The error code of a body that is not JSON (each API names the `body` field in its own shape). */
export const BODY_NOT_JSON = 'PF_BODY_NOT_JSON';

export interface HttpAppOptions {
  services: Services;
  logger: FastifyBaseLogger;
  rateLimit: RateLimitOptions;
  /** Largest accepted request body, bytes. */
  bodyLimit?: number;
  /** Connection limits and timeouts; Node's defaults where absent. */
  limits?: HttpLimits;
  /**
   * The public URL links are built from (`--base-url`); when absent, the request's own scheme and
   * Host header are used, as a local server reached by its address needs.
   */
  baseUrl?: string;
  /** Failed credential attempts allowed per source address per minute (0: no throttling). */
  authFailureLimit?: number;
  /** Where rate limits count: in memory (the default), or shared through PostgreSQL. */
  limiters?: LimiterFactory;
  /** The people API (`/api/v1`) the web app uses. */
  people?: PeopleApiOptions;
  /** Whether start-up has finished; /readyz answers 503 until then. */
  started?: () => boolean;
  /** Route modules from outside the API layer (the long connection, metrics). */
  modules?: ((app: HttpApp) => void)[];
  /** The built web app, served at `/` with SPA fallback; absent: no web app (API 404s only). */
  web?: WebAppOptions;
  /** Extra routes (tests) registered with the guard available. */
  extend?: (app: HttpApp, guard: ReturnType<typeof createOpenApiGuard>) => void;
}

export interface HttpLimits {
  /** A request whose headers have not all arrived by then is answered 408 and closed. */
  headersTimeoutMs: number;
  /** The same for the whole request, body included (a stalled upload). */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Open connections at most (WebSockets included); further ones are closed at once. 0: no limit. */
  maxConnections: number;
  /** Requests served on one keep-alive connection at most; 0: no limit. */
  maxRequestsPerSocket: number;
}

export type HttpApp = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export function buildHttpApp(options: HttpAppOptions): HttpApp {
  const limits = options.limits;
  const app = Fastify({
    loggerInstance: options.logger,
    genReqId: () => newLogId(),
    logController: new LogController({ requestIdLogLabel: 'log_id' }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // In-flight requests finish on close; idle keep-alive sockets do not hold shutdown up.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
    // A path Fastify cannot decode (a lone surrogate, an over-long parameter) is a bad field like any
    // other: answered in the shape of the API it was meant for, not Fastify's own.
    frameworkErrors: (error, request, reply) => {
      answerBadUrl(error, request.url, reply);
    },
    ...(limits
      ? {
          // Node's own limits. The header and request timeouts apply while a request is being
          // received, so a slow handler is not cut off, and neither is an upgraded WebSocket.
          requestTimeout: limits.requestTimeoutMs,
          keepAliveTimeout: limits.keepAliveTimeoutMs,
          maxRequestsPerSocket: limits.maxRequestsPerSocket,
          http: {
            headersTimeout: limits.headersTimeoutMs,
            requestTimeout: limits.requestTimeoutMs,
            // Node looks for expired requests this often (default 30 s, longer than a short timeout).
            connectionsCheckingInterval: Math.max(
              10,
              Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)),
            ),
          },
        }
      : {}),
  }).withTypeProvider<TypeBoxTypeProvider>();
  if (limits && limits.maxConnections > 0) app.server.maxConnections = limits.maxConnections;

  // Header names go out in the vendor's case (`X-Tt-Logid`, `Content-Type`): Fastify keeps them in
  // lower case, and clients that copy headers into a case-sensitive map (the Python SDK) look them
  // up by the canonical name. This listener runs before Fastify's own, for every response.
  app.server.prependListener('request', (_request, response: ServerResponse) => {
    response.writeHead = writeCanonicalHead;
  });

  app.setValidatorCompiler(validatorCompiler);

  // Every body is read as JSON, whatever its Content-Type, or with none: the official SDKs do not
  // all send one (the Python SDK's token request, the Go SDK's long-connection endpoint request).
  // An empty body is `{}`, so a route whose fields are all optional can be called with none.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, text, done) => {
    const source = typeof text === 'string' ? text : text.toString('utf8');
    if (source.trim() === '') {
      done(null, {});
      return;
    }
    try {
      done(null, JSON.parse(source));
    } catch (error) {
      done(
        Object.assign(new Error(`body is not valid JSON: ${(error as Error).message}`), {
          statusCode: 400,
          code: BODY_NOT_JSON,
        }),
      );
    }
  });
  // One hook of each kind for every request (each hook is a step of Fastify's per-request work).
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('X-Tt-Logid', request.id);
    // The Content-Type header is ignored (the body is JSON whatever it says); dropped so that a
    // malformed one is not refused before the parser above runs. Uploads to the people API keep
    // theirs: its multipart parser needs the boundary.
    const type = request.raw.headers['content-type'];
    if (
      type !== undefined &&
      !(request.url.startsWith('/api/v1/') && /^multipart\/form-data\s*;/i.test(type))
    )
      delete request.raw.headers['content-type'];
    done();
  });
  app.addHook('preValidation', (request, _reply, done) => {
    // NUL, unpaired surrogates and out-of-range numbers are refused before schemas and services see them.
    const refused = unstorableInputError(request);
    if (refused) {
      done(refused);
      return;
    }
    if (request.body === undefined && BODY_METHODS.has(request.method)) request.body = {};
    done();
  });

  // Once shutdown starts, every response closes its connection: a keep-alive socket that turns idle
  // after close() began would otherwise hold the process for the whole keep-alive timeout.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (closing) void reply.header('connection', 'close');
    done(null, payload);
  });

  app.setErrorHandler(
    (error: FastifyError & { validation?: ErrorObject[]; validationContext?: string }, request, reply) => {
      if (error.validation) {
        return sendFailure(reply, {
          kind: 'invalid_field',
          message: 'request field invalid',
          violations: violationsFromAjv(error.validation, error.validationContext),
        });
      }
      if (error instanceof UnstorableInputError) {
        return sendFailure(reply, {
          kind: 'invalid_field',
          message: error.message,
          violations: error.violations,
        });
      }
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
        void reply.status(413);
        return reply.send({
          code: 99992402,
          msg: `request body is larger than ${options.bodyLimit ?? 1024 * 1024} bytes`,
          error: { log_id: request.id, field_violations: [{ field: 'body', description: 'too large' }] },
        });
      }
      if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
        // Fastify's own client errors: bad JSON, wrong content type, empty body …
        return sendFailure(reply, {
          kind: 'invalid_field',
          message: error.message,
          violations: [{ field: 'body', description: error.message }],
        });
      }
      if (isStorageUnavailable(error)) {
        request.log.warn({ err: error }, 'storage unavailable');
        void reply.header('Retry-After', '1');
        return sendFailure(reply, {
          kind: 'storage_unavailable',
          message: 'the database is unavailable or busy; retry later',
        });
      }
      request.log.error({ err: error }, 'unhandled error');
      return sendFailure(reply, { kind: 'internal', message: 'internal error' });
    },
  );

  const webApp = options.web ? registerWebApp(app, options.web) : undefined;
  app.setNotFoundHandler((request, reply) =>
    webApp?.(request, reply)
      ? reply
      : sendFailure(reply, {
          kind: 'not_found',
          message: `no route ${request.method} ${request.url.split('?')[0] ?? ''}`,
        }),
  );

  const limiters = options.limiters ?? memoryLimiters;
  const throttle = new FailureThrottle(options.authFailureLimit ?? DEFAULT_AUTH_FAILURE_LIMIT, limiters);
  app.decorate('authFailures', throttle);
  const guard = createOpenApiGuard(options.services, options.rateLimit, throttle, limiters);
  const baseUrl = options.baseUrl?.replace(/\/+$/, '');
  // With --base-url set, the Host header (the client's to choose) never reaches a link.
  app.decorate(
    'publicBaseUrl',
    (request: FastifyRequest) => baseUrl ?? `${request.protocol}://${request.host}`,
  );
  // The OpenAPI document is generated from the route schemas, so the plugin must see every route:
  // routes are registered in a child context that loads after it.
  void app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'PeopleFlow',
        version: '0.1.0',
        description:
          'Feishu People process Open API (corehr v2, vendor-compatible) and the PeopleFlow admin API.',
      },
      components: {
        securitySchemes: {
          tenantAccessToken: {
            type: 'http',
            scheme: 'bearer',
            description: 'tenant_access_token (Open API)',
          },
          adminToken: { type: 'http', scheme: 'bearer', description: 'admin token (/admin/v1)' },
        },
      },
    },
  });
  const routes: RegisteredRoute[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      if (method !== 'HEAD') routes.push({ method, url: route.url });
  });
  app.decorate('registeredRoutes', routes);
  void app.register((instance, _opts, done) => {
    const child = instance as unknown as HttpApp;
    registerHealthRoutes(child, options.services, () =>
      closing ? 'closing' : (options.started?.() ?? true) ? 'running' : 'starting',
    );
    registerTokenRoutes(child, options.services, throttle);
    registerAdminRoutes(child, options.services, createAdminGuard(options.services, throttle));
    registerProcessRoutes(child, options.services, guard);
    registerPeopleApi(child, options.services, options.people ?? { demo: false });
    for (const register of options.modules ?? []) register(child);
    options.extend?.(child, guard);
    child.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
    done();
  });
  return app;
}

export const DEFAULT_AUTH_FAILURE_LIMIT = 20;

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

const canonicalNames = new Map<string, string>();
/** `x-tt-logid` → `X-Tt-Logid`: each dash-separated part capitalised, as Go's net/http writes them. */
function canonicalName(name: string): string {
  let canonical = canonicalNames.get(name);
  if (canonical === undefined) {
    canonical = name
      .toLowerCase()
      .split('-')
      .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
      .join('-');
    if (canonicalNames.size < 1000) canonicalNames.set(name, canonical);
  }
  return canonical;
}

// Taken from the prototype and always applied to a response: `this` is bound by the call below.
// eslint-disable-next-line @typescript-eslint/unbound-method
const nodeWriteHead = ServerResponse.prototype.writeHead;

/** Node's writeHead with the header names in the vendor's case (one function for every response). */
function writeCanonicalHead(this: ServerResponse, ...args: unknown[]): ServerResponse {
  const last = args.at(-1);
  // Fastify hands every header to writeHead as one object; Node writes the names as given.
  if (last !== null && typeof last === 'object' && !Array.isArray(last)) {
    const headers = last as Record<string, unknown>;
    const recased: Record<string, unknown> = {};
    for (const name of Object.keys(headers)) recased[canonicalName(name)] = headers[name];
    args[args.length - 1] = recased;
  }
  return (nodeWriteHead as (...a: unknown[]) => ServerResponse).apply(this, args);
}

export interface RegisteredRoute {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its method, for the OpenAPI coverage test. */
    registeredRoutes: RegisteredRoute[];
    /** The URL links handed to clients start with: `--base-url`, or the request's own origin. */
    publicBaseUrl(request: FastifyRequest): string;
    /** Failed credential attempts per source address (for routes that check credentials). */
    authFailures: FailureThrottle;
  }
}
