import { Type } from 'typebox';
import type { Services } from '../../services/index.js';
import type { SsoView } from '../../services/sso.service.js';
import { sendResult } from '../reply.js';
import type { AdminApp } from './index.js';
import { ExternalId, TenantKey } from './schemas.js';

const EmployeeParams = Type.Object({ tenant_key: TenantKey, user_id: ExternalId });
const TenantOnly = Type.Object({ tenant_key: TenantKey });
const strict = { additionalProperties: false } as const;

/** Checked again by the service (8–200 characters, no NUL), which names the field. */
const PasswordSet = Type.Object({ password: Type.String({ maxLength: 1000 }) }, strict);
const InviteCreate = Type.Object(
  { expires_in_hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 * 24 })) },
  strict,
);
const SsoSet = Type.Object(
  {
    issuer_url: Type.String({ minLength: 1, maxLength: 2048 }),
    client_id: Type.String({ minLength: 1, maxLength: 256 }),
    client_secret: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    label: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  strict,
);

const ssoJson = (redirectUri: string) => (s: SsoView) => ({
  tenant_key: s.tenantKey,
  issuer_url: s.issuerUrl,
  client_id: s.clientId,
  label: s.label,
  redirect_uri: redirectUri,
  created_at: String(s.createdAt),
  updated_at: String(s.updatedAt),
});

/** People's sign-in, as the operator sets it up: passwords, invite links, the tenant's single sign-on. */
export function registerSignInAdminRoutes(admin: AdminApp, services: Services): void {
  admin.put(
    '/tenants/:tenant_key/employees/:user_id/password',
    { schema: { params: EmployeeParams, body: PasswordSet } },
    async (req, reply) =>
      sendResult(
        reply,
        await services.credentials.setPassword(req.params.tenant_key, req.params.user_id, req.body.password),
        (e) => ({ user_id: e.userId, has_password: true }),
      ),
  );
  admin.delete(
    '/tenants/:tenant_key/employees/:user_id/password',
    { schema: { params: EmployeeParams } },
    async (req, reply) =>
      sendResult(
        reply,
        await services.credentials.clearPassword(req.params.tenant_key, req.params.user_id),
        (e) => ({ user_id: e.userId, has_password: false }),
      ),
  );
  admin.post(
    '/tenants/:tenant_key/employees/:user_id/invites',
    { schema: { params: EmployeeParams, body: InviteCreate } },
    async (req, reply) =>
      sendResult(
        reply.status(201),
        await services.credentials.createInvite(
          req.params.tenant_key,
          req.params.user_id,
          req.body.expires_in_hours,
        ),
        (invite) => ({
          user_id: invite.employee.userId,
          url: `${admin.publicBaseUrl(req)}/invite/${invite.token}`,
          expires_at: String(invite.expiresAt),
        }),
      ),
  );

  const redirectUri = (req: Parameters<AdminApp['publicBaseUrl']>[0]) =>
    `${admin.publicBaseUrl(req)}/api/v1/auth/oidc/callback`;
  admin.get('/tenants/:tenant_key/sso', { schema: { params: TenantOnly } }, async (req, reply) =>
    sendResult(reply, await services.sso.get(req.params.tenant_key), ssoJson(redirectUri(req))),
  );
  admin.put(
    '/tenants/:tenant_key/sso',
    { schema: { params: TenantOnly, body: SsoSet } },
    async (req, reply) =>
      sendResult(reply, await services.sso.set(req.params.tenant_key, req.body), ssoJson(redirectUri(req))),
  );
  admin.delete('/tenants/:tenant_key/sso', { schema: { params: TenantOnly } }, async (req, reply) =>
    sendResult(reply, await services.sso.delete(req.params.tenant_key), () => ({})),
  );
}
