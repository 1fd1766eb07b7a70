import { Type } from 'typebox';
import type { Services } from '../../services/index.js';
import type { HttpApp } from '../http-app.js';
import { sendFailure } from '../reply.js';
import type { FailureThrottle } from './failure-throttle.js';

const Credentials = Type.Object({
  app_id: Type.String({ minLength: 1, maxLength: 64 }),
  app_secret: Type.String({ minLength: 1, maxLength: 256 }),
});

/** The vendor's self-built-app token endpoints (docs/open-api.md): tokens at the top level, not under data. */
export function registerTokenRoutes(app: HttpApp, services: Services, throttle: FailureThrottle): void {
  app.post(
    '/open-apis/auth/v3/tenant_access_token/internal',
    { schema: { body: Credentials } },
    async (request, reply) => {
      if (await throttle.refuse('app_secret', request, reply)) return reply;
      const issued = await services.auth.issueTenantToken(request.body.app_id, request.body.app_secret);
      if (!issued.ok) {
        await throttle.failed('app_secret', request.ip);
        return sendFailure(reply, issued.error);
      }
      return { code: 0, msg: 'ok', tenant_access_token: issued.value.token, expire: issued.value.expire };
    },
  );

  app.post(
    '/open-apis/auth/v3/app_access_token/internal',
    { schema: { body: Credentials } },
    async (request, reply) => {
      if (await throttle.refuse('app_secret', request, reply)) return reply;
      const issued = await services.auth.issueAppToken(request.body.app_id, request.body.app_secret);
      if (!issued.ok) {
        await throttle.failed('app_secret', request.ip);
        return sendFailure(reply, issued.error);
      }
      return {
        code: 0,
        msg: 'ok',
        app_access_token: issued.value.app.token,
        tenant_access_token: issued.value.tenant.token,
        expire: issued.value.app.expire,
      };
    },
  );
}
