import { Type } from 'typebox';
import type { Services } from '../../services/index.js';
import { pageJson, pageRequest, PageQuery } from '../pagination.js';
import { sendResult } from '../reply.js';
import type { AdminApp } from './index.js';
import { appJson } from './render.js';
import { AppCreate, AppUpdate, TenantKey } from './schemas.js';

const TenantOnly = Type.Object({ tenant_key: TenantKey });
const AppParams = Type.Object({
  tenant_key: TenantKey,
  app_id: Type.String({ minLength: 1, maxLength: 64 }),
});

export function registerAppRoutes(admin: AdminApp, services: Services): void {
  const { apps } = services;
  admin.post(
    '/tenants/:tenant_key/apps',
    { schema: { params: TenantOnly, body: AppCreate } },
    async (req, reply) =>
      sendResult(reply.status(201), await apps.create(req.params.tenant_key, req.body), appJson),
  );
  admin.get(
    '/tenants/:tenant_key/apps',
    { schema: { params: TenantOnly, querystring: Type.Object(PageQuery) } },
    async (req, reply) => {
      const page = pageRequest(req.query, reply);
      if (!page) return reply;
      return sendResult(reply, await apps.list(req.params.tenant_key, page), (p) => pageJson(p, appJson));
    },
  );
  admin.get('/tenants/:tenant_key/apps/:app_id', { schema: { params: AppParams } }, async (req, reply) =>
    sendResult(reply, await apps.get(req.params.tenant_key, req.params.app_id), appJson),
  );
  admin.patch(
    '/tenants/:tenant_key/apps/:app_id',
    { schema: { params: AppParams, body: AppUpdate } },
    async (req, reply) =>
      sendResult(reply, await apps.update(req.params.tenant_key, req.params.app_id, req.body), appJson),
  );
  admin.delete('/tenants/:tenant_key/apps/:app_id', { schema: { params: AppParams } }, async (req, reply) =>
    sendResult(reply, await apps.delete(req.params.tenant_key, req.params.app_id), () => ({})),
  );
  admin.post(
    '/tenants/:tenant_key/apps/:app_id/secret',
    { schema: { params: AppParams } },
    async (req, reply) =>
      sendResult(reply, await apps.rotateSecret(req.params.tenant_key, req.params.app_id), appJson),
  );
}
