import { Type } from 'typebox';
import type { Services } from '../../services/index.js';
import { pageJson, pageRequest, PageQuery } from '../pagination.js';
import { sendResult } from '../reply.js';
import type { AdminApp } from './index.js';
import { appJson } from './render.js';
import type { DeliveryRow } from '../../services/delivery.service.js';

const deliveryJson = (d: DeliveryRow) => ({
  delivery_id: d.id,
  event_id: d.event_id,
  event_type: d.event_type,
  process_id: d.process_id,
  mode: d.mode,
  status: d.status,
  attempts: d.attempts,
  next_attempt_at: String(d.next_attempt_at),
  last_error: d.last_error,
  created_at: String(d.created_at),
  delivered_at: d.delivered_at === null ? null : String(d.delivered_at),
  event: JSON.parse(d.event) as unknown,
});
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
  admin.get(
    '/tenants/:tenant_key/apps/:app_id/deliveries',
    {
      schema: {
        params: AppParams,
        querystring: Type.Object({
          ...PageQuery,
          status: Type.Optional(Type.Enum(['pending', 'sending', 'delivered', 'failed'])),
        }),
      },
    },
    async (req, reply) => {
      const page = pageRequest(req.query, reply);
      if (!page) return reply;
      const result = await services.deliveries.list(
        req.params.tenant_key,
        req.params.app_id,
        req.query.status,
        page,
      );
      return sendResult(reply, result, (p) => pageJson(p, deliveryJson));
    },
  );
  admin.post(
    '/tenants/:tenant_key/deliveries/:delivery_id/resend',
    {
      schema: {
        params: Type.Object({
          tenant_key: TenantKey,
          delivery_id: Type.String({ pattern: '^[0-9]{1,19}$' }),
        }),
      },
    },
    async (req, reply) =>
      sendResult(
        reply,
        await services.deliveries.resend(req.params.tenant_key, req.params.delivery_id),
        deliveryJson,
      ),
  );
  admin.post(
    '/tenants/:tenant_key/apps/:app_id/secret',
    { schema: { params: AppParams } },
    async (req, reply) =>
      sendResult(reply, await apps.rotateSecret(req.params.tenant_key, req.params.app_id), appJson),
  );
}
