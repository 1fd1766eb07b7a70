import { Type } from 'typebox';
import type { Services } from '../../services/index.js';
import type { SmtpView } from '../../services/notifications/notification.service.js';
import { sendResult } from '../reply.js';
import type { AdminApp } from './index.js';
import { TenantKey } from './schemas.js';

const TenantOnly = Type.Object({ tenant_key: TenantKey });
const strict = { additionalProperties: false } as const;
/** PUT body of the tenant's SMTP settings (the admin API's and the console's). */
export const SmtpSet = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 253 }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    secure: Type.Optional(Type.Boolean()),
    username: Type.Optional(Type.Union([Type.Null(), Type.String({ minLength: 1, maxLength: 256 })])),
    password: Type.Optional(Type.Union([Type.Null(), Type.String({ minLength: 1, maxLength: 1024 })])),
    from_address: Type.String({ minLength: 3, maxLength: 320 }),
  },
  strict,
);
/** POST …/smtp/test body (the admin API's and the console's). */
export const SmtpTest = Type.Object(
  {
    to: Type.String({ minLength: 3, maxLength: 320 }),
    language: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en')])),
  },
  strict,
);

/** The password never leaves the server: only whether one is set. */
export const smtpJson = (s: SmtpView) => ({
  tenant_key: s.tenantKey,
  host: s.host,
  port: s.port,
  secure: s.secure,
  username: s.username,
  password: s.hasPassword ? '********' : null,
  from_address: s.fromAddress,
  updated_at: String(s.updatedAt),
});

/** The tenant's SMTP server for notification emails (docs/notifications.md). */
export function registerNotificationAdminRoutes(admin: AdminApp, services: Services): void {
  admin.get('/tenants/:tenant_key/smtp', { schema: { params: TenantOnly } }, async (req, reply) =>
    sendResult(reply, await services.notifications.smtp(req.params.tenant_key), smtpJson),
  );
  admin.put(
    '/tenants/:tenant_key/smtp',
    { schema: { params: TenantOnly, body: SmtpSet } },
    async (req, reply) =>
      sendResult(reply, await services.notifications.setSmtp(req.params.tenant_key, req.body), smtpJson),
  );
  admin.delete('/tenants/:tenant_key/smtp', { schema: { params: TenantOnly } }, async (req, reply) =>
    sendResult(reply, await services.notifications.deleteSmtp(req.params.tenant_key), () => ({})),
  );
  admin.post(
    '/tenants/:tenant_key/smtp/test',
    { schema: { params: TenantOnly, body: SmtpTest } },
    async (req, reply) =>
      sendResult(
        reply,
        await services.notifications.testSmtp(req.params.tenant_key, req.body.to, req.body.language ?? 'en'),
        (r) => r,
      ),
  );
}
