import { Type } from 'typebox';
import type { Services } from '../../services/index.js';
import type { TenantAdminView } from '../../services/console-access.service.js';
import { sendResult } from '../reply.js';
import type { AdminApp } from './index.js';
import { ExternalId, TenantKey } from './schemas.js';

const TenantOnly = Type.Object({ tenant_key: TenantKey });
const AdminParams = Type.Object({ tenant_key: TenantKey, user_id: ExternalId });

const adminJson = (a: TenantAdminView) => ({ user_id: a.employee.userId, granted_at: String(a.grantedAt) });

/** Tenant admins of the console: granted and removed by the operator (or by another tenant admin there). */
export function registerConsoleAdminRoutes(admin: AdminApp, services: Services): void {
  admin.get('/tenants/:tenant_key/admins', { schema: { params: TenantOnly } }, async (req, reply) =>
    sendResult(reply, await services.consoleAccess.listAdmins(req.params.tenant_key), (items) => ({
      items: items.map(adminJson),
    })),
  );
  admin.put('/tenants/:tenant_key/admins/:user_id', { schema: { params: AdminParams } }, async (req, reply) =>
    sendResult(
      reply,
      await services.consoleAccess.grant(req.params.tenant_key, req.params.user_id),
      adminJson,
    ),
  );
  admin.delete(
    '/tenants/:tenant_key/admins/:user_id',
    { schema: { params: AdminParams } },
    async (req, reply) =>
      sendResult(
        reply,
        await services.consoleAccess.revoke(req.params.tenant_key, req.params.user_id, {
          lastOneStays: false,
        }),
        () => ({}),
      ),
  );
}
