import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
} from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import swagger from '@fastify/swagger';
import type { ErrorObject } from 'ajv';
import { newLogId } from '../platform/log-id.js';
import { isStorageUnavailable } from '../store/errors.js';
import type { Services } from '../services/index.js';
import { sendFailure } from './reply.js';
import { refuseUnstorableInput, validatorCompiler, violationsFromAjv } from './validation.js';
import { registerHealthRoutes } from './health.routes.js';
import { registerTokenRoutes } from './auth/token.routes.js';
import { registerAdminRoutes } from './admin/index.js';
import { registerProcessRoutes } from './openapi/process.routes.js';
import { createOpenApiGuard, type RateLimitOptions } from './auth/open-api-guard.js';

export interface HttpAppOptions {
  services: Services;
  logger: FastifyBaseLogger;
  rateLimit: RateLimitOptions;
  /** Largest accepted request body, bytes. */
  bodyLimit?: number;
  /** Whether start-up has finished; /readyz answers 503 until then. */
  started?: () => boolean;
  /** Route modules from outside the API layer (the long connection, metrics). */
  modules?: ((app: HttpApp) => void)[];
  /** Extra routes (tests) registered with the guard available. */
  extend?: (app: HttpApp, guard: ReturnType<typeof createOpenApiGuard>) => void;
}

export type HttpApp = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export function buildHttpApp(options: HttpAppOptions): HttpApp {
  const app = Fastify({
    loggerInstance: options.logger,
    genReqId: () => newLogId(),
    logController: new LogController({ requestIdLogLabel: 'log_id' }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // In-flight requests finish on close; idle keep-alive sockets do not hold shutdown up.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  // NUL, unpaired surrogates and out-of-range numbers are refused before schemas and services see them.
  app.addHook('preValidation', refuseUnstorableInput);

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

  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('X-Tt-Logid', request.id);
    done();
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

  app.setNotFoundHandler((request, reply) =>
    sendFailure(reply, {
      kind: 'not_found',
      message: `no route ${request.method} ${request.url.split('?')[0] ?? ''}`,
    }),
  );

  const guard = createOpenApiGuard(options.services, options.rateLimit);
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
    registerTokenRoutes(child, options.services);
    registerAdminRoutes(child, options.services);
    registerProcessRoutes(child, options.services, guard);
    for (const register of options.modules ?? []) register(child);
    options.extend?.(child, guard);
    child.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
    done();
  });
  return app;
}

export interface RegisteredRoute {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its method, for the OpenAPI coverage test. */
    registeredRoutes: RegisteredRoute[];
  }
}
