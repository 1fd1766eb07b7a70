import type { onRequestAsyncHookHandler } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Services } from '../../services/index.js';
import type { HttpApp } from '../http-app.js';
import { pageJson, pageRequest, PageQuery } from '../pagination.js';
import { sendResult } from '../reply.js';
import { registerDirectoryRoutes } from './directory.routes.js';
import { registerAppRoutes } from './app.routes.js';
import { registerProcessAdminRoutes } from './process.routes.js';
import { registerSignInAdminRoutes } from './sign-in.routes.js';
import { registerConsoleAdminRoutes } from './console.routes.js';
import { registerTimerAdminRoutes } from './timers.routes.js';
import { registerNotificationAdminRoutes } from './notification.routes.js';
import { TenantCreate, TenantParams, TenantUpdate } from './schemas.js';
import { tenantJson } from './render.js';

export type AdminApp = HttpApp;

/** A route's query schema with no room for parameters it does not name (none, for a route without one). */
function closedQuery(schema: unknown): object {
  return schema === undefined
    ? Type.Object({}, { additionalProperties: false })
    : { ...(schema as object), additionalProperties: false };
}

/** `/admin/v1`: the operator's API, behind the admin token. */
export function registerAdminRoutes(
  app: HttpApp,
  services: Services,
  guard: onRequestAsyncHookHandler,
): void {
  void app.register(
    (instance, _opts, done) => {
      const admin = instance.withTypeProvider<TypeBoxTypeProvider>() as AdminApp;
      // Unlike the Open API (where the vendor ignores them), an unknown query parameter here is a 400
      // naming it: a misspelt filter would otherwise silently list everything.
      admin.addHook('onRoute', (route) => {
        route.schema = { ...route.schema, querystring: closedQuery(route.schema?.querystring) };
      });
      admin.addHook('onRequest', guard);

      admin.post('/tenants', { schema: { body: TenantCreate } }, async (request, reply) =>
        sendResult(reply.status(201), await services.tenants.create(request.body), tenantJson),
      );
      admin.get('/tenants', { schema: { querystring: Type.Object(PageQuery) } }, async (request, reply) => {
        const page = pageRequest(request.query, reply);
        if (!page) return reply;
        return sendResult(reply, { ok: true, value: await services.tenants.list(page) }, (p) =>
          pageJson(p, tenantJson),
        );
      });
      admin.get('/tenants/:tenant_key', { schema: { params: TenantParams } }, async (request, reply) =>
        sendResult(reply, await services.tenants.get(request.params.tenant_key), tenantJson),
      );
      admin.patch(
        '/tenants/:tenant_key',
        { schema: { params: TenantParams, body: TenantUpdate } },
        async (request, reply) =>
          sendResult(
            reply,
            await services.tenants.update(request.params.tenant_key, request.body),
            tenantJson,
          ),
      );
      admin.delete('/tenants/:tenant_key', { schema: { params: TenantParams } }, async (request, reply) =>
        sendResult(reply, await services.tenants.delete(request.params.tenant_key), () => ({})),
      );

      registerDirectoryRoutes(admin, services);
      registerAppRoutes(admin, services);
      registerProcessAdminRoutes(admin, services);
      registerSignInAdminRoutes(admin, services);
      registerConsoleAdminRoutes(admin, services);
      registerTimerAdminRoutes(admin, services);
      registerNotificationAdminRoutes(admin, services);
      done();
    },
    { prefix: '/admin/v1' },
  );
}
