import { Type } from 'typebox';
import type { Services } from '../../../services/index.js';
import type { TenantAdminView } from '../../../services/console-access.service.js';
import type { HttpApp } from '../../http-app.js';
import type { ConsoleAdmin } from '../contract.js';
import { iso, personOf as personRefOf } from '../render.js';
import { personOf } from '../index.js';
import { sendPeopleResult } from '../reply.js';
import { requireTenantAdmin } from './index.js';

const UserParams = Type.Object({
  user_id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[^\\u0000]+$' }),
});

const adminJson = (a: TenantAdminView): ConsoleAdmin => ({
  person: personRefOf(a.employee),
  granted_at: iso(a.grantedAt),
});

/** Console: the tenant's admins, managed by tenant admins (the last one stays). */
export function registerConsoleAdminsRoutes(admin: HttpApp, services: Services): void {
  admin.get('/admins', async (request, reply) => {
    if (!requireTenantAdmin(request, reply)) return reply;
    const tenantKey = personOf(request).tenant.tenantKey;
    return sendPeopleResult(reply, await services.consoleAccess.listAdmins(tenantKey), (items) => ({
      items: items.map(adminJson),
    }));
  });
  admin.put('/admins/:user_id', { schema: { params: UserParams } }, async (request, reply) => {
    if (!requireTenantAdmin(request, reply)) return reply;
    const tenantKey = personOf(request).tenant.tenantKey;
    return sendPeopleResult(
      reply,
      await services.consoleAccess.grant(tenantKey, request.params.user_id),
      adminJson,
    );
  });
  admin.delete('/admins/:user_id', { schema: { params: UserParams } }, async (request, reply) => {
    if (!requireTenantAdmin(request, reply)) return reply;
    const tenantKey = personOf(request).tenant.tenantKey;
    const result = await services.consoleAccess.revoke(tenantKey, request.params.user_id, {
      lastOneStays: true,
    });
    return sendPeopleResult(reply.status(result.ok ? 204 : 200), result, () => undefined);
  });
}
